"""ctl-s3-005: CloudTrail's GetBucketAcl grant names only the bucket and is deputy-guarded."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails import cloudtrail_grants as grants
from guardrails import iam


def _not_a_write_grant(stmt: iam.Statement) -> list[str] | None:
    # A combined grant is judged (and refused) by ctl-s3-004.
    return None if iam.action_allowed(stmt, "s3:PutObject") else []


check, POLICY = grants.grant_rule(
    "s3:GetBucketAcl",
    objects=False,
    grant="the ACL-check grant",
    own_problems=_not_a_write_grant,
    name="ctl-s3-005-cloudtrail-acl-check-scoped",
    description=(
        "A bucket policy's s3:GetBucketAcl grant to cloudtrail.amazonaws.com names only the bucket "
        "ARN and carries aws:SourceArn and/or aws:SourceAccount conditions."
    ),
    severity=Severity.MEDIUM,
    remediation="Add the same aws:SourceArn condition as on the PutObject statement.",
)
