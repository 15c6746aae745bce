"""ctl-s3-003: no bucket policy statement allows a public principal unless org/account scoped."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.declare import Compliance
from guardrails.families import not_public_rule
from guardrails.support import BUCKET_POLICY_TYPE, BUCKET_TYPES

check, POLICY = not_public_rule(
    (BUCKET_POLICY_TYPE, *BUCKET_TYPES),
    name="ctl-s3-003-bucket-policy-no-public-principal",
    description=(
        'No bucket policy statement allows a public principal (\'*\' or {"AWS": "*"}) unless a '
        "condition with a fixed value restricts it to an organization or a specific account."
    ),
    severity=Severity.CRITICAL,
    remediation="Name the principals, or add an aws:PrincipalOrgID / aws:SourceAccount condition.",
    compliance=Compliance(security_hub=("S3.2", "S3.3", "CloudTrail.6")),
)
