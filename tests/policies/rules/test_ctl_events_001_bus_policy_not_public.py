"""ctl-events-001: no event bus policy (document or legacy EventPermission) admits everyone."""

import pytest
from guardrails.rules import ctl_events_001_bus_policy_not_public as rule
from literals import ACCOUNT, MEMBER, ORG, UNKNOWN, document, statement
from rule_cases import res, resource_findings

BUS_POLICY = "aws:cloudwatch/eventBusPolicy:EventBusPolicy"
PERMISSION = "aws:cloudwatch/eventPermission:EventPermission"
BUS_ARN = f"arn:aws:events:us-east-1:{ACCOUNT}:event-bus/alerts"


def put_events(**fields: object) -> dict[str, object]:
    return statement(Principal="*", Action="events:PutEvents", Resource=BUS_ARN) | fields


def test_bus_policy_pinned_to_member_accounts_passes() -> None:
    pinned = put_events(Condition={"StringEquals": {"aws:PrincipalAccount": [MEMBER]}})
    assert resource_findings(rule, res(BUS_POLICY, "p", policy=document(pinned))) == []


def test_open_bus_policy_is_caught() -> None:
    assert resource_findings(rule, res(BUS_POLICY, "p", policy=document(put_events()))).decided
    wildcard_org = put_events(Condition={"StringLike": {"aws:PrincipalOrgID": "o-*"}})
    assert resource_findings(rule, res(BUS_POLICY, "p", policy=document(wildcard_org))).decided


def test_the_finding_names_the_statement_and_the_conditions_that_would_pin_it() -> None:
    assert resource_findings(rule, res(BUS_POLICY, "p", policy=document(put_events()))) == [
        "EventBusPolicy 'p': statement 0 allows a public principal without a condition that pins "
        "it to an organization or account with a fixed value (aws:PrincipalOrgID, "
        "aws:PrincipalAccount, aws:SourceAccount, aws:SourceOrgID, aws:SourceArn, "
        "aws:PrincipalArn or kms:CallerAccount; no wildcard, no policy variable)."
    ]


def test_event_permission_needs_org_condition_for_star() -> None:
    assert resource_findings(rule, res(PERMISSION, "p", principal=MEMBER, statementId="m")) == []
    org = {"key": "aws:PrincipalOrgID", "type": "StringEquals", "value": ORG}
    assert resource_findings(rule, res(PERMISSION, "p", principal="*", condition=org)) == []
    assert resource_findings(rule, res(PERMISSION, "p", principal="*")).decided
    bad = org | {"value": "o-*"}
    assert resource_findings(rule, res(PERMISSION, "p", principal="*", condition=bad)).decided


def test_unknown_values_are_undecided() -> None:
    assert resource_findings(rule, res(BUS_POLICY, "p", policy=UNKNOWN)).undecided
    permission = res(PERMISSION, "p", principal=UNKNOWN)
    assert resource_findings(rule, permission).undecided_on(permission, "principal", why=False)


@pytest.mark.parametrize("prop", ["key", "type", "value"])
def test_an_unknown_condition_part_is_undecided_naming_it(prop: str) -> None:
    cond = {"key": "aws:PrincipalOrgID", "type": "StringEquals", "value": ORG, prop: UNKNOWN}
    permission = res(PERMISSION, "p", principal="*", condition=cond)
    found = resource_findings(rule, permission)
    assert found.undecided_on(permission, f"condition.{prop}", why=False)
