"""On top of an existing landing zone: an existing organization trail, an existing archive bucket,
a StackSets delegated administrator, and network activity events.

The stacks are the configurations under examples/control-tower/ and tests/fixtures/landing_zone/
(Control Tower's log
archive, management and workload accounts, its Audit account as the StackSets delegated
administrator, a workload account with network activity events), previewed offline like the
shipped ones; the members read the log archive's outputs as its deploy-mode run gives them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import botocore.session
import pytest
import yaml
from botocore.validate import ParamValidator
from pulumi_aws.cloudtrail import TrailInsightSelectorArgsDict

from cloudtrail_logging.integrity.network_activity import (
    NETWORK_ACTIVITY_SOURCES,
    NetworkActivity,
    network_activity_selectors,
)
from cloudtrail_logging.integrity.selector_rules import selector_problems
from cloudtrail_logging.integrity.trail_selectors import selects
from cloudtrail_logging.settings import ConfigError
from engine_model.analyzer import PolicyPackProcess
from engine_model.program import ProgramError, run_program
from offline.cli import POLICY_PACK_DIR
from tests.conftest import ROOT, Stack, stack_config
from tests.support.event_match import api_call_event, event_rules
from tests.test_settings import parse

# Control Tower's three are an example users copy; the others are fixtures of this test.
STACK_DIRS = (ROOT / "examples" / "control-tower", ROOT / "tests" / "fixtures" / "landing_zone")
CONFIGS = POLICY_PACK_DIR / "config"
ARCHIVE, MEMBER, MANAGEMENT, AUDIT = "222222222222", "111111111111", "333333333333", "444444444444"
CT_TRAIL = f"arn:aws:cloudtrail:us-east-1:{MANAGEMENT}:trail/aws-controltower-BaselineCloudTrail"
CT_BUCKET = f"aws-controltower-logs-{ARCHIVE}-us-east-1"
OWN_BUCKET = f"cloudtrail-logging-{ARCHIVE}-us-east-1"
CT_LOG_GROUP = "aws-controltower/CloudTrailLogs"
TRAIL, LOG_GROUP = "aws:cloudtrail/trail:Trail", "aws:cloudwatch/logGroup:LogGroup"
FILTER, STACK_SET = "aws:cloudwatch/logMetricFilter:LogMetricFilter", (
    "aws:cloudformation/stackSet:StackSet"
)
INSTANCE = "aws:cloudformation/stackSetInstance:StackSetInstance"
RULE = "aws:cloudwatch/eventRule:EventRule"


def fixture(name: str, **overrides: Any) -> dict[str, Any]:
    """A fixture stack's config, as the short keys the tests use."""
    path = next(d / f"Pulumi.{name}.yaml" for d in STACK_DIRS
                if (d / f"Pulumi.{name}.yaml").is_file())  # fmt: skip
    config = yaml.safe_load(path.read_text())["config"]
    return {**{k.removeprefix("cloudtrail-logging:"): v for k, v in config.items()}, **overrides}


@cache
def archive_outputs() -> dict[str, Any]:
    """The Control Tower log archive's outputs once deployed (its stack in deploy mode)."""
    return run_program(stack_config(fixture("ct-log-archive")), preview=False).outputs


def preview(run_stack: Any, name: str, **kwargs: Any) -> Stack:
    values = fixture(name, **kwargs.pop("overrides", {}))
    return run_stack(values, outputs=archive_outputs(), management=MANAGEMENT, **kwargs)


def api_selectors(selectors: Any) -> list[dict[str, Any]]:
    """pulumi-aws shaped selectors (snake_case or the engine's camelCase) as the API's."""
    ops = {"equals": "Equals", "not_equals": "NotEquals", "starts_withs": "StartsWith",
           "not_starts_withs": "NotStartsWith", "ends_withs": "EndsWith",
           "not_ends_withs": "NotEndsWith"}  # fmt: skip
    ops |= {"".join(w.title() if i else w for i, w in enumerate(k.split("_"))): v
            for k, v in ops.items()}  # fmt: skip
    return [
        {"Name": s["name"], "FieldSelectors": [
            {"Field": f["field"], **{ops[k]: v for k, v in f.items() if k in ops}}
            for f in s.get("field_selectors", s.get("fieldSelectors"))
        ]}
        for s in selectors
    ]  # fmt: skip


def botocore_problems(selectors: Any) -> str:
    """What botocore's CloudTrail model says of PutEventSelectors with these selectors."""
    model = botocore.session.get_session().get_service_model("cloudtrail")
    shape = model.operation_model("PutEventSelectors").input_shape
    params = {"TrailName": "t", "AdvancedEventSelectors": api_selectors(selectors)}
    return str(ParamValidator().validate(params, shape).generate_report())


def s3_object_event(action: str, bucket: str, *, read: bool) -> dict[str, str]:
    key = f"AWSLogs/{MEMBER}/CloudTrail/x.json.gz"
    return {"eventCategory": "Data", "resources.type": "AWS::S3::Object",
            "readOnly": "true" if read else "false", "eventName": action,
            "resources.ARN": f"arn:aws:s3:::{bucket}/{key}"}  # fmt: skip


# --- an existing organization trail ------------------------------------------------------------


def test_a_member_on_an_existing_organization_trail_creates_no_trail_and_keeps_its_alerts(
    run_stack: Any,
) -> None:
    stack = preview(run_stack, "ct-member")
    assert stack.of_type(TRAIL) == [] and stack.of_type(LOG_GROUP) == []
    rules = {r.inputs["name"] for r in stack.of_type(RULE)}
    assert "cloudtrail-logging-tamper-trail" in rules
    assert "cloudtrail-logging-api-ec2-run-instances" in rules
    outputs = stack.result.outputs
    assert (outputs["trailArn"], outputs["existingTrailArn"]) == ("", CT_TRAIL)


def test_the_management_account_puts_the_cis_filters_on_the_existing_trails_group(
    run_stack: Any,
) -> None:
    stack = preview(run_stack, "ct-management", log_groups={CT_LOG_GROUP: 365})
    assert stack.of_type(TRAIL) == [] and stack.of_type(LOG_GROUP) == []
    filters = stack.of_type(FILTER)
    assert len(filters) == 16 and {f.inputs["logGroupName"] for f in filters} == {CT_LOG_GROUP}
    assert not [r for r in stack.of_type("aws:iam/role:Role")
                if r.inputs["name"].endswith("cloudtrail-to-logs")]  # fmt: skip
    assert {s.inputs["callAs"] for s in stack.of_type(STACK_SET)} == {"SELF"}
    outputs = stack.result.outputs
    assert (outputs["logGroupName"], outputs["logRetentionDays"]) == (CT_LOG_GROUP, 365)


def test_a_missing_existing_log_group_is_refused_at_preview(run_stack: Any) -> None:
    with pytest.raises(ProgramError, match="existingTrailLogGroupName: expected a CloudWatch"):
        preview(run_stack, "ct-management", log_groups={CT_LOG_GROUP: None})


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"existingTrailArn": "arn:aws:cloudtrail:us-east-1:3333:trail/x"}, "existingTrailArn"),
        ({"existingTrailArn": CT_TRAIL.replace("arn:aws:", "arn:aws-cn:")}, "existingTrailArn"),
        ({"existingTrailLogGroupName": CT_LOG_GROUP}, "existingTrailLogGroupName"),
        ({"organizationTrail": True}, "organizationTrail"),
        ({"insights": True}, "insights"),
        ({"trailNotificationTargets": ["sqs"]}, "trailNotificationTargets"),
        ({"networkActivityEventSources": ["kms.amazonaws.com"]}, "networkActivityEventSources"),
        ({"logRetentionDays": 731}, "logRetentionDays"),
        ({"cisControls": ["CloudWatch.1"]}, "cisControls"),
    ],
)
def test_what_an_existing_trail_makes_meaningless_is_refused_one_line_each(
    overrides: dict[str, Any], key: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(fixture("ct-member", **overrides))
    [problem] = caught.value.problems
    assert problem.startswith(f"cloudtrail-logging:{key}: expected ")


def test_a_log_group_only_where_the_trail_is(run_stack: Any) -> None:
    """The group is the management account's, in the trail's home Region."""
    elsewhere = {"aws:region": "eu-west-1", "alertRegions": ["eu-west-1"]}
    with pytest.raises(ConfigError, match="home Region us-east-1"):
        parse(fixture("ct-management", **elsewhere))


# --- an existing archive bucket ------------------------------------------------------------------


def test_the_existing_archive_bucket_is_untouched(run_stack: Any) -> None:
    stack = preview(run_stack, "ct-log-archive")
    for resource in stack.resources:
        if resource.type.startswith("aws:s3/"):
            assert resource.inputs.get("bucket") != CT_BUCKET, resource.name
            assert CT_BUCKET not in json.dumps(resource.inputs), resource.name
    assert stack.one("aws:s3/bucket:Bucket").inputs["bucket"] == OWN_BUCKET
    assert stack.result.outputs["existingArchiveBucketName"] == CT_BUCKET


def test_its_trail_records_data_events_only_with_selectors_cloudtrail_accepts(
    run_stack: Any,
) -> None:
    trail = preview(run_stack, "ct-log-archive").one(TRAIL).inputs
    selectors = trail["advancedEventSelectors"]
    assert selector_problems(api_like(selectors)) == []
    assert botocore_problems(selectors) == ""
    plain = api_like(selectors)
    assert not selects(plain, {"eventCategory": "Management", "eventName": "StopLogging"})
    for action, read in (("GetObject", True), ("DeleteObject", False), ("PutObject", False)):
        assert selects(plain, s3_object_event(action, CT_BUCKET, read=read)), action
    assert selects(plain, s3_object_event("GetObject", OWN_BUCKET, read=True))
    # Its own deliveries are not recorded: no delivery loop (ctl-ct-008).
    assert not selects(plain, s3_object_event("PutObject", OWN_BUCKET, read=False))
    assert trail["isMultiRegionTrail"] and trail["enableLogFileValidation"]


def api_like(selectors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Engine (camelCase) selectors as the program's snake_case shape."""
    names = {"fieldSelectors": "field_selectors", "notEquals": "not_equals",
             "startsWiths": "starts_withs", "notStartsWiths": "not_starts_withs",
             "endsWiths": "ends_withs", "notEndsWiths": "not_ends_withs"}  # fmt: skip
    return [{names.get(k, k): ([{names.get(a, a): b for a, b in f.items()} for f in v]
                               if k == "fieldSelectors" else v) for k, v in s.items()}
            for s in selectors]  # fmt: skip


def test_only_this_accounts_trail_delivers_into_its_own_bucket(run_stack: Any) -> None:
    policy = json.dumps(preview(run_stack, "ct-log-archive").policy(
        "aws:s3/bucketPolicy:BucketPolicy"))  # fmt: skip
    assert MEMBER not in policy and MANAGEMENT not in policy and "o-abcdefghij" not in policy


def test_the_tamper_rules_watch_the_existing_bucket() -> None:
    from cloudtrail_logging.outputs import local_destination
    from cloudtrail_logging.plan import build_plan

    settings = parse(fixture("ct-log-archive"))
    plan = build_plan(settings, local_destination(settings))
    assert plan.tamper_alerts is not None
    patterns = {r.name: r.pattern for r in plan.tamper_alerts.rules if r.region == "us-east-1"}
    event = api_call_event(service="s3", event_name="PutBucketPolicy", account=ARCHIVE,
                           region="us-east-1", parameters={"bucketName": CT_BUCKET})  # fmt: skip
    with event_rules() as matching:
        assert matching(patterns, event) == ["cloudtrail-logging-tamper-archive"]


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"existingTrailArn": ""}, "existingArchiveBucketName"),
        ({"existingArchiveBucketName": ""}, "existingArchiveBucketName"),
        ({"existingArchiveBucketName": OWN_BUCKET}, "existingArchiveBucketName"),
        ({"existingArchiveBucketName": "Not_A_Bucket"}, "existingArchiveBucketName"),
        ({"logAccessDataEvents": False}, "logAccessDataEvents"),
        ({"insights": True}, "insights"),
        ({"logGroupKms": False}, "logGroupKms"),
    ],
)
def test_an_existing_archive_refuses_what_cannot_work(overrides: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(fixture("ct-log-archive", **overrides))
    [problem] = caught.value.problems
    assert problem.startswith(f"cloudtrail-logging:{key}: expected ")


# --- a StackSets delegated administrator --------------------------------------------------------


def test_the_delegated_administrators_stack_owns_the_stack_sets(run_stack: Any) -> None:
    stack = preview(run_stack, "delegated-admin")
    sets = stack.of_type(STACK_SET)
    assert len(sets) == 2 and {s.inputs["callAs"] for s in sets} == {"DELEGATED_ADMIN"}
    assert {i.inputs["callAs"] for i in stack.of_type(INSTANCE)} == {"DELEGATED_ADMIN"}
    # The StackSets put the rules and the forwarder role into this account too.
    assert not stack.of_type("cloudtrail-logging:index:ApiCallRules")


def test_the_management_accounts_stack_refuses_delegated_admin_at_preview(
    run_stack: Any,
) -> None:
    values = fixture("ct-management", stackSetCallAs="DELEGATED_ADMIN")
    with pytest.raises(ConfigError) as caught:
        parse(values)
    [problem] = caught.value.problems
    assert problem.startswith("cloudtrail-logging:stackSetCallAs: expected SELF on the "
                              "management account's stack")  # fmt: skip
    # With a trail of its own too: the organization names its management account.
    values = fixture("delegated-admin", existingTrailArn="",
                     **{"aws:allowedAccountIds": [MANAGEMENT]})  # fmt: skip
    with pytest.raises(ProgramError) as refused:
        run_stack(values, outputs=archive_outputs(), management=MANAGEMENT)
    assert str(refused.value).splitlines() == [
        f"cloudtrail-logging:stackSetCallAs: expected SELF in the organization's management "
        f"account {MANAGEMENT}: CreateStackSet refuses CallAs DELEGATED_ADMIN there, since "
        "Organizations cannot register the management account as a delegated administrator"
    ]


def test_an_unregistered_account_is_refused_at_preview(run_stack: Any) -> None:
    with pytest.raises(ProgramError, match="registered as a delegated administrator for member"):
        preview(run_stack, "delegated-admin", delegated_administrators=[])


# --- network activity events ---------------------------------------------------------------------


def test_network_activity_selectors_are_valid_per_the_api_reference(run_stack: Any) -> None:
    stack = run_stack(fixture("network-activity"), outputs=archive_outputs())
    selectors = stack.one(TRAIL).inputs["advancedEventSelectors"]
    assert selectors[0]["fieldSelectors"] == [{"field": "eventCategory", "equals": ["Management"]}]
    network = selectors[1:]
    assert [s["fieldSelectors"][1]["equals"] for s in network] == [
        [source] for source in NETWORK_ACTIVITY_SOURCES
    ]
    assert all(s["fieldSelectors"][2] == {"field": "errorCode", "equals": ["VpceAccessDenied"]}
               for s in network)  # fmt: skip
    assert selector_problems(api_like(selectors)) == []
    assert botocore_problems(selectors) == ""


@pytest.mark.parametrize("denied_only", [True, False])
def test_each_source_gets_its_own_selector(denied_only: bool) -> None:
    activity = NetworkActivity(sources=NETWORK_ACTIVITY_SOURCES, denied_only=denied_only)
    selectors = network_activity_selectors(activity)
    assert selector_problems(selectors) == [] and botocore_problems(selectors) == ""
    denied = {"eventCategory": "NetworkActivity", "eventSource": "kms.amazonaws.com",
              "errorCode": "VpceAccessDenied"}  # fmt: skip
    allowed = {k: v for k, v in denied.items() if k != "errorCode"}
    assert selects(selectors, denied) and selects(selectors, allowed) is not denied_only


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        ({"field": "eventSource", "equals": ["s3.amazonaws.com"]}, "eventSource Equals one of"),
        ({"field": "eventSource", "starts_withs": ["kms"]}, "Equals operator only"),
        ({"field": "errorCode", "equals": ["AccessDenied"]}, "errorCode Equals VpceAccessDenied"),
        ({"field": "readOnly", "equals": ["true"]}, "no field readOnly"),
    ],
)
def test_selectors_cloudtrail_would_refuse_are_caught(field: dict[str, Any], problem: str) -> None:
    selector = network_activity_selectors(NetworkActivity(sources=("kms.amazonaws.com",)))[0]
    fields = [f for f in selector["field_selectors"] if f["field"] != field["field"]]
    found = selector_problems([{**selector, "field_selectors": [*fields, field]}])
    assert any(problem in f for f in found), found


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"networkActivityEventSources": ["s3.amazonaws.com"]},
         "networkActivityEventSources[0]: expected one of cloudtrail.amazonaws.com"),
        ({"networkActivityEventSources": [], "networkActivityDeniedOnly": False},
         "networkActivityDeniedOnly: expected no value without networkActivityEventSources"),
        ({"organizationTrail": True, "stackSetCallAs": "DELEGATED_ADMIN"},
         "stackSetCallAs: expected SELF on the management account's stack (organizationTrail)"),
    ],
)  # fmt: skip
def test_each_mistake_is_one_line_naming_its_key(overrides: dict[str, Any], expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(fixture("network-activity", **overrides))
    assert [p for p in caught.value.problems if "expected" in p and expected in p], (
        caught.value.problems
    )


def test_insights_on_data_events_waits_for_the_provider() -> None:
    """InsightSelector.EventCategories (Data) is what Insights on data events needs; pulumi-aws
    7.51.1 cannot set it. When this fails, the provider can: select Data where data events are
    on (trail_selectors.insight_selectors) and lift the refusal of `insights` on a trail of data
    events only."""
    assert set(TrailInsightSelectorArgsDict.__annotations__) == {"insight_type"}


# --- the shipped pack, under each mode's documented policy config -------------------------------


@pytest.fixture(scope="module")
def pack() -> Any:
    with PolicyPackProcess(POLICY_PACK_DIR) as process:
        yield process


def mandatory(pack: Any, stack: Stack, config: Path | dict[str, Any] | None = None) -> set[str]:
    user = json.loads(config.read_text()) if isinstance(config, Path) else config
    report = pack.analyze(list(stack.resources), project="cloudtrail-logging", stack="t",
                          config=user)  # fmt: skip
    return {v.policy_name for v in report.violations if v.enforcement_level == "mandatory"}


def test_the_pack_admits_the_existing_archive_under_its_config(pack: Any, run_stack: Any) -> None:
    stack = preview(run_stack, "ct-log-archive")
    assert mandatory(pack, stack) == {"ctl-ct-007-trail-records-all-management-events"}
    assert mandatory(pack, stack, CONFIGS / "existing-organization-trail.json") == set()


@pytest.mark.parametrize("name", ["ct-member", "ct-management", "delegated-admin"])
def test_the_pack_passes_the_other_modes_by_default(pack: Any, run_stack: Any, name: str) -> None:
    assert mandatory(pack, preview(run_stack, name)) == set()


def test_the_pack_passes_network_activity_even_when_it_requires_it(
    pack: Any, run_stack: Any
) -> None:
    stack = run_stack(fixture("network-activity"), outputs=archive_outputs())
    assert mandatory(pack, stack) == set()
    required = {"ctl-ct-010-trail-network-activity-events": {"required": True}}
    assert mandatory(pack, stack, required) == set()
    plain = run_stack(fixture("network-activity", networkActivityEventSources=[]),
                      outputs=archive_outputs())  # fmt: skip
    assert mandatory(pack, plain, required) == {"ctl-ct-010-trail-network-activity-events"}
