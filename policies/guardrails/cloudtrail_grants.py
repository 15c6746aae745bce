"""CloudTrail's grants in a bucket policy: the resources and the confused-deputy conditions that
ctl-s3-004 (PutObject) and ctl-s3-005 (GetBucketAcl) require of them.

AWS CloudTrail User Guide, "Amazon S3 bucket policy for CloudTrail"
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html):
the write grant names `<bucket>/[prefix/]AWSLogs/...`, the ACL check the bucket itself, and both
carry aws:SourceArn (the trail) and/or aws:SourceAccount.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Unpack

from guardrails import iam
from guardrails.declare import (
    CLOUDTRAIL_BUCKET_POLICY_DOC,
    Compliance,
    PolicyFields,
    boolean_option,
    resource_policy,
)
from guardrails.families import Rule, family_sets
from guardrails.support import BUCKET_POLICY_TYPE, BUCKET_TYPES, Report, Res, is_unknown

# <optional literal prefix/>AWSLogs/<something>; policy variables may follow AWSLogs/.
_LOG_KEY_RE = re.compile(r"^(?:[^*?$]+/)?AWSLogs/.+$")


def bucket_of(res: Res) -> str | None:
    """The literal bucket name the policy is attached to, when known."""
    value = res.props.get("bucket")
    return value if isinstance(value, str) and not is_unknown(value) else None


def granting(statements: list[iam.Statement], action: str) -> list[iam.Statement]:
    """The Allow statements that grant `action` to cloudtrail.amazonaws.com."""
    return [s for s in statements if iam.grants_service(s) and iam.action_allowed(s, action)]


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
    if iam.names_trails(stmt) and iam.accounts_pinned_by_deny(statements, action, grant=stmt):
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


def grant_rule(
    action: str,
    *,
    grant: str,
    own_problems: Callable[[iam.Statement], list[str] | None],
    objects: bool = False,
    **fields: Unpack[PolicyFields],
) -> Rule:
    """The rule that CloudTrail's `action` grant in a bucket policy (BucketPolicy or a bucket's
    inline policy) names only the bucket's AWSLogs/ objects (`objects`) or else the bucket
    itself, has none of `own_problems` (None: the statement is not this rule's to judge) and,
    unless the config's requireSourceConditions is off, carries a confused-deputy condition.
    `grant` names the grant in the option's description; the reference is the CloudTrail bucket
    policy page."""

    def check(res: Res, cfg: dict[str, Any], report: Report) -> None:
        statements = iam.read_policy(res, report) or []
        for stmt in granting(statements, action):
            own = own_problems(stmt)
            if own is None:
                continue
            problems = [*resource_problems(stmt, bucket_of(res), objects=objects), *own]
            if cfg["requireSourceConditions"]:
                problems.extend(condition_problems(stmt, statements, action))
            for problem in problems:
                report(f"{res.label}: {problem}.")

    option = f"Require aws:SourceArn / aws:SourceAccount on {grant}."
    family_sets(fields, "config", "compliance")
    fields["config"] = {"requireSourceConditions": boolean_option(True, option)}
    fields["compliance"] = Compliance(reference=CLOUDTRAIL_BUCKET_POLICY_DOC)
    types = (BUCKET_POLICY_TYPE, *BUCKET_TYPES)
    return Rule(check, resource_policy(types=types, check=check, **fields))
