"""ctl-ct-001: every trail records in every Region (isMultiRegionTrail; unset means false)."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.support import TRAIL_TYPE, Compliance, bool_settings_check, resource_policy

check = bool_settings_check("isMultiRegionTrail", want=True, default=False)

POLICY = resource_policy(
    name="ctl-ct-001-trail-multi-region",
    description="Every CloudTrail trail is multi-region (isMultiRegionTrail: true).",
    types=(TRAIL_TYPE,),
    check=check,
    severity=Severity.HIGH,
    remediation="Set isMultiRegionTrail to true on the aws.cloudtrail.Trail.",
    compliance=Compliance(cis=("3.1",), security_hub=("CloudTrail.1",)),
)
