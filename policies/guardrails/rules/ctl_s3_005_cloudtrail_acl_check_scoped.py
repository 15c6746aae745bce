"""ctl-s3-005: CloudTrail's GetBucketAcl grant names only the bucket and is deputy-guarded."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails import cloudtrail_grants as grants
from guardrails import iam


def _combined_grants_left_to_s3_004(stmt: iam.Statement) -> list[str] | None:
    """None (not this rule's to judge) for a grant that allows s3:PutObject too, which ctl-s3-004
    judges and refuses; otherwise no problems besides the family's."""
    return None if iam.action_allowed(stmt, "s3:PutObject") else []


check, POLICY = grants.grant_rule(
    "s3:GetBucketAcl",
    grant="the ACL-check grant",
    own_problems=_combined_grants_left_to_s3_004,
    name="ctl-s3-005-cloudtrail-acl-check-scoped",
    description=(
        "A bucket policy's s3:GetBucketAcl grant to cloudtrail.amazonaws.com names only the bucket "
        "ARN and carries aws:SourceArn and/or aws:SourceAccount conditions."
    ),
    severity=Severity.MEDIUM,
    remediation="Add the same aws:SourceArn condition as on the PutObject statement.",
)
