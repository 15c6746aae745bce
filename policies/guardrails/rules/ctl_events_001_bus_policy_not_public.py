"""ctl-events-001: no EventBridge event bus admits every AWS account.

Two forms set a bus's resource policy: an EventBusPolicy document (judged like any resource
policy) and the legacy EventPermission resource, whose `principal` is an account id or `*`
optionally limited by `condition` (EventBridge API Reference, "PutPermission": Condition Type
"StringEquals" and Key "aws:PrincipalOrgID" are the only values allowed). A `*` principal needs
that condition with a fixed organization id.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails import iam
from guardrails.declare import EVENT_BUS_PERMISSIONS_DOC, Compliance, resource_policy
from guardrails.support import (
    EVENT_BUS_POLICY_TYPE,
    EVENT_PERMISSION_TYPE,
    Res,
    is_unknown,
    lookup,
    undecided,
)


def _check_permission(res: Res, report: Any) -> None:
    principal = lookup(res.props, "principal")
    if is_unknown(principal):
        report(undecided(res.label, "principal"))
        return
    if principal != "*":
        return
    condition = lookup(res.props, "condition")
    for prop in ("key", "type", "value"):
        if is_unknown(lookup(condition, prop)):
            report(undecided(res.label, f"condition.{prop}"))
            return
    key, value = lookup(condition, "key"), lookup(condition, "value")
    if str(key).lower() != "aws:principalorgid" or not iam.ORG_ID_RE.match(str(value)):
        report(
            f"{res.label}: principal '*' admits every AWS account; add condition "
            "{key: aws:PrincipalOrgID, type: StringEquals, value: <o-id>}."
        )


_check_bus_policy = iam.public_grants_check()


def check(res: Res, cfg: dict[str, Any], report: Any) -> None:
    if res.type == EVENT_PERMISSION_TYPE:
        _check_permission(res, report)
    else:
        _check_bus_policy(res, cfg, report)


POLICY = resource_policy(
    name="ctl-events-001-bus-policy-not-public",
    description=(
        "No EventBridge event bus policy (EventBusPolicy or EventPermission) admits a public "
        "principal unless a fixed-value condition pins it to an organization or account."
    ),
    types=(EVENT_BUS_POLICY_TYPE, EVENT_PERMISSION_TYPE),
    check=check,
    severity=Severity.CRITICAL,
    remediation=(
        "Keep Principal '*' only with StringEquals aws:PrincipalAccount [<member accounts>] or "
        "aws:PrincipalOrgID <o-id>; or name the accounts as principals."
    ),
    compliance=Compliance(reference=EVENT_BUS_PERMISSIONS_DOC),
)
