"""ctl-s3-008: every bucket has BucketOwnerEnforced object ownership (ACLs disabled)."""

import pytest
from archive_cases import LOGS, CompanionCases, companion, log_bucket_stack
from guardrails.rules import ctl_s3_008_bucket_ownership_enforced as rule
from literals import BUCKET, OWNERSHIP, UNKNOWN, without
from rule_cases import res, stack_findings, urn, with_props


class TestCompanion(CompanionCases):
    rule = rule
    companion = "logs-ownership"
    missing = ("Bucket 'logs'", "no BucketOwnershipControls")
    unlinked = ("no BucketOwnershipControls",)


def ownership(value: str) -> list:
    return with_props(log_bucket_stack(), "logs-ownership", rule={"objectOwnership": value})


def test_object_writer_is_caught_at_the_bucket() -> None:
    found = stack_findings(rule, ownership("ObjectWriter"))
    assert found.decided and found.urns == [LOGS]
    assert "Bucket 'logs'" in found[0][0] and "ObjectWriter" in found[0][0]


def test_unknown_ownership_is_undecided_naming_the_property() -> None:
    found = stack_findings(rule, ownership(UNKNOWN))
    assert found.undecided and found.urns == [LOGS]
    assert "Bucket 'logs' property 'rule.objectOwnership'" in found[0][0]


@pytest.mark.parametrize(
    ("first", "caught"),
    [
        (log_bucket_stack(), ["scratch"]),
        (without(log_bucket_stack(), "logs-ownership"), ["logs", "scratch"]),
    ],
    ids=["after-an-enforced-bucket", "after-a-bucket-without-controls"],
)
def test_every_bucket_is_judged_after_the_first(first: list, caught: list[str]) -> None:
    scratch = res(BUCKET, "scratch", bucket="scratch")
    writer = companion(
        OWNERSHIP, "scratch-ownership", scratch, rule={"objectOwnership": "ObjectWriter"}
    )
    found = stack_findings(rule, [*first, scratch, writer])
    assert found.decided and found.urns == [urn(BUCKET, n) for n in caught]
