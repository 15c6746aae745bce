"""ctl-s3-001: default encryption on every bucket; SSE-KMS on CloudTrail buckets."""

from guardrails.rules import ctl_s3_001_bucket_encryption as rule
from literals import BUCKET, UNKNOWN, without
from rule_cases import decided, log_bucket_stack, res, stack_findings, undecided, with_props

AES = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]


def test_kms_encrypted_log_bucket_passes() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []


def test_legacy_inline_encryption_counts() -> None:
    stack = with_props(
        without(log_bucket_stack(), "logs-sse"),
        "logs",
        serverSideEncryptionConfiguration={
            "rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}
        },
    )
    assert stack_findings(rule, stack) == []


def test_bucket_without_encryption_is_caught() -> None:
    found = stack_findings(rule, without(log_bucket_stack(), "logs-sse"))
    assert decided(found) and "no default encryption" in found[0][0]


def test_sse_s3_on_cloudtrail_bucket_is_caught_unless_allowed() -> None:
    stack = with_props(log_bucket_stack(), "logs-sse", rules=AES)
    assert decided(stack_findings(rule, stack))
    assert stack_findings(rule, stack, requireKmsForCloudTrailBuckets=False) == []


def test_other_bucket_may_use_sse_s3() -> None:
    stack = [
        res(
            BUCKET,
            "scratch",
            bucket="scratch",
            serverSideEncryptionConfiguration={
                "rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}
            },
        )
    ]
    assert stack_findings(rule, stack) == []


def test_unknown_algorithm_on_cloudtrail_bucket_is_undecided() -> None:
    rules = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": UNKNOWN}}]
    assert undecided(stack_findings(rule, with_props(log_bucket_stack(), "logs-sse", rules=rules)))
