"""The central event bus of the log-archive account, and the security team's alert topic."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.alerting_policies import EVENTS_SERVICE, central_event_bus_policy
from cloudtrail_logging.alerts import (
    API_CALL_DETAIL_TYPE,
    READ_ONLY_RULE_STATE,
    SIGN_IN_DETAIL_TYPES,
    event_rule_arn,
)
from cloudtrail_logging.naming import event_bus_arn
from cloudtrail_logging.resource_policies import Sender
from components import TYPE_PREFIX
from components.topic_fanout import TopicFanout

# Events forwarded by the members' API-call rules. PutEvents refuses custom events whose
# source starts with "aws.", so the prefix admits only events AWS itself emitted.
FORWARDED_EVENTS_PATTERN: dict[str, Any] = {
    "source": [{"prefix": "aws."}],
    "detail-type": [API_CALL_DETAIL_TYPE, *SIGN_IN_DETAIL_TYPES],
}


class CentralBusArgs(TypedDict):
    """Inputs of a CentralBus."""

    name_prefix: str
    """Names: bus `<prefix>-alerts`, rule `<prefix>-forwarded-api-calls`, topic
    `<prefix>-security-alerts`."""
    partition: str
    region: str
    account_id: str
    messaging_key_arn: pulumi.Input[str]
    """Encrypts the topic and queue; it must admit `events.amazonaws.com` and SNS."""
    member_account_ids: NotRequired[Sequence[str]]
    organization_id: NotRequired[str | None]
    """When set, the bus admits the organization instead of listing member accounts."""
    alert_email: NotRequired[str | None]
    alert_lambda_arn: NotRequired[str | None]


class CentralBus(pulumi.ComponentResource):
    """A custom bus that member accounts may put events on, routed to the security topic.

    Exposes `bus_arn` and `bus_name` (outputs echoing the explicit name, known at preview),
    `topic_arn` and `rule_arn` (a plain string).
    """

    bus: aws.cloudwatch.EventBus
    policy: aws.cloudwatch.EventBusPolicy | None
    rule: aws.cloudwatch.EventRule
    topic: TopicFanout

    def __init__(
        self, name: str, args: CentralBusArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(f"{TYPE_PREFIX}:CentralBus", name, None, opts)
        prefix = args["name_prefix"]
        partition, region, account = args["partition"], args["region"], args["account_id"]
        bus_name = f"{prefix}-alerts"
        rule_name = f"{prefix}-forwarded-api-calls"
        self.bus = aws.cloudwatch.EventBus(
            f"{name}-bus",
            name=bus_name,
            description="API-call alerts forwarded from member accounts",
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.bus_name: pulumi.Output[str] = self.bus.name
        self.bus_arn: pulumi.Output[str] = self.bus.name.apply(
            lambda n: event_bus_arn(partition, region, account, n)
        )
        organization = args.get("organization_id")
        members = [m for m in args.get("member_account_ids", ()) if m != account]
        # The bus's own account needs no resource policy; without members there is none.
        self.policy = None
        if organization or members:
            document = central_event_bus_policy(
                event_bus_arn(partition, region, account, bus_name),
                organization_id=organization,
                member_account_ids=members,
            )
            self.policy = aws.cloudwatch.EventBusPolicy(
                f"{name}-bus-policy",
                event_bus_name=self.bus.name,
                policy=json.dumps(document),
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.rule_arn = event_rule_arn(partition, region, account, rule_name, bus_name)
        self.topic = TopicFanout(
            f"{name}-topic",
            {
                "topic_name": f"{prefix}-security-alerts",
                "partition": partition,
                "region": region,
                "account_id": account,
                "kms_key_arn": args["messaging_key_arn"],
                "senders": [Sender(EVENTS_SERVICE, self.rule_arn, "AllowCentralBusRule")],
                "queue": True,
                "lambda_arn": args.get("alert_lambda_arn"),
                "email": args.get("alert_email"),
            },
            pulumi.ResourceOptions(parent=self),
        )
        self.topic_arn = self.topic.topic_arn
        self.rule = aws.cloudwatch.EventRule(
            f"{name}-rule",
            name=rule_name,
            event_bus_name=self.bus.name,
            description="Forwarded CloudTrail API-call and sign-in alerts",
            event_pattern=json.dumps(FORWARDED_EVENTS_PATTERN),
            # The rule state also gates read-only CloudTrail events on custom buses; the bus
            # holds only events member rules chose to forward, so admit them all.
            state=READ_ONLY_RULE_STATE,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.target = aws.cloudwatch.EventTarget(
            f"{name}-to-topic",
            rule=self.rule.name,
            event_bus_name=self.bus.name,
            target_id="security-topic",
            arn=self.topic_arn,
            opts=pulumi.ResourceOptions(parent=self, depends_on=self.topic.ready),
        )
        self.register_outputs({"busArn": self.bus_arn, "topicArn": self.topic_arn})
