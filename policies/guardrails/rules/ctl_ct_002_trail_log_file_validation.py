"""ctl-ct-002: every trail validates its log files (enableLogFileValidation; unset means false)."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.support import TRAIL_TYPE, Compliance, bool_settings_check, resource_policy

check = bool_settings_check("enableLogFileValidation", want=True, default=False)

POLICY = resource_policy(
    name="ctl-ct-002-trail-log-file-validation",
    description=(
        "Every CloudTrail trail has log file integrity validation (enableLogFileValidation: true)."
    ),
    types=(TRAIL_TYPE,),
    check=check,
    severity=Severity.HIGH,
    remediation="Set enableLogFileValidation to true on the aws.cloudtrail.Trail.",
    compliance=Compliance(cis=("3.2",), security_hub=("CloudTrail.4",)),
)
