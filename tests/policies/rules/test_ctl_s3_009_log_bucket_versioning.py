"""ctl-s3-009: CloudTrail buckets (or all buckets) are versioned; split or legacy inline form."""

from guardrails.rules import ctl_s3_009_log_bucket_versioning as rule
from literals import BUCKET, UNKNOWN, without
from rule_cases import decided, log_bucket_stack, res, stack_findings, undecided, with_props


def test_versioned_log_bucket_passes() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []


def test_legacy_inline_versioning_counts() -> None:
    stack = with_props(
        without(log_bucket_stack(), "logs-versioning"), "logs", versioning={"enabled": True}
    )
    assert stack_findings(rule, stack) == []


def test_unversioned_or_suspended_is_caught() -> None:
    assert decided(stack_findings(rule, without(log_bucket_stack(), "logs-versioning")))
    suspended = with_props(
        log_bucket_stack(), "logs-versioning", versioningConfiguration={"status": "Suspended"}
    )
    assert decided(stack_findings(rule, suspended))


def test_other_buckets_only_with_all_buckets_scope() -> None:
    stack = [*log_bucket_stack(), res(BUCKET, "scratch", bucket="scratch")]
    assert stack_findings(rule, stack) == []
    assert decided(stack_findings(rule, stack, appliesTo="allBuckets"))


def test_unknown_status_is_undecided() -> None:
    stack = with_props(
        log_bucket_stack(), "logs-versioning", versioningConfiguration={"status": UNKNOWN}
    )
    assert undecided(stack_findings(rule, stack))
