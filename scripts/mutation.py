"""Mutation score of the policy builders, the config reader and the pack (rules, shared modules).

    bash scripts/mutation.sh [MODULE ...] [--jobs N] [--remap] [--confirm] [--report]
    bash scripts/mutation.sh --recheck MODULE [MODULE ...] --tests TEST [TEST ...]

A measurement like the benchmarks, too slow for CI. Each MODULE is a path (default: TARGETS). It
makes every mutant mutmut's operators make of the module, runs each against the tests that
execute its line, and rewrites docs/mutation.md from the results of every module measured so far
(kept in .mutation/, keyed by the module's source and the tests').

Why a driver over mutmut's mutation API rather than `mutmut run`: mutmut 3 copies the tree to
mutants/ and mutates only function bodies through trampolines, so the module-level constants
most of these documents are made of (action lists, statement tables, config schemas) would go
unmutated, and the pack, imported as `guardrails` from policies/ with a __main__.py beside the
program's, does not fit its one-source-tree model. So mutmut supplies what it is good at, its
operators (`create_mutations`: numbers, strings, names, operators, arguments, assignments), and
this driver applies each mutant to the whole module, constants included:

1. Map (cached until a source or test changes; --remap forces it): the whole suite once under
   pytest-cov with per-test contexts, on --jobs workers, and its per-test durations.
2. For each mutant, the tests whose context executed the statement it changes (for a statement
   run at import, every test that executed a line of the module), fastest first.
3. A forked child per mutant, --jobs at once: it imports the mutated source in place of the
   module (the parent has imported the third-party libraries but no project module) and runs
   those tests with pytest -x. A failure, an error or a timeout kills the mutant.
4. A surviving mutant of a kind scripts/mutation_equivalents.py names as unable to change
   behaviour is counted as equivalent, by kind; score = killed / (mutants - equivalent).

--recheck runs a module's stored survivors again, each in a fresh interpreter, against the TESTs
written for them (no new map: the tests that killed the others still do, as tests are only
added); a survivor that now fails one of them is counted as killed.
"""

from __future__ import annotations

import argparse
import ast
import functools
import hashlib
import importlib.abc
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT), str(ROOT / "policies")]

from mutation_equivalents import EQUIVALENTS, Mutant, equivalent_kind  # noqa: E402

STATE = ROOT / ".mutation"
DOC = ROOT / "docs" / "mutation.md"
PACK = ROOT / "policies"
TARGETS = (
    "cloudtrail_logging/archive/bucket_policy.py",
    "cloudtrail_logging/archive/key_policy.py",
    "cloudtrail_logging/archive/guard.py",
    "cloudtrail_logging/archive/lifecycle.py",
    "cloudtrail_logging/archive/trust.py",
    "cloudtrail_logging/integrity/access_logging.py",
    "cloudtrail_logging/integrity/object_lock.py",
    "cloudtrail_logging/integrity/replication.py",
    "cloudtrail_logging/integrity/trail_selectors.py",
    "cloudtrail_logging/alerting/policies.py",
    "cloudtrail_logging/deployer/documents.py",
    "cloudtrail_logging/deployer/scope.py",
    "cloudtrail_logging/messaging/key_policy.py",
    "cloudtrail_logging/messaging/resource_policies.py",
    "cloudtrail_logging/organization/service_control_policy.py",
    "cloudtrail_logging/organization/stackset.py",
    "cloudtrail_logging/aws/kms.py",
    "cloudtrail_logging/aws/trust.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "cloudtrail_logging/settings").glob("*.py")),
    "cloudtrail_logging/schema.py",
    *sorted(str(p.relative_to(ROOT)) for p in (PACK / "guardrails" / "rules").glob("ctl_*.py")),
    # The pack's shared mechanics, which the rule families and most rules' checks are made of.
    *sorted(
        str(p.relative_to(ROOT))
        for p in (PACK / "guardrails").glob("*.py")
        if p.name != "__init__.py"
    ),
)
# What the map's cache depends on: every source the tests can reach, and the tests.
SOURCE_DIRS = (
    "cloudtrail_logging",
    "components",
    "engine_model",
    "offline",
    "diagrams",
    "verify",
    "policies/guardrails",
    "tests",
)
DURATION_LINE = re.compile(r"^\s*([\d.]+)s (?:setup|call|teardown)\s+(\S.*?)\s*$")
TIMEOUT_FLOOR_S = 30.0
SURVIVORS_SHOWN = 25  # per module in docs/mutation.md


def module_name(path: str) -> str:
    """The import name of a source path: the pack's modules are `guardrails.*` (from policies/);
    a package's `__init__.py` is the package."""
    rel = Path(path).with_suffix("")
    parts = rel.parts[1:] if rel.parts[0] == "policies" else rel.parts
    return ".".join(parts).removesuffix(".__init__")


def digest(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(str(p.relative_to(ROOT)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def project_sources() -> list[Path]:
    return [p for d in SOURCE_DIRS for p in (ROOT / d).rglob("*.py") if "venv" not in p.parts]


# -- 1. the map: which tests execute which line, and how long each takes ------------------------


@dataclass
class TestMap:
    lines: dict[str, dict[int, list[str]]]  # source path -> line -> test node ids
    durations: dict[str, float]
    _cache: dict[tuple[str, int], list[str]] = field(default_factory=dict)

    def tests_for(self, path: str, line: int) -> list[str]:
        key = (path, line)
        if key not in self._cache:
            self._cache[key] = self._tests_for(path, line)
        return self._cache[key]

    def _tests_for(self, path: str, line: int) -> list[str]:
        """The tests that execute the statement at `line` (0: a module-level statement, run at
        import: every test that executes a line of the module, or sits in a test file that
        imports it), engine-level files left out, fastest first.

        A statement of a function that ran only while modules were imported, outside every test
        (a rule family's factory, which each rule module calls to declare itself), is judged by
        the tests of every module that imports its own, directly or not."""
        by_line = self.lines.get(path, {})
        if line and by_line.get(line) == []:
            tests = {t for m in (path, *importers(path)) for t in self._at_import(m)}
        elif line:
            tests = set(by_line.get(line, ()))
        else:
            tests = self._at_import(path)
        return sorted((t for t in tests if t.split("::")[0] not in ENGINE_TESTS),
                      key=lambda t: (self.durations.get(t, 1.0), t))  # fmt: skip

    def _at_import(self, path: str) -> set[str]:
        """The tests that a change to what the module does at import can reach."""
        tests = {t for ts in self.lines.get(path, {}).values() for t in ts}
        return tests | {t for t in self.durations if t.split("::")[0] in importing_tests(path)}


@functools.cache
def _module_sources() -> dict[str, str]:
    """Each project module's text, tests left out, read once (mutants never touch the files)."""
    texts = {str(p.relative_to(ROOT)): p for p in project_sources()}
    return {rel: p.read_text() for rel, p in texts.items() if not rel.startswith("tests/")}


@functools.cache
def importers(path: str) -> frozenset[str]:
    """The project's modules that import the module at `path`, directly or through others."""
    found: set[str] = set()
    todo = [path]
    while todo:
        name = module_name(todo.pop())
        package, stem = name.rsplit(".", 1) if "." in name else ("", name)
        pattern = re.compile(
            rf"^\s*(?:import {re.escape(name)}\b|from {re.escape(name)} import"
            rf"|from {re.escape(package)} import (?:\([^)]*|[^\n]*)\b{re.escape(stem)}\b)", re.M)
        for rel, text in _module_sources().items():
            if rel not in found and pattern.search(text):
                found.add(rel)
                # A top-level package's __init__ (the pack's list of rules) is imported with any
                # of its modules; what imports it imports something else.
                if "." in module_name(rel) or not rel.endswith("__init__.py"):
                    todo.append(rel)
    found.discard(path)
    return frozenset(found)


@functools.cache
def importing_tests(path: str) -> frozenset[str]:
    """Test files that name the module (import it, or, for a pack rule, every test file that
    reads the pack's list of policies)."""
    package, _, stem = module_name(path).rpartition(".")
    found = set()
    for test in (ROOT / "tests").rglob("test_*.py"):
        text = test.read_text()
        names_it = re.search(rf"\b{re.escape(stem)}\b", text) and package.rpartition(".")[2] in text
        lists_rules = path.startswith("policies/guardrails/rules/") and "ALL_POLICIES" in text
        if names_it or lists_rules:
            found.add(str(test.relative_to(ROOT)))
    return frozenset(found)


def build_map(jobs: int, tests: Sequence[str] = ()) -> TestMap:
    """Run the suite (or the `tests` paths) once under coverage with per-test contexts."""
    STATE.mkdir(exist_ok=True)
    data_file = STATE / "coverage"
    for old in STATE.glob("coverage*"):
        old.unlink()
    env = {**os.environ, "COVERAGE_FILE": str(data_file)}
    command = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"-n{jobs}",
        "--cov=cloudtrail_logging", f"--cov={PACK / 'guardrails'}", "--cov-context=test",
        "--cov-report=", "--durations=0", "--durations-min=0", *tests,
    ]  # fmt: skip
    print(f"mutation: mapping tests to lines ({' '.join(tests) or 'the whole suite'} under "
          "coverage) ...", flush=True)  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"mutation: the suite fails without mutants:\n{done.stdout[-3000:]}")
    durations: dict[str, float] = {}
    for line in done.stdout.splitlines():
        if m := DURATION_LINE.match(line):
            durations[m[2]] = durations.get(m[2], 0.0) + float(m[1])
    from coverage import CoverageData

    data = CoverageData(basename=str(data_file))
    data.read()
    lines: dict[str, dict[int, list[str]]] = {}
    for measured in data.measured_files():
        rel = str(Path(measured).resolve().relative_to(ROOT))
        contexts = data.contexts_by_lineno(measured)
        # A line run outside every test (at import) maps to no test: `_tests_for` then asks the
        # modules that import it.
        lines[rel] = {
            n: sorted({c.rsplit("|", 1)[0] for c in cs if c}) for n, cs in contexts.items()
        }
    return TestMap(lines, durations)


def load_map(jobs: int, remap: bool, tests: Sequence[str] = ()) -> TestMap:
    """The map of the suite, or of only the `tests` paths (fewer tests a mutant, so a score no
    higher than the whole suite's), cached until a source, a test or the paths change."""
    key = digest(project_sources()) + "".join(f" {t}" for t in tests)
    cached = STATE / "map.json"
    if not remap and cached.exists():
        stored = json.loads(cached.read_text())
        if stored["key"] == key:
            lines = {f: {int(n): ts for n, ts in ls.items()} for f, ls in stored["lines"].items()}
            return TestMap(lines, stored["durations"])
    tmap = build_map(jobs, tests)
    cached.write_text(json.dumps({"key": key, "lines": tmap.lines, "durations": tmap.durations}))
    return tmap


# -- 2. the mutants ------------------------------------------------------------------------------


def statement_lines(code: str) -> dict[int, tuple[int, int, int]]:
    """Each line of the module -> (first line of the innermost statement holding it inside a
    function, the line coverage records, or 0 at module level; that statement's first and last
    line)."""
    owner: dict[int, tuple[int, int, int]] = {}

    def visit(body: Sequence[ast.stmt], in_function: bool) -> None:
        for stmt in body:
            end = stmt.end_lineno or stmt.lineno
            for n in range(stmt.lineno, end + 1):
                owner[n] = (stmt.lineno if in_function else 0, stmt.lineno, end)
            inner = in_function or isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
            for name in ("body", "orelse", "finalbody"):
                block = getattr(stmt, name, None)
                if isinstance(block, list):
                    visit([s for s in block if isinstance(s, ast.stmt)], inner)
            for handler in getattr(stmt, "handlers", []):
                visit(handler.body, inner)
            for case in getattr(stmt, "cases", []):
                visit(case.body, inner)

    visit(ast.parse(code).body, False)
    return owner


def mutants_of(path: str) -> Iterator[Mutant]:
    """Each mutant of the module: the original source with one node's text replaced by its
    mutation's (spliced at the node's position: mutmut's deep_replace re-renders the whole module
    for each mutant, minutes for the config reader)."""
    from libcst.metadata import MetadataWrapper, WhitespaceInclusivePositionProvider
    from mutmut.mutation.file_mutation import create_mutations

    code = (ROOT / path).read_text()
    module, mutations, _classes, _functions = create_mutations(path, code)
    assert module.code == code
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(
        WhitespaceInclusivePositionProvider
    )
    original = code.splitlines()
    offsets = [0]
    for text in code.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(text))
    owners = statement_lines(code)
    for index, mutation in enumerate(mutations):
        where = positions[mutation.original_node]
        start = offsets[where.start.line - 1] + where.start.column
        end = offsets[where.end.line - 1] + where.end.column
        source = code[:start] + module.code_for_node(mutation.mutated_node) + code[end:]
        line = where.start.line
        statement_line, first, last = owners.get(line, (0, line, line))
        yield Mutant(
            path=path,
            index=index,
            line=line,
            statement_line=statement_line,
            statement="\n".join(original[first - 1 : last]),
            before=module.code_for_node(mutation.original_node),
            after=module.code_for_node(mutation.mutated_node),
            source=source,
        )


# -- 3. running the mutants ---------------------------------------------------------------------

# Test files that run whole stacks through the offline engine (previews, the pack over gRPC, the
# CLI, verify against moto): seconds a test, so minutes for a surviving mutant. They check through
# the engine what the fast tests check directly; a mutant only they would catch is counted as a
# survivor, a gap in the fast tests. Reviewed with the durations in .mutation/map.json. The
# README's commands run in subprocesses, which import the module from disk: no mutant reaches them.
ENGINE_TESTS = frozenset({
    "tests/test_readme_commands.py", "tests/test_preview_diff.py", "tests/test_examples.py",
    "tests/test_alerting_components.py", "tests/test_diagram.py",
    "tests/test_log_integrity_stacks.py", "tests/test_offline_cli.py",
    "tests/test_pack_on_minimal_stacks.py", "tests/test_stack_policies.py", "tests/test_stacks.py",
    "tests/test_urns_kept.py", "tests/test_verify.py",
    "tests/policies/test_integrity_shapes.py", "tests/policies/test_pack_config_and_isolation.py",
    "tests/policies/test_policy_rules.py", "tests/policies/test_preview_unknowns.py",
})  # fmt: skip


@dataclass
class Outcome:
    index: int
    status: str  # killed | timeout | survived | untested
    seconds: float


@dataclass
class Job:
    path: str
    mutants: list[Mutant]
    tests: dict[int, list[str]]  # mutant index -> node ids, fastest first
    outcomes: list[Outcome]
    clean: bool = True


def _child(job: Job, mutant: Mutant | None, items: list[Any], timeout: float) -> None:
    """In the forked child: graft the mutant, run the items, exit 1 at the first failure."""
    from _pytest.runner import runtestprotocol
    from mutation_patch import apply

    signal.alarm(int(timeout) + 1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    if mutant is not None:
        try:
            apply(module_name(job.path), ROOT / job.path, mutant.source, ROOT)
        except BaseException:
            os._exit(1)  # the mutant does not import: every test of it fails
    for n, item in enumerate(items):
        following = items[n + 1] if n + 1 < len(items) else None
        reports = runtestprotocol(item, nextitem=following, log=False)
        if any(r.failed for r in reports):
            os._exit(1)
    os._exit(0)


class Runner:
    """A pytest plugin: after collecting every test once, it runs the mutants, not the tests."""

    def __init__(self, jobs: list[Job], workers: int, durations: dict[str, float],
                 done: Callable[[Job, float], None]) -> None:  # fmt: skip
        self.jobs, self.workers, self.durations, self.done = jobs, workers, durations, done

    def pytest_runtestloop(self, session: Any) -> bool:
        from mutation_patch import prepare

        prepare(ROOT)
        by_id = {item.nodeid: item for item in session.items}
        for job in self.jobs:
            queue: list[tuple[Mutant | None, list[str]]] = [
                (None, sorted({t for ts in job.tests.values() for t in ts},
                              key=lambda t: self.durations.get(t, 1.0))),
                *((m, job.tests[m.index]) for m in job.mutants),
            ]  # fmt: skip
            running: dict[int, tuple[Mutant | None, float]] = {}
            started_job = time.monotonic()
            while queue or running:
                while queue and len(running) < self.workers and (job.clean or not running):
                    mutant, tests = queue.pop(0)
                    items = [by_id[t] for t in tests if t in by_id]
                    if not items:
                        if mutant is not None:
                            job.outcomes.append(Outcome(mutant.index, "untested", 0.0))
                        continue
                    expected = sum(self.durations.get(t, 1.0) for t in tests)
                    # The unmutated run decides whether the module is measured at all: measured
                    # durations leave out collection and fixture set-up, so it gets more room.
                    timeout = max(TIMEOUT_FLOOR_S, (5 if mutant else 20) * expected)
                    pid = os.fork()
                    if pid == 0:
                        try:
                            _child(job, mutant, items, timeout)
                        finally:
                            os._exit(3)
                    running[pid] = (mutant, time.monotonic())
                    if mutant is None:
                        break  # the unmutated run first, alone
                if not running:
                    continue
                pid, status = os.wait()
                mutant, started = running.pop(pid)
                if os.WIFSIGNALED(status):
                    alarm = os.WTERMSIG(status) == signal.SIGALRM
                    result = "timeout" if alarm else "killed"
                else:
                    result = "survived" if os.WEXITSTATUS(status) == 0 else "killed"
                if mutant is None:
                    job.clean = result == "survived"
                    if not job.clean:
                        queue.clear()
                    continue
                seconds = time.monotonic() - started
                job.outcomes.append(Outcome(mutant.index, result, seconds))
                with (STATE / "progress.log").open("a") as log:
                    log.write(f"{job.path}:{mutant.line} #{mutant.index} {result} {seconds:.1f}s "
                              f"{len(job.tests[mutant.index])} tests\n")  # fmt: skip
                if len(job.outcomes) % 100 == 0:
                    print(f"mutation: {job.path}: {len(job.outcomes)}/{len(job.mutants)} "
                          f"({time.monotonic() - started_job:.0f} s)", file=sys.__stderr__,
                          flush=True)  # fmt: skip
            self.done(job, time.monotonic() - started_job)
        return True


def run_jobs(
    jobs: list[Job], workers: int, durations: dict[str, float], done: Callable[[Job, float], None]
) -> None:
    """One pytest session collects every test the jobs need, then runs the mutants; `done` is
    called as each module is finished."""
    import pytest

    files = sorted({t.split("::")[0] for job in jobs for ts in job.tests.values() for t in ts})
    os.chdir(ROOT)
    pytest.main(["-q", "-s", "-p", "no:cacheprovider", "-p", "no:xdist", "-o", "addopts=",
                 "--no-header", "-W", "ignore", *files],
                plugins=[Runner(jobs, workers, durations, done)])  # fmt: skip


def confirm(path: str, mutant: Mutant, tests: list[str]) -> bool:
    """Whether the mutant survives `tests` in a fresh interpreter that imports it as a module."""
    STATE.mkdir(exist_ok=True)
    source = STATE / f"confirm-{os.getpid()}-{mutant.index}.py"
    source.write_text(mutant.source)
    try:
        done = subprocess.run(
            [sys.executable, str(Path(__file__)), "--fresh", path, str(source), *tests],
            cwd=ROOT, capture_output=True, check=False, timeout=600,
        )
    except subprocess.TimeoutExpired:
        return False
    finally:
        source.unlink()
    return done.returncode == 0


class _MutatedSource(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves the mutated source under the module's own name and file (for --fresh)."""

    def __init__(self, name: str, path: Path, source: str) -> None:
        self.name, self.path, self.source = name, path, source

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != self.name:
            return None
        package = self.path.name == "__init__.py"
        spec = importlib.util.spec_from_loader(fullname, self, origin=str(self.path),
                                               is_package=package)  # fmt: skip
        if spec is not None and package:  # its submodules are found beside it
            spec.submodule_search_locations = [str(self.path.parent)]
        return spec

    def create_module(self, spec: Any) -> None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        module.__file__ = str(self.path)
        exec(compile(self.source, str(self.path), "exec"), module.__dict__)


def fresh(path: str, source_file: str, tests: list[str]) -> int:
    import pytest

    sys.meta_path.insert(0, _MutatedSource(module_name(path), ROOT / path,
                                           Path(source_file).read_text()))  # fmt: skip
    return int(pytest.main(["-x", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                            "-o", "addopts=", *tests]))  # fmt: skip


# -- 4. results ----------------------------------------------------------------------------------


@dataclass
class ModuleResult:
    """A module's measurement. Survivors are kept whole; which of them are equivalent is decided
    when the report is written, so a reviewed kind applies without measuring again."""

    path: str
    key: str
    mutants: int
    killed: int
    survived: list[dict[str, Any]]  # line, before, after, statement, status
    seconds: float
    sample: int = 1  # 1 in `sample` of the module's mutants was measured (--sample)
    budget: float = 0.0  # seconds of tests per mutant, fastest first (--budget); 0: all
    map_tests: list[str] = field(default_factory=list)  # the tests mapped (--map-tests); []: all
    timeouts: int = 0  # of the killed: stopped by the time limit (a hang, or a loaded machine)

    def classified(self) -> tuple[list[dict[str, Any]], dict[str, int]]:
        """(survivors that are not equivalent, equivalent ones counted by kind)."""
        survivors: list[dict[str, Any]] = []
        equivalent: dict[str, int] = {}
        for s in self.survived:
            mutant = Mutant(self.path, -1, s["line"], 0, s["before"], s["after"], "",
                            s.get("statement", ""))  # fmt: skip
            if kind := equivalent_kind(mutant):
                equivalent[kind] = equivalent.get(kind, 0) + 1
            else:
                survivors.append(s)
        return survivors, equivalent

    @property
    def score(self) -> float:
        _survivors, equivalent = self.classified()
        judged = self.mutants - sum(equivalent.values())
        return 100.0 * self.killed / judged if judged else 100.0


def within(tests: list[str], durations: dict[str, float], budget: float) -> list[str]:
    """The fastest tests (`tests` is fastest first) whose measured durations fit the budget, at
    least one; all of them without a budget."""
    if not budget:
        return tests
    kept, spent = [], 0.0
    for test in tests:
        spent += durations.get(test, 1.0)
        if kept and spent > budget:
            break
        kept.append(test)
    return kept


def result_of(
    job: Job, confirm_survivors: bool, seconds: float, sample: int = 1, budget: float = 0.0
) -> ModuleResult:
    by_index = {m.index: m for m in job.mutants}
    killed = 0
    survived: list[dict[str, Any]] = []
    for outcome in sorted(job.outcomes, key=lambda o: o.index):
        mutant = by_index[outcome.index]
        if (outcome.status == "survived" and confirm_survivors
                and not confirm(job.path, mutant, job.tests[mutant.index])):  # fmt: skip
            outcome.status = "killed"
        if outcome.status in ("killed", "timeout"):
            killed += 1
        else:
            survived.append({"line": mutant.line, "before": mutant.before, "after": mutant.after,
                             "statement": mutant.statement, "status": outcome.status})  # fmt: skip
    timeouts = sum(o.status == "timeout" for o in job.outcomes)
    return ModuleResult(job.path, digest([ROOT / job.path]), len(job.mutants), killed, survived,
                        seconds, sample, budget, timeouts=timeouts)  # fmt: skip


def recheck(path: str, tests: list[str], jobs: int) -> None:
    """Run the module's stored survivors against `tests`; count the ones they kill."""
    from concurrent.futures import ThreadPoolExecutor

    stored = STATE / "results" / f"{path.replace('/', '__')}.json"
    result = ModuleResult(**json.loads(stored.read_text()))
    if result.key != digest([ROOT / path]):
        raise SystemExit(f"mutation: {path} changed since it was measured; measure it again")
    by_text = {(m.line, m.before, m.after): m for m in mutants_of(path)}
    survivors = [by_text[(s["line"], s["before"], s["after"])] for s in result.survived]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        alive = list(pool.map(lambda m: confirm(path, m, tests), survivors))
    result.survived = [s for s, a in zip(result.survived, alive, strict=True) if a]
    result.killed += alive.count(False)
    stored.write_text(json.dumps(asdict(result)))
    print(f"mutation: {path}: {alive.count(False)} of {len(survivors)} survivors killed by "
          f"{' '.join(tests)}", file=sys.__stderr__, flush=True)  # fmt: skip


def stored_results() -> list[ModuleResult]:
    out = []
    for f in sorted((STATE / "results").glob("*.json")):
        data = json.loads(f.read_text())
        if (ROOT / data["path"]).exists():
            out.append(ModuleResult(**data))
    order = {p: i for i, p in enumerate(TARGETS)}
    return sorted(out, key=lambda r: (order.get(r.path, len(order)), r.path))


def short(text: str, limit: int = 70) -> str:
    one = " ".join(text.split()).replace("|", "\\|")
    return one if len(one) <= limit else one[: limit - 1] + "…"


def write_doc(results: list[ModuleResult]) -> None:
    total = sum(r.seconds for r in results)
    lines = [
        "# Mutation score",
        "",
        "Generated by `bash scripts/mutation.sh` (scripts/mutation.py; do not edit). Each mutant "
        "of mutmut's operators runs against the tests that execute its statement; a mutant is "
        "killed when one of them fails (or hangs). Equivalent: a survivor of a kind that cannot "
        "change what AWS or the user sees (below); score = killed / (mutants - equivalent). "
        "\"1 in N\": every Nth mutant was measured, an estimate; \"S s of tests\": each mutant ran "
        "the fastest of its tests up to S seconds of their measured durations, so a mutant only "
        "slower tests would catch counts as a survivor (scores are lower bounds); \"an earlier "
        "version\": the module changed since it was measured.",
        "",
        f"Run time: {total / 60:.1f} min of wall clock on {os.cpu_count()} cores "
        f"({len(results)} modules, {sum(r.mutants for r in results)} mutants).",
        "",
        "| module | mutants | killed | survivors | equivalent | score | run time |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    classified = {r.path: r.classified() for r in results}
    for r in results:
        survivors, equivalent = classified[r.path]
        eq = sum(equivalent.values())
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(equivalent.items()))
        sampled = f" (1 in {r.sample})" if r.sample > 1 else ""
        sampled += " (an earlier version)" if r.key != digest([ROOT / r.path]) else ""
        sampled += f" (tests: {', '.join(r.map_tests)})" if r.map_tests else ""
        sampled += f" ({r.timeouts} killed by the time limit)" if r.timeouts else ""
        sampled += f" ({r.budget:g} s of tests)" if r.budget else ""
        lines.append(
            f"| `{r.path}` | {r.mutants}{sampled} | {r.killed} | {len(survivors)} | "
            f"{eq}{f' ({kinds})' if kinds else ''} | {r.score:.1f}% | {r.seconds:.0f} s |"
        )
    killed = sum(r.killed for r in results)
    missing = [t for t in TARGETS if t not in classified]
    all_equivalent = sum(sum(e.values()) for _s, e in classified.values())
    judged = sum(r.mutants for r in results) - all_equivalent
    lines += [
        f"| **all** | {sum(r.mutants for r in results)} | {killed} | "
        f"{sum(len(s) for s, _e in classified.values())} | {all_equivalent} | "
        f"{100.0 * killed / judged if judged else 100.0:.1f}% | {total:.0f} s |",
        "",
        *([f"Not measured yet: {', '.join(f'`{t}`' for t in missing)}.", ""] if missing else []),
        "## Equivalent mutants: the reviewed kinds",
        "",
        "| kind | why it cannot change behaviour |",
        "|---|---|",
        *(f"| {e.kind} | {e.reason} |" for e in EQUIVALENTS),
        "",
        "## Survivors",
        "",
    ]
    any_survivor = False
    for r in results:
        survivors = classified[r.path][0]
        for s in survivors[:SURVIVORS_SHOWN]:
            any_survivor = True
            lines.append(
                f"- `{r.path}:{s['line']}` `{short(s['before'])}` → `{short(s['after'])}`"
                + (" (no test executes it)" if s["status"] == "untested" else "")
            )
        if len(survivors) > SURVIVORS_SHOWN:
            more = len(survivors) - SURVIVORS_SHOWN
            lines.append(f"- `{r.path}`: {more} more (all in .mutation/results/)")
    if not any_survivor:
        lines.append("None.")
    DOC.write_text("\n".join(lines) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", help="source paths (default: every target)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--remap", action="store_true", help="rebuild the test map")
    parser.add_argument("--confirm", action="store_true",
                        help="re-run each survivor in a fresh interpreter")
    parser.add_argument("--report", action="store_true",
                        help="only rewrite docs/mutation.md from the stored results")
    parser.add_argument("--map-tests", nargs="+", default=[],
                        help="map only these test paths (a lower bound, faster)")
    parser.add_argument("--budget", type=float, default=0.0,
                        help="run each mutant's tests, fastest first, up to this many seconds of "
                             "their measured durations (0: all)")
    parser.add_argument("--sample", type=int, default=1,
                        help="measure every Nth mutant of each module (an estimate)")
    parser.add_argument("--recheck", action="store_true",
                        help="run the MODULEs' stored survivors against --tests")
    parser.add_argument("--tests", nargs="+", default=[], help="with --recheck: the tests")
    parser.add_argument("--fresh", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.fresh:
        return fresh(args.fresh[0], args.fresh[1], args.fresh[2:])
    if args.recheck:
        for module in args.modules:
            recheck(str(Path(module).resolve().relative_to(ROOT)), args.tests, args.jobs)
        write_doc(stored_results())
        return 0
    if args.report:
        write_doc(stored_results())
        return 0
    paths = [str(Path(m).resolve().relative_to(ROOT)) for m in args.modules] or list(TARGETS)
    tmap = load_map(args.jobs, args.remap, args.map_tests)
    jobs = []
    for path in paths:
        mutants = [m for m in mutants_of(path) if m.index % args.sample == 0]
        tests = {m.index: within(tmap.tests_for(path, m.statement_line), tmap.durations,
                                 args.budget) for m in mutants}  # fmt: skip
        jobs.append(Job(path, mutants, tests, []))
    (STATE / "results").mkdir(parents=True, exist_ok=True)

    def done(job: Job, seconds: float) -> None:
        if not job.clean:
            print(f"mutation: {job.path}'s tests fail (or time out) without mutants",
                  file=sys.__stderr__)  # fmt: skip
            return
        result = result_of(job, args.confirm, seconds, args.sample, args.budget)
        result.map_tests = list(args.map_tests)
        name = job.path.replace("/", "__")
        (STATE / "results" / f"{name}.json").write_text(json.dumps(asdict(result)))
        write_doc(stored_results())
        survivors, equivalent = result.classified()
        print(f"mutation: {job.path}: {result.mutants} mutants, {result.killed} killed, "
              f"{len(survivors)} survivors, {sum(equivalent.values())} equivalent, "
              f"{result.score:.1f}% in {seconds:.0f} s", file=sys.__stderr__,
              flush=True)  # fmt: skip

    started = time.monotonic()
    run_jobs(jobs, args.jobs, tmap.durations, done)
    print(f"mutation: {sum(len(j.mutants) for j in jobs)} mutants in "
          f"{time.monotonic() - started:.0f} s", flush=True)  # fmt: skip
    if not all(job.clean for job in jobs):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
