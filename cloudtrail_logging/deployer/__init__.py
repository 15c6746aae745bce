"""The IAM policy a role needs to deploy and update one stack, derived from its plan.

`grants(deployment)` goes through every resource the stack registers (as the offline preview
records it) and every invoke the program makes: for each API call the provider makes for that
type (`calls.py`, the reviewed table) it grants the call's IAM action on the ARNs `scope.py`
composes from the resource's inputs, under the conditions the service supports. Delete actions
only for resources that are not protected. `policy_documents` assembles the grants into
documents within the managed-policy size quota (`documents.py`).

Necessary, not sufficient: the archive's bucket policies and key policies, and the guardrail
service control policy, refuse everyone but the named archive administrators, so the role that
deploys a log-archive stack must also be one of `archiveAdministrators`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cloudtrail_logging.aws import Policy
from cloudtrail_logging.deployer.calls import INVOKES, TYPES, Call
from cloudtrail_logging.deployer.documents import documents
from cloudtrail_logging.deployer.scope import Grant, Place, Registered, Scope, applies

__all__ = [
    "Deployment", "Invocation", "deployment", "grants", "policy_documents", "requested_calls",
]

_SESSION = re.compile(r"arn:([\w-]+):sts::(\d{12}):assumed-role/([^/]+)/.+")


@dataclass(frozen=True)
class Invocation:
    """One invoke the program made: its token and arguments."""

    token: str
    args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Deployment:
    """One stack's plan as the offline preview records it."""

    place: Place
    resources: Sequence[Registered]
    invokes: Sequence[Invocation] = ()


def deployment(
    resources: Sequence[Registered],
    outputs: Mapping[str, Any],
    invokes: Sequence[tuple[str, Mapping[str, Any]]],
    name_prefix: str,
) -> Deployment:
    """A stack's deployment from its preview: the stack outputs every stack has name its
    partition, account and Region (`Plan.static_outputs`)."""
    place = Place(str(outputs["partition"]), str(outputs["accountId"]), str(outputs["region"]),
                  name_prefix)
    return Deployment(place, resources, [Invocation(token, args) for token, args in invokes])


def requested_calls(deployment: Deployment) -> list[tuple[Registered, Call]]:
    """Every (resource, call) a `pulumi up` and later updates of this stack may make."""
    found = []
    for resource in deployment.resources:
        if resource.read or not resource.custom:  # components call nothing
            continue
        table = TYPES.get(resource.type)
        if table is None:
            raise ValueError(f"no reviewed calls for {resource.type} (cloudtrail_logging/"
                             "deployer/calls.py)")
        for call in table.calls:
            if call.op == "delete" and resource.protect:
                continue
            if applies(resource, call):
                found.append((resource, call))
    return found


def _invoke_grants(deployment: Deployment) -> list[Grant]:
    p = deployment.place
    out = []
    for invocation in deployment.invokes:
        table = INVOKES.get(invocation.token)
        if table is None:
            if invocation.token.startswith("pulumi:"):
                continue  # the engine's own (readStackOutputs)
            raise ValueError(f"no reviewed calls for the invoke {invocation.token}")
        for call in table.calls:
            if call.on == "*":
                out.append(Grant(call.action, ("*",)))
            elif call.on == "role-named":
                name = str(invocation.args.get("name", ""))
                out.append(Grant(call.action, (f"arn:{p.partition}:iam::{p.account_id}:role/"
                                               f"{name}",)))
            elif call.on == "log-group-named":
                group = str(invocation.args.get("name", ""))
                base = f"arn:{p.partition}:logs:{p.region}:{p.account_id}:log-group:{group}"
                out.append(Grant(call.action, (base, f"{base}:*")))
            elif call.on == "session-role":
                session = _SESSION.fullmatch(str(invocation.args.get("arn", "")))
                if session is not None:
                    partition, account, role = session.groups()
                    # The session names the role, not its path.
                    base = f"arn:{partition}:iam::{account}:role"
                    out.append(Grant(call.action, (f"{base}/{role}", f"{base}/*/{role}")))
    return out


def grants(deployment: Deployment) -> list[Grant]:
    """Every grant the stack's deployer needs, one per (resource or invoke, call)."""
    scope = Scope(deployment.place, deployment.resources)
    found = [scope.grant(resource, call) for resource, call in requested_calls(deployment)]
    return [g for g in found if g is not None] + _invoke_grants(deployment)


def policy_documents(deployment: Deployment) -> list[Policy]:
    """The deployer's IAM policy documents, each within the managed-policy size quota."""
    return documents(grants(deployment), deployment.place.name_prefix)
