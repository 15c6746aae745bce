"""ctl-ct-005: trails encrypt log files with a KMS key (kmsKeyId set)."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.declare import Compliance, boolean_option
from guardrails.families import key_id_rule
from guardrails.support import TRAIL_TYPE

check, POLICY = key_id_rule(
    (TRAIL_TYPE,),
    "kmsKeyId",
    "its log files are not encrypted with SSE-KMS",
    waived=lambda cfg: not cfg["requireTrailKms"],
    name="ctl-ct-005-trail-kms-encryption",
    description="Every CloudTrail trail encrypts its log files with a KMS key (kmsKeyId set).",
    severity=Severity.HIGH,
    config={
        "requireTrailKms": boolean_option(True, "Require kmsKeyId on every trail."),
    },
    remediation="Set kms_key_id on the trail to a customer managed KMS key ARN.",
    compliance=Compliance(cis=("3.5",), security_hub=("CloudTrail.2",)),
)
