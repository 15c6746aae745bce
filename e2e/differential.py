"""The offline preview and the real engine, side by side on the same stack.

`offline_view` runs the user's offline command (`python -m offline preview <stack> --json`, what
`scripts/preview.sh --json` prints) and `engine_view` reads what the engine reported for the same
preview (its events: the steps with their inputs, the stack's outputs, the policy violations,
and the config it handed the program). `compare` lists every disagreement, one line each.

Both sides are put into one form first:
- a value unknown during the preview is `output<string>` (the offline document's spelling; the
  engine's events carry the sentinel 04da6b54-80e4-46f7-96ec-b56ff0331ba9);
- an id a provider makes up at creation (a KMS key's UUID) is `<generated-id>`: the mocks and the
  stand-in provider each invent their own, so only the shape is comparable;
- resources only the engine has are expected and named: the stack itself (the offline document
  counts it but does not list it) and the default provider (`pulumi:providers:aws`, which the
  SDK's mocks never register). Any other resource on one side only is a disagreement.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi.automation import events

from e2e.aws_provider import UNKNOWN
from e2e.engine import REPO, STACK_TYPE, Recorded
from offline.digest import EXTRAS

OFFLINE_UNKNOWN = "output<string>"  # offline/render.py display_value
GENERATED = "<generated-id>"
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PROVIDER_PREFIX = "pulumi:providers:"
# What only the engine registers: the stack, the default aws provider, and the builtin `pulumi`
# provider a stack reference read goes through (pkg/resource/deploy/builtins.go).
ENGINE_ONLY_TYPES = frozenset({STACK_TYPE, "pulumi:providers:aws", "pulumi:providers:pulumi"})


def normalize(value: Any) -> Any:
    """One spelling for unknowns and made-up ids, on both sides."""
    if isinstance(value, str):
        if value in (UNKNOWN, OFFLINE_UNKNOWN):
            return OFFLINE_UNKNOWN
        return _UUID.sub(GENERATED, value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, Mapping):
        return {k: normalize(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class ResourceView:
    type: str
    parent: str
    protect: bool
    retain_on_delete: bool
    inputs: dict[str, Any]


@dataclass(frozen=True)
class Verdict:
    policy: str
    urn: str  # "" for a stack policy
    level: str
    message: str


@dataclass
class View:
    """One preview of one stack, in the common form."""

    resources: dict[str, ResourceView]
    outputs: dict[str, Any]
    verdicts: set[Verdict]
    resource_count: int  # what the preview would create, the stack included
    config: dict[str, str] = field(default_factory=dict)
    engine_only: dict[str, str] = field(default_factory=dict)  # urn -> type (stack, providers)
    document: dict[str, Any] = field(default_factory=dict)  # the offline JSON document


class OfflineRunError(RuntimeError):
    pass


def offline_view(project_dir: Path, stack: str, policy_config: Path | None,
                 extra: Sequence[str] = ()) -> View:
    """`python -m offline preview <stack> --json` in `project_dir`, with the pack enforced (and
    `extra` arguments, e.g. `--diff STATE`)."""
    command = [str(REPO / "venv" / "bin" / "python"), "-m", "offline", "preview", stack, "--json",
               "--project-dir", str(project_dir), *extra]
    if policy_config is not None:
        command += ["--policy-config", str(policy_config)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    try:
        document = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise OfflineRunError(
            f"offline preview of {stack} failed (exit {done.returncode}):\n{done.stderr}"
        ) from None
    return _offline_document_view(document)


def _offline_document_view(digest: Mapping[str, Any]) -> View:
    """The offline side, from the extras of its `pulumi preview --json`-shaped document."""
    document = digest[EXTRAS]
    resources = {
        r["urn"]: ResourceView(
            type=r["type"], parent=r["parent"], protect=bool(r["protect"]),
            retain_on_delete=bool(r["retainOnDelete"]), inputs=normalize(r["inputs"]),
        )
        for r in document["resources"] if not r["read"]
    }
    verdicts = {
        Verdict(v["policyName"], v["urn"], v["enforcementLevel"], v["message"].strip())
        for v in document.get("policies", {}).get("violations", [])
    }
    return View(resources=resources, outputs=normalize(document["outputs"]), verdicts=verdicts,
                resource_count=int(document["resourceCount"]), document=dict(digest))


def policy_descriptions(digest: Mapping[str, Any]) -> dict[str, str]:
    """Each violated policy's description, from an offline document."""
    return {v["policyName"]: v["description"]
            for v in digest[EXTRAS].get("policies", {}).get("violations", [])}


def _detail(event: events.PolicyEvent, description: str) -> str:
    """The violation's own message: what pulumi-policy sends starts with the policy's
    description, which the offline document keeps apart."""
    message = event.message.strip()
    if description and message.startswith(description + "\n"):
        message = message[len(description) + 1:]
    return message.strip()


def engine_view(recorded: Recorded, descriptions: Mapping[str, str]) -> View:
    """The engine's preview: each step's new state, the stack's outputs, the violations."""
    resources: dict[str, ResourceView] = {}
    engine_only: dict[str, str] = {}
    for urn, step in recorded.steps.items():
        state = step.new
        if state is None:
            continue
        if state.type == STACK_TYPE or state.type.startswith(PROVIDER_PREFIX):
            engine_only[urn] = state.type
            continue
        resources[urn] = ResourceView(
            type=state.type, parent=state.parent or "", protect=bool(state.protect),
            retain_on_delete=bool(state.retain_on_delete),
            inputs=normalize(dict(state.inputs or {})),
        )
    verdicts = {
        Verdict(p.policy_name, p.resource_urn or "", p.enforcement_level,
                _detail(p, descriptions.get(p.policy_name, "")))
        for p in recorded.policy
    }
    return View(resources=resources, outputs=normalize(recorded.stack_outputs),
                verdicts=verdicts, resource_count=len(resources) + 1,
                config=dict(recorded.config), engine_only=engine_only)


def _value_diff(path: str, a: Any, b: Any) -> Iterable[str]:
    """The paths at which two JSON values differ, with both values (offline first)."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        for key in sorted(set(a) | set(b)):
            if key not in a:
                yield f"{path}.{key}: engine only ({json.dumps(b[key])[:200]})"
            elif key not in b:
                yield f"{path}.{key}: offline only ({json.dumps(a[key])[:200]})"
            else:
                yield from _value_diff(f"{path}.{key}", a[key], b[key])
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _value_diff(f"{path}[{index}]", x, y)
    elif a != b:
        yield f"{path}: offline {json.dumps(a)[:200]} != engine {json.dumps(b)[:200]}"


def compare(offline: View, engine: View) -> list[str]:
    """Every disagreement between the two views; empty when they agree."""
    problems: list[str] = []
    unexpected = {urn: t for urn, t in engine.engine_only.items()
                  if t not in ENGINE_ONLY_TYPES}
    problems += [f"{urn}: engine-only resource of an unexpected type {t}"
                 for urn, t in unexpected.items()]
    for urn in sorted(set(offline.resources) - set(engine.resources)):
        problems.append(f"{urn}: offline only")
    for urn in sorted(set(engine.resources) - set(offline.resources)):
        problems.append(f"{urn}: engine only")
    for urn in sorted(set(offline.resources) & set(engine.resources)):
        a, b = offline.resources[urn], engine.resources[urn]
        for name in ("type", "parent", "protect", "retain_on_delete"):
            if getattr(a, name) != getattr(b, name):
                problems.append(f"{urn}: {name}: offline {getattr(a, name)!r} != engine "
                                f"{getattr(b, name)!r}")
        problems += [f"{urn}: {line}" for line in _value_diff("inputs", a.inputs, b.inputs)]
    if offline.resource_count != engine.resource_count:
        problems.append(f"resource count: offline {offline.resource_count} != engine "
                        f"{engine.resource_count}")
    problems += list(_value_diff("outputs", offline.outputs, engine.outputs))
    for verdict in sorted(offline.verdicts - engine.verdicts, key=repr):
        problems.append(f"policy verdict offline only: {verdict}")
    for verdict in sorted(engine.verdicts - offline.verdicts, key=repr):
        problems.append(f"policy verdict engine only: {verdict}")
    return problems


def compare_config(offline: Mapping[str, str], engine: Mapping[str, str]) -> list[str]:
    """The config map the program receives: engine_model/stack_files.py's model against the engine's
    (the prelude event of the same preview)."""
    return [line.replace("config.", "config ", 1)
            for line in _value_diff("config", dict(offline), dict(engine))]


def compare_dependencies(offline_document: Mapping[str, Any], checkpoint: Mapping[str, Any]
                         ) -> list[str]:
    """Dependencies the program declared, as offline recorded them and as the engine stored them
    after `up` (the checkpoint's `dependencies` and `propertyDependencies`)."""
    problems: list[str] = []
    stored = {r["urn"]: r for r in checkpoint.get("resources", [])}
    for resource in offline_document[EXTRAS]["resources"]:
        urn = resource["urn"]
        if resource["read"] or urn not in stored:
            continue
        engine_deps = sorted(stored[urn].get("dependencies") or [])
        if sorted(resource["dependencies"]) != engine_deps:
            problems.append(f"{urn}: dependencies: offline {sorted(resource['dependencies'])} "
                            f"!= engine {engine_deps}")
        engine_props = {k: sorted(v) for k, v in
                        (stored[urn].get("propertyDependencies") or {}).items() if v}
        offline_props = {k: sorted(v) for k, v in resource["propertyDependencies"].items() if v}
        if offline_props != engine_props:
            problems.append(f"{urn}: propertyDependencies: offline {offline_props} != engine "
                            f"{engine_props}")
    return problems


# The engine's note that it runs a plugin found on the PATH: the e2e's stand-ins (e2e/bin).
STAND_IN_NOTE = re.compile(r"warning: using pulumi-[a-z-]+ from \$PATH at .*/e2e/bin/")
# What only the engine knows of a new state: the provider reference and id it assigns, and where
# in the program the resource was registered (the SDK's call stack).
ENGINE_ONLY_STATE = frozenset({"provider", "id", "sourcePosition", "stackTrace"})


def _steps(digest: Mapping[str, Any]) -> dict[tuple[str, str], Mapping[str, Any]]:
    return {(s["op"], s["urn"]): s for s in digest.get("steps", [])
            if not s["urn"].split("::")[2].startswith(PROVIDER_PREFIX)}


def compare_digest(offline: Mapping[str, Any], engine: Mapping[str, Any]) -> list[str]:
    """`python -m offline preview --json` against the CLI's `pulumi preview --json` of the same
    stack (pkg/display/json.go PreviewDigest): the same top-level fields (the offline extras
    aside), the same steps (op and URN; the default provider's aside, which only the engine
    registers), each step and state with the same fields, the same change summary and config.
    Values differ where the engine knows more (provider references, ids), so fields are compared
    by name, a state's inputs by value."""
    problems: list[str] = []
    # `diagnostics` is omitted when empty; its content is compared below.
    ours = {k for k in offline if k != EXTRAS} | {"diagnostics"}
    if ours != set(engine) | {"diagnostics"}:
        problems.append(f"digest fields: offline {sorted(ours)} != engine {sorted(engine)}")
    a, b = _steps(offline), _steps(engine)
    problems += [f"step offline only: {op} {urn}" for op, urn in sorted(set(a) - set(b))]
    problems += [f"step engine only: {op} {urn}" for op, urn in sorted(set(b) - set(a))]
    for key in sorted(set(a) & set(b)):
        mine, theirs = a[key], b[key]
        where = f"step {key[1]}"
        if set(mine) - {"provider"} != set(theirs) - {"provider"}:
            problems.append(f"{where}: fields offline {sorted(mine)} != engine {sorted(theirs)}")
        for state in ("oldState", "newState"):
            if state in mine and state in theirs:
                fields_a = set(mine[state]) - ENGINE_ONLY_STATE
                fields_b = set(theirs[state]) - ENGINE_ONLY_STATE
                if fields_a != fields_b:
                    problems.append(f"{where}: {state} fields offline {sorted(fields_a)} != "
                                    f"engine {sorted(fields_b)}")
                problems += list(_value_diff(f"{where}: {state}.inputs",
                                             normalize(mine[state].get("inputs", {})),
                                             normalize(theirs[state].get("inputs", {}))))
    if offline.get("changeSummary") != engine.get("changeSummary"):
        problems.append(f"changeSummary: offline {offline.get('changeSummary')} != engine "
                        f"{engine.get('changeSummary')}")
    problems += list(_value_diff("config", offline.get("config", {}), engine.get("config", {})))
    # Policy violations are diagnostics offline only (the CLI skips policy events here).
    said = [(d["severity"], d["message"]) for d in offline.get("diagnostics", [])
            if not d["message"].startswith(("[mandatory]", "[advisory]"))]
    heard = [(d["severity"], d["message"]) for d in engine.get("diagnostics", [])
             if not STAND_IN_NOTE.match(d["message"])]
    problems += [f"diagnostic offline only: {d}" for d in said if d not in heard]
    problems += [f"diagnostic engine only: {d}" for d in heard if d not in said]
    return problems
