"""Grants assembled into IAM policy documents within the managed-policy size quota.

IAM counts a managed policy's size without white space and refuses more than 6,144 characters
(IAM User Guide, "IAM and AWS STS quotas": "Managed policy size ... 6,144 characters", "IAM
doesn't count white space when calculating the size of a policy against this limit"). Grants
that differ only in resources, or in the values of a condition key that lists the stack's own
names (Regions, aliases, endpoints, targets), become one statement; statements that grant the
same resources under the same condition share their actions; documents are filled in order.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from cloudtrail_logging.aws import Policy, Statement
from cloudtrail_logging.deployer.scope import Grant

MANAGED_POLICY_MAX_CHARS = 6144
# Condition keys whose values are merged across grants of one action: each value is one of the
# stack's own names, so the union admits nothing outside the stack.
MERGED_KEYS = frozenset({
    "aws:RequestedRegion", "kms:ResourceAliases", "sns:Endpoint", "events:TargetArn",
    "cloudwatch:AlarmActions", "lambda:Principal", "cloudformation:TargetRegion",
})  # fmt: skip
Key = tuple[tuple[str, str, tuple[str, ...]], ...]
# Where several of the stack's resources of one kind are named `<namePrefix>-…` in one account
# and Region, `<namePrefix>-*` stands for them. Not for buckets (S3's names are global, and a
# bucket ARN names no account) nor roles (IAM: each role is named, as the guardrail policy's
# exemptions are).
COMPACTED_SERVICES = frozenset({"cloudwatch", "events", "sns", "sqs", "kms"})
COMPACT_AT = 3


def size(document: Policy) -> int:
    """Characters IAM counts: the compact JSON (no white space outside strings)."""
    return len(json.dumps(document, separators=(",", ":")))


def _shape(condition: Key) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """The condition with merged keys' values left out: grants of one shape merge."""
    return tuple((op, key, () if key in MERGED_KEYS else values) for op, key, values in condition)


def compact(resources: Iterable[str], prefix: str) -> tuple[str, ...]:
    """`COMPACT_AT` or more ARNs `<head><prefix>-…` of a compacted service as `<head><prefix>-*`."""
    heads: dict[str, list[str]] = defaultdict(list)
    kept: set[str] = set()
    for arn in resources:
        parts = arn.split(":", 5)
        at = arn.find(f"{prefix}-", len(":".join(parts[:5])) + 1) if len(parts) == 6 else -1
        if at < 0 or parts[2] not in COMPACTED_SERVICES or arn.endswith("*"):
            kept.add(arn)
        else:
            heads[arn[: at + len(prefix) + 1]].append(arn)
    for head, arns in heads.items():
        if len(arns) >= COMPACT_AT:
            kept.add(f"{head}*")
        else:
            kept.update(arns)
    return tuple(sorted(kept))


def merge(grants: Iterable[Grant], prefix: str = "") -> list[Grant]:
    """One grant per action and condition shape: resources and merged values united, and
    compacted under the stack's name `prefix` (none: as listed)."""
    groups: dict[tuple[str, Key], list[Grant]] = defaultdict(list)
    for grant in grants:
        groups[(grant.action, _shape(grant.condition))].append(grant)
    merged = []
    for (action, shape), members in groups.items():
        values: dict[tuple[str, str], set[str]] = defaultdict(set)
        for grant in members:
            for op, key, found in grant.condition:
                values[(op, key)].update(found)
        condition = tuple((op, key, tuple(sorted(values[(op, key)]))) for op, key, _ in shape)
        resources = {r for g in members for r in g.resources}
        listed = compact(resources, prefix) if prefix else tuple(sorted(resources))
        # `*` already covers every ARN.
        merged.append(Grant(action, ("*",) if "*" in resources else listed, condition))
    return merged


def statements(grants: Sequence[Grant], prefix: str = "") -> list[Statement]:
    """Statements: actions that share resources and condition are listed together."""
    by_target: dict[tuple[tuple[str, ...], Key], set[str]] = defaultdict(set)
    for grant in merge(grants, prefix):
        by_target[(grant.resources, grant.condition)].add(grant.action)
    out: list[Statement] = []
    for (resources, condition), actions in sorted(by_target.items(), key=lambda i: (
            sorted(i[1]), i[0])):
        statement: Statement = {
            "Effect": "Allow",
            "Action": sorted(actions, key=str.lower),
            "Resource": list(resources) if len(resources) > 1 else resources[0],
        }
        if condition:
            block: dict[str, dict[str, Any]] = defaultdict(dict)
            for op, key, values in condition:
                block[op][key] = list(values) if len(values) > 1 else values[0]
            statement["Condition"] = dict(block)
        out.append(statement)
    return out


def documents(
    grants: Sequence[Grant], prefix: str = "", limit: int = MANAGED_POLICY_MAX_CHARS
) -> list[Policy]:
    """The statements in as few documents as fit `limit` each, in order."""
    out: list[Policy] = []
    current: list[Statement] = []
    for statement in statements(grants, prefix):
        for part in _fitting(statement, limit):
            if current and size(_document([*current, part])) > limit:
                out.append(_document(current))
                current = []
            current.append(part)
    if current:
        out.append(_document(current))
    return out


def _document(statements: list[Statement]) -> Policy:
    return {"Version": "2012-10-17", "Statement": statements}


def _fitting(statement: Statement, limit: int) -> list[Statement]:
    """The statement, or its resources split over copies that each fit a document."""
    if size(_document([statement])) <= limit or isinstance(statement["Resource"], str):
        return [statement]
    resources: list[str] = statement["Resource"]
    half = len(resources) // 2
    return [part for chunk in (resources[:half], resources[half:])
            for part in _fitting({**statement, "Resource": chunk}, limit)]
