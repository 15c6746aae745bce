"""ctl-s3-004: CloudTrail's PutObject grant is limited to AWSLogs/ and guarded against
confused deputies."""

from __future__ import annotations

import re
from typing import Any

from pulumi_policy import Severity

from guardrails import iam
from guardrails.support import (
    BUCKET_POLICY_TYPE,
    BUCKET_TYPES,
    CLOUDTRAIL_BUCKET_POLICY_DOC,
    Compliance,
    Res,
    is_unknown,
    resource_policy,
)

# <optional literal prefix/>AWSLogs/<something>; policy variables may follow AWSLogs/.
_LOG_KEY_RE = re.compile(r"^(?:[^*?$]+/)?AWSLogs/.+$")


def bucket_of(res: Res) -> str | None:
    """The literal bucket name the policy is attached to, when known."""
    value = res.props.get("bucket")
    return value if isinstance(value, str) and not is_unknown(value) else None


def resource_problems(stmt: iam.Statement, bucket: str | None, *, objects: bool) -> list[str]:
    """Why the statement's resources are not the bucket's AWSLogs/ objects (or the bucket)."""
    if stmt.not_resource:
        return [f"{stmt.label} uses NotResource, which grants everything else"]
    if not stmt.resources:
        return [f"{stmt.label} names no Resource"]
    problems = []
    for arn in stmt.resources:
        parts = iam.s3_arn_parts(arn)
        if parts is None:
            problems.append(f"{stmt.label} resource '{arn}' is not an S3 ARN of the bucket")
            continue
        _partition, name, key = parts
        if any(c in name for c in "*?$") or (bucket is not None and name != bucket):
            problems.append(f"{stmt.label} resource '{arn}' is not this bucket")
        elif objects and (key is None or not _LOG_KEY_RE.match(key)):
            problems.append(
                f"{stmt.label} resource '{arn}' is wider than "
                f"arn:<partition>:s3:::{name}/[prefix/]AWSLogs/..."
            )
        elif not objects and key is not None:
            problems.append(f"{stmt.label} resource '{arn}' must be the bucket ARN itself")
    return problems


def condition_problems(
    stmt: iam.Statement, statements: list[iam.Statement], action: str
) -> list[str]:
    """Why the statement is not pinned to specific trails or accounts (confused deputy).

    A grant whose aws:SourceArn names trails in any account is pinned when the same policy
    explicitly denies the action to every aws:SourceAccount but a listed set: the design that
    keeps one account list, not two, in a policy limited to 20 KB.
    """
    if iam.names_trails(stmt) and iam.accounts_pinned_by_deny(statements, action):
        return []
    arns = iam.trail_arn_values(stmt)
    accounts = iam.source_accounts(stmt)
    if arns == []:
        return [
            f"{stmt.label} has an aws:SourceArn condition that is not a CloudTrail trail ARN in a "
            "specific account (arn:<partition>:cloudtrail:<region>:<account-id>:trail/<name>)"
        ]
    if accounts == []:
        return [f"{stmt.label} has an aws:SourceAccount condition that is not 12-digit account ids"]
    if arns is None and accounts is None:
        return [
            f"{stmt.label} lacks a confused-deputy condition (aws:SourceArn and/or "
            "aws:SourceAccount with StringEquals/ArnLike-style operators)"
        ]
    return []


def check(res: Res, cfg: dict[str, Any], report: Any) -> None:
    statements = iam.read_policy(res, report)
    bucket = bucket_of(res)
    for stmt in statements or []:
        if not iam.grants_service(stmt) or not iam.action_allowed(stmt, "s3:PutObject"):
            continue
        problems = resource_problems(stmt, bucket, objects=True)
        extra = [a for a in stmt.actions if a.lower() != "s3:putobject"]
        if stmt.not_action or extra:
            problems.append(f"{stmt.label} grants more than s3:PutObject")
        if cfg["requireSourceConditions"]:
            problems.extend(condition_problems(stmt, statements or [], "s3:PutObject"))
        for problem in problems:
            report(f"{res.label}: {problem}.")


POLICY = resource_policy(
    name="ctl-s3-004-cloudtrail-write-scoped",
    description=(
        "A bucket policy's s3:PutObject grant to cloudtrail.amazonaws.com is limited to "
        "<bucket>/[prefix/]AWSLogs/..., to s3:PutObject only, and carries aws:SourceArn and/or "
        "aws:SourceAccount conditions."
    ),
    types=(BUCKET_POLICY_TYPE, *BUCKET_TYPES),
    check=check,
    severity=Severity.HIGH,
    config={
        "requireSourceConditions": {
            "type": "boolean",
            "default": True,
            "description": "Require aws:SourceArn / aws:SourceAccount on the write grant.",
        }
    },
    remediation=(
        "Resource arn:aws:s3:::<bucket>/AWSLogs/<account-id>/*, Condition StringEquals "
        "aws:SourceArn arn:aws:cloudtrail:<region>:<account-id>:trail/<name>."
    ),
    compliance=Compliance(reference=CLOUDTRAIL_BUCKET_POLICY_DOC),
)
