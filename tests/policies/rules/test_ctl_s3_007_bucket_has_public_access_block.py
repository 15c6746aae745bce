"""ctl-s3-007: every bucket has a public access block."""

from dataclasses import replace

from archive_cases import LOGS, companion_bucket_unknown, log_bucket_stack
from guardrails.rules import ctl_s3_007_bucket_has_public_access_block as rule
from literals import UNKNOWN, without
from rule_cases import stack_findings


def test_bucket_with_public_access_block_passes() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []


def test_companion_linked_through_dependency_when_bucket_unknown() -> None:
    stack = [
        replace(r, props={**r.props, "bucket": UNKNOWN}) if r.name == "logs-pab" else r
        for r in log_bucket_stack()
    ]
    assert stack_findings(rule, stack) == []


def test_bucket_without_one_is_caught_naming_what_it_lacks() -> None:
    found = stack_findings(rule, without(log_bucket_stack(), "logs-pab"))
    assert found.decided and found.urns == [LOGS]
    assert "Bucket 'logs' has no BucketPublicAccessBlock" in found[0][0]


def test_unlinkable_companion_is_undecided() -> None:
    stack = companion_bucket_unknown(log_bucket_stack(), "logs-pab")
    found = stack_findings(rule, stack)
    assert found.undecided and found.urns == [LOGS]
    assert "no BucketPublicAccessBlock" in found[0][0]
