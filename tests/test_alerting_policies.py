"""Alerting and messaging policy documents: each admits its intended caller, refuses a near miss."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cloudtrail_logging.alerting.policies import (
    EVENT_BUS_POLICY_MAX_CHARS,
    central_event_bus_policy,
    cloudtrail_log_stream_arns,
    cloudtrail_logs_role_policy,
    cloudtrail_logs_role_trust_policy,
    cloudwatch_logs_kms_statement,
    event_forwarder_role_policy,
    event_forwarder_trust_policy,
    policy_size_chars,
)
from cloudtrail_logging.messaging.key_policy import messaging_key_policy
from cloudtrail_logging.messaging.resource_policies import Sender, queue_policy, topic_policy
from tests.support.policy_eval import Decision, Principal, Request, evaluate
from tests.support.policy_lint import lint

ALLOW, NONE = Decision.ALLOW, Decision.IMPLICIT_DENY
ACCT, MEMBER, OTHER = "111111111111", "222222222222", "333333333333"
ORG = "o-abc123def4"
GROUP = f"arn:aws:logs:eu-west-1:{ACCT}:log-group:cloudtrail/management"
BUS = f"arn:aws:events:us-east-1:{ACCT}:event-bus/security-alerts"
OTHER_BUS = f"arn:aws:events:us-east-1:{ACCT}:event-bus/default"
ROLE_ARN = f"arn:aws:iam::{ACCT}:role/cloudtrail-logs"


def as_resource_policy(identity_policy: dict[str, Any]) -> dict[str, Any]:
    """An identity policy evaluated as if attached to any principal (its Resource is the test)."""
    return {
        **identity_policy,
        "Statement": [{**s, "Principal": "*"} for s in identity_policy["Statement"]],
    }


def as_trust_policy(trust: dict[str, Any]) -> dict[str, Any]:
    """A trust policy evaluated as a resource policy on the role (trust policies omit Resource)."""
    return {**trust, "Statement": [{**s, "Resource": "*"} for s in trust["Statement"]]}


# --- CloudTrail delivery role -----------------------------------------------------------------


def test_trust_policy_admits_only_cloudtrail() -> None:
    trust = as_trust_policy(cloudtrail_logs_role_trust_policy())

    def assume(who: Principal) -> Decision:
        return evaluate(trust, Request(who, "sts:AssumeRole", ROLE_ARN))

    assert assume(Principal.service("cloudtrail.amazonaws.com")) == ALLOW
    assert assume(Principal.service("events.amazonaws.com")) == NONE
    assert assume(Principal.aws(OTHER)) == NONE


def test_trust_policy_has_no_condition_cloudtrail_does_not_support() -> None:
    (statement,) = cloudtrail_logs_role_trust_policy()["Statement"]
    assert "Condition" not in statement


def test_log_streams_are_the_documented_cloudtrail_names() -> None:
    assert cloudtrail_log_stream_arns(GROUP) == [f"{GROUP}:log-stream:{ACCT}_CloudTrail_eu-west-1*"]
    assert cloudtrail_log_stream_arns(GROUP + ":*", organization_id=ORG) == [
        f"{GROUP}:log-stream:{ACCT}_CloudTrail_eu-west-1*",
        f"{GROUP}:log-stream:{ORG}_*",
    ]


@pytest.mark.parametrize("action", ["logs:CreateLogStream", "logs:PutLogEvents"])
def test_role_policy_reaches_only_its_own_streams(action: str) -> None:
    policy = as_resource_policy(cloudtrail_logs_role_policy(GROUP))
    who = Principal.aws(ROLE_ARN)
    own = f"{GROUP}:log-stream:{ACCT}_CloudTrail_eu-west-1_2"
    assert evaluate(policy, Request(who, action, own)) == ALLOW
    near_misses = [
        f"{GROUP}:log-stream:{OTHER}_CloudTrail_eu-west-1_2",
        f"{GROUP}-other:log-stream:{ACCT}_CloudTrail_eu-west-1_2",
        f"arn:aws:logs:eu-west-1:{ACCT}:log-group:other:log-stream:{ACCT}_CloudTrail_eu-west-1",
        GROUP,
    ]
    for resource in near_misses:
        assert evaluate(policy, Request(who, action, resource)) == NONE, resource
    assert evaluate(policy, Request(who, "logs:DeleteLogGroup", own)) == NONE


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:logs:eu-west-1:1111:log-group:x",
        "arn:aws:logs:eu-west-9:111111111111:log-group:x",
        "arn:aws-cn:logs:eu-west-1:111111111111:log-group:x",
        "arn:aws:s3:::bucket",
    ],
)
def test_bad_log_group_arn_is_refused(arn: str) -> None:
    with pytest.raises(ValueError):
        cloudtrail_logs_role_policy(arn)


def test_bad_organization_id_is_refused() -> None:
    with pytest.raises(ValueError, match="organization id"):
        cloudtrail_log_stream_arns(GROUP, organization_id="abc")


# --- CloudWatch Logs KMS key statement --------------------------------------------------------


def key_policy_for(log_group_arn: str) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [cloudwatch_logs_kms_statement(log_group_arn)]}


def test_kms_statement_admits_regional_logs_for_one_group() -> None:
    policy = key_policy_for(GROUP)
    key = f"arn:aws:kms:eu-west-1:{ACCT}:key/1234"
    logs = Principal.service("logs.eu-west-1.amazonaws.com")
    context = {"kms:EncryptionContext:aws:logs:arn": GROUP}
    assert evaluate(policy, Request(logs, "kms:GenerateDataKey", key, context)) == ALLOW
    assert evaluate(policy, Request(logs, "kms:Decrypt", key, context)) == ALLOW
    other_group = {"kms:EncryptionContext:aws:logs:arn": GROUP + "-other"}
    assert evaluate(policy, Request(logs, "kms:Decrypt", key, other_group)) == NONE
    assert evaluate(policy, Request(logs, "kms:Decrypt", key)) == NONE
    wrong_region = Principal.service("logs.us-east-1.amazonaws.com")
    assert evaluate(policy, Request(wrong_region, "kms:Decrypt", key, context)) == NONE
    assert evaluate(policy, Request(logs, "kms:ScheduleKeyDeletion", key, context)) == NONE


def test_kms_statement_principal_follows_the_partition() -> None:
    china = f"arn:aws-cn:logs:cn-north-1:{ACCT}:log-group:trail"
    statement = cloudwatch_logs_kms_statement(china + ":*")
    assert statement["Principal"] == {"Service": "logs.cn-north-1.amazonaws.com.cn"}
    assert statement["Condition"] == {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": china}}


# --- central event bus ------------------------------------------------------------------------


def put_events(policy: dict[str, Any], account: str, org: str | None = None) -> Decision:
    who = Principal.aws(f"arn:aws:sts::{account}:assumed-role/forwarder/session")
    context = {"aws:PrincipalOrgID": org} if org else {}
    return evaluate(policy, Request(who, "events:PutEvents", BUS, context))


def test_bus_policy_by_account_list() -> None:
    policy = central_event_bus_policy(BUS, member_account_ids=[MEMBER, ACCT, MEMBER])
    assert put_events(policy, MEMBER) == ALLOW
    assert put_events(policy, ACCT) == ALLOW
    assert put_events(policy, OTHER) == NONE
    assert policy["Statement"][0]["Condition"]["StringEquals"]["aws:PrincipalAccount"] == [
        ACCT,
        MEMBER,
    ]
    who = Principal.aws(f"arn:aws:iam::{MEMBER}:root")
    assert evaluate(policy, Request(who, "events:PutRule", BUS)) == NONE
    assert evaluate(policy, Request(who, "events:PutEvents", OTHER_BUS)) == NONE


def test_bus_policy_by_organization() -> None:
    policy = central_event_bus_policy(BUS, organization_id=ORG)
    assert put_events(policy, OTHER, org=ORG) == ALLOW
    assert put_events(policy, MEMBER, org="o-zzzzzzzzzz") == NONE
    assert put_events(policy, MEMBER) == NONE
    assert evaluate(policy, Request(Principal.anonymous(), "events:PutEvents", BUS)) == NONE


def test_bus_policy_for_1000_accounts_needs_the_organization() -> None:
    accounts = [f"{n:012d}" for n in range(1, 1001)]
    with pytest.raises(ValueError, match=r"10240-character .*organization id"):
        central_event_bus_policy(BUS, member_account_ids=accounts)
    org_policy = central_event_bus_policy(BUS, organization_id=ORG)
    assert policy_size_chars(org_policy) < 500
    fits = central_event_bus_policy(BUS, member_account_ids=accounts[:600])
    assert policy_size_chars(fits) <= EVENT_BUS_POLICY_MAX_CHARS
    raised = central_event_bus_policy(BUS, member_account_ids=accounts, max_chars=20_480)
    assert policy_size_chars(raised) == len(json.dumps(raised, separators=(",", ":")))


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"member_account_ids": ["12345"]},
        {"organization_id": "org-1"},
    ],
)
def test_bus_policy_refuses_bad_input(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        central_event_bus_policy(BUS, **kwargs)


def test_bus_policy_refuses_a_non_bus_arn() -> None:
    with pytest.raises(ValueError, match="event bus ARN"):
        central_event_bus_policy("arn:aws:sns:us-east-1:111111111111:topic", organization_id=ORG)


# --- forwarding role --------------------------------------------------------------------------


def test_forwarder_trust_admits_eventbridge_for_this_account_and_rules() -> None:
    rules = [f"arn:aws:events:*:{MEMBER}:rule/alerts-*"]
    trust = as_trust_policy(event_forwarder_trust_policy(MEMBER, rules))
    role = f"arn:aws:iam::{MEMBER}:role/forwarder"
    events = Principal.service("events.amazonaws.com")

    def assume(account: str, rule: str) -> Decision:
        context = {"aws:SourceAccount": account, "aws:SourceArn": rule}
        return evaluate(trust, Request(events, "sts:AssumeRole", role, context))

    good_rule = f"arn:aws:events:eu-west-1:{MEMBER}:rule/alerts-ec2-run-instances"
    assert assume(MEMBER, good_rule) == ALLOW
    assert assume(OTHER, good_rule) == NONE
    assert assume(MEMBER, f"arn:aws:events:eu-west-1:{MEMBER}:rule/other") == NONE
    ct = Principal.service("cloudtrail.amazonaws.com")
    context = {"aws:SourceAccount": MEMBER, "aws:SourceArn": good_rule}
    assert evaluate(trust, Request(ct, "sts:AssumeRole", role, context)) == NONE


def test_forwarder_trust_without_rules_still_pins_the_account() -> None:
    (statement,) = event_forwarder_trust_policy(MEMBER)["Statement"]
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": MEMBER}}


def test_forwarder_trust_refuses_rules_of_another_account() -> None:
    with pytest.raises(ValueError, match="rule ARN"):
        event_forwarder_trust_policy(MEMBER, [f"arn:aws:events:*:{OTHER}:rule/alerts-*"])


def test_forwarder_role_may_put_events_on_exactly_the_central_bus() -> None:
    policy = as_resource_policy(event_forwarder_role_policy(BUS))
    who = Principal.aws(f"arn:aws:iam::{MEMBER}:role/forwarder")
    assert evaluate(policy, Request(who, "events:PutEvents", BUS)) == ALLOW
    assert evaluate(policy, Request(who, "events:PutEvents", OTHER_BUS)) == NONE
    assert evaluate(policy, Request(who, "events:PutRule", BUS)) == NONE


# --- messaging key: one statement per publishing service, each in its documented form ---------

PUBLISHERS = [
    "cloudtrail.amazonaws.com", "s3.amazonaws.com", "cloudwatch.amazonaws.com",
    "events.amazonaws.com", "sns.amazonaws.com",
]
MESSAGING_KEY = f"arn:aws:kms:eu-west-1:{ACCT}:key/messaging"
# The aws:Source* keys each service sends with its KMS request, as its guide documents them.
SOURCE_KEYS = {
    "cloudtrail.amazonaws.com": {"aws:SourceAccount": ACCT,
                                 "aws:SourceArn": f"arn:aws:cloudtrail:eu-west-1:{ACCT}:trail/t"},
    "s3.amazonaws.com": {"aws:SourceAccount": ACCT, "aws:SourceArn": "arn:aws:s3:::org-logs"},
    "cloudwatch.amazonaws.com": {"aws:SourceAccount": ACCT,
                                 "aws:SourceArn": f"arn:aws:cloudwatch:eu-west-1:{ACCT}:alarm:a"},
    "events.amazonaws.com": {},  # not sent for EventBridge-to-encrypted topics
    "sns.amazonaws.com": {"aws:SourceAccount": ACCT,
                          "aws:SourceArn": f"arn:aws:sns:eu-west-1:{ACCT}:alerts"},
}


def kms_use(policy: dict[str, Any], service: str, action: str = "kms:GenerateDataKey",
            **context: str) -> Decision:
    keys = {**SOURCE_KEYS[service], **context}
    return evaluate(policy, Request(Principal.service(service), action, MESSAGING_KEY, keys))


def messaging(publishers: list[str], **kwargs: Any) -> dict[str, Any]:
    return messaging_key_policy(partition="aws", account_id=ACCT, publishers=publishers, **kwargs)


@pytest.mark.parametrize("service", PUBLISHERS)
def test_each_publisher_statement_admits_exactly_that_service(service: str) -> None:
    policy = messaging(PUBLISHERS)
    grants = [s for s in policy["Statement"] if s["Principal"] == {"Service": service}]
    assert len(grants) == 1
    for action in ("kms:GenerateDataKey", "kms:Decrypt"):
        assert kms_use(policy, service, action) == ALLOW
    assert kms_use(policy, service, "kms:ReEncryptFrom") == NONE
    alone = messaging([service])
    assert kms_use(alone, service) == ALLOW
    for other in set(PUBLISHERS) - {service}:
        assert kms_use(alone, other) == NONE, other


def test_eventbridge_statement_has_no_source_conditions() -> None:
    (grant,) = [s for s in messaging(PUBLISHERS)["Statement"]
                if s["Principal"] == {"Service": "events.amazonaws.com"}]
    assert "Condition" not in grant
    assert kms_use(messaging(["events.amazonaws.com"]), "events.amazonaws.com") == ALLOW
    with pytest.raises(ValueError, match="no aws:SourceArn"):
        messaging(["events.amazonaws.com"],
                  source_arns={"events.amazonaws.com": [f"arn:aws:events:*:{ACCT}:rule/x"]})


def test_cloudwatch_statement_carries_the_documented_source_conditions() -> None:
    alarms = [f"arn:aws:cloudwatch:eu-west-1:{ACCT}:alarm:ctl-*"]
    policy = messaging(["cloudwatch.amazonaws.com"],
                       source_arns={"cloudwatch.amazonaws.com": alarms})
    (grant,) = [s for s in policy["Statement"] if s["Sid"] == "AllowCloudWatchAlarmsUseKey"]
    assert grant["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCT},
                                  "ArnLike": {"aws:SourceArn": alarms}}
    own = f"arn:aws:cloudwatch:eu-west-1:{ACCT}:alarm:ctl-root-usage"
    assert kms_use(policy, "cloudwatch.amazonaws.com", **{"aws:SourceArn": own}) == ALLOW
    other_alarm = f"arn:aws:cloudwatch:eu-west-1:{ACCT}:alarm:someone-else"
    assert kms_use(policy, "cloudwatch.amazonaws.com", **{"aws:SourceArn": other_alarm}) == NONE
    other_account = f"arn:aws:cloudwatch:eu-west-1:{OTHER}:alarm:ctl-x"
    assert kms_use(policy, "cloudwatch.amazonaws.com",
                   **{"aws:SourceArn": other_account, "aws:SourceAccount": OTHER}) == NONE
    default = messaging(["cloudwatch.amazonaws.com"])
    assert kms_use(default, "cloudwatch.amazonaws.com", **{"aws:SourceArn": other_alarm}) == ALLOW


def test_sns_queue_delivery_is_limited_to_this_accounts_topics() -> None:
    policy = messaging(["sns.amazonaws.com"])
    (grant,) = [s for s in policy["Statement"] if s["Sid"] == "AllowSnsQueueDeliveryUseKey"]
    assert set(grant["Condition"]) == {"ArnEquals"}
    assert kms_use(policy, "sns.amazonaws.com") == ALLOW
    foreign_topic = f"arn:aws:sns:eu-west-1:{OTHER}:alerts"
    assert kms_use(policy, "sns.amazonaws.com", **{"aws:SourceArn": foreign_topic}) == NONE


def test_messaging_key_account_use_and_unknown_publishers() -> None:
    policy = messaging([])
    user = Principal.aws(f"arn:aws:iam::{ACCT}:role/consumer")
    context = {"kms:CallerAccount": ACCT}
    assert evaluate(policy, Request(user, "kms:Decrypt", MESSAGING_KEY, context)) == ALLOW
    foreign = Principal.aws(f"arn:aws:iam::{OTHER}:role/x")
    assert evaluate(policy, Request(foreign, "kms:Decrypt", MESSAGING_KEY,
                                    {"kms:CallerAccount": OTHER})) == NONE
    with pytest.raises(ValueError, match="no documented key policy form"):
        messaging(["lambda.amazonaws.com"])
    with pytest.raises(ValueError, match="not a publisher"):
        messaging(["events.amazonaws.com"], source_arns={"sns.amazonaws.com": ["arn:aws:sns:*"]})
    assert lint(messaging(PUBLISHERS), key_policy=True) == []


# --- topic and queue policies: each sender in its documented form ----------------------------

TOPIC = f"arn:aws:sns:eu-west-1:{ACCT}:alerts"
QUEUE = f"arn:aws:sqs:eu-west-1:{ACCT}:alerts-queue"
RULE = f"arn:aws:events:eu-west-1:{ACCT}:rule/alerts-*"


def send(policy: dict[str, Any], service: str, action: str, resource: str,
         **context: str) -> Decision:
    keys = {"aws:SecureTransport": "true", **context}
    return evaluate(policy, Request(Principal.service(service), action, resource, keys))


def test_eventbridge_topic_grant_has_no_condition_as_documented() -> None:
    policy = topic_policy(TOPIC, ACCT, [Sender("events.amazonaws.com", RULE, "AllowApiCallRules")])
    grant = policy["Statement"][1]
    assert grant["Principal"] == {"Service": "events.amazonaws.com"}
    assert "Condition" not in grant
    # EventBridge sends no aws:Source* keys that a condition could have required.
    assert send(policy, "events.amazonaws.com", "sns:Publish", TOPIC) == ALLOW
    assert send(policy, "s3.amazonaws.com", "sns:Publish", TOPIC) == NONE
    assert send(policy, "events.amazonaws.com", "sns:Publish", TOPIC,
                **{"aws:SecureTransport": "false"}) == Decision.EXPLICIT_DENY


@pytest.mark.parametrize(
    ("service", "sid", "source", "own", "foreign_source"),
    [
        ("cloudtrail.amazonaws.com", "AllowTrailNotifications",
         f"arn:aws:cloudtrail:*:{ACCT}:trail/org-trail",
         f"arn:aws:cloudtrail:eu-west-1:{ACCT}:trail/org-trail",
         f"arn:aws:cloudtrail:eu-west-1:{OTHER}:trail/org-trail"),
        ("s3.amazonaws.com", "AllowLogBucketEvents", "arn:aws:s3:::org-logs",
         "arn:aws:s3:::org-logs", "arn:aws:s3:::other-bucket"),
        ("cloudwatch.amazonaws.com", "AllowCloudWatchAlarms",
         f"arn:aws:cloudwatch:eu-west-1:{ACCT}:alarm:ctl-*",
         f"arn:aws:cloudwatch:eu-west-1:{ACCT}:alarm:ctl-root",
         f"arn:aws:cloudwatch:eu-west-1:{ACCT}:alarm:other"),
    ],
    ids=["cloudtrail", "s3", "cloudwatch"],
)
def test_topic_grants_pin_source_and_account(service: str, sid: str, source: str, own: str,
                                             foreign_source: str) -> None:
    policy = topic_policy(TOPIC, ACCT, [Sender(service, source, sid)])
    assert send(policy, service, "sns:Publish", TOPIC,
                **{"aws:SourceArn": own, "aws:SourceAccount": ACCT}) == ALLOW
    assert send(policy, service, "sns:Publish", TOPIC,
                **{"aws:SourceArn": foreign_source, "aws:SourceAccount": ACCT}) == NONE
    assert send(policy, service, "sns:Publish", TOPIC,
                **{"aws:SourceArn": own, "aws:SourceAccount": OTHER}) == NONE


def test_queue_grants_for_sns_s3_and_eventbridge() -> None:
    topic_sender = Sender("sns.amazonaws.com", TOPIC, "AllowTopicDelivery")
    sns_queue = queue_policy(QUEUE, ACCT, [topic_sender])
    assert sns_queue["Statement"][1]["Condition"] == {"ArnEquals": {"aws:SourceArn": TOPIC}}
    assert send(sns_queue, "sns.amazonaws.com", "sqs:SendMessage", QUEUE,
                **{"aws:SourceArn": TOPIC}) == ALLOW
    assert send(sns_queue, "sns.amazonaws.com", "sqs:SendMessage", QUEUE,
                **{"aws:SourceArn": TOPIC + "-other"}) == NONE
    assert send(sns_queue, "sns.amazonaws.com", "sqs:ReceiveMessage", QUEUE,
                **{"aws:SourceArn": TOPIC}) == NONE
    bucket = Sender("s3.amazonaws.com", "arn:aws:s3:::org-logs", "AllowLogBucketEvents")
    s3_queue = queue_policy(QUEUE, ACCT, [bucket])
    assert send(s3_queue, "s3.amazonaws.com", "sqs:SendMessage", QUEUE,
                **{"aws:SourceArn": "arn:aws:s3:::org-logs", "aws:SourceAccount": ACCT}) == ALLOW
    assert send(s3_queue, "s3.amazonaws.com", "sqs:SendMessage", QUEUE,
                **{"aws:SourceArn": "arn:aws:s3:::org-logs", "aws:SourceAccount": OTHER}) == NONE
    rule_queue = queue_policy(QUEUE, ACCT, [Sender("events.amazonaws.com", RULE,
                                                   "AllowApiCallRules")])
    assert rule_queue["Statement"][1]["Condition"] == {"ArnEquals": {"aws:SourceArn": RULE}}


def test_senders_without_a_documented_form_or_source_are_refused() -> None:
    with pytest.raises(ValueError, match="no documented SNS topic policy form"):
        topic_policy(TOPIC, ACCT, [Sender("sns.amazonaws.com", TOPIC, "AllowTopicDelivery")])
    with pytest.raises(ValueError, match="no documented SQS queue policy form"):
        alarms = Sender("cloudwatch.amazonaws.com", "x", "AllowCloudWatchAlarms")
        queue_policy(QUEUE, ACCT, [alarms])
    with pytest.raises(ValueError, match="has no Source"):
        topic_policy(TOPIC, ACCT, [Sender("s3.amazonaws.com", "arn:aws:s3:::b", "Unregistered")])
