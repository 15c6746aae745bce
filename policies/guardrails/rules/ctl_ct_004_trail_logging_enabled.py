"""ctl-ct-004: every trail is logging (enableLogging; unset means true)."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.declare import Compliance
from guardrails.families import trail_setting_rule

check, POLICY = trail_setting_rule(
    "enableLogging",
    default=True,
    name="ctl-ct-004-trail-logging-enabled",
    description="Every CloudTrail trail is logging (enableLogging not false).",
    severity=Severity.HIGH,
    compliance=Compliance(cis=("3.1",), security_hub=("CloudTrail.1",)),
)
