"""Config contract: defaults, and every bad value refused naming its key, before any resource."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pulumi
import pytest

from cloudtrail_logging import schema
from cloudtrail_logging.integrity.object_lock import ObjectLock
from cloudtrail_logging.settings import (
    ArchiveSettings,
    ConfigError,
    MemberSettings,
    Settings,
    StackSettings,
    parse_settings,
)
from engine_model.program import ProgramError, run_program
from tests.conftest import (
    MEMBER,
    SECURITY,
    archive_config,
    member_config,
    parse_config,
    stack_config,
)


def parse(values: dict[str, Any]) -> Settings:
    return parse_config(values)


def with_project_defaults(values: dict[str, Any]) -> dict[str, Any]:
    """What the CLI hands the program: every declared default merged under the stack's values."""
    merged = {k.name: k.default for k in schema.KEYS if not k.required}
    return {**merged, **values}


def test_log_archive_defaults() -> None:
    settings = parse(archive_config())
    assert settings.encryption == "sse-kms"
    assert settings.log_bucket_name == f"cloudtrail-logging-{SECURITY}-us-east-1"
    assert settings.trail_name == "cloudtrail-logging"
    assert settings.writer_accounts == (SECURITY, MEMBER)
    assert settings.lifecycle.transition_days == 90
    assert settings.lifecycle.expire_after_days == 2557
    assert settings.partition == "aws"


def test_each_role_reads_into_settings_of_its_own_type() -> None:
    """A member's settings have no archive fields and the archive's no member fields, so code
    that reads one on the other role fails the type check instead of reading a default."""
    archive, member = parse(archive_config()), parse(member_config())
    assert isinstance(archive, ArchiveSettings) and archive.role == "log-archive"
    assert isinstance(member, MemberSettings) and member.role == "member"
    common = {f.name for f in fields(StackSettings)}
    archive_only = {f.name for f in fields(ArchiveSettings)} - common - {"role"}
    member_only = {f.name for f in fields(MemberSettings)} - common - {"role"}
    assert {"log_bucket_name", "administrator_arns", "integrity"} <= archive_only
    assert {"central", "organization_trail", "guardrails"} <= member_only
    assert not any(hasattr(member, name) for name in archive_only)
    assert not any(hasattr(archive, name) for name in member_only)


def test_structured_values_arrive_as_json_strings() -> None:
    settings = parse(archive_config(memberAccounts=f'["{MEMBER}"]', glacierTransitionDays="30"))
    assert settings.member_accounts == (MEMBER,)
    assert settings.lifecycle.transition_days == 30


def test_member_defaults_to_the_security_stack_reference() -> None:
    settings = parse(member_config())
    assert settings.central is not None
    assert settings.central.stack == "organization/cloudtrail-logging/security"


def test_partition_follows_region() -> None:
    settings = parse(archive_config(**{"aws:region": "cn-north-1"}))
    assert settings.partition == "aws-cn"


BAD_VALUES = [
    ({"role": "archive"}, "cloudtrail-logging:role"),
    ({"encryption": "sse-c"}, "cloudtrail-logging:encryption"),
    ({"memberAccounts": ["12345"]}, "cloudtrail-logging:memberAccounts[0]"),
    ({"memberAccounts": [MEMBER, MEMBER]}, "cloudtrail-logging:memberAccounts[1]"),
    ({"memberAccounts": [SECURITY]}, "cloudtrail-logging:memberAccounts"),
    ({"memberAccounts": "111111111111"}, "cloudtrail-logging:memberAccounts"),
    ({"glacierTransitionDays": "soon"}, "cloudtrail-logging:glacierTransitionDays"),
    ({"glacierTransitionDays": 0}, "cloudtrail-logging:glacierTransitionDays"),
    ({"expirationDays": 30}, "cloudtrail-logging:expirationDays"),
    ({"logBucketName": "Bad_Bucket"}, "cloudtrail-logging:logBucketName"),
    ({"s3KeyPrefix": "AWSLogs"}, "cloudtrail-logging:s3KeyPrefix"),
    ({"s3KeyPrefix": "/leading"}, "cloudtrail-logging:s3KeyPrefix"),
    ({"namePrefix": "X"}, "cloudtrail-logging:namePrefix"),
    ({"trailName": "a b"}, "cloudtrail-logging:trailName"),
    ({"bucketNotificationTargets": ["email"]}, "cloudtrail-logging:bucketNotificationTargets[0]"),
    (
        {
            "bucketNotificationTargets": ["sqs", "lambda"],
            "bucketNotificationLambdaArn": "arn:aws:lambda:us-east-1:222222222222:function:f",
        },
        "cloudtrail-logging:bucketNotificationTargets",
    ),
    ({"bucketNotificationTargets": ["lambda"]}, "cloudtrail-logging:bucketNotificationLambdaArn"),
    (
        {"trailNotificationLambdaArn": "arn:aws:lambda:us-east-1:222222222222:function:f"},
        "cloudtrail-logging:trailNotificationTargets",
    ),
    ({"trailNotificationTargets": ["sns"]}, "cloudtrail-logging:trailNotificationTargets[0]"),
    ({"logReaders": ["arn:aws:iam::333333333333:role/r"]}, "cloudtrail-logging:logReaders[0]"),
    ({"logReaders": ["not-an-arn"]}, "cloudtrail-logging:logReaders[0]"),
    ({"aws:region": "us-east-1", "cloudtrail-loging:role": "member"}, "cloudtrail-loging:role"),
    ({"asw:region": "us-east-1"}, "asw:region"),
    ({"trailName": "my--trail"}, "cloudtrail-logging:trailName"),
    ({"trailName": "10.0.0.1"}, "cloudtrail-logging:trailName"),
    ({"logBucketName": "logs..archive"}, "cloudtrail-logging:logBucketName"),
    ({"logBucketName": "xn--logs"}, "cloudtrail-logging:logBucketName"),
    ({"logBucketName": "logs-s3alias"}, "cloudtrail-logging:logBucketName"),
    ({"logBucketName": "logs-"}, "cloudtrail-logging:logBucketName"),
    ({"archiveStorageClass": "STANDARD_IA"}, "cloudtrail-logging:archiveStorageClass"),
    ({"bucketPolicyForm": "listed"}, "cloudtrail-logging:bucketPolicyForm"),
    ({"centralStack": "x"}, "cloudtrail-logging:centralStack"),
    ({"encrytion": "sse-kms"}, "cloudtrail-logging:encrytion"),
    ({"aws:allowedAccountIds": []}, "aws:allowedAccountIds"),
    ({"aws:allowedAccountIds": [SECURITY, MEMBER]}, "aws:allowedAccountIds"),
    ({"aws:region": "moon-1"}, "aws:region"),
]


@pytest.mark.parametrize(("overrides", "key"), BAD_VALUES)
def test_bad_archive_value_is_refused_naming_the_key(overrides: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(archive_config(**overrides))
    assert any(problem.startswith(f"{key}:") for problem in caught.value.problems), (
        caught.value.problems
    )
    assert "expected" in str(caught.value) or "not a setting" in str(caught.value)


BAD_MEMBER_VALUES = [
    ({"memberAccounts": [MEMBER]}, "cloudtrail-logging:memberAccounts"),
    ({"encryption": "sse-s3"}, "cloudtrail-logging:encryption"),
    ({"centralStack": "a/b"}, "cloudtrail-logging:centralStack"),
    ({"centralBucketName": "central-bucket"}, "cloudtrail-logging:centralAccountId"),
    (
        {"centralBucketName": "central-bucket", "centralAccountId": MEMBER},
        "cloudtrail-logging:centralAccountId",
    ),
    (
        {"centralStack": "o/p/s", "centralBucketName": "b-b-b", "centralAccountId": SECURITY},
        "cloudtrail-logging:centralStack",
    ),
    (
        {"centralBucketName": "b-b-b", "centralAccountId": SECURITY, "centralKmsKeyArn": "key"},
        "cloudtrail-logging:centralKmsKeyArn",
    ),
]


@pytest.mark.parametrize(("overrides", "key"), BAD_MEMBER_VALUES)
def test_bad_member_value_is_refused_naming_the_key(overrides: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(member_config(**overrides))
    assert any(problem.startswith(f"{key}:") for problem in caught.value.problems)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        parse(archive_config(encryption="x", glacierTransitionDays="y", typo=1))
    assert len(caught.value.problems) == 3


def test_unknown_key_suggests_the_close_one() -> None:
    with pytest.raises(ConfigError, match="did you mean encryption"):
        parse(archive_config(encrytion="sse-kms"))


@pytest.mark.parametrize(
    "values",
    [
        archive_config(encryption="sse-c"),
        archive_config(typo="x"),
        member_config(centralStack="a/b"),
    ],
)
def test_bad_config_registers_nothing(values: dict[str, Any]) -> None:
    with pytest.raises(ProgramError) as caught:
        run_program(stack_config(values))
    assert isinstance(caught.value.cause, pulumi.RunError)
    assert caught.value.registered == ()


@pytest.mark.parametrize("values", [archive_config(), member_config()], ids=["archive", "member"])
def test_every_declared_default_is_accepted_on_both_roles(values: dict[str, Any]) -> None:
    """The CLI merges Pulumi.yaml's defaults into every stack, the other role's keys included."""
    assert parse(with_project_defaults(values)) == parse(values)


def test_a_key_of_the_other_role_is_refused_only_when_set_to_something_else() -> None:
    parse(with_project_defaults(member_config(memberAccounts=[], encryption="sse-kms")))
    with pytest.raises(ConfigError, match="memberAccounts: expected no value on a member stack"):
        parse(with_project_defaults(member_config(memberAccounts=[MEMBER])))


def test_a_misspelt_namespace_is_refused_with_the_right_one() -> None:
    with pytest.raises(ConfigError) as caught:
        parse({**archive_config(), "cloudtrail-loging:encryption": "sse-s3"})
    assert caught.value.problems == [
        "cloudtrail-loging:encryption: expected the namespace cloudtrail-logging; did you mean "
        "cloudtrail-logging:encryption?"
    ]


def test_other_namespaces_pass_through() -> None:
    parse({**archive_config(), "pulumi:tags": '{"team": "security"}', "random:seed": "1"})


def test_each_problem_is_one_line_naming_its_key() -> None:
    with pytest.raises(ConfigError) as caught:
        parse(archive_config(encryption="x", memberAccounts=["1"]))
    lines = str(caught.value).splitlines()
    assert lines == caught.value.problems
    assert lines[0].startswith("cloudtrail-logging:") and "expected" in lines[0]


def test_stack_names_for_both_backends_are_accepted() -> None:
    for name in (
        "acme/cloudtrail-logging/security",
        "organization/cloudtrail-logging/security",
        "security",
    ):
        central = parse(member_config(centralStack=name)).central
        assert central is not None and central.stack == name


def test_expiry_on_the_day_of_the_transition_is_refused_as_the_message_says() -> None:
    """The message asks for more than glacierTransitionDays: the same day is refused too."""
    refused = r"expirationDays.*more than glacierTransitionDays \(90\)"
    with pytest.raises(ConfigError, match=refused):
        parse(archive_config(glacierTransitionDays=90, expirationDays=90))
    kept = parse(archive_config(glacierTransitionDays=90, expirationDays=91)).lifecycle
    assert (kept.transition_days, kept.expire_after_days) == (90, 91)


def test_an_api_alert_matches_the_eventbridge_source_it_names() -> None:
    """`eventBridgeSource` reaches the rule's pattern: CloudWatch's API calls (event source
    monitoring.amazonaws.com) arrive on EventBridge as `aws.cloudwatch`, not `aws.monitoring`."""
    from cloudtrail_logging.alerting.alerts import event_pattern

    alert = {"name": "alarm-deleted", "eventSource": "monitoring.amazonaws.com",
             "eventNames": ["DeleteAlarms"]}  # fmt: skip
    [derived] = parse(archive_config(apiAlerts=[alert])).alerting.api_alerts
    assert event_pattern(derived)["source"] == ["aws.monitoring"]
    named = {**alert, "eventBridgeSource": "aws.cloudwatch"}
    [overridden] = parse(archive_config(apiAlerts=[named])).alerting.api_alerts
    assert event_pattern(overridden)["source"] == ["aws.cloudwatch"]


CT_TRAIL = "arn:aws:cloudtrail:us-east-1:444444444444:trail/aws-controltower-BaselineCloudTrail"
ONE_LINE_EACH = {
    "lambda-in-another-partition": (
        archive_config(alertLambdaArn="arn:aws-cn:lambda:cn-north-1:222222222222:function:f"),
        'cloudtrail-logging:alertLambdaArn: expected a Lambda function ARN in an existing aws '
        'region (got "arn:aws-cn:lambda:cn-north-1:222222222222:function:f")'),
    "unknown-alert-region": (
        archive_config(alertRegions=["moon-1"]),
        'cloudtrail-logging:alertRegions[0]: expected an existing aws region name (got "moon-1")'),
    "reader-elsewhere": (
        archive_config(logReaders=["arn:aws:iam::999999999999:role/r"]),
        "cloudtrail-logging:logReaders[0]: expected a role in the log-archive account "
        '(got "arn:aws:iam::999999999999:role/r")'),
    "too-many-units": (
        member_config(organizationalUnitIds=[f"ou-abcd-{i:08d}" for i in range(51)]),
        "cloudtrail-logging:organizationalUnitIds: expected at most 50 ids (CloudFormation "
        "CreateStackInstances) (got 51)"),
    # A rejected centralStack causes no derived error about the guardrail policy.
    "bad-central-stack-only": (
        member_config(centralStack="a/b", guardrailPolicy="on"),
        "cloudtrail-logging:centralStack: expected a stack name <organization>/<project>/<stack> "
        '(got "a/b")'),
    "bad-log-group-name": (
        member_config(existingTrailArn=CT_TRAIL, existingTrailLogGroupName="bad name!"),
        "cloudtrail-logging:existingTrailLogGroupName: expected a CloudWatch Logs group name "
        "such as aws-controltower/CloudTrailLogs: only ASCII letters, digits, '.', '_', '-', '/' "
        "and '#' (found ' ') (got \"bad name!\")"),
    "log-retention-beyond-ten-years": (
        archive_config(logRetentionDays=3654),
        'cloudtrail-logging:logRetentionDays: expected a whole number from 0 to 3653 '
        '(got "3654")'),
    # A refused value causes no derived error: the empty central stack is said once, not also
    # by the guardrail policy that needs it; a refused retention is not also judged by the
    # Object Lock rules.
    "empty-central-stack-with-guardrails": (
        member_config(centralStack="", guardrailPolicy="on"),
        "cloudtrail-logging:centralStack: the central stack is empty; expected the log-archive "
        'stack this member delivers to, a stack name <organization>/<project>/<stack> (got "")'),
    "object-lock-days-not-a-number": (
        archive_config(objectLockMode="GOVERNANCE", objectLockRetentionDays="x"),
        'cloudtrail-logging:objectLockRetentionDays: expected a whole number from 0 to 36500 '
        '(got "x")'),
    "existing-trail-without-bucket-on-the-archive": (
        archive_config(existingTrailArn=CT_TRAIL),
        "cloudtrail-logging:existingArchiveBucketName: expected the existing archive bucket, with "
        "existingTrailArn on a log-archive stack: its trail then records who reads or changes "
        "that bucket"),
}  # fmt: skip


@pytest.mark.parametrize(("values", "line"), ONE_LINE_EACH.values(), ids=ONE_LINE_EACH)
def test_a_mistake_is_one_line_naming_the_key_the_form_and_what_was_written(
    values: dict[str, Any], line: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(values)
    assert caught.value.problems == [line]


def test_object_lock_settings_reach_the_archive() -> None:
    settings = parse(archive_config(objectLockMode="COMPLIANCE", objectLockRetentionDays=30))
    assert settings.integrity.object_lock == ObjectLock("COMPLIANCE", 30)


def test_the_archive_is_deployed_from_its_own_account() -> None:
    elsewhere = "arn:aws:iam::999999999999:role/cloudtrail-logging-deployer"
    with pytest.raises(ConfigError) as caught:
        parse_settings(stack_config(archive_config()).values, deployer=lambda: elsewhere)
    assert caught.value.problems == [
        "cloudtrail-logging:archiveAdministrators: expected a deployment from the log-archive "
        f"account {SECURITY} (the deploying principal is {elsewhere})"
    ]


def test_guardrail_policy_off_creates_no_policy() -> None:
    assert parse(member_config(guardrailPolicy="off")).guardrails is None
