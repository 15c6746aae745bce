"""ctl-org-001: an organization trail comes with an attached service control policy that keeps
member accounts from silencing it."""

import json
from typing import Any

from guardrails.rules import ctl_org_001_organization_trail_guardrail_policy as rule
from guardrails.support import Res
from literals import TRAIL_NAME, UNKNOWN, without
from rule_cases import decided, log_bucket_stack, res, stack_findings, undecided, urn, with_props

POLICY = "aws:organizations/policy:Policy"
ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment"
EXEMPT = {"ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/stacksets-exec-*"]}}


def protect_trails(**overrides: Any) -> dict[str, Any]:
    return {
        "Sid": "ProtectTrails",
        "Effect": "Deny",
        "Action": [
            "cloudtrail:StopLogging",
            "cloudtrail:DeleteTrail",
            "cloudtrail:UpdateTrail",
            "cloudtrail:PutEventSelectors",
        ],
        "Resource": f"arn:aws:cloudtrail:*:*:trail/{TRAIL_NAME}",
        "Condition": EXEMPT,
    } | overrides


LEAVE = {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}


def guardrails(*statements: dict[str, Any], kind: str = "SERVICE_CONTROL_POLICY") -> list[Res]:
    content = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    policy = res(POLICY, "guardrails", protect=True, type=kind, content=content)
    attachment = res(ATTACHMENT, "guardrails-attachment", deps={"policyId": [policy.urn]},
                     policyId=UNKNOWN, targetId="r-abcd")  # fmt: skip
    return [policy, attachment]


def organization_stack(*extra: Res) -> list[Res]:
    return [*with_props(log_bucket_stack(), "trail", isOrganizationTrail=True), *extra]


def test_an_organization_trail_with_its_attached_guardrails_passes() -> None:
    assert stack_findings(rule, organization_stack(*guardrails(protect_trails(), LEAVE))) == []


def test_an_account_trail_needs_no_guardrails() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []


def test_an_organization_trail_without_guardrails_is_caught() -> None:
    found = stack_findings(rule, organization_stack())
    assert decided(found) and found[0][1] == urn("aws:cloudtrail/trail:Trail", "trail")


def test_a_policy_that_misses_a_trail_action_or_leaving_is_caught() -> None:
    partial = protect_trails(Action=["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"])
    assert decided(stack_findings(rule, organization_stack(*guardrails(partial, LEAVE))))
    assert decided(stack_findings(rule, organization_stack(*guardrails(protect_trails()))))


def test_a_policy_for_another_trail_or_of_another_type_is_caught() -> None:
    other = protect_trails(Resource="arn:aws:cloudtrail:*:*:trail/another")
    assert decided(stack_findings(rule, organization_stack(*guardrails(other, LEAVE))))
    tagging = guardrails(protect_trails(), LEAVE, kind="TAG_POLICY")
    assert decided(stack_findings(rule, organization_stack(*tagging)))


def test_an_unattached_policy_is_caught() -> None:
    stack = without(organization_stack(*guardrails(protect_trails(), LEAVE)),
                    "guardrails-attachment")  # fmt: skip
    found = stack_findings(rule, stack)
    assert decided(found) and "attached to no" in found[0][0]


def test_an_unknown_policy_content_is_undecided() -> None:
    stack = with_props(organization_stack(*guardrails(protect_trails(), LEAVE)), "guardrails",
                       content=UNKNOWN)  # fmt: skip
    found = stack_findings(rule, stack)
    assert any(undecided([f]) for f in found)
