"""ctl-s3-010: CloudTrail buckets carry the `protect` resource option."""

from dataclasses import replace

from guardrails.rules import ctl_s3_010_log_bucket_protected as rule
from literals import TRAIL, UNKNOWN
from rule_cases import decided, log_bucket_stack, stack_findings, undecided


def test_protected_bucket_passes() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []


def test_unprotected_log_bucket_is_caught() -> None:
    stack = [replace(r, protect=False) if r.name == "logs" else r for r in log_bucket_stack()]
    assert decided(stack_findings(rule, stack))


def test_unprotected_bucket_that_may_be_a_log_bucket_is_undecided() -> None:
    stack = [
        replace(r, protect=False)
        if r.name == "logs"
        else replace(r, props={**r.props, "s3BucketName": UNKNOWN}, property_dependencies={})
        if r.type == TRAIL
        else r
        for r in log_bucket_stack()
    ]
    stack = [r for r in stack if r.name != "logs-policy"]
    assert undecided(stack_findings(rule, stack))
