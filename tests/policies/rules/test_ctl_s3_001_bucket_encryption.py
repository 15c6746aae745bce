"""ctl-s3-001: default encryption on every bucket; SSE-KMS on CloudTrail buckets."""


import pytest
from archive_cases import LOGS, CompanionCases, log_bucket_stack, maybe_log_bucket_stack
from guardrails.rules import ctl_s3_001_bucket_encryption as rule
from literals import BUCKET, UNKNOWN, without
from rule_cases import res, stack_findings, urn, with_props


class TestCompanion(CompanionCases):
    rule = rule
    companion = "logs-sse"
    missing = ("no default encryption",)
    unlinked = ("no encryption configuration",)


AES = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]


def aes_bucket(name: str) -> list:
    """A bucket that is no log bucket, encrypted with SSE-S3 by the inline form."""
    sse = {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}}
    return [res(BUCKET, name, bucket=name, serverSideEncryptionConfiguration=sse)]


def test_legacy_inline_encryption_counts() -> None:
    stack = with_props(
        without(log_bucket_stack(), "logs-sse"),
        "logs",
        serverSideEncryptionConfiguration={
            "rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}
        },
    )
    assert stack_findings(rule, stack) == []


def test_sse_s3_on_cloudtrail_bucket_is_caught_unless_allowed() -> None:
    stack = with_props(log_bucket_stack(), "logs-sse", rules=AES)
    found = stack_findings(rule, stack)
    assert found.decided and found.urns == [LOGS]
    assert "Bucket 'logs'" in found[0][0] and "AES256" in found[0][0]
    assert stack_findings(rule, stack, requireKmsForCloudTrailBuckets=False) == []


def test_other_bucket_may_use_sse_s3() -> None:
    assert stack_findings(rule, aes_bucket("scratch")) == []


@pytest.mark.parametrize("require_kms", [True, False])
@pytest.mark.parametrize(
    "first",
    [aes_bucket("first"), [res(BUCKET, "first", bucket="first")]],
    ids=["after-an-encrypted-bucket", "after-an-unencrypted-bucket"],
)
def test_every_bucket_is_judged_after_the_first(first: list, require_kms: bool) -> None:
    unencrypted = res(BUCKET, "scratch", bucket="scratch")
    found = stack_findings(rule, [*first, unencrypted], requireKmsForCloudTrailBuckets=require_kms)
    assert found.decided and found.urns[-1] == urn(BUCKET, "scratch")


def test_unknown_algorithm_on_cloudtrail_bucket_is_undecided() -> None:
    rules = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": UNKNOWN}}]
    found = stack_findings(rule, with_props(log_bucket_stack(), "logs-sse", rules=rules))
    assert found.undecided and found.urns == [LOGS]
    assert "Bucket 'logs'" in found[0][0] and "'sseAlgorithm'" in found[0][0]


def maybe_log_bucket(rules: list) -> list:
    """The log bucket, encrypted by `rules`, when its trail's bucket is unknown at preview and
    it has no policy: it may be a log bucket, which cannot be told."""
    return with_props(maybe_log_bucket_stack(), "logs-sse", rules=rules)


def test_sse_s3_on_a_bucket_that_may_be_a_log_bucket_is_undecided() -> None:
    found = stack_findings(rule, maybe_log_bucket(AES))
    assert found.undecided and found.urns == [LOGS]
    assert "Bucket 'logs'" in found[0][0] and "SSE-KMS" in found[0][0]


def test_sse_kms_on_a_bucket_that_may_be_a_log_bucket_passes() -> None:
    kms = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]
    assert stack_findings(rule, maybe_log_bucket(kms)) == []
