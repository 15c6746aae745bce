"""ctl-s3-008: every bucket has BucketOwnerEnforced object ownership (ACLs disabled)."""

from guardrails.rules import ctl_s3_008_bucket_ownership_enforced as rule
from literals import UNKNOWN, without
from rule_cases import decided, log_bucket_stack, stack_findings, undecided, with_props


def test_owner_enforced_passes() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []


def test_object_writer_or_missing_is_caught() -> None:
    writer = with_props(
        log_bucket_stack(), "logs-ownership", rule={"objectOwnership": "ObjectWriter"}
    )
    assert decided(stack_findings(rule, writer))
    assert decided(stack_findings(rule, without(log_bucket_stack(), "logs-ownership")))


def test_unknown_ownership_is_undecided() -> None:
    stack = with_props(log_bucket_stack(), "logs-ownership", rule={"objectOwnership": UNKNOWN})
    assert undecided(stack_findings(rule, stack))
