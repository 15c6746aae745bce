"""The alerting part of a plan: the central bus, CloudWatch alarms, API-call rules and tamper
alerts."""

from __future__ import annotations

import sys
from typing import Any

from cloudtrail_logging.alerting.alerts import (
    API_CALL_DETAIL_TYPE,
    SIGN_IN_DETAIL_TYPES,
    alarm_arn,
    api_rule_name,
    api_rule_prefix,
    event_pattern,
    event_rule_arn,
    eventbridge_rule_state,
    filter_slug,
    metric_filters,
)
from cloudtrail_logging.alerting.policies import (
    central_event_bus_policy,
    cloudtrail_logs_role_policy,
    cloudtrail_logs_role_trust_policy,
    cloudwatch_logs_kms_statement,
    event_forwarder_role_policy,
    event_forwarder_trust_policy,
)
from cloudtrail_logging.alerting.tamper import (
    EVENTBRIDGE_WATCHERS,
    MEMBER_KEY_EVENTS,
    TamperAlert,
    archive_reconfiguration,
    eventbridge_tampering,
    guardrail_tampering,
    identity_provider_tampering,
    key_tampering,
    leaving_organization,
    role_tampering,
    tamper_rule_name,
    topic_tampering,
    trail_tampering,
)
from cloudtrail_logging.aws import (
    CLOUDWATCH_SERVICE,
    EVENTS_SERVICE,
)
from cloudtrail_logging.aws.arns import (
    event_bus_arn,
    log_group_arn,
    role_arn,
)
from cloudtrail_logging.aws.kms import administration
from cloudtrail_logging.aws.regions import global_events_region
from cloudtrail_logging.messaging.resource_policies import Sender
from cloudtrail_logging.plan.archive import (
    archive_bucket_names,
)
from cloudtrail_logging.plan.messaging import (
    topic_plan,
)
from cloudtrail_logging.plan.parts import (
    AlarmPlan,
    ApiRulesPlan,
    CentralBusPlan,
    CloudWatchPlan,
    KeyPlan,
    RolePlan,
    RulePlan,
    TamperAlertsPlan,
    TopicPlan,
)
from cloudtrail_logging.settings import ArchiveSettings, Settings

# Events forwarded by the members' API-call rules. PutEvents refuses custom events whose source
# starts with "aws.", so the prefix admits only events AWS itself emitted.
FORWARDED_EVENTS_PATTERN: dict[str, Any] = {
    "source": [{"prefix": "aws."}],
    "detail-type": [API_CALL_DETAIL_TYPE, *SIGN_IN_DETAIL_TYPES],
}


def central_bus_plan(s: ArchiveSettings) -> CentralBusPlan | None:
    if not s.alerting.api_alerts:
        return None
    name = f"{s.name_prefix}-alerts"
    arn = event_bus_arn(s.partition, s.region, s.account_id, name)
    members = [a for a in s.writer_accounts if a != s.account_id]
    policy = None
    if s.organization_id or members:
        policy = central_event_bus_policy(
            arn,
            organization_id=s.organization_id,
            member_account_ids=members,
            # Checked against EventBridge's quota with the other limits, in `plan_problems`.
            max_chars=sys.maxsize,
        )
    rule_name = f"{s.name_prefix}-forwarded-api-calls"
    rule = event_rule_arn(s.partition, s.region, s.account_id, rule_name, name)
    alerting = s.alerting
    return CentralBusPlan(
        name=name,
        arn=arn,
        policy=policy,
        rule_name=rule_name,
        rule_arn=rule,
        pattern=FORWARDED_EVENTS_PATTERN,
        topic=topic_plan(
            s,
            f"{s.name_prefix}-security-alerts",
            [Sender(EVENTS_SERVICE, rule, "AllowCentralBusRule")],
            queue=True,
            lambda_arn=alerting.alert_lambda_arn,
            email=alerting.alert_email,
        ),
    )


def cloudwatch_plan(s: Settings, organization_id: str | None) -> CloudWatchPlan | None:
    """The trail's log group and its metric filters; on an existing organization trail's group
    (`existingTrailLogGroupName`) only the filters and alarms; none where the stack's trail does
    not record management events (data events only, or no trail of its own)."""
    alerting, trail = s.alerting, s.existing_trail
    existing = trail.log_group_name if trail else None
    if not alerting.enabled or not (s.own_log_group or existing):
        return None
    prefix = s.name_prefix
    named = f"{prefix}-cloudtrail"  # the key's alias keeps it when a group is adopted
    group = existing or s.adopt.log_group or named
    group_arn = log_group_arn(s.partition, s.region, s.account_id, group)
    if trail is not None and existing is not None:
        return CloudWatchPlan(
            log_group_name=existing,
            log_group_arn=group_arn,
            retention_days=trail.log_group_retention_days or 0,
            key=None,
            role=None,
            topic=_alarm_topic(s),
            alarms=_alarms(s),
            alarm=alerting.alarm,
        )
    key = None
    if alerting.log_group_kms:
        key = KeyPlan(
            description=f"Encrypts the CloudWatch Logs group {group}",
            alias=f"alias/{named}-logs",
            policy={
                "Version": "2012-10-17",
                "Statement": [
                    administration(s.partition, s.account_id, s.key_administrators),
                    cloudwatch_logs_kms_statement(group_arn),
                ],
            },
        )
    role_name = f"{prefix}-cloudtrail-to-logs"
    role = RolePlan(
        name=role_name,
        arn=role_arn(s.partition, s.account_id, role_name),
        description=f"CloudTrail delivers to the CloudWatch Logs group {group}",
        trust_policy=cloudtrail_logs_role_trust_policy(),
        policy_name="cloudtrail-log-streams",
        policy=cloudtrail_logs_role_policy(group_arn, organization_id=organization_id),
    )
    return CloudWatchPlan(
        log_group_name=group,
        log_group_arn=group_arn,
        retention_days=alerting.log_retention_days,
        key=key,
        role=role,
        topic=_alarm_topic(s),
        alarms=_alarms(s),
        alarm=alerting.alarm,
        log_group_import_id=s.adopt.log_group,
    )


def _alarms(s: Settings) -> tuple[AlarmPlan, ...]:
    """A metric filter and alarm per CIS control and API alert."""
    alerting, prefix = s.alerting, s.name_prefix
    descriptions = {c.control_id: f"{c.control_id}: {c.title}" for c in alerting.cis_controls}
    descriptions |= {a.name: a.description or f"API alert {a.name}" for a in alerting.api_alerts}
    return tuple(
        AlarmPlan(
            slug=filter_slug(filter_id),
            filter_name=f"{prefix}-{filter_slug(filter_id)}",
            alarm_name=f"{prefix}-{filter_slug(filter_id)}",
            metric_name=metric_name,
            pattern=pattern,
            description=descriptions[filter_id][:1024],
        )
        for filter_id, metric_name, pattern in metric_filters(alerting)
    )


def _alarm_topic(s: Settings) -> TopicPlan:
    prefix = s.name_prefix
    return topic_plan(
        s,
        f"{prefix}-alarms",
        [
            Sender(
                CLOUDWATCH_SERVICE,
                alarm_arn(s.partition, s.region, s.account_id, f"{prefix}-*"),
                "AllowCloudWatchAlarms",
            )
        ],
        queue=True,
        lambda_arn=s.alerting.alert_lambda_arn,
        email=s.alerting.alert_email,
    )


def api_rules_plan(s: Settings, central_bus: str | None, local_topic: bool) -> ApiRulesPlan | None:
    alerting = s.alerting
    if not alerting.api_alerts:
        return None
    prefix, partition, account = s.name_prefix, s.partition, s.account_id
    rule_pattern = api_rule_prefix(prefix) + "*"
    forwarder = None
    if central_bus is not None:
        name = f"{prefix}-event-forwarder"
        forwarder = RolePlan(
            name=name,
            arn=role_arn(partition, account, name),
            description="EventBridge forwards API-call alerts to the central event bus",
            trust_policy=event_forwarder_trust_policy(
                account,
                [
                    event_rule_arn(partition, r, account, rule_pattern)
                    for r in alerting.alert_regions
                ],
            ),
            policy_name="put-events-central-bus",
            policy=event_forwarder_role_policy(central_bus),
        )
    topic = None
    if local_topic:
        topic = topic_plan(
            s,
            f"{prefix}-api-alerts",
            [
                Sender(
                    EVENTS_SERVICE,
                    event_rule_arn(partition, s.region, account, rule_pattern),
                    "AllowApiCallRules",
                )
            ],
            queue=True,
            lambda_arn=alerting.alert_lambda_arn,
            email=alerting.alert_email,
        )
    rules = tuple(
        RulePlan(
            region=region,
            name=api_rule_name(prefix, alert),
            alert=alert.name,
            description=(alert.description or f"API alert {alert.name}")[:512],
            pattern=event_pattern(alert),
            state=eventbridge_rule_state(alert),
        )
        for region in alerting.alert_regions
        for alert in alerting.api_alerts
    )
    return ApiRulesPlan(
        home_region=s.region, rules=rules, central_bus_arn=central_bus, forwarder=forwarder,
        topic=topic,
    )  # fmt: skip


def _tamper_alerts(s: Settings, guardrails: bool) -> list[tuple[TamperAlert, tuple[str, ...]]]:
    """Each tamper alert of the stack, with the Regions other than home it is needed in."""
    partition, account, home = s.partition, s.account_id, s.region
    prefix = s.name_prefix
    # IAM and Organizations record their events in the global events Region only.
    global_region = (global_events_region(partition),)
    named_roles: list[str] = []
    alerts: list[tuple[TamperAlert, tuple[str, ...]]] = [(trail_tampering(), ())]
    if s.role == "log-archive":
        replica = s.integrity.replica
        elsewhere = (replica.region,) if replica and not replica.cross_account else ()
        alerts += [
            (archive_reconfiguration(archive_bucket_names(s)), elsewhere),
            (key_tampering(), elsewhere),
            (identity_provider_tampering(), global_region),
        ]
        named_roles = [
            arn.rsplit("/", 1)[1]
            for arn in (*s.administrator_arns, *s.log_readers)
            if arn.split(":")[4] == account
        ]
    else:
        alerts.append((key_tampering(MEMBER_KEY_EVENTS), ()))
    alerts += [
        (topic_tampering(partition, home, account, prefix), ()),
        (role_tampering(prefix, named_roles), global_region),
        (leaving_organization(), global_region),
    ]
    if guardrails:
        alerts.append((guardrail_tampering(), global_region))
    # A rule cannot report its own deletion: two rules watch EventBridge in every Region that
    # holds a tamper rule, each the other's witness.
    everywhere = tuple(sorted({r for _alert, extra in alerts for r in extra}))
    alerts += [(eventbridge_tampering(prefix, name), everywhere) for name in EVENTBRIDGE_WATCHERS]
    return alerts


def tamper_alerts_plan(
    s: Settings, guardrails: bool, central_bus_arn: str | None = None
) -> TamperAlertsPlan | None:
    """Tamper rules for what this stack holds; see `tamper_alerts`. Each alert has a rule in the
    home Region, which publishes to the tamper topic, and one in every other Region its events
    are recorded in, which forwards them to the home Region's default bus, where the home rule
    matches them. With the guardrail policy, every alert of the stack also goes to the
    archive's central bus (`central_bus_arn`), whose responders the management account does not
    control: whatever it does to detach the policy or silence its own alerts first is seen
    there."""
    if not s.tamper_alerts:
        return None
    partition, account, home = s.partition, s.account_id, s.region
    rules: list[RulePlan] = []
    for alert, extra in _tamper_alerts(s, guardrails):
        for region in (home, *sorted(set(extra) - {home})):
            rules.append(
                RulePlan(
                    region=region,
                    name=tamper_rule_name(s.name_prefix, alert),
                    alert=alert.name,
                    description=alert.description,
                    pattern=alert.pattern(),
                    state="ENABLED",
                )
            )
    rule_prefix = tamper_rule_name(s.name_prefix, trail_tampering()).removesuffix("trail")
    home_bus = event_bus_arn(partition, home, account, "default")
    escalated = tuple(dict.fromkeys(r.alert for r in rules)) if guardrails and central_bus_arn \
        else ()
    forwarder = None
    away = sorted({r.region for r in rules} - {home})
    if away or escalated:
        # EventBridge User Guide, "Sending and receiving events between AWS Regions": a rule
        # targets an event bus of another Region (or account) through a role.
        name = f"{s.name_prefix}-tamper-forwarder"
        sources = [event_rule_arn(partition, r, account, rule_prefix + "*")
                   for r in sorted({*away, *([home] if escalated else [])})]  # fmt: skip
        forwarder = RolePlan(
            name=name,
            arn=role_arn(partition, account, name),
            description="EventBridge forwards tamper events to the home Region's default bus"
            + (" and to the log archive's central bus" if escalated else ""),
            trust_policy=event_forwarder_trust_policy(account, sources),
            policy_name="put-events-home-bus",
            policy=event_forwarder_role_policy(
                home_bus, *([central_bus_arn] if escalated and central_bus_arn else [])
            ),
        )
    topic = topic_plan(
        s,
        f"{s.name_prefix}-tamper-alerts",
        [
            Sender(
                EVENTS_SERVICE,
                event_rule_arn(partition, home, account, rule_prefix + "*"),
                "AllowTamperAlertRules",
            )
        ],
        queue=True,
        lambda_arn=s.alerting.alert_lambda_arn,
        email=s.alerting.alert_email,
    )
    return TamperAlertsPlan(
        home_region=home, topic=topic, rules=tuple(rules), home_bus_arn=home_bus,
        forwarder=forwarder, central_bus_arn=central_bus_arn if escalated else None,
        escalated=escalated,
    )  # fmt: skip
