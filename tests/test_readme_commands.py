"""Every command the README documents runs in a test: here, or in the test named beside it.

The commands are read from the README and the reference pages under docs/ it sends readers to
(their `sh` blocks, and inline commands that start with `bash scripts/`,
`venv/bin/python scripts/`, `venv/bin/python -m ` or `python3 scripts/`),
so a command added there without a test fails here. `RUN_HERE` commands run as a user types
them, from the project root; a STATE file a command names is the real engine's export in
tests/fixtures/state/, and the benchmarks run once (`--repeat 1`) on their smallest size.
`RUN_ELSEWHERE` names the test that runs a command (the real CLI's in the e2e tier), or why none
can here.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The README and the reference pages it sends readers to.
PAGES = ("README.md", "docs/configuration.md", "docs/costs.md", "docs/benchmarks.md")
README = "\n".join((ROOT / page).read_text() for page in PAGES)
STATES = ROOT / "tests" / "fixtures" / "state"
INLINE = re.compile(
    r"`((?:bash scripts/|venv/bin/python scripts/|venv/bin/python -m |python3 scripts/)[^`]+)`")

# command -> (extra arguments for a quick run, exit status, what stdout must hold)
RUN_HERE: dict[str, tuple[tuple[str, ...], int, str]] = {
    "bash scripts/preview.sh dev": ((), 0, "Previewing update (dev) offline"),
    "bash scripts/preview.sh security": ((), 0, "Previewing update (security) offline"),
    "bash scripts/preview.sh security --json": ((), 0, '"changeSummary"'),
    "bash scripts/preview.sh security --diff security.json": ((), 0, "    no changes"),
    "bash scripts/preview.sh dev --diff dev.json --diff security.json --json": (
        (), 0, '"same": 109'),
    "venv/bin/python scripts/costs.py": ((), 0, "Prices: AWS list prices"),
    "bash scripts/setup.sh && venv/bin/python scripts/benchmark.py": (
        ("--repeat", "1"), 0, "refused"),
    "venv/bin/python scripts/benchmark_pack.py": (
        ("--repeat", "1", "--sizes", "100"), 0, "| 100 |"),
    "venv/bin/python scripts/benchmark_diff.py": (("--repeat", "1"), 0, "the diff adds"),
    "bash scripts/diagrams.sh": ((), 0, ""),
    "bash scripts/deployer-policy.sh security": ((), 0, '"documents"'),
    "bash scripts/deployer-policy.sh dev --table": ((), 0, "cloudtrail:CreateTrail"),
}
E2E = "tests/e2e/test_lifecycle.py::"
RUN_ELSEWHERE: dict[str, str] = {
    "bash scripts/test.sh": ".ci/run (the suite this test belongs to)",
    "bash scripts/test.sh --fast": ".ci/run: scripts/test.sh's fast-tier step, which the flag "
                                   "runs without the whole-stack step",
    "bash scripts/e2e.sh": ".ci/run",
    "bash scripts/mutation.sh [MODULE ...]": (
        "not run: a measurement of minutes on every core (docs/mutation.md); its parts: "
        "tests/test_mutation_tool.py::"
        "test_each_mutant_is_one_change_of_a_module_that_still_parses, "
        "tests/test_mutation_tool.py::test_a_reviewed_kind_is_equivalent"),
    "bash scripts/measure_pulumi_build.sh": "not run: it builds the CLI in empty Go caches "
                                            "(minutes); scripts/e2e.sh builds it warm",
    "python3 scripts/lock.py": "scripts/setup.sh runs `lock.py --check` before every test run; "
                               "locking itself asks the package index",
    "venv/bin/python scripts/sync_contract.py": "tests/test_schema.py::"
                                                "test_generated_files_are_up_to_date",
    "venv/bin/python -m e2e.state_fixtures": "tests/e2e/test_state_fixtures.py::"
                                              "test_the_fixtures_are_what_the_engine_exports",
    "pulumi login": "not run: it signs in to Pulumi Cloud; the e2e tier uses a file backend",
    "pulumi install": "scripts/setup.sh installs the same locks into venv/ and policies/venv/",
    "pulumi stack init security": E2E + "test_01_stack_init",
    "pulumi stack init <stack>": "the form of `pulumi stack init security`: " + E2E
                                 + "test_01_stack_init (both shipped stacks)",
    "AWS_PROFILE=<stack> pulumi up --stack <stack>": "the form of `AWS_PROFILE=dev pulumi up "
                                                     "--stack dev`: " + E2E + "test_05_the_member_"
                                                     "reads_the_archive_through_a_stack_reference",
    "pulumi config set --path 'cloudtrail-logging:memberAccounts[1]' 333333333333 --type string "
    "--stack security": E2E + "test_07_one_more_member_changes_only_the_documents_it_should",
    "AWS_PROFILE=security pulumi up --stack security": E2E + "test_04_up_the_log_archive",
    "AWS_PROFILE=dev pulumi up --stack dev":
        E2E + "test_05_the_member_reads_the_archive_through_a_stack_reference",
    "(cd policies && pulumi install)": "scripts/setup.sh (policies/venv from its lock)",
    "pulumi preview --stack dev --policy-pack policies": E2E + "test_08_a_mandatory_violation_"
                                                         "stops_up",
    "pulumi preview --stack security --policy-pack policies --policy-pack-config "
    "policies/config/sse-s3.json": "tests/test_pack_on_minimal_stacks.py (the pack with "
                                   "policies/config/sse-s3.json)",
    "pulumi policy publish policies": "not run: it publishes to a Pulumi Cloud organization",
    "pulumi policy enable <your-org>/cloudtrail-logging-guardrails latest":
        "not run: it needs a Pulumi Cloud organization",
    "pulumi preview --stack dev --policy-pack policies --policy-pack-config "
    "policies/policy-config.example.json": "tests/e2e/test_differential.py::"
                                           "test_offline_and_engine_agree",
    "pulumi stack export --stack security > security.json": "e2e/state_fixtures.py "
                                                            "(tests/fixtures/state/)",
    "bash scripts/verify.sh security": "tests/test_verify.py (verify's main against moto)",
    "bash scripts/verify.sh dev --outputs dev.json": "tests/test_verify.py",
    "bash scripts/verify.sh security --json --silent-hours 6": "tests/test_verify.py",
    "bash scripts/preview.sh <stack>": "the form of `bash scripts/preview.sh dev` and "
                                       "`security`, run here; tests/test_adoption.py previews "
                                       "examples/adoption's import steps",
    "bash scripts/verify.sh security --probe": "tests/test_verify.py::"
                                               "test_probe_finds_its_notification_and_resets_the_alarm",
}


def documented() -> set[str]:
    """Every command of the pages' `sh` blocks (continuations joined, comments dropped) and
    every inline script command."""
    found: set[str] = set()
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            command = " ".join(line.split("#", 1)[0].split())
            if command:
                found.add(command)
    found |= {" ".join(m.split()) for m in INLINE.findall(README)}
    return found


def test_every_documented_command_is_run_somewhere() -> None:
    assert documented() == set(RUN_HERE) | set(RUN_ELSEWHERE)


def test_each_test_named_for_a_command_exists() -> None:
    for where in RUN_ELSEWHERE.values():
        for path, name in re.findall(r"(tests/[\w/]+\.py)::(\w+)", where):
            assert f"def {name}(" in (ROOT / path).read_text(), (path, name)


def _state_files(command: str, tmp: Path) -> str:
    """The STATE files a command names, as the real engine's exports (uncompressed, in tmp)."""
    for stack in ("security", "dev"):
        if f"{stack}.json" in command:
            target = tmp / f"{stack}.json"
            target.write_bytes(gzip.decompress((STATES / f"{stack}.json.gz").read_bytes()))
            command = command.replace(f"{stack}.json", str(target))
    return command


@pytest.mark.parametrize("command", sorted(RUN_HERE))
def test_the_readme_command_runs(command: str, tmp_path: Path) -> None:
    extra, status, expected = RUN_HERE[command]
    line = _state_files(command, tmp_path) + "".join(f" {a}" for a in extra)
    if command == "bash scripts/diagrams.sh":  # it rewrites docs/: compare, then restore
        before = {p: p.read_bytes() for p in (ROOT / "docs").rglob("*") if p.is_file()}
    done = subprocess.run(["bash", "-c", line], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == status, done.stderr[-2000:]
    assert expected in done.stdout, done.stdout[-2000:]
    assert "Traceback" not in done.stderr
    if command == "bash scripts/diagrams.sh":
        after = {p: p.read_bytes() for p in (ROOT / "docs").rglob("*") if p.is_file()}
        for path, text in before.items():
            path.write_bytes(text)
        assert after == before, "docs/ is not what scripts/diagrams.sh draws today"
    if "--json" in command:
        json.loads(done.stdout)
