"""ctl-ct-004: every trail is logging (enableLogging; unset means true)."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.support import TRAIL_TYPE, Compliance, bool_settings_check, resource_policy

check = bool_settings_check("enableLogging", want=True, default=True)

POLICY = resource_policy(
    name="ctl-ct-004-trail-logging-enabled",
    description="Every CloudTrail trail is logging (enableLogging not false).",
    types=(TRAIL_TYPE,),
    check=check,
    severity=Severity.HIGH,
    remediation="Set enableLogging to true on the aws.cloudtrail.Trail.",
    compliance=Compliance(cis=("3.1",), security_hub=("CloudTrail.1",)),
)
