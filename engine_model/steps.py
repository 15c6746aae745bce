"""The steps the engine would take from a deployed state to a preview's registrations.

A model of the step generator (pulumi/pulumi v3.276.0, pkg/resource/deploy/step_generator.go):
each registered resource is matched to its old state by URN or by one of its aliases
(`getOldResource`, engine_model/urn_aliases.py); none is a `create`; inputs that differ are an
`update`, or a `replace` when one of them forces replacement (the provider's `replaceKeys`,
engine_model/replace_keys.py); no difference is `same`. Every old resource nothing registered is
a `delete` (`GenerateDeletes`), the root stack and provider resources aside (the engine registers
those itself). Replacing or deleting a protected resource is refused ("unable to replace
resource ... as it is currently marked for protection", "resource ... cannot be deleted because
it is protected"): here an `error` on the step.

Inputs are compared as the engine compares them when a provider reports no diff of its own
(`oldInputs.Diff(newInputs)`, sdk/go/common/resource/properties_diff.go): per property, an added,
deleted or changed value; a value unknown in the preview counts as changed. Secrets stored as
ciphertext cannot be read offline and are taken as unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine_model.model import SECRET_SIG, UNKNOWN, CapturedResource
from engine_model.replace_keys import replace_keys
from engine_model.state import PROVIDER_PREFIX, STACK_TYPE, DeployedState, StateResource
from engine_model.urn_aliases import match_old

CREATE, SAME, UPDATE, REPLACE, DELETE, READ = (
    "create", "same", "update", "replace", "delete", "read")  # fmt: skip


@dataclass(frozen=True)
class PropertyDiff:
    """One changed property path (display.PropertyDiff): add, delete or update, `-replace`
    when it forces a replacement."""

    kind: str
    input_diff: bool = True


@dataclass(frozen=True)
class Step:
    """What the engine would do with one resource."""

    op: str
    urn: str
    type: str
    old: StateResource | None = None
    new: CapturedResource | None = None
    diff_reasons: tuple[str, ...] = ()
    replace_reasons: tuple[str, ...] = ()
    detailed_diff: dict[str, PropertyDiff] = field(default_factory=dict)
    error: str = ""
    """Why the engine would refuse this step (a protected resource replaced or deleted)."""


def _comparable(value: Any) -> Any:
    """A secret compares as one opaque value: offline, ciphertext cannot be read."""
    if isinstance(value, dict):
        if SECRET_SIG in value:
            return {SECRET_SIG: "secret"}
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return value


def _paths(old: Any, new: Any, path: str) -> Iterator[tuple[str, str]]:
    """(property path, add/delete/update) for each difference, as deep as both are objects or
    lists of the same length (resource.PropertyPath syntax: `a.b`, `a[0]`)."""
    if old == new:
        return
    if new == UNKNOWN:
        yield path, "update"
    elif isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            sub = f"{path}.{key}" if path else key
            if key not in old:
                yield sub, "add"
            elif key not in new:
                yield sub, "delete"
            else:
                yield from _paths(old[key], new[key], sub)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from _paths(a, b, f"{path}[{index}]")
    else:
        yield path, "update"


def diff_inputs(
    type_: str, old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, PropertyDiff]]:
    """(changed properties, those that force replacement, the detailed diff by path)."""
    before, after = _comparable(dict(old)), _comparable(dict(new))
    changed = tuple(sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k)))
    forcing = replace_keys(type_) if changed else frozenset()
    replace = tuple(k for k in changed if k in forcing)
    detailed: dict[str, PropertyDiff] = {}
    for key in changed:
        suffix = "-replace" if key in forcing else ""
        if key not in before:
            detailed[key] = PropertyDiff("add" + suffix)
        elif key not in after:
            detailed[key] = PropertyDiff("delete" + suffix)
        else:
            for path, kind in _paths(before[key], after[key], key):
                detailed[path] = PropertyDiff(kind + suffix)
    return changed, replace, detailed


def _engine_owned(resource: StateResource) -> bool:
    return resource.type == STACK_TYPE or resource.type.startswith(PROVIDER_PREFIX)


def generate_steps(resources: Iterable[CapturedResource], state: DeployedState) -> list[Step]:
    """Every step from `state` to the registered `resources`, in registration order, then the
    deletes in reverse state order (the engine deletes dependents first)."""
    registered = list(resources)
    matched = match_old(registered, set(state.resources))
    steps: list[Step] = []
    for res in registered:
        if res.read:
            steps.append(Step(READ, res.urn, res.type, new=res))
            continue
        old_urn = matched.get(res.urn)
        old = state.resources.get(old_urn) if old_urn else None
        if old is None:
            steps.append(Step(CREATE, res.urn, res.type, new=res))
            continue
        if not res.custom:
            steps.append(Step(SAME, res.urn, res.type, old=old, new=res))
            continue
        changed, replace, detailed = diff_inputs(res.type, old.inputs, res.inputs)
        op = REPLACE if replace else UPDATE if changed else SAME
        error = ""
        if op == REPLACE and old.protect:
            error = (f"{res.urn} would be replaced ({', '.join(replace)} changed), but it is "
                     "protected; the engine refuses to replace it")
        steps.append(Step(op, res.urn, res.type, old=old, new=res, diff_reasons=changed,
                          replace_reasons=replace, detailed_diff=detailed, error=error))
    kept = {urn for urn in matched.values() if urn}
    for old in reversed(list(state.resources.values())):
        if old.urn in kept or _engine_owned(old):
            continue
        error = (f"{old.urn} would be deleted, but it is protected; the engine refuses to "
                 "delete it" if old.protect else "")
        steps.append(Step(DELETE, old.urn, old.type, old=old, error=error))
    return steps


def change_summary(steps: Iterable[Step], *, stack_op: str) -> dict[str, int]:
    """Resources per operation, the root stack counted under `stack_op` (engine.ResourceChanges)."""
    counts: dict[str, int] = {stack_op: 1}
    for step in steps:
        counts[step.op] = counts.get(step.op, 0) + 1
    return counts
