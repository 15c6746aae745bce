"""Adopting existing resources through the real engine: the stacks of examples/adoption, in an
account that already has the bucket, key, trails and log groups they name
(tests/e2e/fixtures/adoption/existing.json, which the stand-in provider answers imports from).

The steps run in file order and build on each other. The existing resources list only the
properties the program sets too: the real provider's Check fills in its schema defaults for the
rest (a key's usage and spec), the stand-in does not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from pulumi import automation as auto

from e2e.engine import REPO, Outcome, Sandbox, checkpoint, run, say

pytestmark = pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <coroutine object run_pulumi_func"
    ":pytest.PytestUnraisableExceptionWarning"
)

POLICIES = REPO / "policies"
EXAMPLE_CONFIG = REPO / "policies" / "policy-config.example.json"
EXAMPLE = REPO / "examples" / "adoption"
EXISTING = REPO / "tests" / "e2e" / "fixtures" / "adoption" / "existing.json"
ACCOUNTS = {"adopt-archive": "222222222222", "adopt-member": "111111111111"}
BUCKET = "acme-audit-logs-222222222222"
KEY_ID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
# What each stack adopts: URN name -> import id (examples/adoption's stack files).
ADOPTED = {
    "adopt-archive": {
        "log-archive-bucket": BUCKET,
        "log-archive-policy": BUCKET,
        "log-archive-encryption": BUCKET,
        "log-archive-versioning": BUCKET,
        "log-key-key": KEY_ID,
        "account-trail": "arn:aws:cloudtrail:us-east-1:222222222222:trail/acme-audit",
        "cloudwatch-log-group": "aws-cloudtrail-logs-222222222222-acme",
    },
    "adopt-member": {
        "account-trail": "arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-audit",
        "cloudwatch-log-group": "aws-cloudtrail-logs-111111111111-acme",
    },
}
REPLACING = {"replace", "create-replacement", "delete-replaced", "delete", "import-replacement"}


@dataclass
class World:
    box: Sandbox
    stacks: dict[str, auto.Stack] = field(default_factory=dict)
    broken: str = ""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("adoption")
    files = {name: EXAMPLE / f"Pulumi.{name}.yaml" for name in ACCOUNTS}
    box = Sandbox.create(root, files)
    box.existing = EXISTING
    for name, account in ACCOUNTS.items():
        box.init(name, account)
    say(f"sandbox {root}: the accounts already have {EXISTING.relative_to(REPO)}")
    return World(box=box, stacks={n: box.stack(n, a) for n, a in ACCOUNTS.items()})


@pytest.fixture(autouse=True)
def _in_order(world: World, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    if world.broken:
        pytest.fail(f"not run: {world.broken} failed")
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        world.broken = request.node.name


def short(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def ops_by_name(outcome: Outcome) -> dict[str, list[str]]:
    return {short(urn): ops for urn, ops in outcome.recorded.ops.items()}


def expect_ok(outcome: Outcome, what: str) -> None:
    assert outcome.ok, f"{what} failed:\n{outcome.output[-4000:]}"


def preview_imports(world: World, name: str) -> None:
    """The preview imports exactly what the stack adopts, and replaces or deletes nothing."""
    outcome = run("preview", world.stacks[name], pack=POLICIES, config=EXAMPLE_CONFIG)
    expect_ok(outcome, f"preview {name}")
    ops = ops_by_name(outcome)
    imported = {n for n, o in ops.items() if "import" in o}
    assert imported == set(ADOPTED[name]), imported
    assert not [n for n, o in ops.items() if REPLACING & set(o)], ops
    assert outcome.recorded.mandatory() == []
    reads = [e for e in world.box.journal_entries() if e["call"] == "Read"]
    assert set(ADOPTED[name].values()) <= {e["id"] for e in reads}
    updated = sorted(n for n in imported if "update" in ops[n])
    counts = outcome.recorded.counts()
    say(f"pulumi preview --stack {name}: {counts.get('import')} to import (each read by its id, "
        f"then updated in place: {', '.join(updated)}), {counts.get('create')} to create, "
        "nothing replaced or deleted")


def up_imports(world: World, name: str) -> dict[str, dict[str, Any]]:
    """`up` imports each adopted resource under its own id; the state by resource name."""
    outcome = run("up", world.stacks[name], pack=POLICIES, config=EXAMPLE_CONFIG)
    expect_ok(outcome, f"up {name}")
    state = {short(urn): r for urn, r in checkpoint(world.stacks[name]).items()}
    for resource, import_id in ADOPTED[name].items():
        assert state[resource]["id"] == import_id, (resource, state[resource]["id"])
    again = run("preview", world.stacks[name], pack=POLICIES, config=EXAMPLE_CONFIG,
                expect_no_changes=True)
    expect_ok(again, f"second preview of {name}")
    assert again.recorded.changed() == {}
    say(f"pulumi up --stack {name}: imported {len(ADOPTED[name])} under their own ids and "
        "brought to the program's settings; a second preview shows no changes")
    return state


def test_01_the_archive_preview_imports_and_replaces_nothing(world: World) -> None:
    preview_imports(world, "adopt-archive")


def test_02_up_imports_the_archive_protected(world: World) -> None:
    state = up_imports(world, "adopt-archive")
    for name in ("log-archive-bucket", "log-archive-policy", "log-key-key", "account-trail"):
        assert state[name]["protect"], name
    outputs = world.stacks["adopt-archive"].outputs()
    assert outputs["kmsKeyArn"].value.endswith(f":key/{KEY_ID}")
    policy = json.loads(state["log-archive-policy"]["inputs"]["policy"])
    assert "DenyObjectDeletion" in {s.get("Sid") for s in policy["Statement"]}


def test_03_the_member_preview_imports_and_replaces_nothing(world: World) -> None:
    preview_imports(world, "adopt-member")


def test_04_up_imports_the_member_trail_delivering_to_the_archive(world: World) -> None:
    state = up_imports(world, "adopt-member")
    assert state["account-trail"]["inputs"]["s3BucketName"] == BUCKET


def test_05_adopting_what_does_not_exist_is_refused_by_the_preview(world: World) -> None:
    stack = world.stacks["adopt-member"]
    key = "cloudtrail-logging:adoptLogGroup"
    since = len(world.box.journal_entries())
    stack.set_config(key, auto.ConfigValue("no-such-group"))
    try:
        outcome = run("preview", stack, pack=POLICIES, config=EXAMPLE_CONFIG)
    finally:
        stack.set_config(key, auto.ConfigValue(ADOPTED["adopt-member"]["cloudwatch-log-group"]))
    assert not outcome.ok
    assert "resource 'no-such-group' does not exist" in outcome.output, outcome.output[-2000:]
    changes = [e for e in world.box.journal_entries(since)
               if e["call"] in ("Create", "Update", "Delete") and not e.get("preview")]
    assert changes == []
    say("adoptLogGroup: no-such-group; pulumi preview --stack adopt-member: refused by the "
        "engine (\"resource 'no-such-group' does not exist\"), nothing changed")
