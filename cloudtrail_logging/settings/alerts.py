"""The alerting keys: CIS controls, API-call alerts, their Regions, the log group's retention and
key, and where alarms go."""

from __future__ import annotations

import json
import re
from typing import Any

from cloudtrail_logging import schema
from cloudtrail_logging.alerting import event_names
from cloudtrail_logging.alerting.alerts import (
    ALERT_NAME_RE,
    ALLOWED_RETENTION_DAYS,
    DESCRIPTION_MAX,
    EVENT_NAME_RE,
    EVENT_SOURCE_RE,
    EVENTBRIDGE_SOURCE_RE,
    MAX_EVENT_PATTERN_CHARS,
    MAX_FILTER_PATTERN_CHARS,
    MAX_METRIC_FILTERS_PER_LOG_GROUP,
    USER_ARN_LIKE_RE,
    USER_IDENTITY_TYPES,
    AlertSettings,
    ApiAlert,
    event_pattern,
    metric_filter_pattern,
)
from cloudtrail_logging.alerting.cis import CIS_CONTROLS
from cloudtrail_logging.aws import regions
from cloudtrail_logging.settings.reader import REGION, Reader, lambda_in_partition


def _alert_field(
    cfg: Reader, where: str, value: Any, pattern: str, expected: str, *, required: bool
) -> str | None:
    if value is None or value == "":
        if required:
            cfg.fail(where, f"{expected} (required)")
        return None
    if not isinstance(value, str) or not re.fullmatch(pattern, value):
        cfg.fail(where, expected, value)
        return None
    return value


def _alert_list(
    cfg: Reader, where: str, value: Any, pattern: str, expected: str, *, required: bool
) -> tuple[str, ...] | None:
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not value:
        cfg.fail(where, f"a non-empty list of {expected}", value)
        return None
    ok, seen = True, set()
    for index, entry in enumerate(value):
        if not isinstance(entry, str) or not re.fullmatch(pattern, entry) or entry in seen:
            twice = isinstance(entry, str) and entry in seen
            cfg.fail(f"{where}[{index}]", expected + (", each listed once" if twice else ""), entry)
            ok = False
        seen.add(entry)
    return tuple(value) if ok else None


_ALERT_FIELDS = (
    "name", "eventSource", "eventNames", "userIdentityType", "userArnLike", "eventBridgeSource",
    "description",
)  # fmt: skip


def _api_alert(cfg: Reader, index: int, item: Any) -> ApiAlert | None:
    base = f"apiAlerts[{index}]"
    if not isinstance(item, dict):
        cfg.fail(base, "an alert object", item)
        return None
    before = len(cfg.problems)
    for extra in sorted(set(item) - set(_ALERT_FIELDS)):
        cfg.fail(f"{base}.{extra}", "only the fields " + ", ".join(_ALERT_FIELDS))
    name = _alert_field(
        cfg,
        f"{base}.name",
        item.get("name"),
        ALERT_NAME_RE,
        "a name of 2-64 lower-case letters, digits and hyphens, starting with a letter",
        required=True,
    )
    source = _alert_field(
        cfg,
        f"{base}.eventSource",
        item.get("eventSource"),
        EVENT_SOURCE_RE,
        "a CloudTrail event source of the form <service>.amazonaws.com",
        required=True,
    )
    names = _alert_list(
        cfg,
        f"{base}.eventNames",
        item.get("eventNames"),
        EVENT_NAME_RE,
        "CloudTrail event names such as RunInstances",
        required=True,
    )
    identity = _alert_field(
        cfg,
        f"{base}.userIdentityType",
        item.get("userIdentityType"),
        "|".join(USER_IDENTITY_TYPES),
        "one of " + ", ".join(USER_IDENTITY_TYPES),
        required=False,
    )
    arn_like = _alert_list(
        cfg,
        f"{base}.userArnLike",
        item.get("userArnLike"),
        USER_ARN_LIKE_RE,
        "IAM or STS ARNs, exact or ending in a single * (a prefix match)",
        required=False,
    )
    eb_source = _alert_field(
        cfg,
        f"{base}.eventBridgeSource",
        item.get("eventBridgeSource"),
        EVENTBRIDGE_SOURCE_RE,
        "an EventBridge source of the form aws.<service>",
        required=False,
    )
    description = _alert_field(
        cfg, f"{base}.description", item.get("description"),
        rf"[^\x00-\x1f]{{1,{DESCRIPTION_MAX}}}",
        f"a one-line description of at most {DESCRIPTION_MAX} characters", required=False,
    )  # fmt: skip
    if len(cfg.problems) != before or name is None or source is None or names is None:
        return None
    # An alert that can never fire is refused: the source and names as CloudTrail records them.
    unknown_source = event_names.source_problem(source)
    if unknown_source is not None:
        cfg.fail(f"{base}.eventSource", unknown_source, source)
        return None
    for index, event in enumerate(names):
        never = event_names.name_problem(source, event)
        if never is not None:
            cfg.fail(f"{base}.eventNames[{index}]", never, event)
    if len(cfg.problems) != before:
        return None
    alert = ApiAlert(name, source, names, identity, arn_like or (), eb_source, description)
    filter_chars = len(metric_filter_pattern(alert))
    pattern_chars = len(json.dumps(event_pattern(alert), separators=(",", ":")))
    if filter_chars > MAX_FILTER_PATTERN_CHARS or pattern_chars > MAX_EVENT_PATTERN_CHARS:
        cfg.fail(
            f"{base}.eventNames",
            f"fewer event names: the metric filter pattern is {filter_chars} characters (at most "
            f"{MAX_FILTER_PATTERN_CHARS}) and the event pattern {pattern_chars} (at most "
            f"{MAX_EVENT_PATTERN_CHARS}); split the alert",
            len(names),
        )
        return None
    return alert


def _api_alerts(cfg: Reader) -> tuple[ApiAlert, ...]:
    alerts: list[ApiAlert] = []
    for index, item in enumerate(cfg.get("apiAlerts")):
        alert = _api_alert(cfg, index, item)
        if alert is None:
            continue
        if any(other.name == alert.name for other in alerts):
            cfg.fail(f"apiAlerts[{index}].name", "a name not used by another alert", alert.name)
            continue
        alerts.append(alert)
    return tuple(alerts)


def _alert_regions(cfg: Reader, partition: str) -> tuple[str, ...]:
    valid = regions.regions_of(partition)
    listed = cfg.get("alertRegions")
    for index, region in enumerate(listed):
        if region not in valid and cfg.ok(REGION):
            cfg.fail(f"alertRegions[{index}]", f"an existing {partition} region name", region)
    home = regions.global_events_region(partition)
    return (home, *sorted({r for r in listed if r in valid} - {home}))


def read_alerting(cfg: Reader, partition: str) -> AlertSettings:
    chosen = set(cfg.get("cisControls"))
    cis = tuple(control for control in CIS_CONTROLS if control.control_id in chosen)
    api = _api_alerts(cfg)
    if len(cis) + len(api) > MAX_METRIC_FILTERS_PER_LOG_GROUP:
        cfg.fail(
            "apiAlerts",
            f"at most {MAX_METRIC_FILTERS_PER_LOG_GROUP - len(cis)} alerts next to {len(cis)} "
            f"CIS controls (CloudWatch Logs allows {MAX_METRIC_FILTERS_PER_LOG_GROUP} metric "
            "filters per log group)",
            len(api),
        )
    retention = cfg.get("logRetentionDays")
    if retention not in ALLOWED_RETENTION_DAYS:
        cfg.fail(
            "logRetentionDays",
            "0 (never expire) or a CloudWatch Logs retention of at least 365 days: "
            + ", ".join(str(d) for d in ALLOWED_RETENTION_DAYS),
            retention,
        )
        retention = schema.BY_NAME["logRetentionDays"].default
    return AlertSettings(
        cis_controls=cis,
        api_alerts=api,
        alert_regions=_alert_regions(cfg, partition),
        log_retention_days=retention,
        alert_email=cfg.optional("alertEmail"),
        alert_lambda_arn=lambda_in_partition(cfg, "alertLambdaArn", partition),
        log_group_kms=cfg.get("logGroupKms"),
    )
