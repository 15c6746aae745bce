"""ctl-kms-002: no key policy lets everyone use or administer the key."""

import pytest
from guardrails.rules import ctl_kms_002_key_policy_not_public as rule
from literals import ACCOUNT, ORG, document, statement
from rule_cases import NotPublicCases, res, resource_findings

KEY = "aws:kms/key:Key"
ADMIN = statement(Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, Action="kms:*", Resource="*")


class TestNotPublic(NotPublicCases):
    rule = rule
    types = (KEY, "aws:kms/keyPolicy:KeyPolicy", "aws:kms/replicaKey:ReplicaKey")
    granted = ADMIN
    public = statement(Principal={"AWS": "*"}, Action="kms:*", Resource="*")


def key(*statements: dict[str, object], type_: str = KEY) -> object:
    return res(type_, "k", policy=document(*statements))


def test_account_root_administration_passes() -> None:
    assert resource_findings(rule, key(ADMIN)) == []
    assert resource_findings(rule, res(KEY, "k")) == []  # default key policy


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"kms:CallerAccount": ACCOUNT}},
        {"StringEquals": {"aws:PrincipalOrgID": ORG}},
    ],
)
def test_public_principal_pinned_passes(condition: dict[str, object]) -> None:
    use = statement(Principal="*", Action="kms:Decrypt", Resource="*", Condition=condition)
    assert resource_findings(rule, key(ADMIN, use)) == []


@pytest.mark.parametrize("action", ["kms:*", "kms:Decrypt", "kms:PutKeyPolicy"])
@pytest.mark.parametrize(
    "type_", ["aws:kms/key:Key", "aws:kms/keyPolicy:KeyPolicy", "aws:kms/replicaKey:ReplicaKey"]
)
def test_public_administration_or_decrypt_is_caught(action: str, type_: str) -> None:
    public = statement(Principal={"AWS": "*"}, Action=action, Resource="*")
    assert resource_findings(rule, key(ADMIN, public, type_=type_)).decided


def test_kms_via_service_alone_is_not_a_scope() -> None:
    public = statement(
        Principal="*",
        Action="kms:Decrypt",
        Resource="*",
        Condition={"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}},
    )
    assert resource_findings(rule, key(public)).decided
