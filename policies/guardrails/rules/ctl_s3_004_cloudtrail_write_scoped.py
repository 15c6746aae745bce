"""ctl-s3-004: CloudTrail's PutObject grant is limited to AWSLogs/ and guarded against
confused deputies."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails import cloudtrail_grants as grants
from guardrails import iam
from guardrails.support import (
    BUCKET_POLICY_TYPE,
    BUCKET_TYPES,
    CLOUDTRAIL_BUCKET_POLICY_DOC,
    Compliance,
    Res,
    boolean_option,
    resource_policy,
)


def check(res: Res, cfg: dict[str, Any], report: Any) -> None:
    statements = iam.read_policy(res, report) or []
    for stmt in grants.granting(statements, "s3:PutObject"):
        problems = grants.resource_problems(stmt, grants.bucket_of(res), objects=True)
        extra = [a for a in stmt.actions if a.lower() != "s3:putobject"]
        if stmt.not_action or extra:
            problems.append(f"{stmt.label} grants more than s3:PutObject")
        if cfg["requireSourceConditions"]:
            problems.extend(grants.condition_problems(stmt, statements, "s3:PutObject"))
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
        "requireSourceConditions": boolean_option(
            True,
            "Require aws:SourceArn / aws:SourceAccount on the write grant.",
        ),
    },
    remediation=(
        "Resource arn:aws:s3:::<bucket>/AWSLogs/<account-id>/*, Condition StringEquals "
        "aws:SourceArn arn:aws:cloudtrail:<region>:<account-id>:trail/<name>."
    ),
    compliance=Compliance(reference=CLOUDTRAIL_BUCKET_POLICY_DOC),
)
