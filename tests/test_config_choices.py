"""Where the config meets the pack and the provider: the remediation that names a config key and
its policy config file, the aws provider's keys, and the CloudTrail names an alert can match."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudtrail_logging.alerting import event_names, tamper
from cloudtrail_logging.aws.provider_config import closest_provider_key, provider_config_keys
from offline.remediation import admitted_policies, choice_for, choices, config_remediation

ROOT = Path(__file__).resolve().parent.parent


def test_each_documented_choice_names_a_shipped_file_that_admits_its_rules() -> None:
    assert {c.key for c in choices()} == {
        "encryption", "accessLogging", "guardrailPolicy", "logGroupKms",
        "existingArchiveBucketName"}
    for choice in choices():
        admitted = admitted_policies(ROOT / choice.config_file)
        for policy in choice.policy_ids:
            assert any(name.startswith(f"{policy}-") for name in admitted), (choice, policy)


def test_a_violation_names_the_key_and_the_file() -> None:
    config = {"cloudtrail-logging:encryption": "sse-s3"}
    assert config_remediation("ctl-ct-005-trail-kms-encryption", config) == (
        "set cloudtrail-logging:encryption to sse-kms (its default), or keep sse-s3 and preview "
        "with --policy-config policies/config/sse-s3.json, which admits it")
    assert config_remediation("ctl-s3-022-cloudtrail-bucket-access-logging", {}) == (
        "set cloudtrail-logging:accessLogging to true (its default), or keep this choice and "
        "preview with --policy-config policies/config/without-access-logging.json, which "
        "admits it")
    # A rule no config choice answers to gets no such line.
    assert choice_for("ctl-s3-002-bucket-policy-tls-only") is None
    assert config_remediation("ctl-s3-002-bucket-policy-tls-only", config) is None


def test_the_provider_keys_come_from_the_installed_sdk() -> None:
    keys = provider_config_keys()
    assert {"region", "allowedAccountIds", "profile", "assumeRoles", "skipMetadataApiCheck",
            "s3UsePathStyle"} <= keys
    for stack in ("security", "dev"):
        text = (ROOT / f"Pulumi.{stack}.yaml").read_text()
        used = {line.split(":")[1] for line in text.splitlines() if line.startswith("  aws:")}
        assert used <= keys
    assert closest_provider_key("profle") == "profile"
    assert closest_provider_key("allowedAccountId") == "allowedAccountIds"
    assert closest_provider_key("bucket") is None


@pytest.mark.parametrize(
    ("source", "events"),
    [
        ("cloudtrail.amazonaws.com", tamper.TRAIL_EVENTS),
        ("s3.amazonaws.com", tamper.BUCKET_EVENTS),
        ("kms.amazonaws.com", tamper.KEY_EVENTS),
        ("organizations.amazonaws.com", tamper.GUARDRAIL_EVENTS + tamper.LEAVE_EVENTS),
        ("iam.amazonaws.com", tamper.ROLE_EVENTS),
        ("events.amazonaws.com", tamper.EVENTBRIDGE_EVENTS),
        ("sns.amazonaws.com", tamper.TOPIC_EVENTS),
        ("signin.amazonaws.com", ("ConsoleLogin",)),
        ("monitoring.amazonaws.com", ("PutMetricAlarm", "DeleteAlarms")),
    ],
)
def test_the_tamper_rules_match_names_cloudtrail_records(source: str, events: tuple[str, ...]
                                                         ) -> None:
    assert event_names.source_problem(source) is None
    assert [e for e in events if event_names.name_problem(source, e) is not None] == []


def test_s3_bucket_calls_are_recorded_under_their_legacy_names() -> None:
    recorded = event_names.recorded_names("s3.amazonaws.com")
    assert recorded is not None
    assert recorded["PutBucketLifecycleConfiguration"] == "PutBucketLifecycle"
    assert recorded["PutBucketNotificationConfiguration"] == "PutBucketNotification"
    assert recorded["PutBucketPolicy"] == "PutBucketPolicy"
    assert recorded["PutPublicAccessBlock"] == "PutBucketPublicAccessBlock"
    assert event_names.name_problem("s3.amazonaws.com", "PutBucketLifecycle") is None
    assert event_names.name_problem("s3.amazonaws.com", "PutBucketPublicAccessBlock") is None
    assert event_names.name_problem("s3.amazonaws.com", "PutPublicAccessBlock") == (
        "an event name s3.amazonaws.com records: CloudTrail records PutPublicAccessBlock as "
        "PutBucketPublicAccessBlock")
    assert event_names.name_problem("s3.amazonaws.com", "PutBucketLifecycleConfiguration") == (
        "an event name s3.amazonaws.com records: CloudTrail records "
        "PutBucketLifecycleConfiguration as PutBucketLifecycle")


def test_an_unknown_source_or_name_is_refused() -> None:
    assert event_names.recorded_names("nothing.amazonaws.com") is None
    assert event_names.recorded_names("ec2.example.com") is None
    assert "did you mean ecs.amazonaws.com?" in (event_names.source_problem("ec3.amazonaws.com")
                                                 or "")
    assert event_names.name_problem("ec2.amazonaws.com", "RunInstance") == (
        "an event name ec2.amazonaws.com records (an API operation of that service); did you "
        "mean RunInstances?")
    assert event_names.name_problem("ec2.amazonaws.com", "RunInstances") is None


def test_the_json_diagnostic_of_a_violation_names_the_key_too() -> None:
    from engine_model.analyzer import Violation
    from offline.digest import violation_diagnostic

    violation = Violation(
        policy_name="ctl-s3-001-bucket-encryption", policy_pack="p", policy_pack_version="1",
        enforcement_level="mandatory", severity="high", description="d",
        message="d\nBucket 'b' must use SSE-KMS.", urn="urn:x")
    assert violation_diagnostic(violation, {"cloudtrail-logging:encryption": "sse-s3"}) == {
        "urn": "urn:x", "severity": "error",
        "message": "[mandatory]  ctl-s3-001-bucket-encryption: Bucket 'b' must use SSE-KMS.\n"
                   "in this project: set cloudtrail-logging:encryption to sse-kms (its default), "
                   "or keep sse-s3 and preview with --policy-config policies/config/sse-s3.json, "
                   "which admits it"}
