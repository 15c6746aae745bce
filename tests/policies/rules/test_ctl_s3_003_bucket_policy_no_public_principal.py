"""ctl-s3-003: no public principal in a bucket policy unless pinned by a fixed-value condition."""

import pytest
from guardrails.rules import ctl_s3_003_bucket_policy_no_public_principal as rule
from literals import BUCKET, BUCKET_NAME, BUCKET_POLICY, ORG, UNKNOWN, document, statement
from rule_cases import res, resource_findings


def read(**fields: object) -> dict[str, object]:
    return (
        statement(
            Principal={"AWS": "*"}, Action="s3:GetObject", Resource=f"arn:aws:s3:::{BUCKET_NAME}/*"
        )
        | fields
    )


def policy(*statements: dict[str, object]) -> object:
    return res(BUCKET_POLICY, "p", bucket=BUCKET_NAME, policy=document(*statements))


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:PrincipalOrgID": ORG}},
        {"StringEquals": {"aws:PrincipalAccount": "111122223333"}},
        {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": f"{ORG}/r-ab12/*"}},
        {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}},
    ],
)
def test_public_principal_pinned_by_fixed_value_passes(condition: dict[str, object]) -> None:
    assert resource_findings(rule, policy(read(Condition=condition))) == []


@pytest.mark.parametrize(
    "condition",
    [
        None,
        {"StringLike": {"aws:PrincipalOrgID": "o-*"}},  # a wildcard is not a scope
        {"StringLike": {"aws:PrincipalOrgID": "*"}},
        {"StringEqualsIfExists": {"aws:PrincipalOrgID": ORG}},  # absent key passes
        {"StringLike": {"aws:PrincipalAccount": "1111*"}},
        {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/x"}},
        {"StringEquals": {"aws:ResourceAccount": "111122223333"}},  # the owner, not the caller
        {"StringEquals": {"aws:PrincipalOrgID": "${aws:PrincipalOrgID}"}},
    ],
)
def test_unpinned_public_principal_is_caught(condition: dict[str, object] | None) -> None:
    stmt = read(Condition=condition) if condition else read()
    assert resource_findings(rule, policy(stmt)).decided


def test_not_principal_allow_and_wildcard_arn_principal_are_public() -> None:
    not_principal = statement(
        NotPrincipal={"AWS": "arn:aws:iam::111122223333:root"},
        Action="s3:GetObject",
        Resource="*",
    )
    assert resource_findings(rule, policy(not_principal)).decided
    assert resource_findings(rule, policy(read(Principal={"AWS": "arn:aws:iam::*:root"}))).decided


def test_inline_bucket_policy_counts() -> None:
    assert resource_findings(
        rule, res(BUCKET, "b", bucket=BUCKET_NAME, policy=document(read()))
    ).decided


def test_unknown_policy_is_undecided() -> None:
    assert resource_findings(rule, res(BUCKET_POLICY, "p", policy=UNKNOWN)).undecided
