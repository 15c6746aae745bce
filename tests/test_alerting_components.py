"""The alerting components under preview-mode mocks: what a policy pack would see at preview."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from cloudtrail_logging.alerting.alerts import (
    ALARM,
    READ_ONLY_RULE_STATE,
    AlertSettings,
    event_pattern,
    metric_filters,
)
from cloudtrail_logging.alerting.cis import CIS_CONTROLS
from cloudtrail_logging.plan.alerting import (
    FORWARDED_EVENTS_PATTERN,
    api_rules_plan,
    central_bus_plan,
    cloudwatch_plan,
)
from cloudtrail_logging.settings import Settings
from components.api_call_rules import ApiCallRules
from components.central_bus import CentralBus
from components.cloudwatch_alerts import CloudWatchAlerts
from engine_model.model import UNKNOWN
from tests.conftest import (
    MEMBER,
    SECURITY,
    archive_config,
    member_config,
    parse_config,
)
from tests.support import harness
from tests.support.alerts import IAM_ALERT, secret_reads
from tests.support.harness import Run
from tests.support.policy_eval import Decision, Principal, Request, evaluate

ALLOW, NONE = Decision.ALLOW, Decision.IMPLICIT_DENY
OTHER = "333333333333"
KEY = f"arn:aws:kms:eu-west-1:{MEMBER}:key/messaging"
CENTRAL_BUS = f"arn:aws:events:us-east-1:{SECURITY}:event-bus/ctl-alerts"
TOPIC = "aws:sns/topicPolicy:TopicPolicy"
RULE = "aws:cloudwatch/eventRule:EventRule"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"

EC2_ALERT = secret_reads(f"arn:aws:sts::{MEMBER}:assumed-role/admin/*")
ALERTING = AlertSettings(
    cis_controls=CIS_CONTROLS,
    api_alerts=(IAM_ALERT, EC2_ALERT),
    alert_regions=("us-east-1", "eu-west-1", "ap-southeast-2"),
    log_retention_days=400,
    alert_email="soc@example.com",
    alert_lambda_arn=None,
    log_group_kms=True,
)


def run_preview(program: Callable[[], Any], account: str, region: str) -> Run:
    return harness.run_preview(program, account=account, region=region)


def contains_unknown(value: object) -> bool:
    if isinstance(value, str):
        return UNKNOWN in value
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


def as_resource_policy(identity_policy: dict[str, Any]) -> dict[str, Any]:
    """An identity policy evaluated as if attached to any principal (its Resource is the test)."""
    return {
        **identity_policy,
        "Statement": [{**s, "Principal": "*"} for s in identity_policy["Statement"]],
    }


def as_trust_policy(trust: dict[str, Any]) -> dict[str, Any]:
    """A trust policy evaluated as a resource policy on the role (trust policies omit Resource)."""
    return {**trust, "Statement": [{**s, "Resource": "*"} for s in trust["Statement"]]}


def policies(run: Run) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for r in run.resources:
        for key in ("policy", "assumeRolePolicy"):
            if key in r.inputs:
                assert not contains_unknown(r.inputs[key]), f"{r.name}.{key} unknown at preview"
                found.append((r.name, json.loads(r.inputs[key])))
    return found


def stack_settings(role: str, alerting: AlertSettings = ALERTING) -> Settings:
    base = archive_config() if role == "log-archive" else member_config()
    settings = parse_config({**base, "namePrefix": "ctl"})
    return replace(settings, alerting=alerting)


MEMBER_SETTINGS = stack_settings("member")


@pytest.fixture(scope="module")
def alerts() -> Run:
    plan = cloudwatch_plan(MEMBER_SETTINGS, None)
    assert plan is not None
    return run_preview(
        lambda: CloudWatchAlerts("alerts", plan, messaging_key_arn=KEY), MEMBER, "eu-west-1"
    )


@pytest.fixture(scope="module")
def member_rules() -> Run:
    plan = api_rules_plan(MEMBER_SETTINGS, CENTRAL_BUS, local_topic=True)
    assert plan is not None
    return run_preview(
        lambda: ApiCallRules("api", plan, messaging_key_arn=KEY), MEMBER, "eu-west-1"
    )


@pytest.fixture(scope="module")
def central() -> Run:
    settings = stack_settings(
        "log-archive",
        replace(ALERTING, api_alerts=(IAM_ALERT,), alert_regions=("us-east-1", "eu-west-1")),
    )
    bus = central_bus_plan(settings)
    assert bus is not None
    rules = api_rules_plan(settings, bus.arn, local_topic=False)
    assert rules is not None

    def program() -> None:
        central_bus = CentralBus(
            "central", bus, messaging_key_arn=f"arn:aws:kms:us-east-1:{SECURITY}:key/messaging"
        )
        ApiCallRules("api", rules, central_bus_arn=central_bus.bus_arn)

    return run_preview(program, SECURITY, "us-east-1")


# --- CloudWatchAlerts ------------------------------------------------------------------------


def test_every_security_hub_pattern_lands_byte_for_byte_in_a_metric_filter(alerts: Run) -> None:
    filters = {
        r.inputs["metricTransformation"]["name"]: r
        for r in alerts.of_type("aws:cloudwatch/logMetricFilter:LogMetricFilter")
    }
    expected = metric_filters(ALERTING)
    assert len(filters) == len(expected) == len(CIS_CONTROLS) + 2
    for _, metric, pattern in expected:
        resource = filters[metric]
        assert resource.inputs["pattern"] == pattern
        assert resource.inputs["logGroupName"] == "ctl-cloudtrail"
        assert resource.inputs["metricTransformation"]["namespace"] == ALARM.namespace
        assert alerts.urn("alerts-log-group") in resource.property_dependencies["logGroupName"]
    for control in CIS_CONTROLS:
        assert filters[control.metric_name].inputs["pattern"] == control.filter_pattern


def test_each_alarm_fires_on_one_event_into_the_alarm_topic(alerts: Run) -> None:
    alarms = alerts.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    assert len(alarms) == len(metric_filters(ALERTING))
    topic_arn = f"arn:aws:sns:eu-west-1:{MEMBER}:ctl-alarms"
    for alarm in alarms:
        i = alarm.inputs
        assert (i["threshold"], i["period"], i["evaluationPeriods"]) == (1, 60, 1)
        assert i["comparisonOperator"] == "GreaterThanOrEqualToThreshold"
        assert (i["statistic"], i["treatMissingData"]) == ("Sum", "notBreaching")
        assert i["alarmActions"] == [topic_arn]
        assert i["name"].startswith("ctl-")
        assert alerts.urn("alerts-alarms-topic") in alarm.property_dependencies["alarmActions"]


def test_log_group_retention_and_kms(alerts: Run) -> None:
    group = alerts.one("aws:cloudwatch/logGroup:LogGroup").inputs
    assert group["name"] == "ctl-cloudtrail" and group["retentionInDays"] == 400
    key = alerts.one("aws:kms/key:Key")
    assert (
        key.urn in alerts.one("aws:cloudwatch/logGroup:LogGroup").property_dependencies["kmsKeyId"]
    )
    policy = json.loads(key.inputs["policy"])
    group_arn = f"arn:aws:logs:eu-west-1:{MEMBER}:log-group:ctl-cloudtrail"
    logs = Principal.service("logs.eu-west-1.amazonaws.com")
    context = {"kms:EncryptionContext:aws:logs:arn": group_arn}
    assert evaluate(policy, Request(logs, "kms:GenerateDataKey", "*", context)) == ALLOW
    other = {"kms:EncryptionContext:aws:logs:arn": group_arn + "-other"}
    assert evaluate(policy, Request(logs, "kms:Decrypt", "*", other)) == NONE


def test_delivery_role_reaches_only_its_own_streams(alerts: Run) -> None:
    role = alerts.one("aws:iam/role:Role")
    trust = as_trust_policy(json.loads(role.inputs["assumeRolePolicy"]))
    role_arn = f"arn:aws:iam::{MEMBER}:role/ctl-cloudtrail-to-logs"
    assume = lambda who: evaluate(trust, Request(who, "sts:AssumeRole", role_arn))  # noqa: E731
    assert assume(Principal.service("cloudtrail.amazonaws.com")) == ALLOW
    assert assume(Principal.service("events.amazonaws.com")) == NONE
    assert assume(Principal.aws(OTHER)) == NONE
    role_policy = alerts.one("aws:iam/rolePolicy:RolePolicy")
    assert role.urn in role_policy.property_dependencies["role"]
    document = json.loads(role_policy.inputs["policy"])
    as_resource = as_resource_policy(document)
    who = Principal.aws(role_arn)
    group = f"arn:aws:logs:eu-west-1:{MEMBER}:log-group:ctl-cloudtrail"
    own = f"{group}:log-stream:{MEMBER}_CloudTrail_eu-west-1_0"
    for action in ("logs:CreateLogStream", "logs:PutLogEvents"):
        assert evaluate(as_resource, Request(who, action, own)) == ALLOW
        other = f"arn:aws:logs:eu-west-1:{MEMBER}:log-group:other:log-stream:x"
        assert evaluate(as_resource, Request(who, action, other)) == NONE
    assert evaluate(as_resource, Request(who, "logs:DeleteLogGroup", group)) == NONE
    resources = {r for s in document["Statement"] for r in s["Resource"]}
    assert all(r.startswith(f"{group}:log-stream:") for r in resources)


def test_alarm_topic_admits_only_this_accounts_alarms(alerts: Run) -> None:
    policy = json.loads(alerts.one(TOPIC).inputs["policy"])
    topic = f"arn:aws:sns:eu-west-1:{MEMBER}:ctl-alarms"
    cloudwatch = Principal.service("cloudwatch.amazonaws.com")

    def publish(source_arn: str, account: str = MEMBER, secure: bool = True) -> Decision:
        context = {
            "aws:SourceArn": source_arn,
            "aws:SourceAccount": account,
            "aws:SecureTransport": secure,
        }
        return evaluate(policy, Request(cloudwatch, "sns:Publish", topic, context))

    own = f"arn:aws:cloudwatch:eu-west-1:{MEMBER}:alarm:ctl-cloudwatch-1"
    assert publish(own) == ALLOW
    assert publish(f"arn:aws:cloudwatch:eu-west-1:{OTHER}:alarm:ctl-cloudwatch-1", OTHER) == NONE
    assert publish(f"arn:aws:cloudwatch:eu-west-1:{MEMBER}:alarm:someone-else") == NONE
    assert publish(own, secure=False) == Decision.EXPLICIT_DENY
    assert evaluate(policy, Request(Principal.aws(OTHER), "sns:Publish", topic)) == NONE
    queue = alerts.one("aws:sqs/queue:Queue").inputs
    assert queue["kmsMasterKeyId"] == KEY
    assert (
        alerts.one("aws:sns/topicSubscription:TopicSubscription", "alerts-alarms-email").inputs[
            "endpoint"
        ]
        == "soc@example.com"
    )


def test_no_kms_key_when_log_group_kms_is_off() -> None:
    settings = stack_settings("member", replace(ALERTING, log_group_kms=False, api_alerts=()))
    plan = cloudwatch_plan(settings, None)
    assert plan is not None
    run = run_preview(
        lambda: CloudWatchAlerts("alerts", plan, messaging_key_arn=KEY), MEMBER, "eu-west-1"
    )
    assert not run.of_type("aws:kms/key:Key")
    assert "kmsKeyId" not in run.one("aws:cloudwatch/logGroup:LogGroup").inputs


# --- ApiCallRules ----------------------------------------------------------------------------


def test_rules_per_region_with_pattern_and_state(member_rules: Run) -> None:
    rules = member_rules.of_type(RULE)
    assert {r.inputs["region"] for r in rules} == {"us-east-1", "eu-west-1", "ap-southeast-2"}
    assert len(rules) == 2 * 3
    for alert in (IAM_ALERT, EC2_ALERT):
        mine = [r for r in rules if r.inputs["name"] == f"ctl-api-{alert.name}"]
        assert {r.inputs["region"] for r in mine} == set(ALERTING.alert_regions)
        for rule in mine:
            assert json.loads(rule.inputs["eventPattern"]) == event_pattern(alert)
    states = {r.inputs["name"]: r.inputs["state"] for r in rules}
    assert states["ctl-api-iam-user-created"] == "ENABLED"
    assert states["ctl-api-secret-reads"] == READ_ONLY_RULE_STATE


def test_every_rule_forwards_to_the_central_bus_and_home_rules_to_the_topic(
    member_rules: Run,
) -> None:
    targets = member_rules.of_type(TARGET)
    to_bus = [t for t in targets if t.inputs["arn"] == CENTRAL_BUS]
    assert len(to_bus) == 6
    role_arn = f"arn:aws:iam::{MEMBER}:role/ctl-event-forwarder"
    assert all(t.inputs["roleArn"] == role_arn for t in to_bus)
    to_topic = [t for t in targets if t not in to_bus]
    assert {t.inputs["region"] for t in to_topic} == {"eu-west-1"} and len(to_topic) == 2
    assert all(
        t.inputs["arn"] == f"arn:aws:sns:eu-west-1:{MEMBER}:ctl-api-alerts" for t in to_topic
    )
    rule_urns = {r.urn for r in member_rules.of_type(RULE)}
    for target in targets:
        assert set(target.property_dependencies["rule"]) & rule_urns
        assert target.inputs["region"] == next(
            r.inputs["region"]
            for r in member_rules.of_type(RULE)
            if r.urn in target.property_dependencies["rule"]
        )


def test_forwarder_role_is_for_these_rules_and_this_bus_only(member_rules: Run) -> None:
    role = member_rules.one("aws:iam/role:Role")
    trust = as_trust_policy(json.loads(role.inputs["assumeRolePolicy"]))
    events = Principal.service("events.amazonaws.com")
    role_arn = f"arn:aws:iam::{MEMBER}:role/ctl-event-forwarder"

    def assume(source_arn: str, account: str = MEMBER) -> Decision:
        context = {"aws:SourceArn": source_arn, "aws:SourceAccount": account}
        return evaluate(trust, Request(events, "sts:AssumeRole", role_arn, context))

    for region in ALERTING.alert_regions:
        assert assume(f"arn:aws:events:{region}:{MEMBER}:rule/ctl-api-iam-user-created") == ALLOW
    assert assume(f"arn:aws:events:us-west-2:{MEMBER}:rule/ctl-api-iam-user-created") == NONE
    assert assume(f"arn:aws:events:us-east-1:{MEMBER}:rule/unrelated") == NONE
    assert assume(f"arn:aws:events:us-east-1:{OTHER}:rule/ctl-api-x", OTHER) == NONE
    document = json.loads(member_rules.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    as_resource = as_resource_policy(document)
    who = Principal.aws(role_arn)
    assert evaluate(as_resource, Request(who, "events:PutEvents", CENTRAL_BUS)) == ALLOW
    other_bus = f"arn:aws:events:us-east-1:{OTHER}:event-bus/ctl-alerts"
    assert evaluate(as_resource, Request(who, "events:PutEvents", other_bus)) == NONE


def test_local_topic_admits_eventbridge_in_its_documented_form(member_rules: Run) -> None:
    """The EventBridge guide: SNS topic policies for EventBridge take no Condition blocks, so
    the grant names only the service and this topic; other services and actions are refused."""
    policy = json.loads(member_rules.one(TOPIC).inputs["policy"])
    topic = f"arn:aws:sns:eu-west-1:{MEMBER}:ctl-api-alerts"
    events = Principal.service("events.amazonaws.com")

    def publish(source_arn: str, account: str = MEMBER) -> Decision:
        context = {"aws:SourceArn": source_arn, "aws:SourceAccount": account}
        return evaluate(policy, Request(events, "sns:Publish", topic, context))

    assert publish(f"arn:aws:events:eu-west-1:{MEMBER}:rule/ctl-api-secret-reads") == ALLOW
    grant = next(s for s in policy["Statement"] if s["Effect"] == "Allow")
    assert "Condition" not in grant and grant["Resource"] == topic
    s3 = Principal.service("s3.amazonaws.com")
    assert evaluate(policy, Request(s3, "sns:Publish", topic, {})) == NONE
    assert evaluate(policy, Request(events, "sns:Subscribe", topic, {})) == NONE


def test_without_a_central_bus_other_regions_are_refused() -> None:
    settings = replace(MEMBER_SETTINGS, alerting=replace(ALERTING, api_alerts=(IAM_ALERT,)))
    plan = api_rules_plan(settings, None, local_topic=True)
    assert plan is not None
    with pytest.raises(ValueError, match="central bus"):
        ApiCallRules("api", plan, messaging_key_arn=KEY)


# --- CentralBus (with the log-archive account's own rules) ------------------------------------


def test_central_bus_policy_admits_members_only(central: Run) -> None:
    bus = central.one("aws:cloudwatch/eventBus:EventBus")
    assert bus.inputs["name"] == "ctl-alerts"
    bus_policy = central.one("aws:cloudwatch/eventBusPolicy:EventBusPolicy")
    assert bus.urn in bus_policy.property_dependencies["eventBusName"]
    policy = json.loads(bus_policy.inputs["policy"])
    bus_arn = f"arn:aws:events:us-east-1:{SECURITY}:event-bus/ctl-alerts"

    def put(account: str) -> Decision:
        who = Principal.aws(f"arn:aws:sts::{account}:assumed-role/ctl-event-forwarder/s")
        return evaluate(policy, Request(who, "events:PutEvents", bus_arn))

    assert put(MEMBER) == ALLOW
    assert put(OTHER) == NONE


def test_central_rule_routes_forwarded_events_to_the_security_topic(central: Run) -> None:
    rule = central.one(RULE, "central")
    assert rule.inputs["eventBusName"] == "ctl-alerts"
    assert json.loads(rule.inputs["eventPattern"]) == FORWARDED_EVENTS_PATTERN
    assert "AWS API Call via CloudTrail" in FORWARDED_EVENTS_PATTERN["detail-type"]
    target = central.one(TARGET, "central")
    topic = f"arn:aws:sns:us-east-1:{SECURITY}:ctl-security-alerts"
    assert target.inputs["arn"] == topic and target.inputs["eventBusName"] == "ctl-alerts"
    policy = json.loads(central.one(TOPIC).inputs["policy"])
    events = Principal.service("events.amazonaws.com")

    def publish(source_arn: str) -> Decision:
        context = {"aws:SourceArn": source_arn, "aws:SourceAccount": SECURITY}
        return evaluate(policy, Request(events, "sns:Publish", topic, context))

    assert (
        publish(f"arn:aws:events:us-east-1:{SECURITY}:rule/ctl-alerts/ctl-forwarded-api-calls")
        == ALLOW
    )
    other = Principal.service("cloudwatch.amazonaws.com")
    assert evaluate(policy, Request(other, "sns:Publish", topic, {})) == NONE


def test_log_archive_rules_forward_to_its_own_bus_known_at_preview(central: Run) -> None:
    bus = central.one("aws:cloudwatch/eventBus:EventBus")
    bus_arn = f"arn:aws:events:us-east-1:{SECURITY}:event-bus/ctl-alerts"
    targets = [t for t in central.of_type(TARGET) if not t.name.startswith("central-")]
    assert {t.inputs["region"] for t in targets} == {"us-east-1", "eu-west-1"}
    for target in targets:
        assert target.inputs["arn"] == bus_arn
        assert bus.urn in target.property_dependencies["arn"]
    assert not [r for r in central.of_type("aws:sns/topic:Topic") if "api-alerts" in r.name]
    forwarder = json.loads(central.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    assert forwarder["Statement"][0]["Resource"] == bus_arn


def test_every_policy_document_is_known_at_preview(
    alerts: Run, member_rules: Run, central: Run
) -> None:
    for run in (alerts, member_rules, central):
        assert policies(run)
        for resource in run.resources:
            if resource.type in (RULE, "aws:cloudwatch/logMetricFilter:LogMetricFilter"):
                for key in ("eventPattern", "pattern", "name"):
                    assert not contains_unknown(resource.inputs.get(key, "")), resource.name
