"""ctl-s3-010: CloudTrail buckets carry the `protect` resource option."""

from dataclasses import replace

import pytest
from archive_cases import LOGS, log_bucket_stack, maybe_log_bucket_stack
from guardrails.rules import ctl_s3_010_log_bucket_protected as rule
from literals import BUCKET
from rule_cases import res, stack_findings, urn


def unprotected(stack: list) -> list:
    return [replace(r, protect=False) if r.name == "logs" else r for r in stack]


def test_protected_bucket_passes() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []


def test_unprotected_log_bucket_is_caught_at_it() -> None:
    found = stack_findings(rule, unprotected(log_bucket_stack()))
    assert found.decided and found.urns == [LOGS]
    assert "Bucket 'logs'" in found[0][0] and "protect=True" in found[0][0]


@pytest.mark.parametrize(
    ("scope", "caught"), [("cloudTrailBuckets", []), ("allBuckets", ["scratch"])]
)
def test_other_buckets_only_with_all_buckets_scope(scope: str, caught: list[str]) -> None:
    """A protected log bucket first, then an unprotected bucket that is no log bucket."""
    stack = [*log_bucket_stack(), res(BUCKET, "scratch", bucket="scratch")]
    found = stack_findings(rule, stack, appliesTo=scope)
    assert found.urns == [urn(BUCKET, n) for n in caught]


def test_unprotected_bucket_that_may_be_a_log_bucket_is_undecided() -> None:
    found = stack_findings(rule, unprotected(maybe_log_bucket_stack()))
    assert found.undecided and found.urns == [LOGS]
    assert "Bucket 'logs'" in found[0][0] and "not protected" in found[0][0]
