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

Config keys are declared in `schema.py` and read in `settings/alerts.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cloudtrail_logging.alerting.cis import CisControl

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


def metric_filters(settings: AlertSettings) -> tuple[tuple[str, str, str], ...]:
    """(id, metric name, filter pattern) of every metric filter the settings call for."""
    cis = tuple((c.control_id, c.metric_name, c.filter_pattern) for c in settings.cis_controls)
    api = tuple((a.name, a.metric_name, metric_filter_pattern(a)) for a in settings.api_alerts)
    return cis + api


# ---------------------------------------------------------------------------------------------
# Names and ARNs of the alerting resources, composed from plain strings (known at preview)
# ---------------------------------------------------------------------------------------------

def filter_slug(filter_id: str) -> str:
    """A resource-name fragment for a metric filter id: `CloudWatch.1` -> `cloudwatch-1`."""
    return filter_id.lower().replace(".", "-")


def api_rule_prefix(name_prefix: str) -> str:
    """The name prefix every API-call rule of a stack shares; policies admit `<prefix>*`."""
    return f"{name_prefix}-api-"


def api_rule_name(name_prefix: str, alert: ApiAlert) -> str:
    """The EventBridge rule name of an API alert (the same in every alert region); the plan
    checks it against EventBridge's naming rules (`aws_names`)."""
    return api_rule_prefix(name_prefix) + alert.name


def event_rule_arn(
    partition: str, region: str, account_id: str, rule_name: str, bus_name: str | None = None
) -> str:
    """A rule's ARN; rules on a custom bus carry the bus name: `rule/<bus>/<rule>`."""
    path = f"{bus_name}/{rule_name}" if bus_name and bus_name != "default" else rule_name
    return f"arn:{partition}:events:{region}:{account_id}:rule/{path}"


def alarm_arn(partition: str, region: str, account_id: str, alarm_name: str) -> str:
    return f"arn:{partition}:cloudwatch:{region}:{account_id}:alarm:{alarm_name}"
