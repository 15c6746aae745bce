"""ctl-s3-022: CloudTrail buckets have server access logging into another bucket S3 can deliver
to (not SSE-KMS, no Object Lock); the SSE-S3 access-log bucket stays clear of ctl-s3-001."""

from dataclasses import replace

import pytest
from archive_cases import (
    LOGS,
    access_log_bucket,
    access_logged_stack,
    bucket_logging,
    log_bucket_stack,
    maybe_log_bucket_stack,
)
from guardrails.rules import ctl_s3_001_bucket_encryption
from guardrails.rules import ctl_s3_022_cloudtrail_bucket_access_logging as rule
from literals import (
    ACCESS_LOG_BUCKET_NAME,
    BUCKET,
    BUCKET_NAME,
    LOGGING,
    LOGGING_V2,
    OBJECT_LOCK,
    UNKNOWN,
    without,
)
from rule_cases import res, stack_findings, urn, with_props

KMS = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]


def test_access_logged_log_bucket_passes() -> None:
    assert stack_findings(rule, access_logged_stack()) == []


def test_kms_log_bucket_with_sse_s3_access_log_bucket_passes_ctl_s3_001_too() -> None:
    stack = access_logged_stack()
    assert stack_findings(ctl_s3_001_bucket_encryption, stack) == []
    assert stack_findings(rule, stack) == []


def test_v2_token_and_legacy_inline_logging_count() -> None:
    v2 = replace(bucket_logging(), type=LOGGING_V2)
    assert stack_findings(rule, [*log_bucket_stack(), *access_log_bucket(), v2]) == []
    inline = with_props(
        [*log_bucket_stack(), *access_log_bucket()],
        "logs",
        logging={"targetBucket": ACCESS_LOG_BUCKET_NAME, "targetPrefix": "s3-access-logs/"},
    )
    assert stack_findings(rule, inline) == []


def test_target_outside_the_stack_is_accepted() -> None:
    stack = [*log_bucket_stack(), bucket_logging(targetBucket="central-access-logs")]
    assert stack_findings(rule, stack) == []


def test_log_bucket_without_access_logging_is_caught() -> None:
    found = stack_findings(rule, [*log_bucket_stack(), *access_log_bucket()])
    assert found.decided and "no S3 server access logging" in found[0][0]


def test_logging_into_itself_is_caught() -> None:
    own = bucket_logging(targetBucket=BUCKET_NAME)
    own = res(LOGGING, own.name, deps={"bucket": [LOGS]}, **own.props)
    found = stack_findings(rule, [*log_bucket_stack(), own])
    assert found.decided and "to itself" in found[0][0]
    inline = with_props(log_bucket_stack(), "logs", logging={"targetBucket": BUCKET_NAME})
    assert stack_findings(rule, inline).decided


def test_sse_kms_target_is_caught() -> None:
    stack = with_props(access_logged_stack(), "access-logs-sse", rules=KMS)
    found = stack_findings(rule, stack)
    assert found.decided and "SSE-KMS" in found[0][0]


def test_object_lock_target_is_caught() -> None:
    lock = res(
        OBJECT_LOCK,
        "access-logs-lock",
        deps={"bucket": [urn(BUCKET, "access-logs")]},
        bucket=ACCESS_LOG_BUCKET_NAME,
        rule={"defaultRetention": {"mode": "GOVERNANCE", "days": 1}},
    )
    found = stack_findings(rule, [*access_logged_stack(), lock])
    assert found.decided and "Object Lock" in found[0][0]
    flagged = with_props(access_logged_stack(), "access-logs", objectLockEnabled=True)
    assert stack_findings(rule, flagged).decided


def test_other_buckets_only_with_all_buckets_scope() -> None:
    stack = [*access_logged_stack(), res(BUCKET, "scratch", bucket="scratch")]
    assert stack_findings(rule, stack) == []
    found = stack_findings(rule, stack, appliesTo="allBuckets")
    assert found.decided and {u for _m, u in found} >= {urn(BUCKET, "scratch")}


def test_unknown_target_is_undecided_unless_its_dependency_names_the_bucket() -> None:
    resolved = with_props(access_logged_stack(), "logs-access-logging", targetBucket=UNKNOWN)
    assert stack_findings(rule, resolved) == []  # the property dependency names access-logs
    bare = res(
        LOGGING,
        "bare",
        deps={"bucket": [LOGS]},
        bucket=BUCKET_NAME,
        targetBucket=UNKNOWN,
    )
    stack = [*without(access_logged_stack(), "logs-access-logging"), bare]
    assert stack_findings(rule, stack).undecided


def test_unknown_target_encryption_is_undecided() -> None:
    stack = with_props(
        access_logged_stack(),
        "access-logs-sse",
        rules=[{"applyServerSideEncryptionByDefault": {"sseAlgorithm": UNKNOWN}}],
    )
    assert stack_findings(rule, stack).undecided


def test_logging_with_unknown_bucket_and_no_dependency_is_undecided() -> None:
    stray = res(LOGGING, "stray", bucket=UNKNOWN, targetBucket=ACCESS_LOG_BUCKET_NAME)
    stack = [*log_bucket_stack(), *access_log_bucket(), stray]
    assert stack_findings(rule, stack).undecided


# --- where each finding goes and what it names ---------------------------------------------------

ACCESS_LOGS = urn(BUCKET, "access-logs")
OWN_LOGGING = urn(LOGGING, "logs-access-logging")
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"


def inline_logging(value: object) -> list:
    return with_props([*log_bucket_stack(), *access_log_bucket()], "logs", logging=value)


def to_access_logs() -> dict[str, str]:
    return {"targetBucket": ACCESS_LOG_BUCKET_NAME}


def test_inline_logging_as_a_list_counts_its_items_with_a_target() -> None:
    assert stack_findings(rule, inline_logging([{}, to_access_logs()])) == []


@pytest.mark.parametrize(
    ("stack", "at", "prop"),
    [
        ([*without(access_logged_stack(), "logs-access-logging"),
          replace(bucket_logging(targetBucket=UNKNOWN), property_dependencies={
              "bucket": [LOGS]})], OWN_LOGGING, "targetBucket"),
        (inline_logging({"targetBucket": UNKNOWN}), LOGS, "logging.targetBucket"),
        (inline_logging(UNKNOWN), LOGS, "logging.targetBucket"),
    ],
    ids=["split", "inline", "inline-block"],
)  # fmt: skip
def test_an_unknown_target_is_undecided_naming_it(stack: list, at: str, prop: str) -> None:
    found = stack_findings(rule, stack)
    assert found.undecided and found.urns == [at]
    owner = "Bucket 'logs'" if at == LOGS else "BucketLogging 'logs-access-logging'"
    assert f"{owner} property '{prop}' is unknown" in found[0][0]


def test_a_target_resolved_to_the_bucket_itself_is_caught() -> None:
    own = replace(bucket_logging(targetBucket=UNKNOWN),
                  property_dependencies={"bucket": [LOGS], "targetBucket": [LOGS]})  # fmt: skip
    found = stack_findings(rule, [*log_bucket_stack(), own])
    assert found.decided and found.urns == [OWN_LOGGING]
    assert "Bucket 'logs' delivers its server access logs to itself" in found[0][0]


def test_every_logging_source_is_judged() -> None:
    """A split one whose target is unknown, then the inline one into the bucket itself."""
    bare = replace(bucket_logging(targetBucket=UNKNOWN), property_dependencies={"bucket": [LOGS]})
    stack = [*inline_logging({"targetBucket": BUCKET_NAME}), bare]
    found = stack_findings(rule, stack)
    assert found.urns == [OWN_LOGGING, LOGS]
    assert found[:1].undecided and found[1:].decided


def test_a_source_after_one_into_the_bucket_itself_is_judged() -> None:
    stack = with_props(access_logged_stack(), "logs-access-logging", targetBucket=BUCKET_NAME)
    stack = with_props(with_props(stack, "logs", logging=to_access_logs()), "access-logs-sse",
                       rules=KMS)  # fmt: skip
    found = stack_findings(rule, stack)
    assert found.urns == [OWN_LOGGING, ACCESS_LOGS]
    assert found.decided


def test_a_destination_named_twice_is_judged_once() -> None:
    stack = with_props(access_logged_stack(), "access-logs-sse", rules=KMS)
    stack = with_props(stack, "logs", logging=to_access_logs())
    found = stack_findings(rule, stack)
    assert found.decided and found.urns == [ACCESS_LOGS]
    assert "Bucket 'access-logs'" in found[0][0] and "Bucket 'logs'" in found[0][0]
    assert "aws:kms" in found[0][0]


def test_a_destination_without_encryption_configuration_passes() -> None:
    assert stack_findings(rule, without(access_logged_stack(), "access-logs-sse")) == []


def test_an_encryption_configuration_of_an_unknown_bucket_makes_the_destination_undecided() -> None:
    stray = res(SSE, "stray-sse", bucket=UNKNOWN, rules=KMS)
    found = stack_findings(rule, [*without(access_logged_stack(), "access-logs-sse"), stray])
    assert found.undecided and found.urns == [ACCESS_LOGS]
    assert "Bucket 'access-logs'" in found[0][0] and "Bucket 'logs'" in found[0][0]


@pytest.mark.parametrize(
    ("stack", "unknown"),
    [
        (with_props(access_logged_stack(), "access-logs-sse", rules=[
            {"applyServerSideEncryptionByDefault": {"sseAlgorithm": UNKNOWN}}]), True),
        (with_props(access_logged_stack(), "access-logs", objectLockEnabled=UNKNOWN), True),
        (with_props(access_logged_stack(), "access-logs", objectLockEnabled=True), False),
    ],
    ids=["sse-unknown", "object-lock-unknown", "object-lock"],
)  # fmt: skip
def test_destination_findings_are_at_the_destination_naming_both(
    stack: list, unknown: bool
) -> None:
    found = stack_findings(rule, stack)
    assert found.urns == [ACCESS_LOGS]
    assert found.undecided if unknown else found.decided
    assert "Bucket 'access-logs'" in found[0][0] and "Bucket 'logs'" in found[0][0]


def test_self_logging_and_missing_logging_are_at_the_bucket() -> None:
    found = stack_findings(rule, inline_logging({"targetBucket": BUCKET_NAME}))
    assert found.decided and found.urns == [LOGS]
    found = stack_findings(rule, [*log_bucket_stack(), *access_log_bucket()])
    assert found.decided and found.urns == [LOGS]


def test_a_bucket_that_may_be_a_log_bucket_without_logging_is_undecided() -> None:
    stack = maybe_log_bucket_stack()
    found = stack_findings(rule, stack)
    assert found.undecided and found.urns == [LOGS]
    assert "Bucket 'logs'" in found[0][0] and "no server access logging" in found[0][0]


def test_a_log_bucket_and_its_target_both_named_at_apply_are_told_apart() -> None:
    """Both names unknown at preview: the target's dependency says it is the access-log bucket,
    not the log bucket itself (two unknown names are not the same name)."""
    stack = with_props(access_logged_stack(), "logs", bucket=UNKNOWN)
    stack = with_props(stack, "logs-access-logging", bucket=UNKNOWN, targetBucket=UNKNOWN)
    assert stack_findings(rule, stack) == []
