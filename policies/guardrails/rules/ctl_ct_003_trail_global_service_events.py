"""ctl-ct-003: every trail records global service events such as IAM's
(includeGlobalServiceEvents; unset means true)."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.support import TRAIL_TYPE, Compliance, bool_settings_check, resource_policy

check = bool_settings_check("includeGlobalServiceEvents", want=True, default=True)

POLICY = resource_policy(
    name="ctl-ct-003-trail-global-service-events",
    description=(
        "Every CloudTrail trail records global service events such as IAM "
        "(includeGlobalServiceEvents not false)."
    ),
    types=(TRAIL_TYPE,),
    check=check,
    severity=Severity.MEDIUM,
    remediation="Set includeGlobalServiceEvents to true on the aws.cloudtrail.Trail.",
    # IAM, STS and CloudFront are management events CloudTrail.1 / CIS 3.1 expect recorded.
    compliance=Compliance(cis=("3.1",), security_hub=("CloudTrail.1",)),
)
