"""ctl-ct-001..004: a trail's boolean settings (multi-region, validation, global events, on)."""

from __future__ import annotations

from typing import Any

from pulumi_policy import ResourceValidationPolicy, Severity

from guardrails.support import (
    TRAIL_TYPE,
    Compliance,
    Res,
    ResourceCheck,
    bool_setting,
    resource_policy,
)

# Each policy's check, by policy name (for in-process tests).
CHECKS: dict[str, ResourceCheck] = {}


def _trail_flag(
    name: str,
    prop: str,
    default: bool,
    description: str,
    severity: Severity,
    compliance: Compliance,
) -> ResourceValidationPolicy:
    def check(res: Res, _cfg: dict[str, Any], report: Any) -> None:
        bool_setting(res, prop, want=True, default=default, report=report)

    CHECKS[name] = check
    return resource_policy(
        name=name,
        description=description,
        types=(TRAIL_TYPE,),
        check=check,
        severity=severity,
        remediation=f"Set {prop} to true on the aws.cloudtrail.Trail.",
        compliance=compliance,
    )


MULTI_REGION = _trail_flag(
    "ctl-ct-001-trail-multi-region",
    "isMultiRegionTrail",
    False,
    "Every CloudTrail trail is multi-region (isMultiRegionTrail: true).",
    Severity.HIGH,
    Compliance(cis=("3.1",), security_hub=("CloudTrail.1",)),
)
LOG_FILE_VALIDATION = _trail_flag(
    "ctl-ct-002-trail-log-file-validation",
    "enableLogFileValidation",
    False,
    "Every CloudTrail trail has log file integrity validation (enableLogFileValidation: true).",
    Severity.HIGH,
    Compliance(cis=("3.2",), security_hub=("CloudTrail.4",)),
)
GLOBAL_SERVICE_EVENTS = _trail_flag(
    "ctl-ct-003-trail-global-service-events",
    "includeGlobalServiceEvents",
    True,
    "Every CloudTrail trail records global service events such as IAM "
    "(includeGlobalServiceEvents not false).",
    Severity.MEDIUM,
    # IAM, STS and CloudFront are management events CloudTrail.1 / CIS 3.1 expect recorded.
    Compliance(cis=("3.1",), security_hub=("CloudTrail.1",)),
)
LOGGING_ENABLED = _trail_flag(
    "ctl-ct-004-trail-logging-enabled",
    "enableLogging",
    True,
    "Every CloudTrail trail is logging (enableLogging not false).",
    Severity.HIGH,
    Compliance(cis=("3.1",), security_hub=("CloudTrail.1",)),
)

POLICIES = [MULTI_REGION, LOG_FILE_VALIDATION, GLOBAL_SERVICE_EVENTS, LOGGING_ENABLED]
