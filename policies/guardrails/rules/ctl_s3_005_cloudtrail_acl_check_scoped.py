"""ctl-s3-005: CloudTrail's GetBucketAcl grant names only the bucket and is deputy-guarded."""

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
    for stmt in grants.granting(statements, "s3:GetBucketAcl"):
        if iam.action_allowed(stmt, "s3:PutObject"):
            continue  # a combined grant is judged (and refused) by ctl-s3-004
        problems = grants.resource_problems(stmt, grants.bucket_of(res), objects=False)
        if cfg["requireSourceConditions"]:
            problems.extend(grants.condition_problems(stmt, statements, "s3:GetBucketAcl"))
        for problem in problems:
            report(f"{res.label}: {problem}.")


POLICY = resource_policy(
    name="ctl-s3-005-cloudtrail-acl-check-scoped",
    description=(
        "A bucket policy's s3:GetBucketAcl grant to cloudtrail.amazonaws.com names only the bucket "
        "ARN and carries aws:SourceArn and/or aws:SourceAccount conditions."
    ),
    types=(BUCKET_POLICY_TYPE, *BUCKET_TYPES),
    check=check,
    severity=Severity.MEDIUM,
    config={
        "requireSourceConditions": boolean_option(
            True,
            "Require aws:SourceArn / aws:SourceAccount on the ACL-check grant.",
        ),
    },
    remediation="Add the same aws:SourceArn condition as on the PutObject statement.",
    compliance=Compliance(reference=CLOUDTRAIL_BUCKET_POLICY_DOC),
)
