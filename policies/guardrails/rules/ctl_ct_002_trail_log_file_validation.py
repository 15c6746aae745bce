"""ctl-ct-002: every trail validates its log files (enableLogFileValidation; unset means false)."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.declare import Compliance
from guardrails.families import trail_setting_rule

check, POLICY = trail_setting_rule(
    "enableLogFileValidation",
    default=False,
    name="ctl-ct-002-trail-log-file-validation",
    description=(
        "Every CloudTrail trail has log file integrity validation (enableLogFileValidation: true)."
    ),
    severity=Severity.HIGH,
    compliance=Compliance(cis=("3.2",), security_hub=("CloudTrail.4",)),
)
