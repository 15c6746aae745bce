"""ctl-iam-001: no role trusts every principal."""

import pytest
from guardrails.rules import ctl_iam_001_role_trust_not_public as rule
from literals import ACCOUNT, ORG, UNKNOWN, document, statement
from rule_cases import res, resource_findings

ROLE = "aws:iam/role:Role"
SERVICE_TRUST = statement(
    Principal={"Service": "events.amazonaws.com"},
    Action="sts:AssumeRole",
    Condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}},
)


def role(*statements: dict[str, object]) -> object:
    return res(ROLE, "r", assumeRolePolicy=document(*statements))


def test_service_or_account_trust_passes() -> None:
    assert resource_findings(rule, role(SERVICE_TRUST)) == []
    account = statement(Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, Action="sts:AssumeRole")
    assert resource_findings(rule, role(account)) == []
    org = statement(
        Principal={"AWS": "*"},
        Action="sts:AssumeRole",
        Condition={"StringEquals": {"aws:PrincipalOrgID": ORG}},
    )
    assert resource_findings(rule, role(org)) == []


@pytest.mark.parametrize(
    "principal", ["*", {"AWS": "*"}, {"AWS": "arn:aws:iam::*:root"}, {"Federated": "*"}]
)
def test_trust_in_any_principal_is_caught(principal: object) -> None:
    trust = statement(Principal=principal, Action=["sts:AssumeRole", "sts:TagSession"])
    found = resource_findings(rule, role(trust))
    # each finding says it is the role's trust policy that admits everyone
    assert found.decided and all(f.startswith("Role 'r': trust policy ") for f in found)


def test_external_id_alone_is_not_a_scope() -> None:
    trust = statement(
        Principal={"AWS": "*"},
        Action="sts:AssumeRole",
        Condition={"StringEquals": {"sts:ExternalId": "secret"}},
    )
    assert resource_findings(rule, role(trust)).decided


def test_unknown_trust_policy_is_undecided() -> None:
    assert resource_findings(rule, res(ROLE, "r", assumeRolePolicy=UNKNOWN)).undecided
