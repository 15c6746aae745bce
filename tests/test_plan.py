"""The plan: computed once from settings, names valid for AWS, outputs as the contract says."""

from __future__ import annotations

from typing import Any

import pytest

from cloudtrail_logging import outputs
from cloudtrail_logging.aws import names as aws_names
from cloudtrail_logging.outputs import Destination, local_destination
from cloudtrail_logging.plan import build_plan, checked_plan
from cloudtrail_logging.plan.limits import _names, plan_problems
from cloudtrail_logging.plan.parts import Plan
from cloudtrail_logging.settings import ConfigError, Settings
from tests.conftest import (
    MEMBER,
    SECURITY,
    archive_config,
    member_config,
    parse_config,
)

ALERT = {
    "name": "ec2-run-instances",
    "eventSource": "ec2.amazonaws.com",
    "eventNames": ["RunInstances"],
}
CENTRAL = Destination(
    bucket_name=f"cloudtrail-logging-{SECURITY}-us-east-1",
    account_id=SECURITY,
    trail_name="cloudtrail-logging",
    key_prefix=None,
    kms_key_arn=f"arn:aws:kms:us-east-1:{SECURITY}:key/0a1b2c3d-0000-4000-8000-000000000000",
    event_bus_arn=f"arn:aws:events:us-east-1:{SECURITY}:event-bus/cloudtrail-logging-alerts",
)


def settings(values: dict[str, Any]) -> Settings:
    return parse_config(values)


def archive_plan(**overrides: Any) -> Plan:
    s = settings(archive_config(**overrides))
    return checked_plan(s, local_destination(s))


def member_plan(**overrides: Any) -> Plan:
    return checked_plan(settings(member_config(**overrides)), CENTRAL)


LONGEST_PREFIX = "a" + "b" * 28 + "c"  # 30 characters, the longest namePrefix accepted
# With the longest prefix, the derived access-log bucket name is too long (refused below).
SHORT_ACCESS_LOG_BUCKET = {"accessLogBucketName": "access-logs"}
EXTREMES = [
    {"namePrefix": LONGEST_PREFIX, **SHORT_ACCESS_LOG_BUCKET},
    {"trailName": "Trail.with_dots-" + "x" * 112},  # 128 characters, dots and underscores
    {
        "namePrefix": LONGEST_PREFIX,
        **SHORT_ACCESS_LOG_BUCKET,
        "replicationRegion": "ap-southeast-2",
        "replicationBucket": "replica",
        "objectLockMode": "COMPLIANCE",
        "objectLockRetentionDays": 365,
        "trailNotificationTargets": ["sqs"],
        "bucketNotificationTargets": ["sns", "sqs"],
        "apiAlerts": [ALERT],
    },
    {"namePrefix": "abc", "bucketNotificationTargets": ["sqs"], "logGroupKms": True},
]


@pytest.mark.parametrize("overrides", EXTREMES)
def test_every_name_is_valid_for_aws_at_the_extremes(overrides: dict[str, Any]) -> None:
    archive_only = ("bucket", "accessLog", "replication", "objectLock")
    for plan in (
        archive_plan(**overrides),
        member_plan(
            **{k: v for k, v in overrides.items() if not k.startswith(archive_only)}
            | ({"trailName": CENTRAL.trail_name} if "trailName" in overrides else {})
        ),
    ):
        for kind, name, _key in _names(plan):
            assert aws_names.check_name(kind, name) is None, (kind, name)


def test_a_derived_access_log_bucket_name_too_long_is_refused_naming_its_key() -> None:
    with pytest.raises(ConfigError) as caught:
        archive_plan(namePrefix=LONGEST_PREFIX)
    [problem] = caught.value.problems
    assert problem.startswith("cloudtrail-logging:accessLogBucketName: expected an S3 bucket name")


def test_topic_and_queue_names_do_not_derive_from_the_trail_name() -> None:
    """A valid trail name may hold dots or 128 characters, which SNS and SQS refuse."""
    plan = archive_plan(trailName="Trail.with.dots", trailNotificationTargets=["sqs"])
    topic = plan.trail.notifications
    assert topic is not None and topic.queue is not None
    assert "." not in topic.name and "." not in topic.queue.name


def test_an_alert_name_that_makes_a_rule_name_too_long_is_refused_naming_apialerts() -> None:
    long_alert = {**ALERT, "name": "a" * 60}
    with pytest.raises(ConfigError) as caught:
        archive_plan(apiAlerts=[long_alert])
    assert caught.value.problems[0].startswith("cloudtrail-logging:apiAlerts: expected a value")
    assert "eventbridge-rule" in caught.value.problems[0]


@pytest.mark.parametrize("role", ["log-archive", "member"])
def test_the_plan_exports_exactly_the_outputs_contract(role: str) -> None:
    plan = archive_plan() if role == "log-archive" else member_plan()
    computed = {"kmsKeyArn"}  # the log key's ARN is added once the key exists
    assert set(plan.static_outputs()) | computed == set(outputs.outputs_of(plan.settings.role))


def test_the_plan_is_pure() -> None:
    s = settings(archive_config(apiAlerts=[ALERT], bucketNotificationTargets=["sqs"]))
    assert build_plan(s, local_destination(s)) == build_plan(s, local_destination(s))


def test_default_lifecycle_keeps_small_objects_in_standard() -> None:
    plan = archive_plan()
    assert plan.bucket is not None
    assert plan.bucket.transition_default_minimum_object_size == "all_storage_classes_128K"
    opted = archive_plan(transitionSmallObjects=True, archiveStorageClass="DEEP_ARCHIVE")
    assert opted.bucket is not None
    assert opted.bucket.transition_default_minimum_object_size == "varies_by_storage_class"
    assert opted.bucket.lifecycle_rules[0]["transitions"][0]["storage_class"] == "DEEP_ARCHIVE"


def test_secure_defaults() -> None:
    plan = archive_plan()
    assert plan.bucket is not None and plan.bucket.kms and plan.log_key is not None
    assert plan.trail.local_key
    assert plan.cloudwatch is not None and plan.cloudwatch.key is not None


def test_messaging_key_admits_only_the_services_that_publish() -> None:
    quiet = archive_plan(cisControls=[], tamperAlerts=False)
    assert quiet.messaging_key is None
    plan = archive_plan(bucketNotificationTargets=["sqs"], cisControls=[], tamperAlerts=False)
    assert plan.messaging_key is not None
    services = {
        service
        for statement in plan.messaging_key.policy["Statement"]
        for service in _as_list(statement.get("Principal", {}).get("Service"))
    }
    assert services == {"s3.amazonaws.com", "sns.amazonaws.com"}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def test_limits_are_checked_on_the_plan() -> None:
    members = [f"{n:012d}" for n in range(100000000000, 100000000000 + 2000)]
    s = settings(archive_config(memberAccounts=members))
    problems = plan_problems(build_plan(s, local_destination(s)))
    expected = "cloudtrail-logging:memberAccounts: expected at most"
    assert any(p.startswith(expected) for p in problems)


def test_member_plan_delivers_to_the_destination() -> None:
    plan = member_plan()
    assert plan.trail.bucket_name == CENTRAL.bucket_name
    assert plan.trail.kms_key_arn == CENTRAL.kms_key_arn and not plan.trail.local_key
    assert plan.bucket is None and plan.log_key is None
    assert plan.static_outputs()["logArchiveAccountId"] == SECURITY
    assert plan.settings.account_id == MEMBER
