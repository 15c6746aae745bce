"""ctl-s3-007: every bucket has a public access block."""

from dataclasses import replace

from archive_cases import CompanionCases, log_bucket_stack
from guardrails.rules import ctl_s3_007_bucket_has_public_access_block as rule
from literals import UNKNOWN
from rule_cases import stack_findings


class TestCompanion(CompanionCases):
    rule = rule
    companion = "logs-pab"
    missing = ("Bucket 'logs' has no BucketPublicAccessBlock",)
    unlinked = ("no BucketPublicAccessBlock",)


def test_companion_linked_through_dependency_when_bucket_unknown() -> None:
    stack = [
        replace(r, props={**r.props, "bucket": UNKNOWN}) if r.name == "logs-pab" else r
        for r in log_bucket_stack()
    ]
    assert stack_findings(rule, stack) == []
