"""The restructuring moved resources under components; deployed stacks keep every resource.

`tests/fixtures/shipped_urns_before_restructure.json` holds the URNs the shipped stacks had
before (commit 891041d); each one must be claimed by a resource now, by its URN or an alias the
engine would follow (`engine_model/urn_aliases.py`), so that `pulumi up` on a deployed stack
moves resources and replaces or deletes none.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re

import pytest

import components
from components.alert_component import AlertComponent
from components.component import Component
from engine_model.model import CapturedResource
from engine_model.program import preview_stack
from engine_model.urn_aliases import aliases, match_old
from tests.conftest import ROOT

BEFORE = json.loads((ROOT / "tests/fixtures/shipped_urns_before_restructure.json").read_text())
NEW_COMPONENTS = {"cloudtrail-logging:index:LogArchive"}
# Resources added since by new features (a new resource is created; nothing old is replaced): the
# tamper rules on roles, EventBridge, topics and leaving the organization, their targets, and the
# role forwarding them from the global events Region.
ADDED = re.compile(
    r"tamper-(roles|eventbridge|eventbridge-witness|topics|organization|keys|identity-providers)"
    r"-.*|tamper-forwarder.*"
)


@pytest.mark.parametrize("stack", ["security", "dev"])
def test_every_deployed_resource_is_claimed_by_its_urn_or_an_alias(stack: str) -> None:
    managed = [r for r in preview_stack(stack).resources if not r.read]
    matched = match_old(managed, set(BEFORE[stack]))
    claimed = [old for old in matched.values() if old is not None]
    assert sorted(claimed) == sorted(BEFORE[stack])  # each exactly once: nothing left behind
    new = [r for r in managed if matched[r.urn] is None and r.type not in NEW_COMPONENTS]
    assert [r.urn for r in new if not ADDED.fullmatch(r.name)] == []


def resource(
    urn: str, parent: str = "", alias: dict[str, object] | None = None
) -> CapturedResource:
    type_ = urn.split("::")[2].rsplit("$", 1)[-1]
    return CapturedResource(urn=urn, type=type_, name=urn.rsplit("::", 1)[1], custom=True,
                            parent=parent, aliases=(alias,) if alias else ())  # fmt: skip


def test_a_moved_component_carries_its_children_along() -> None:
    """The engine's inheritedChildAlias: a child's old URN follows its parent's alias."""
    new, bucket = "urn:pulumi:s::p::x:index:New", "aws:s3/bucket:Bucket"
    parent = resource(f"{new}$x:index:Old::box", f"{new}::n", {"spec": {"noParent": True}})
    child = resource(f"{new}$x:index:Old${bucket}::box-bucket", parent.urn)
    old_parent = "urn:pulumi:s::p::x:index:Old"
    old = {f"{old_parent}::box", f"{old_parent}${bucket}::box-bucket"}
    assert match_old([parent, child], old) == {
        parent.urn: "urn:pulumi:s::p::x:index:Old::box",
        child.urn: f"urn:pulumi:s::p::x:index:Old${bucket}::box-bucket",
    }
    # Without the parent's alias the child is a new resource, and the old one would be deleted.
    bare = resource(parent.urn, parent.parent)
    assert match_old([bare, child], old)[child.urn] is None


def test_an_explicit_parent_alias_names_the_old_parent() -> None:
    old_parent = "urn:pulumi:s::p::x:index:Replica::replica"
    role = resource("urn:pulumi:s::p::x:index:Role$aws:iam/role:Role::replica-role",
                    "urn:pulumi:s::p::x:index:Role::replica", {"spec": {"parentUrn": old_parent}})
    assert aliases(role, {}) == ["urn:pulumi:s::p::x:index:Replica$aws:iam/role:Role::replica-role"]


def test_every_component_class_writes_out_its_type() -> None:
    """A component's type is in its URN and its children's: each class names it, none inherits
    it from another component (components/component.py)."""
    found = {
        cls
        for info in pkgutil.iter_modules(components.__path__)
        for cls in vars(importlib.import_module(f"components.{info.name}")).values()
        if isinstance(cls, type) and issubclass(cls, Component)
    }
    concrete = found - {Component, AlertComponent}
    assert len(concrete) >= 15
    assert all("type_name" in vars(cls) for cls in concrete)
    assert all("type_name" not in vars(cls) for cls in (Component, AlertComponent))
