"""ctl-s3-011: no bucket sets forceDestroy (deleting a non-empty bucket with its objects)."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.declare import CLOUDTRAIL_SECURITY_BEST_PRACTICES_DOC, Compliance, resource_policy
from guardrails.support import BUCKET_TYPES, bool_settings_check

check = bool_settings_check("forceDestroy", want=False, default=False)


POLICY = resource_policy(
    name="ctl-s3-011-bucket-no-force-destroy",
    description="No S3 bucket sets forceDestroy: true (it would delete every log with the bucket).",
    types=BUCKET_TYPES,
    check=check,
    severity=Severity.HIGH,
    remediation="Remove force_destroy=True from the bucket.",
    compliance=Compliance(reference=CLOUDTRAIL_SECURITY_BEST_PRACTICES_DOC),
)
