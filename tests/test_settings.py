"""Config contract: defaults, and every bad value refused naming its key, before any resource."""

from __future__ import annotations

import ast
from dataclasses import fields
from typing import Any

import pulumi
import pytest

from cloudtrail_logging import schema
from cloudtrail_logging.integrity.object_lock import ObjectLock
from cloudtrail_logging.integrity.replication import ReplicaTarget
from cloudtrail_logging.settings import (
    ArchiveSettings,
    ConfigError,
    MemberSettings,
    Settings,
    StackSettings,
    parse_settings,
)
from cloudtrail_logging.settings.reader import Reader
from engine_model.program import ProgramError, run_program
from tests.conftest import (
    MEMBER,
    ROOT,
    SECURITY,
    archive_config,
    deployer_of,
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


def test_the_package_exports_what_its_users_import() -> None:
    import cloudtrail_logging.settings as package

    imported = {
        alias.name
        for path in (ROOT / p for p in ("__main__.py", "cloudtrail_logging", "components"))
        for file in ([path] if path.is_file() else path.rglob("*.py"))
        for node in ast.walk(ast.parse(file.read_text()))
        if isinstance(node, ast.ImportFrom) and node.module == "cloudtrail_logging.settings"
        for alias in node.names
    }
    assert imported <= set(package.__all__)
    assert all(hasattr(package, name) for name in package.__all__)


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
CT_LOG_GROUP = "aws-controltower/CloudTrailLogs"
CT_BUCKET = f"aws-controltower-logs-{SECURITY}-us-east-1"
LOG_BUCKET = f"cloudtrail-logging-{SECURITY}-us-east-1"
LAMBDA = f"arn:aws:lambda:us-east-1:{SECURITY}:function:f"
EXPLICIT_CENTRAL = {"centralBucketName": "central-bucket", "centralAccountId": SECURITY}
RUN_INSTANCES = {"name": "ec2-run-instances", "eventSource": "ec2.amazonaws.com",
                 "eventNames": ["RunInstances"]}  # fmt: skip


def units(count: int) -> list[str]:
    """`count` distinct organizational unit ids."""
    return [f"ou-abcd-{i:08d}" for i in range(count)]


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
        member_config(organizationalUnitIds=units(51)),
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
    # --- every stack ---
    "role-missing": (
        {k: v for k, v in member_config().items() if k != "role"},
        "cloudtrail-logging:role: expected log-archive or member (required)"),
    "lambda-arn-without-the-lambda-target": (
        archive_config(trailNotificationLambdaArn=LAMBDA),
        "cloudtrail-logging:trailNotificationTargets: expected a list including lambda, because "
        "trailNotificationLambdaArn is set"),
    # A refused Region is said once: no Lambda ARN or alert Region is judged against the
    # partition it stands in for.
    "bad-region-only": (
        archive_config(**{"aws:region": "moon-1"}, alertRegions=["cn-north-1"],
                       alertLambdaArn="arn:aws-cn:lambda:cn-north-1:222222222222:function:f"),
        'aws:region: expected an AWS region name such as us-east-1 (got "moon-1")'),
    # --- the log archive ---
    "own-account-among-members": (
        archive_config(memberAccounts=[MEMBER, SECURITY]),
        "cloudtrail-logging:memberAccounts: expected member accounts only: the log-archive "
        f'account\'s own trail is always admitted (got "{SECURITY}")'),
    "several-bucket-targets-without-sns": (
        archive_config(bucketNotificationTargets=["sqs", "lambda"],
                       bucketNotificationLambdaArn=LAMBDA),
        "cloudtrail-logging:bucketNotificationTargets: expected a single target, or a list "
        "including sns to fan out (S3 rejects overlapping notification configurations) "
        '(got ["sqs", "lambda"])'),
    "object-lock-longer-than-expiry": (
        archive_config(expirationDays=400, objectLockMode="GOVERNANCE",
                       objectLockRetentionDays=401),
        "cloudtrail-logging:objectLockRetentionDays: expected at most expirationDays (400): "
        "lifecycle cannot delete locked versions (got 401)"),
    # A refused expiry is not also judged by the Object Lock rules (401 > 30 would be).
    "bad-expiry-only": (
        archive_config(expirationDays=30, objectLockMode="GOVERNANCE",
                       objectLockRetentionDays=401),
        "cloudtrail-logging:expirationDays: expected 0 (never) or more than "
        "glacierTransitionDays (90) (got 30)"),
    "replication-key-without-region": (
        archive_config(replicationBucket="replica-of-logs"),
        "cloudtrail-logging:replicationBucket: expected no value unless replicationRegion is set "
        '(got "replica-of-logs")'),
    "replication-region-of-another-partition": (
        archive_config(replicationRegion="cn-north-1"),
        "cloudtrail-logging:replicationRegion: expected a Region of the stack's partition other "
        'than its own (got "cn-north-1")'),
    "replication-region-the-archives-own": (
        archive_config(replicationRegion="us-east-1"),
        "cloudtrail-logging:replicationRegion: expected a Region other than the archive's "
        '(us-east-1) (got "us-east-1")'),
    # A refused account is said once: the replica's account is not compared with it.
    "bad-account-only": (
        archive_config(**{"aws:allowedAccountIds": ["1"]}, replicationRegion="us-west-2",
                       replicationAccountId=MEMBER),
        "aws:allowedAccountIds: expected exactly one 12-digit account id, the stack's own "
        'account (got ["1"])'),
    "replication-bucket-misnamed": (
        archive_config(replicationRegion="us-west-2", replicationBucket="xn--logs"),
        "cloudtrail-logging:replicationBucket: expected an S3 bucket name: no 'xn--' prefix "
        '(reserved by S3) (got "xn--logs")'),
    "replication-bucket-is-the-log-bucket": (
        archive_config(replicationRegion="us-west-2", replicationBucket=LOG_BUCKET),
        "cloudtrail-logging:replicationBucket: expected a bucket name different from the log "
        "bucket's and the other buckets' (S3 bucket names are global) "
        f'(got "{LOG_BUCKET}")'),
    "access-log-bucket-without-access-logging": (
        archive_config(accessLogging=False, accessLogBucketName="my-access-logs"),
        "cloudtrail-logging:accessLogBucketName: expected no value when accessLogging is false"),
    # --- a member ---
    "central-account-without-bucket": (
        member_config(centralAccountId=SECURITY),
        "cloudtrail-logging:centralBucketName: expected an S3 bucket name, with the other "
        "central* keys"),
    "organization-trail-without-central-stack": (
        member_config(**EXPLICIT_CENTRAL, organizationTrail=True, guardrailPolicy="off"),
        "cloudtrail-logging:organizationTrail: expected centralStack, so that the organization "
        "id and management account come from the log-archive stack"),
    "api-alerts-without-central-bus": (
        member_config(**EXPLICIT_CENTRAL, apiAlerts=[RUN_INSTANCES]),
        "cloudtrail-logging:centralEventBusArn: expected an EventBridge bus ARN, because "
        "apiAlerts forward to the central bus"),
    "guardrails-without-central-stack": (
        member_config(**EXPLICIT_CENTRAL, guardrailPolicy="on"),
        "cloudtrail-logging:guardrailPolicy: expected centralStack, so that the guardrail policy "
        "names the log archive's buckets, key and administrators as that stack exports them "
        '(got "on")'),
    "too-many-guardrail-targets": (
        member_config(guardrailPolicy="on", guardrailTargetIds=units(51)),
        "cloudtrail-logging:guardrailTargetIds: expected at most 50 ids (got 51)"),
    # --- an existing landing zone ---
    "log-group-without-existing-trail": (
        member_config(existingTrailLogGroupName=CT_LOG_GROUP),
        "cloudtrail-logging:existingTrailLogGroupName: expected no value without "
        f'existingTrailArn (got "{CT_LOG_GROUP}")'),
    "existing-trail-of-another-partition": (
        member_config(existingTrailArn=CT_TRAIL.replace("arn:aws:", "arn:aws-cn:")),
        "cloudtrail-logging:existingTrailArn: expected a trail of the stack's partition aws "
        f'(got "{CT_TRAIL.replace("arn:aws:", "arn:aws-cn:")}")'),
    "organization-trail-beside-an-existing-one": (
        member_config(existingTrailArn=CT_TRAIL, organizationTrail=True),
        "cloudtrail-logging:organizationTrail: expected false with existingTrailArn: the "
        "organization already has its trail, and a second copy of management events is billed"),
    "central-stack-beside-explicit-keys": (
        member_config(centralStack="org/p/security", centralBucketName="b-logs",
                      centralAccountId=SECURITY),
        "cloudtrail-logging:centralStack: expected no value when centralBucketName, "
        'centralAccountId given explicitly (got "org/p/security")'),
    "central-bucket-misnamed": (
        member_config(centralStack="", centralBucketName="Bad_Bucket", centralAccountId=SECURITY),
        "cloudtrail-logging:centralBucketName: expected an S3 bucket name: only lower-case "
        "letters, digits, '.' and '-' (found 'B') (got \"Bad_Bucket\")"),
    "central-account-is-the-members-own": (
        member_config(centralStack="", centralBucketName="b-logs", centralAccountId=MEMBER),
        "cloudtrail-logging:centralAccountId: expected the log-archive account, not this "
        f"member's own account (got \"{MEMBER}\")"),
    "guardrail-targets-while-guardrails-are-off": (
        member_config(guardrailPolicy="off", guardrailTargetIds='["r-ab12"]'),
        "cloudtrail-logging:guardrailTargetIds: expected no value while guardrailPolicy is off "
        '(got ["r-ab12"])'),
    "unknown-key-with-no-close-one": (
        archive_config(zzzqqq="x"),
        "cloudtrail-logging:zzzqqq: not a setting of this project; see the README's "
        "configuration tables"),
    "misspelt-region-key-only": (
        {k: v for k, v in archive_config(**{"aws:regoin": "us-east-1"}).items()
         if k != "aws:region"},
        "aws:regoin: not a setting of the aws provider; did you mean aws:region?"),
    "bad-region-and-a-replica-elsewhere": (
        archive_config(**{"aws:region": "mars-1"}, replicationRegion="cn-north-1"),
        'aws:region: expected an AWS region name such as us-east-1 (got "mars-1")'),
    "cis-controls-without-the-existing-trails-group": (
        member_config(existingTrailArn=CT_TRAIL, cisControls='["CloudWatch.1"]'),
        "cloudtrail-logging:cisControls: expected no value without existingTrailLogGroupName: "
        'the metric filters go on the existing trail\'s log group (got ["CloudWatch.1"])'),
    "archive-key-on-a-member-shown-as-written": (
        member_config(memberAccounts='["333333333333"]'),
        "cloudtrail-logging:memberAccounts: expected no value on a member stack: it is a "
        'log-archive setting (got ["333333333333"])'),
    "trail-key-of-a-member-without-a-trail": (
        member_config(existingTrailArn=CT_TRAIL, insights=True),
        "cloudtrail-logging:insights: expected no value with existingTrailArn on a member stack: "
        "it creates no trail (configure the existing trail instead) (got true)"),
    "log-group-key-without-a-log-group": (
        member_config(existingTrailArn=CT_TRAIL, logRetentionDays=731),
        "cloudtrail-logging:logRetentionDays: expected no value with existingTrailArn: the stack "
        "creates no CloudWatch Logs group (existingTrailLogGroupName is the existing trail's) "
        "(got 731)"),
    "existing-bucket-without-existing-trail": (
        archive_config(existingArchiveBucketName=CT_BUCKET),
        "cloudtrail-logging:existingArchiveBucketName: expected existingTrailArn too: the "
        "organization trail that delivers to that bucket records this account's management "
        "events"),
    "existing-bucket-without-access-data-events": (
        archive_config(existingTrailArn=CT_TRAIL, existingArchiveBucketName=CT_BUCKET,
                       logAccessDataEvents=False),
        "cloudtrail-logging:logAccessDataEvents: expected true with existingArchiveBucketName: "
        "the stack's trail records nothing but who reads or changes the archives (got false)"),
    "existing-bucket-with-insights": (
        archive_config(existingTrailArn=CT_TRAIL, existingArchiveBucketName=CT_BUCKET,
                       insights=True),
        "cloudtrail-logging:insights: expected false with existingArchiveBucketName: the trail "
        "records data events only, Insights on management events needs them, and pulumi-aws "
        "7.51.1 cannot select Insights on data events (InsightSelector EventCategories) "
        "(got true)"),
    "delegated-admin-on-the-organization-trails-stack": (
        member_config(organizationTrail=True, stackSetCallAs="DELEGATED_ADMIN"),
        "cloudtrail-logging:stackSetCallAs: expected SELF on the management account's stack "
        "(organizationTrail): CreateStackSet refuses CallAs DELEGATED_ADMIN there, since "
        "Organizations cannot register the management account as a delegated administrator "
        '(got "DELEGATED_ADMIN")'),
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


# --- what a valid config reads into -------------------------------------------------------------


def test_a_replica_in_another_account_reaches_the_archive() -> None:
    key = f"arn:aws:kms:us-west-2:{MEMBER}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    settings = parse(archive_config(replicationRegion="us-west-2", replicationAccountId=MEMBER,
                                    replicationBucket="replica-of-logs",
                                    replicationKmsKeyArn=key))  # fmt: skip
    assert settings.integrity.replica == ReplicaTarget(
        region="us-west-2", bucket="replica-of-logs", account_id=MEMBER, kms_key_arn=key
    )


def test_without_access_logging_there_is_no_access_log_bucket() -> None:
    assert parse(archive_config(accessLogging=False)).integrity.access_log_bucket is None


def test_organization_alerts_reach_the_member() -> None:
    assert parse(member_config(organizationAlerts=False)).organization_alerts is False
    assert parse(member_config()).organization_alerts is True


def test_fifty_guardrail_targets_are_accepted_and_fifty_one_refused() -> None:
    guardrails = parse(member_config(guardrailPolicy="on", guardrailTargetIds=units(50))).guardrails
    assert guardrails is not None and len(guardrails.target_ids) == 50
    with pytest.raises(ConfigError, match="guardrailTargetIds: expected at most 50 ids"):
        parse(member_config(guardrailPolicy="on", guardrailTargetIds=units(51)))


def test_the_trails_owner_puts_the_cis_filters_on_its_existing_log_group() -> None:
    """The management account's stack (the trail's account and home Region) names the trail's
    group, so cisControls has somewhere to go; it owns the trail, so it never calls as
    DELEGATED_ADMIN."""
    trails_account = {"aws:region": "us-east-1", "aws:allowedAccountIds": ["444444444444"]}
    owner = member_config(
        **trails_account, existingTrailArn=CT_TRAIL, existingTrailLogGroupName=CT_LOG_GROUP
    )
    settings = parse({**owner, "cisControls": ["CloudWatch.1"]})
    assert [control.control_id for control in settings.alerting.cis_controls] == ["CloudWatch.1"]
    assert settings.existing_trail is not None
    assert settings.existing_trail.log_group_name == CT_LOG_GROUP
    with pytest.raises(ConfigError) as caught:
        parse({**owner, "stackSetCallAs": "DELEGATED_ADMIN"})
    assert caught.value.problems == [
        "cloudtrail-logging:stackSetCallAs: expected SELF on the management account's stack (it "
        "owns existingTrailArn): CreateStackSet refuses CallAs DELEGATED_ADMIN there, since "
        "Organizations cannot register the management account as a delegated administrator "
        '(got "DELEGATED_ADMIN")'
    ]


def test_an_archive_whose_deployer_cannot_be_read_must_name_its_administrators() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings(stack_config(archive_config()).values, deployer=None)
    assert caught.value.problems == [
        "cloudtrail-logging:archiveAdministrators: expected at least one IAM role ARN (the "
        "deploying principal could not be read)"
    ]


# --- the reader ---------------------------------------------------------------------------------


def test_a_blinded_secret_is_taken_as_it_is_or_as_the_default() -> None:
    """An offline preview hands a secret as `[secret]`: a string key keeps it unjudged (it is
    no e-mail address), any other key reads as its default (it is no number)."""
    values = archive_config(alertEmail="[secret]", glacierTransitionDays="[secret]")
    secret = ["cloudtrail-logging:alertEmail", "cloudtrail-logging:glacierTransitionDays"]
    settings = parse_settings(
        stack_config(values).values, deployer=deployer_of(values), secret_keys=secret
    )
    assert settings.alerting.alert_email == "[secret]"
    assert settings.lifecycle.transition_days == 90


def test_a_namespace_is_a_typo_only_when_close_to_the_projects() -> None:
    """`trail-logging` is a misspelt `cloudtrail-logging`; `cloudtrail` is another program's."""
    with pytest.raises(ConfigError) as caught:
        parse({**archive_config(), "trail-logging:encryption": "sse-s3"})
    assert caught.value.problems == [
        "trail-logging:encryption: expected the namespace cloudtrail-logging; did you mean "
        "cloudtrail-logging:encryption?"
    ]
    parse({**archive_config(), "cloudtrail:encryption": "sse-s3"})


def test_a_refused_item_or_field_rejects_its_whole_key() -> None:
    """`memberAccounts[1]` or `apiAlerts[0].name` refused: checks deriving from the key skip."""
    cfg = Reader({})
    cfg.fail("memberAccounts[1]", "12-digit account ids", "1")
    cfg.fail("apiAlerts[0].name", "a name", "X")
    assert not cfg.ok("memberAccounts") and not cfg.ok("apiAlerts")
    assert cfg.ok("logReaders")
    assert cfg.problems == [
        'cloudtrail-logging:memberAccounts[1]: expected 12-digit account ids (got "1")',
        'cloudtrail-logging:apiAlerts[0].name: expected a name (got "X")',
    ]
