"""ctl-logs-001: CloudWatch log groups are encrypted with a customer KMS key."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.declare import LOGS_KMS_DOC, Compliance, boolean_option
from guardrails.families import key_id_rule
from guardrails.support import LOG_GROUP_TYPE

check, POLICY = key_id_rule(
    (LOG_GROUP_TYPE,),
    "kmsKeyId",
    "it uses only CloudWatch Logs' service-managed key",
    waived=lambda cfg: bool(cfg["allowServiceManaged"]),
    name="ctl-logs-001-log-group-encryption",
    description="Every CloudWatch log group is encrypted with a KMS key (kmsKeyId set).",
    severity=Severity.MEDIUM,
    config={
        "allowServiceManaged": boolean_option(
            False,
            "Accept CloudWatch Logs' service-managed encryption (no kmsKeyId).",
        ),
    },
    remediation=(
        "Set kms_key_id on the log group (its key policy must admit logs.<region>.amazonaws.com)."
    ),
    compliance=Compliance(reference=LOGS_KMS_DOC),
)
