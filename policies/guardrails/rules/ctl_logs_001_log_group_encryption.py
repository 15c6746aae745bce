"""ctl-logs-001: CloudWatch log groups are encrypted with a customer KMS key."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails.support import (
    LOG_GROUP_TYPE,
    LOGS_KMS_DOC,
    Compliance,
    Res,
    is_set,
    lookup,
    resource_policy,
)


def check(res: Res, cfg: dict[str, Any], report: Any) -> None:
    if cfg["allowServiceManaged"] or is_set(lookup(res.props, "kmsKeyId")):
        return
    report(f"{res.label} has no kmsKeyId: it uses only CloudWatch Logs' service-managed key.")


POLICY = resource_policy(
    name="ctl-logs-001-log-group-encryption",
    description="Every CloudWatch log group is encrypted with a KMS key (kmsKeyId set).",
    types=(LOG_GROUP_TYPE,),
    check=check,
    severity=Severity.MEDIUM,
    config={
        "allowServiceManaged": {
            "type": "boolean",
            "default": False,
            "description": "Accept CloudWatch Logs' service-managed encryption (no kmsKeyId).",
        }
    },
    remediation=(
        "Set kms_key_id on the log group (its key policy must admit logs.<region>.amazonaws.com)."
    ),
    compliance=Compliance(reference=LOGS_KMS_DOC),
)
