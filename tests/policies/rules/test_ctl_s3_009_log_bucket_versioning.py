"""ctl-s3-009: CloudTrail buckets (or all buckets) are versioned; split or legacy inline form."""

from typing import Any

import pytest
from archive_cases import LOGS, CompanionCases, log_bucket_stack, maybe_log_bucket_stack
from guardrails.rules import ctl_s3_009_log_bucket_versioning as rule
from literals import BUCKET, UNKNOWN, without
from rule_cases import res, stack_findings, urn, with_props


class TestCompanion(CompanionCases):
    rule = rule
    companion = "logs-versioning"
    missing = ("Bucket 'logs' must be versioned",)
    unlinked = ("no versioning", "BucketVersioning 'logs-versioning'")


# The legacy inline forms: Bucket's `versioning` and BucketV2's `versionings` list.
INLINE_FORMS = {
    "versioning": lambda enabled: {"versioning": {"enabled": enabled}},
    "versionings": lambda enabled: {"versionings": [{"enabled": enabled}]},
}


def inline(form: str, enabled: Any) -> list[Any]:
    """The log bucket versioned (or not) by an inline form only."""
    stack = without(log_bucket_stack(), "logs-versioning")
    return with_props(stack, "logs", **INLINE_FORMS[form](enabled))


@pytest.mark.parametrize("form", INLINE_FORMS)
def test_legacy_inline_versioning_counts(form: str) -> None:
    assert stack_findings(rule, inline(form, True)) == []


@pytest.mark.parametrize("form", INLINE_FORMS)
def test_legacy_inline_versioning_disabled_is_caught_at_the_bucket(form: str) -> None:
    found = stack_findings(rule, inline(form, False))
    assert found.decided and found.urns == [LOGS]
    assert "Bucket 'logs'" in found[0][0]


@pytest.mark.parametrize("form", INLINE_FORMS)
def test_legacy_inline_versioning_unknown_is_undecided_at_the_bucket(form: str) -> None:
    found = stack_findings(rule, inline(form, UNKNOWN))
    assert found.undecided and found.urns == [LOGS]
    assert "Bucket 'logs' versioning" in found[0][0]


def test_unversioned_or_suspended_is_caught() -> None:
    assert stack_findings(rule, without(log_bucket_stack(), "logs-versioning")).decided
    suspended = with_props(
        log_bucket_stack(), "logs-versioning", versioningConfiguration={"status": "Suspended"}
    )
    assert stack_findings(rule, suspended).decided


def test_other_buckets_only_with_all_buckets_scope() -> None:
    stack = [*log_bucket_stack(), res(BUCKET, "scratch", bucket="scratch")]
    assert stack_findings(rule, stack) == []
    assert stack_findings(rule, stack, appliesTo="allBuckets").decided


def test_unknown_status_is_undecided() -> None:
    stack = with_props(
        log_bucket_stack(), "logs-versioning", versioningConfiguration={"status": UNKNOWN}
    )
    found = stack_findings(rule, stack)
    assert found.undecided and found.urns == [LOGS]
    assert "Bucket 'logs' versioning" in found[0][0]


def test_a_bucket_after_an_undecided_one_is_still_judged() -> None:
    stack = with_props(
        log_bucket_stack(), "logs-versioning", versioningConfiguration={"status": UNKNOWN}
    )
    stack.append(res(BUCKET, "scratch", bucket="scratch"))
    found = stack_findings(rule, stack, appliesTo="allBuckets")
    assert found.urns == [LOGS, urn(BUCKET, "scratch")]
    assert found[:1].undecided and found[1:].decided


def test_unversioned_bucket_that_may_be_a_log_bucket_is_undecided() -> None:
    stack = maybe_log_bucket_stack("logs-versioning")
    found = stack_findings(rule, stack)
    assert found.undecided and found.urns == [LOGS]
    assert "Bucket 'logs'" in found[0][0] and "no versioning" in found[0][0]
