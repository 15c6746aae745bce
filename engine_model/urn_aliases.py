"""Which old URN the engine would match each registered resource to, through its aliases.

A model of the engine's step generator (pulumi/pulumi v3.276.0,
pkg/resource/deploy/step_generator.go): `generateAliases` turns each alias spec into a URN
(`collapseAliasToUrn`: an unset name or type is the resource's own, an unset parent is its own
parent, a parent that itself matched through an alias stands for that alias, `noParent` or the
root stack means none) and multiplies in the parent's matched alias (`inheritedChildAlias`, with
the parent's name swapped in front of a child name that starts with it); `getOldResource` then
looks the resource up by its URN first, then by each alias. URNs are
`urn:pulumi:<stack>::<project>::<qualified type>::<name>` (sdk/go/common/resource/urn.go), a
child's type qualified by its parent's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from engine_model.model import CapturedResource

ROOT_STACK_TYPE = "pulumi:pulumi:Stack"


def _parts(urn: str) -> tuple[str, str, str]:
    """(prefix `urn:pulumi:<stack>::<project>`, qualified type, name)."""
    stack, project, qualified, name = urn.removeprefix("urn:pulumi:").split("::", 3)
    return f"urn:pulumi:{stack}::{project}", qualified, name


def _create(prefix: str, name: str, type_: str, parent: str | None) -> str:
    if parent and _parts(parent)[1] != ROOT_STACK_TYPE:
        type_ = f"{_parts(parent)[1]}${type_}"
    return f"{prefix}::{type_}::{name}"


def _collapse(res: CapturedResource, spec: Mapping[str, object], matched: Mapping[str, str]) -> str:
    prefix, _qualified, name = _parts(res.urn)
    parent = str(spec.get("parentUrn") or res.parent or "")
    if spec.get("parentUrn"):
        parent = matched.get(parent, parent)
    if spec.get("noParent"):
        parent = ""
    return _create(
        prefix, str(spec.get("name") or name), str(spec.get("type") or res.type), parent or None
    )


def _inherited(res: CapturedResource, name: str, type_: str, parent_alias: str) -> str:
    prefix = _parts(res.urn)[0]
    parent_name = _parts(res.parent)[2]
    alias_name = name
    if name.startswith(parent_name):
        alias_name = _parts(parent_alias)[2] + name[len(parent_name) :]
    return f"{prefix}::{_parts(parent_alias)[1]}${type_}::{alias_name}"


def aliases(res: CapturedResource, matched: Mapping[str, str]) -> list[str]:
    """The alias URNs of `res` (generateAliases), given the old URNs its ancestors matched."""
    found: list[str] = []
    for alias in res.aliases:
        if "urn" in alias:
            found.append(str(alias["urn"]))
        else:
            found.append(_collapse(res, alias.get("spec", {}), matched))
    parent_alias = matched.get(res.parent) if res.parent else None
    if parent_alias is not None:
        name = _parts(res.urn)[2]
        found.append(_inherited(res, name, res.type, parent_alias))
        for urn in list(found[: len(res.aliases)]):
            _prefix, qualified, alias_name = _parts(urn)
            found.append(_inherited(res, alias_name, qualified.rsplit("$", 1)[-1], parent_alias))
    return list(dict.fromkeys(found))


def match_old(resources: Iterable[CapturedResource], old: set[str]) -> dict[str, str | None]:
    """URN -> the old URN the engine would match it to (its own, or an alias), None if none."""
    by_urn = {r.urn: r for r in resources}
    matched: dict[str, str] = {}  # new URN -> old URN, when found through an alias
    result: dict[str, str | None] = {}

    def visit(res: CapturedResource) -> None:
        if res.urn in result:
            return
        if res.parent in by_urn:
            visit(by_urn[res.parent])
        if res.urn in old:
            result[res.urn] = res.urn
            return
        hit = next((a for a in aliases(res, matched) if a in old), None)
        if hit is not None:
            matched[res.urn] = hit
        result[res.urn] = hit

    for res in by_urn.values():
        visit(res)
    return result
