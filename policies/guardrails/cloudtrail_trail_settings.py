"""ctl-ct-001..004: a trail's boolean settings (multi-region, validation, global events, on)."""

from __future__ import annotations

from typing import Any

from pulumi_policy import ResourceValidationPolicy, Severity

from guardrails.support import TRAIL_TYPE, Res, bool_setting, resource_policy


def _trail_flag(
    name: str, prop: str, default: bool, description: str, severity: Severity
) -> ResourceValidationPolicy:
    def check(res: Res, _cfg: dict[str, Any], report: Any) -> None:
        bool_setting(res, prop, want=True, default=default, report=report)

    return resource_policy(
        name=name,
        description=description,
        types=(TRAIL_TYPE,),
        check=check,
        severity=severity,
        remediation=f"Set {prop} to true on the aws.cloudtrail.Trail.",
    )


MULTI_REGION = _trail_flag(
    "ctl-ct-001-trail-multi-region",
    "isMultiRegionTrail",
    False,
    "Every CloudTrail trail is multi-region (isMultiRegionTrail: true).",
    Severity.HIGH,
)
LOG_FILE_VALIDATION = _trail_flag(
    "ctl-ct-002-trail-log-file-validation",
    "enableLogFileValidation",
    False,
    "Every CloudTrail trail has log file integrity validation (enableLogFileValidation: true).",
    Severity.HIGH,
)
GLOBAL_SERVICE_EVENTS = _trail_flag(
    "ctl-ct-003-trail-global-service-events",
    "includeGlobalServiceEvents",
    True,
    "Every CloudTrail trail records global service events such as IAM "
    "(includeGlobalServiceEvents not false).",
    Severity.MEDIUM,
)
LOGGING_ENABLED = _trail_flag(
    "ctl-ct-004-trail-logging-enabled",
    "enableLogging",
    True,
    "Every CloudTrail trail is logging (enableLogging not false).",
    Severity.HIGH,
)

POLICIES = [MULTI_REGION, LOG_FILE_VALIDATION, GLOBAL_SERVICE_EVENTS, LOGGING_ENABLED]
