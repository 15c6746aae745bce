"""On top of AWS Control Tower, through the real engine: the stacks of examples/control-tower/ and
tests/fixtures/landing_zone/
previewed and deployed with the pack, under each one's documented policy config.

The log archive on Control Tower's bucket, a workload account and the management account on
Control Tower's organization trail, and a StackSets delegated administrator, whose preview the
stand-in's organization (every account is its management account: e2e/aws_provider.py) refuses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from e2e.engine import REPO, Outcome, Sandbox, checkpoint, run, say

pytestmark = pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <coroutine object run_pulumi_func"
    ":pytest.PytestUnraisableExceptionWarning"
)

STACK_DIRS = (REPO / "examples" / "control-tower", REPO / "tests" / "fixtures" / "landing_zone")
POLICIES = REPO / "policies"
EXISTING_TRAIL_CONFIG = POLICIES / "config" / "existing-organization-trail.json"
ACCOUNTS = {"ct-log-archive": "222222222222", "ct-member": "111111111111",
            "ct-management": "333333333333", "delegated-admin": "444444444444"}  # fmt: skip
CT_BUCKET = "aws-controltower-logs-222222222222-us-east-1"


def stack_file(name: str) -> Path:
    return next(d / f"Pulumi.{name}.yaml" for d in STACK_DIRS
                if (d / f"Pulumi.{name}.yaml").is_file())  # fmt: skip


@pytest.fixture(scope="module")
def stacks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, auto.Stack]:
    box = Sandbox.create(tmp_path_factory.mktemp("landing-zone"),
                         {name: stack_file(name) for name in ACCOUNTS})  # fmt: skip
    return {name: box.init(name, account) for name, account in ACCOUNTS.items()}


def of_type(stack: auto.Stack, type_: str) -> list[dict[str, Any]]:
    return [r for r in checkpoint(stack).values() if r["type"] == type_]


def expect_ok(outcome: Outcome, what: str) -> None:
    assert outcome.ok, f"{what} failed:\n{outcome.output[-4000:]}"


def test_01_the_log_archive_leaves_the_existing_bucket_untouched(
    stacks: dict[str, auto.Stack],
) -> None:
    archive = stacks["ct-log-archive"]
    refused = run("preview", archive, pack=POLICIES)
    assert {p.policy_name for p in refused.recorded.mandatory()} == {
        "ctl-ct-007-trail-records-all-management-events"}
    expect_ok(run("preview", archive, pack=POLICIES, config=EXISTING_TRAIL_CONFIG),
              "preview ct-log-archive")  # fmt: skip
    expect_ok(run("up", archive, pack=POLICIES, config=EXISTING_TRAIL_CONFIG), "up ct-log-archive")
    state = checkpoint(archive)
    assert not [r["urn"] for r in state.values()
                if r["type"].startswith("aws:s3/") and CT_BUCKET in json.dumps(r["inputs"])]
    (trail,) = of_type(archive, "aws:cloudtrail/trail:Trail")
    selectors = trail["inputs"]["advancedEventSelectors"]
    categories = {f["equals"][0] for s in selectors for f in s["fieldSelectors"]
                  if f["field"] == "eventCategory"}  # fmt: skip
    assert categories == {"Data"} and CT_BUCKET in json.dumps(selectors)
    say(f"ct-log-archive: refused by ctl-ct-007 by default, admitted by "
        f"{EXISTING_TRAIL_CONFIG.name}; {len(state)} resources, none naming {CT_BUCKET}; its "
        f"trail records {len(selectors)} selectors of data events only")


def test_02_a_member_on_the_organization_trail_has_no_trail(
    stacks: dict[str, auto.Stack],
) -> None:
    member = stacks["ct-member"]
    expect_ok(run("up", member, pack=POLICIES), "up ct-member")
    assert of_type(member, "aws:cloudtrail/trail:Trail") == []
    rules = {r["inputs"]["name"] for r in of_type(member, "aws:cloudwatch/eventRule:EventRule")}
    assert "cloudtrail-logging-tamper-trail" in rules
    assert member.outputs()["trailArn"].value == ""
    say(f"ct-member: no trail, {len(rules)} EventBridge rules, under the pack's defaults")


def test_03_the_management_account_alarms_on_the_trails_group(
    stacks: dict[str, auto.Stack],
) -> None:
    management = stacks["ct-management"]
    expect_ok(run("up", management, pack=POLICIES), "up ct-management")
    filters = of_type(management, "aws:cloudwatch/logMetricFilter:LogMetricFilter")
    assert {f["inputs"]["logGroupName"] for f in filters} == {"aws-controltower/CloudTrailLogs"}
    sets = of_type(management, "aws:cloudformation/stackSet:StackSet")
    assert {s["inputs"]["callAs"] for s in sets} == {"SELF"}
    assert of_type(management, "aws:cloudtrail/trail:Trail") == []
    say(f"ct-management: {len(filters)} metric filters on aws-controltower/CloudTrailLogs, "
        f"{len(sets)} StackSets called as SELF, no trail")


def test_04_delegated_admin_is_refused_in_the_management_account(
    stacks: dict[str, auto.Stack],
) -> None:
    outcome = run("preview", stacks["delegated-admin"], pack=POLICIES)
    assert not outcome.ok
    expected = ("cloudtrail-logging:stackSetCallAs: expected SELF in the organization's "
                "management account 444444444444")  # fmt: skip
    assert expected in outcome.output, outcome.output[-4000:]
    assert not any("stackSet" in urn for urn in outcome.recorded.steps)
    say("delegated-admin: refused at preview, one line, before any StackSet is registered")
