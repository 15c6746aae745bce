"""ctl-ct-005: trails encrypt log files with a KMS key (kmsKeyId set)."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.support import TRAIL_TYPE, Compliance, boolean_option, key_id_check, resource_policy

check = key_id_check(
    "kmsKeyId",
    "its log files are not encrypted with SSE-KMS",
    waived=lambda cfg: not cfg["requireTrailKms"],
)

POLICY = resource_policy(
    name="ctl-ct-005-trail-kms-encryption",
    description="Every CloudTrail trail encrypts its log files with a KMS key (kmsKeyId set).",
    types=(TRAIL_TYPE,),
    check=check,
    severity=Severity.HIGH,
    config={
        "requireTrailKms": boolean_option(True, "Require kmsKeyId on every trail."),
    },
    remediation="Set kms_key_id on the trail to a customer managed KMS key ARN.",
    compliance=Compliance(cis=("3.5",), security_hub=("CloudTrail.2",)),
)
