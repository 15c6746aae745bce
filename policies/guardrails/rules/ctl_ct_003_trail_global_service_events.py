"""ctl-ct-003: every trail records global service events such as IAM's
(includeGlobalServiceEvents; unset means true)."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.declare import Compliance
from guardrails.families import trail_setting_rule

check, POLICY = trail_setting_rule(
    "includeGlobalServiceEvents",
    default=True,
    name="ctl-ct-003-trail-global-service-events",
    description=(
        "Every CloudTrail trail records global service events such as IAM "
        "(includeGlobalServiceEvents not false)."
    ),
    severity=Severity.MEDIUM,
    # IAM, STS and CloudFront are management events CloudTrail.1 / CIS 3.1 expect recorded.
    compliance=Compliance(cis=("3.1",), security_hub=("CloudTrail.1",)),
)
