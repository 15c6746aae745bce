"""ctl-ct-005: trails encrypt log files with a KMS key (kmsKeyId set)."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails.support import TRAIL_TYPE, Compliance, Res, is_set, lookup, resource_policy


def check(res: Res, cfg: dict[str, Any], report: Any) -> None:
    if not cfg["requireTrailKms"]:
        return
    # Presence is enough: a key created in the same stack is unknown at preview but set.
    if not is_set(lookup(res.props, "kmsKeyId")):
        report(f"{res.label} has no kmsKeyId: its log files are not encrypted with SSE-KMS.")


POLICY = resource_policy(
    name="ctl-ct-005-trail-kms-encryption",
    description="Every CloudTrail trail encrypts its log files with a KMS key (kmsKeyId set).",
    types=(TRAIL_TYPE,),
    check=check,
    severity=Severity.HIGH,
    config={
        "requireTrailKms": {
            "type": "boolean",
            "default": True,
            "description": "Require kmsKeyId on every trail.",
        }
    },
    remediation="Set kms_key_id on the trail to a customer managed KMS key ARN.",
    compliance=Compliance(cis=("3.5",), security_hub=("CloudTrail.2",)),
)
