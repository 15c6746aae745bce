"""ctl-s3-022: CloudTrail buckets have server access logging into another bucket S3 can deliver
to (not SSE-KMS, no Object Lock); the SSE-S3 access-log bucket stays clear of ctl-s3-001."""

from dataclasses import replace

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
from rule_cases import (
    access_log_bucket,
    access_logged_stack,
    bucket_logging,
    decided,
    log_bucket_stack,
    res,
    stack_findings,
    undecided,
    urn,
    with_props,
)

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
    assert decided(found) and "no S3 server access logging" in found[0][0]


def test_logging_into_itself_is_caught() -> None:
    own = bucket_logging(targetBucket=BUCKET_NAME)
    own = res(LOGGING, own.name, deps={"bucket": [urn(BUCKET, "logs")]}, **own.props)
    found = stack_findings(rule, [*log_bucket_stack(), own])
    assert decided(found) and "to itself" in found[0][0]
    inline = with_props(log_bucket_stack(), "logs", logging={"targetBucket": BUCKET_NAME})
    assert decided(stack_findings(rule, inline))


def test_sse_kms_target_is_caught() -> None:
    stack = with_props(access_logged_stack(), "access-logs-sse", rules=KMS)
    found = stack_findings(rule, stack)
    assert decided(found) and "SSE-KMS" in found[0][0]


def test_object_lock_target_is_caught() -> None:
    lock = res(
        OBJECT_LOCK,
        "access-logs-lock",
        deps={"bucket": [urn(BUCKET, "access-logs")]},
        bucket=ACCESS_LOG_BUCKET_NAME,
        rule={"defaultRetention": {"mode": "GOVERNANCE", "days": 1}},
    )
    found = stack_findings(rule, [*access_logged_stack(), lock])
    assert decided(found) and "Object Lock" in found[0][0]
    flagged = with_props(access_logged_stack(), "access-logs", objectLockEnabled=True)
    assert decided(stack_findings(rule, flagged))


def test_other_buckets_only_with_all_buckets_scope() -> None:
    stack = [*access_logged_stack(), res(BUCKET, "scratch", bucket="scratch")]
    assert stack_findings(rule, stack) == []
    found = stack_findings(rule, stack, appliesTo="allBuckets")
    assert decided(found) and {u for _m, u in found} >= {urn(BUCKET, "scratch")}


def test_unknown_target_is_undecided_unless_its_dependency_names_the_bucket() -> None:
    resolved = with_props(access_logged_stack(), "logs-access-logging", targetBucket=UNKNOWN)
    assert stack_findings(rule, resolved) == []  # the property dependency names access-logs
    bare = res(
        LOGGING,
        "bare",
        deps={"bucket": [urn(BUCKET, "logs")]},
        bucket=BUCKET_NAME,
        targetBucket=UNKNOWN,
    )
    stack = [*without(access_logged_stack(), "logs-access-logging"), bare]
    assert undecided(stack_findings(rule, stack))


def test_unknown_target_encryption_is_undecided() -> None:
    stack = with_props(
        access_logged_stack(),
        "access-logs-sse",
        rules=[{"applyServerSideEncryptionByDefault": {"sseAlgorithm": UNKNOWN}}],
    )
    assert undecided(stack_findings(rule, stack))


def test_logging_with_unknown_bucket_and_no_dependency_is_undecided() -> None:
    stray = res(LOGGING, "stray", bucket=UNKNOWN, targetBucket=ACCESS_LOG_BUCKET_NAME)
    stack = [*log_bucket_stack(), *access_log_bucket(), stray]
    assert undecided(stack_findings(rule, stack))
