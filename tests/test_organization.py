"""Organization trails, and multi-region member stacks: where logs land."""

from __future__ import annotations

import pytest

from cloudtrail_logging.archive.bucket_policy import log_bucket_policy
from cloudtrail_logging.outputs import local_destination
from cloudtrail_logging.plan import checked_plan
from cloudtrail_logging.plan.parts import Plan
from cloudtrail_logging.settings import ConfigError
from engine_model.program import ProgramError
from tests.conftest import MEMBER, SECURITY, archive_config, archive_outputs, member_config
from tests.support.policy_eval import Decision, Principal, Request, evaluate
from tests.test_settings import parse


def plan(values: dict) -> Plan:
    settings = parse(values)
    return checked_plan(settings, local_destination(settings))


ORG = "o-abcdefghij"
MANAGEMENT = "333333333333"
TRAIL = "aws:cloudtrail/trail:Trail"


def org_policy() -> dict:
    return log_bucket_policy(
        partition="aws",
        bucket="logs",
        writer_accounts=[SECURITY, MANAGEMENT],
        trail_name="org-trail",
        administrator_arns=[f"arn:aws:iam::{SECURITY}:role/archive-admin"],
        organization_id=ORG,
        management_account_id=MANAGEMENT,
    )


def org_delivery(source_account: str, trail_account: str, key: str) -> Request:
    arn = f"arn:aws:cloudtrail:us-east-1:{trail_account}:trail/org-trail"
    return Request(
        Principal.service("cloudtrail.amazonaws.com"),
        "s3:PutObject",
        f"arn:aws:s3:::logs/{key}",
        {
            "aws:SourceAccount": source_account,
            "aws:SourceArn": arn,
            "aws:SecureTransport": "true",
            "s3:x-amz-acl": "bucket-owner-full-control",
        },
    )


def test_organization_trail_writes_every_account_under_the_org_prefix() -> None:
    key = f"AWSLogs/{ORG}/{MEMBER}/CloudTrail/eu-west-1/2026/11/21/x.json.gz"
    assert evaluate(org_policy(), org_delivery(MANAGEMENT, MANAGEMENT, key)) is Decision.ALLOW


def test_only_the_management_accounts_trail_writes_under_the_org_prefix() -> None:
    key = f"AWSLogs/{ORG}/{MEMBER}/CloudTrail/eu-west-1/2026/11/21/x.json.gz"
    decision = evaluate(org_policy(), org_delivery(SECURITY, SECURITY, key))
    assert decision is not Decision.ALLOW
    assert evaluate(org_policy(), org_delivery("999999999999", "999999999999", key)) is (
        Decision.EXPLICIT_DENY
    )


def test_organization_settings_admit_the_management_account() -> None:
    settings = parse(
        archive_config(organizationId=ORG, managementAccountId=MANAGEMENT, memberAccounts=[])
    )
    assert settings.writer_accounts == (SECURITY, MANAGEMENT)


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"organizationId": ORG}, "cloudtrail-logging:managementAccountId"),
        ({"managementAccountId": MANAGEMENT}, "cloudtrail-logging:organizationId"),
        (
            {"organizationId": "org-1", "managementAccountId": MANAGEMENT},
            "cloudtrail-logging:organizationId",
        ),
    ],
)
def test_incomplete_organization_settings_are_refused(overrides: dict, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(archive_config(**overrides))
    assert any(p.startswith(f"{key}:") for p in caught.value.problems)


def test_archive_stack_exports_the_organization(run_stack) -> None:
    stack = run_stack(archive_config(organizationId=ORG, managementAccountId=MANAGEMENT))
    assert stack.result.outputs["organizationId"] == ORG
    statements = {s["Sid"] for s in stack.policy("aws:s3/bucketPolicy:BucketPolicy")["Statement"]}
    assert "AWSCloudTrailOrganizationWrite" in statements


def test_management_account_stack_creates_the_organization_trail(run_stack) -> None:
    outputs = archive_outputs(organizationId=ORG, managementAccountId=MANAGEMENT)
    config = member_config(organizationTrail=True, **{"aws:allowedAccountIds": [MANAGEMENT]})
    stack = run_stack(config, outputs=outputs)
    assert stack.one(TRAIL).inputs["isOrganizationTrail"] is True


def test_organization_trail_outside_the_management_account_is_refused(run_stack) -> None:
    outputs = archive_outputs(organizationId=ORG, managementAccountId=MANAGEMENT)
    with pytest.raises(ProgramError, match="organizationTrail"):
        run_stack(member_config(organizationTrail=True), outputs=outputs)


@pytest.mark.parametrize("region", ["eu-west-1", "ap-southeast-2", "us-west-2"])
def test_a_members_region_changes_nothing_about_where_logs_land(run_stack, region: str) -> None:
    outputs = archive_outputs(
        kmsKeyArn=f"arn:aws:kms:us-east-1:{SECURITY}:key/0f0e0d0c-0b0a-0908-0706-050403020100"
    )
    baseline = run_stack(member_config(), outputs=outputs).one(TRAIL).inputs
    moved = (
        run_stack(
            member_config(**{"aws:region": region}, alertRegions=[region, "eu-central-1"]),
            outputs=outputs,
        )
        .one(TRAIL)
        .inputs
    )
    for key in (
        "s3BucketName",
        "s3KeyPrefix",
        "kmsKeyId",
        "name",
        "isMultiRegionTrail",
        "includeGlobalServiceEvents",
    ):
        assert moved.get(key) == baseline.get(key), key
    assert moved["s3BucketName"] == f"cloudtrail-logging-{SECURITY}-us-east-1"


def test_stack_size_does_not_grow_with_member_accounts(run_stack) -> None:
    accounts = [f"{100000000000 + i * 7919:012d}" for i in range(1000)]
    small = run_stack(archive_config(memberAccounts=accounts[:10], encryption="sse-kms"))
    large = run_stack(archive_config(memberAccounts=accounts, encryption="sse-kms"))
    assert len(large.resources) == len(small.resources)
    deny = next(
        s
        for s in large.policy("aws:s3/bucketPolicy:BucketPolicy")["Statement"]
        if s["Sid"] == "DenyCloudTrailFromUnlistedAccounts"
    )
    assert len(deny["Condition"]["StringNotEquals"]["aws:SourceAccount"]) == 1001


def test_more_accounts_than_fit_are_refused_naming_the_key() -> None:
    accounts = [f"{100000000000 + i * 7919:012d}" for i in range(2000)]
    with pytest.raises(ConfigError, match=r"cloudtrail-logging:memberAccounts: .*20 KB"):
        plan(archive_config(memberAccounts=accounts))


def test_api_alerts_at_scale_need_the_organization_for_the_bus_policy() -> None:
    accounts = [f"{100000000000 + i * 7919:012d}" for i in range(1000)]
    alert = [{"name": "run", "eventSource": "ec2.amazonaws.com", "eventNames": ["RunInstances"]}]
    with pytest.raises(ConfigError, match=r"cloudtrail-logging:memberAccounts: .*organizationId"):
        plan(archive_config(memberAccounts=accounts, apiAlerts=alert))
    planned = plan(
        archive_config(
            memberAccounts=accounts,
            apiAlerts=alert,
            organizationId=ORG,
            managementAccountId=MANAGEMENT,
        )
    )
    assert len(planned.settings.member_accounts) == 1000


# --- organization mode: StackSets carry the API-call rules ----------------------------------------

STACK_SET = "aws:cloudformation/stackSet:StackSet"
INSTANCE = "aws:cloudformation/stackSetInstance:StackSetInstance"
BUS = f"arn:aws:events:us-east-1:{SECURITY}:event-bus/cloudtrail-logging-alerts"
ORG_ALERT = {"name": "run", "eventSource": "ec2.amazonaws.com", "eventNames": ["RunInstances"]}


def management_stack(run_stack, **overrides):
    outputs = archive_outputs(organizationId=ORG, managementAccountId=MANAGEMENT, eventBusArn=BUS)
    config = member_config(
        organizationTrail=True,
        apiAlerts=[ORG_ALERT],
        alertRegions=["eu-west-1"],
        **{"aws:allowedAccountIds": [MANAGEMENT]},
        **overrides,
    )
    return run_stack(config, outputs=outputs)


def test_the_organization_trails_stack_rolls_rules_out_to_every_account(run_stack) -> None:
    stack = management_stack(run_stack)
    sets = {s.inputs["name"]: s.inputs for s in stack.of_type(STACK_SET)}
    assert set(sets) == {
        "cloudtrail-logging-api-alerts",
        "cloudtrail-logging-api-alerts-forwarder-role",
    }
    for inputs in sets.values():
        assert inputs["permissionModel"] == "SERVICE_MANAGED"
        deployment = inputs["autoDeployment"]
        assert deployment["enabled"] is True
        assert deployment["retainStacksOnAccountRemoval"] is False
    regions = sorted(
        i.inputs["stackSetInstanceRegion"]
        for i in stack.of_type(INSTANCE)
        if i.inputs["stackSetName"] == "cloudtrail-logging-api-alerts"
    )
    assert regions == ["eu-west-1", "us-east-1"]
    for instance in stack.of_type(INSTANCE):  # the organization root, read from Organizations
        targets = instance.inputs["deploymentTargets"]["organizationalUnitIds"]
        assert len(targets) == 1 and targets[0].startswith("r-")


def test_chosen_units_replace_the_root(run_stack) -> None:
    stack = management_stack(run_stack, organizationalUnitIds=["ou-abcd-12345678"])
    for instance in stack.of_type(INSTANCE):
        assert instance.inputs["deploymentTargets"]["organizationalUnitIds"] == ["ou-abcd-12345678"]


def test_organization_alerts_off_deploys_no_stack_set(run_stack) -> None:
    assert management_stack(run_stack, organizationAlerts=False).of_type(STACK_SET) == []
    assert (
        run_stack(
            member_config(
                apiAlerts=[ORG_ALERT],
                centralEventBusArn=BUS,
                centralBucketName="central-logs",
                centralAccountId=SECURITY,
            )
        ).of_type(STACK_SET)
        == []
    )


def test_organization_trail_delivers_under_the_key_prefix_and_nowhere_else() -> None:
    """With `s3KeyPrefix`, CloudTrail writes `<prefix>/AWSLogs/<org id>/...`: the organization's
    write statement must carry the prefix, or every organization delivery is refused."""
    policy = log_bucket_policy(
        partition="aws", bucket="logs", writer_accounts=[SECURITY, MANAGEMENT],
        trail_name="org-trail", administrator_arns=[f"arn:aws:iam::{SECURITY}:role/archive-admin"],
        key_prefix="central", organization_id=ORG, management_account_id=MANAGEMENT,
    )  # fmt: skip
    under = f"central/AWSLogs/{ORG}/{MEMBER}/CloudTrail/eu-west-1/2026/11/21/x.json.gz"
    assert evaluate(policy, org_delivery(MANAGEMENT, MANAGEMENT, under)) is Decision.ALLOW
    outside = under.removeprefix("central/")
    assert evaluate(policy, org_delivery(MANAGEMENT, MANAGEMENT, outside)) is not Decision.ALLOW
