"""Alert definitions and their parsing from stack config.

One API alert definition (`ApiAlert`) is the single home of a detection rule. Two delivery paths
are derived from it and must never be written by hand:

* `metric_filter_pattern(alert)`: a CloudWatch Logs metric filter on the trail's log group, whose
  metric an alarm (`ALARM`) watches. Minutes of latency, but it sees every region of a
  multi-Region trail and read-only calls alike.
* `event_pattern(alert)`: an EventBridge rule pattern. Seconds of latency (best effort), but a
  rule sees only its own region, global-service events (IAM, STS, CloudFront, sign-in) arrive only
  in the partition's global events region (us-east-1), and read-only `Get*`/`List*`/`Describe*`
  management events reach a rule only when its state is
  `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` (see `eventbridge_rule_state`; source:
  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail-management.html).
  Read-only alerts are therefore accepted, and the rule opts in to read-only events.

Config keys, namespace `cloudtrail-logging`:

* `cisControls`: control ids to enable (`cis.CIS_CONTROL_IDS`); unset means all of them,
  `[]` means none.
* `apiAlerts`: list of objects `{name, eventSource, eventNames, userIdentityType?, userArnLike?,
  eventBridgeSource?, description?}`; see `ApiAlert`.
* `alertRegions`: regions where EventBridge rules are created; the partition's global events
  region (us-east-1) is always included.
* `logRetentionDays`: CloudWatch Logs retention of the trail's log group, default 365. Only
  values CloudWatch Logs accepts that are >= 365, or 0 (never expire): Security Hub CloudWatch.16
  (AWS Config `cw-loggroup-retention-period-check`) fails under 365 days and passes "Never expire".
* `alertEmail`: optional email subscriber of the alert topic.
* `alertLambdaArn`: optional Lambda function subscriber of the alert topic.
* `logGroupKms`: encrypt the log group with a customer managed KMS key, default true.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cloudtrail_logging import regions
from cloudtrail_logging.cis import CIS_CONTROL_IDS, CIS_CONTROLS, CisControl
from cloudtrail_logging.raw_config import RawConfig

ALERT_KEYS = (
    "cisControls",
    "apiAlerts",
    "alertRegions",
    "logRetentionDays",
    "alertEmail",
    "alertLambdaArn",
    "logGroupKms",
)

API_CALL_DETAIL_TYPE = "AWS API Call via CloudTrail"
# The EventBridge guide spells the sign-in type "AWS Console Signin via CloudTrail", while the
# events it delivers read "AWS Console Sign In via CloudTrail"; matching both costs nothing.
SIGN_IN_DETAIL_TYPES = ("AWS Console Sign In via CloudTrail", "AWS Console Signin via CloudTrail")
SIGN_IN_EVENT_SOURCE = "signin.amazonaws.com"
READ_ONLY_RULE_STATE = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
READ_ONLY_PREFIXES = ("Get", "List", "Describe")

# CloudTrail `userIdentity.type` values (CloudTrail user guide, "CloudTrail userIdentity element").
USER_IDENTITY_TYPES = (
    "Root",
    "IAMUser",
    "AssumedRole",
    "Role",
    "FederatedUser",
    "Directory",
    "AWSAccount",
    "AWSService",
    "IdentityCenterUser",
    "Unknown",
)

# Values the CloudWatch Logs PutRetentionPolicy API accepts (pulumi-aws 7.51.1 LogGroup docs).
CLOUDWATCH_LOGS_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
)  # fmt: skip
MIN_RETENTION_DAYS = 365
ALLOWED_RETENTION_DAYS = (
    0,
    *(days for days in CLOUDWATCH_LOGS_RETENTION_DAYS if days >= MIN_RETENTION_DAYS),
)
DEFAULT_RETENTION_DAYS = 365

ALERT_NAME_RE = r"[a-z][a-z0-9-]{0,62}[a-z0-9]"
EVENT_SOURCE_RE = r"[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*\.amazonaws\.com"
EVENT_NAME_RE = r"[A-Za-z][A-Za-z0-9_.-]{0,127}"
EVENTBRIDGE_SOURCE_RE = r"aws\.[a-z0-9][a-z0-9.-]*"
# An ARN pattern: exact, or a prefix ending in a single `*`. Both CloudWatch Logs filter patterns
# (trailing wildcard) and EventBridge (`prefix` matching) express exactly these.
USER_ARN_LIKE_RE = r"arn:aws(-cn|-us-gov)?:(iam|sts)::(\*|\d{12}(:[^\s\"*?]*)?\*?)"
EMAIL_RE = r"[^@\s\"]+@[^@\s\"]+\.[A-Za-z]{2,}"
LAMBDA_ARN_RE = (
    r"arn:(aws|aws-cn|aws-us-gov):lambda:([a-z]{2}(-gov)?-[a-z]+-\d):\d{12}:function:"
    r"[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?"
)
MAX_METRIC_FILTERS_PER_LOG_GROUP = 100
# CloudWatch Logs FilterPattern is at most 1,024 characters (API model); an EventBridge event
# pattern at most 2,048 by default (quota, adjustable to 4,096; pulumi-aws EventRule docs).
MAX_FILTER_PATTERN_CHARS = 1024
MAX_EVENT_PATTERN_CHARS = 2048
DESCRIPTION_MAX = 1024  # CloudWatch alarm descriptions are at most 1,024 characters.


@dataclass(frozen=True)
class AlarmSettings:
    """How every alert metric is alarmed: one 60 s period, fire on a single matching event."""

    namespace: str = "CloudTrailMetrics"
    metric_value: str = "1"
    statistic: str = "Sum"
    period_seconds: int = 60
    evaluation_periods: int = 1
    threshold: float = 1.0
    comparison_operator: str = "GreaterThanOrEqualToThreshold"
    treat_missing_data: str = "notBreaching"


ALARM = AlarmSettings()


@dataclass(frozen=True)
class ApiAlert:
    """An alert on CloudTrail API calls: one event source, one or more event names.

    The optional identity condition narrows it: `user_identity_type` must equal the caller's
    `userIdentity.type`, and when `user_arn_like` is given the caller's `userIdentity.arn` must
    match one of its patterns (exact, or prefix with a trailing `*`). Both must hold when both
    are set. `eventbridge_source` overrides the derived `aws.<service>` EventBridge source for
    the few services whose source differs from their CloudTrail event source.
    """

    name: str
    event_source: str
    event_names: tuple[str, ...]
    user_identity_type: str | None = None
    user_arn_like: tuple[str, ...] = ()
    eventbridge_source: str | None = None
    description: str | None = None

    @property
    def metric_name(self) -> str:
        return self.name

    @property
    def read_only(self) -> bool:
        """True if any event name is read-only by AWS naming convention (Get/List/Describe)."""
        return any(is_read_only_event_name(name) for name in self.event_names)


@dataclass(frozen=True)
class AlertSettings:
    """All alerting settings of a stack, validated."""

    cis_controls: tuple[CisControl, ...] = ()
    api_alerts: tuple[ApiAlert, ...] = ()
    alert_regions: tuple[str, ...] = ()
    log_retention_days: int = DEFAULT_RETENTION_DAYS
    alert_email: str | None = None
    alert_lambda_arn: str | None = None
    log_group_kms: bool = True
    alarm: AlarmSettings = ALARM

    @property
    def enabled(self) -> bool:
        """True when there is anything to alert on."""
        return bool(self.cis_controls or self.api_alerts)


def is_read_only_event_name(event_name: str) -> bool:
    return event_name.startswith(READ_ONLY_PREFIXES)


def eventbridge_source(alert: ApiAlert) -> str:
    """The EventBridge `source` of an alert: `aws.<service>` for `<service>.amazonaws.com`.

    This is the convention of the EventBridge events reference
    (https://docs.aws.amazon.com/eventbridge/latest/ref/events.html), e.g. `sts.amazonaws.com` ->
    `aws.sts`, `monitoring.amazonaws.com` -> `aws.monitoring`; `eventBridgeSource` overrides it.
    """
    if alert.eventbridge_source:
        return alert.eventbridge_source
    return "aws." + alert.event_source.removesuffix(".amazonaws.com")


def _quoted(value: str) -> str:
    return f'"{value}"'


def metric_filter_pattern(alert: ApiAlert) -> str:
    """The CloudWatch Logs filter pattern of an alert, e.g.

    `{ ($.eventSource = "ec2.amazonaws.com") && (($.eventName = "RunInstances")) }`.
    """
    terms = [f"($.eventSource = {_quoted(alert.event_source)})"]
    names = " || ".join(f"($.eventName = {_quoted(name)})" for name in alert.event_names)
    terms.append(f"({names})")
    if alert.user_identity_type:
        terms.append(f"($.userIdentity.type = {_quoted(alert.user_identity_type)})")
    if alert.user_arn_like:
        arns = " || ".join(f"($.userIdentity.arn = {_quoted(arn)})" for arn in alert.user_arn_like)
        terms.append(f"({arns})")
    return "{ " + " && ".join(terms) + " }"


def event_pattern(alert: ApiAlert) -> dict[str, Any]:
    """The EventBridge event pattern of an alert (a dict; serialise with json.dumps)."""
    detail_types = (
        list(SIGN_IN_DETAIL_TYPES)
        if alert.event_source == SIGN_IN_EVENT_SOURCE
        else [API_CALL_DETAIL_TYPE]
    )
    detail: dict[str, Any] = {
        "eventSource": [alert.event_source],
        "eventName": list(alert.event_names),
    }
    identity: dict[str, Any] = {}
    if alert.user_identity_type:
        identity["type"] = [alert.user_identity_type]
    if alert.user_arn_like:
        identity["arn"] = [
            {"prefix": arn[:-1]} if arn.endswith("*") else arn for arn in alert.user_arn_like
        ]
    if identity:
        detail["userIdentity"] = identity
    return {"source": [eventbridge_source(alert)], "detail-type": detail_types, "detail": detail}


def eventbridge_rule_state(alert: ApiAlert) -> str:
    """`ENABLED`, or the opt-in state when the alert needs read-only management events."""
    return READ_ONLY_RULE_STATE if alert.read_only else "ENABLED"


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------

_ALERT_FIELDS = (
    "name",
    "eventSource",
    "eventNames",
    "userIdentityType",
    "userArnLike",
    "eventBridgeSource",
    "description",
)
_ALERT_FORM = (
    'a list of alert objects {"name", "eventSource", "eventNames", "userIdentityType"?, '
    '"userArnLike"?, "eventBridgeSource"?, "description"?}'
)


def _parse_cis_controls(cfg: RawConfig) -> tuple[CisControl, ...]:
    if not cfg.has("cisControls"):
        return CIS_CONTROLS
    expected = "CIS control ids, each one of " + ", ".join(CIS_CONTROL_IDS)
    chosen = cfg.string_list("cisControls", expected=expected)
    ok = True
    for index, control_id in enumerate(chosen):
        if control_id not in CIS_CONTROL_IDS:
            cfg.fail(f"cisControls[{index}]", "one of " + ", ".join(CIS_CONTROL_IDS), control_id)
            ok = False
    if not ok:
        return ()
    return tuple(control for control in CIS_CONTROLS if control.control_id in chosen)


def _string_field(
    cfg: RawConfig,
    key: str,
    item: Mapping[str, Any],
    field: str,
    pattern: str,
    expected: str,
    *,
    required: bool,
) -> str | None:
    value = item.get(field)
    if value is None or value == "":
        if required:
            cfg.fail(key, f"{expected} (required)")
        return None
    if not isinstance(value, str) or not re.fullmatch(pattern, value):
        cfg.fail(key, expected, value)
        return None
    return value


def _string_list_field(
    cfg: RawConfig, key: str, value: Any, pattern: str, expected: str, *, required: bool
) -> tuple[str, ...] | None:
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not value:
        cfg.fail(key, f"a non-empty list of {expected}", value)
        return None
    ok = True
    seen: set[str] = set()
    for index, entry in enumerate(value):
        if not isinstance(entry, str) or not re.fullmatch(pattern, entry):
            cfg.fail(f"{key}[{index}]", expected, entry)
            ok = False
        elif entry in seen:
            cfg.fail(f"{key}[{index}]", f"{expected}, each listed once", entry)
            ok = False
        else:
            seen.add(entry)
    return tuple(value) if ok else None


def _parse_api_alert(cfg: RawConfig, index: int, item: Any) -> ApiAlert | None:
    base = f"apiAlerts[{index}]"
    if not isinstance(item, dict):
        cfg.fail(base, "an alert object", item)
        return None
    problems_before = len(cfg.problems)
    for field in item:
        if field not in _ALERT_FIELDS:
            expected = "only alert fields, i.e. " + ", ".join(_ALERT_FIELDS)
            cfg.fail(f"{base}.{field}", expected, field)
    name = _string_field(
        cfg, f"{base}.name", item, "name", ALERT_NAME_RE,
        "a name of 2-64 lower-case letters, digits and hyphens, starting with a letter",
        required=True,
    )  # fmt: skip
    event_source = _string_field(
        cfg, f"{base}.eventSource", item, "eventSource", EVENT_SOURCE_RE,
        "a CloudTrail event source of the form <service>.amazonaws.com", required=True,
    )  # fmt: skip
    event_names = _string_list_field(
        cfg, f"{base}.eventNames", item.get("eventNames"), EVENT_NAME_RE,
        "CloudTrail event names such as RunInstances", required=True,
    )  # fmt: skip
    identity_type = _string_field(
        cfg, f"{base}.userIdentityType", item, "userIdentityType",
        "|".join(USER_IDENTITY_TYPES), "one of " + ", ".join(USER_IDENTITY_TYPES), required=False,
    )  # fmt: skip
    arn_like = _string_list_field(
        cfg, f"{base}.userArnLike", item.get("userArnLike"), USER_ARN_LIKE_RE,
        "IAM or STS ARNs, exact or ending in a single * (a prefix match)", required=False,
    )  # fmt: skip
    eb_source = _string_field(
        cfg, f"{base}.eventBridgeSource", item, "eventBridgeSource", EVENTBRIDGE_SOURCE_RE,
        "an EventBridge source of the form aws.<service>", required=False,
    )  # fmt: skip
    description = _string_field(
        cfg, f"{base}.description", item, "description", rf"[^\x00-\x1f]{{1,{DESCRIPTION_MAX}}}",
        f"a one-line description of at most {DESCRIPTION_MAX} characters", required=False,
    )  # fmt: skip
    if len(cfg.problems) != problems_before:
        return None
    assert name is not None and event_source is not None and event_names is not None
    alert = ApiAlert(
        name=name,
        event_source=event_source,
        event_names=event_names,
        user_identity_type=identity_type,
        user_arn_like=arn_like or (),
        eventbridge_source=eb_source,
        description=description,
    )
    filter_chars = len(metric_filter_pattern(alert))
    pattern_chars = len(json.dumps(event_pattern(alert), separators=(",", ":")))
    if filter_chars > MAX_FILTER_PATTERN_CHARS or pattern_chars > MAX_EVENT_PATTERN_CHARS:
        cfg.fail(
            f"{base}.eventNames",
            f"fewer event names: the metric filter pattern is {filter_chars} characters "
            f"(at most {MAX_FILTER_PATTERN_CHARS}) and the event pattern {pattern_chars} "
            f"(at most {MAX_EVENT_PATTERN_CHARS}); split the alert",
            len(event_names),
        )
        return None
    return alert


def _parse_api_alerts(cfg: RawConfig) -> tuple[ApiAlert, ...]:
    value = cfg.structured("apiAlerts", _ALERT_FORM)
    if value is None:
        return ()
    if not isinstance(value, list):
        cfg.fail("apiAlerts", _ALERT_FORM, value)
        return ()
    alerts: list[ApiAlert] = []
    names: set[str] = set()
    for index, item in enumerate(value):
        alert = _parse_api_alert(cfg, index, item)
        if alert is None:
            continue
        if alert.name in names:
            cfg.fail(f"apiAlerts[{index}].name", "a name not used by another alert", alert.name)
            continue
        names.add(alert.name)
        alerts.append(alert)
    return tuple(alerts)


def _check_filter_count(
    cfg: RawConfig, cis: tuple[CisControl, ...], api: tuple[ApiAlert, ...]
) -> None:
    if len(cis) + len(api) > MAX_METRIC_FILTERS_PER_LOG_GROUP:
        cfg.fail(
            "apiAlerts",
            f"at most {MAX_METRIC_FILTERS_PER_LOG_GROUP - len(cis)} alerts next to "
            f"{len(cis)} CIS controls (CloudWatch Logs allows "
            f"{MAX_METRIC_FILTERS_PER_LOG_GROUP} metric filters per log group)",
            len(api),
        )


def _parse_alert_regions(cfg: RawConfig, partition: str) -> tuple[str, ...]:
    valid = regions.regions_of(partition)
    listed = cfg.string_list("alertRegions", expected=f"{partition} region names")
    for index, region in enumerate(listed):
        if region not in valid:
            cfg.fail(
                f"alertRegions[{index}]",
                f"an existing {partition} region, one of " + ", ".join(sorted(valid)),
                region,
            )
    home = regions.global_events_region(partition)
    others = sorted({r for r in listed if r in valid} - {home})
    return (home, *others)


def _parse_retention(cfg: RawConfig) -> int:
    days = cfg.integer(
        "logRetentionDays", DEFAULT_RETENTION_DAYS, minimum=0, maximum=max(ALLOWED_RETENTION_DAYS)
    )
    if days not in ALLOWED_RETENTION_DAYS:
        cfg.fail(
            "logRetentionDays",
            "0 (never expire) or a CloudWatch Logs retention of at least 365 days: "
            + ", ".join(str(d) for d in ALLOWED_RETENTION_DAYS),
            days,
        )
        return DEFAULT_RETENTION_DAYS
    return days


def _parse_lambda_arn(cfg: RawConfig, partition: str) -> str | None:
    arn = cfg.string(
        "alertLambdaArn",
        pattern=LAMBDA_ARN_RE,
        expected="a Lambda function ARN, arn:<partition>:lambda:<region>:<account>:function:<name>",
    )
    if arn is None:
        return None
    arn_partition, region = arn.split(":")[1], arn.split(":")[3]
    if arn_partition != partition or region not in regions.regions_of(partition):
        cfg.fail(
            "alertLambdaArn",
            f"a Lambda function ARN in an existing {partition} region",
            arn,
        )
        return None
    return arn


def parse_alerting(cfg: RawConfig, *, partition: str = regions.COMMERCIAL) -> AlertSettings:
    """Read and validate the alerting keys; problems are recorded on `cfg` by key.

    The caller raises them all at once with `cfg.raise_if_problems()`.
    """
    cis_controls = _parse_cis_controls(cfg)
    api_alerts = _parse_api_alerts(cfg)
    _check_filter_count(cfg, cis_controls, api_alerts)
    return AlertSettings(
        cis_controls=cis_controls,
        api_alerts=api_alerts,
        alert_regions=_parse_alert_regions(cfg, partition),
        log_retention_days=_parse_retention(cfg),
        alert_email=cfg.string(
            "alertEmail", pattern=EMAIL_RE, expected="an email address such as soc@example.com"
        ),
        alert_lambda_arn=_parse_lambda_arn(cfg, partition),
        log_group_kms=cfg.boolean("logGroupKms", True),
    )


def metric_filters(settings: AlertSettings) -> tuple[tuple[str, str, str], ...]:
    """(id, metric name, filter pattern) of every metric filter the settings call for."""
    cis = tuple((c.control_id, c.metric_name, c.filter_pattern) for c in settings.cis_controls)
    api = tuple((a.name, a.metric_name, metric_filter_pattern(a)) for a in settings.api_alerts)
    return cis + api


# ---------------------------------------------------------------------------------------------
# Names and ARNs of the alerting resources, composed from plain strings (known at preview)
# ---------------------------------------------------------------------------------------------

MAX_RULE_NAME_CHARS = 64  # EventBridge rule names: 1-64 characters, [.-_A-Za-z0-9]


def filter_slug(filter_id: str) -> str:
    """A resource-name fragment for a metric filter id: `CloudWatch.1` -> `cloudwatch-1`."""
    return filter_id.lower().replace(".", "-")


def api_rule_prefix(name_prefix: str) -> str:
    """The name prefix every API-call rule of a stack shares; policies admit `<prefix>*`."""
    return f"{name_prefix}-api-"


def api_rule_name(name_prefix: str, alert: ApiAlert) -> str:
    """The EventBridge rule name of an API alert (the same in every alert region)."""
    name = api_rule_prefix(name_prefix) + alert.name
    if len(name) > MAX_RULE_NAME_CHARS:
        raise ValueError(
            f"EventBridge rule name {name!r} is {len(name)} characters, over "
            f"{MAX_RULE_NAME_CHARS}; shorten the alert name or the name prefix"
        )
    return name


def event_rule_arn(
    partition: str, region: str, account_id: str, rule_name: str, bus_name: str | None = None
) -> str:
    """A rule's ARN; rules on a custom bus carry the bus name: `rule/<bus>/<rule>`."""
    path = f"{bus_name}/{rule_name}" if bus_name and bus_name != "default" else rule_name
    return f"arn:{partition}:events:{region}:{account_id}:rule/{path}"


def alarm_arn(partition: str, region: str, account_id: str, alarm_name: str) -> str:
    return f"arn:{partition}:cloudwatch:{region}:{account_id}:alarm:{alarm_name}"
