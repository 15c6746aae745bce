"""ctl-ct-001: every trail records in every Region (isMultiRegionTrail; unset means false)."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.declare import Compliance
from guardrails.families import trail_setting_rule

check, POLICY = trail_setting_rule(
    "isMultiRegionTrail",
    default=False,
    name="ctl-ct-001-trail-multi-region",
    description="Every CloudTrail trail is multi-region (isMultiRegionTrail: true).",
    severity=Severity.HIGH,
    compliance=Compliance(cis=("3.1",), security_hub=("CloudTrail.1",)),
)
