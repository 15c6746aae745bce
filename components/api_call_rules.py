"""EventBridge rules for API alerts in every alert region, forwarded to the central bus."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.alerting_policies import (
    EVENTS_SERVICE,
    event_forwarder_role_policy,
    event_forwarder_trust_policy,
)
from cloudtrail_logging.alerts import (
    ApiAlert,
    api_rule_name,
    api_rule_prefix,
    event_pattern,
    event_rule_arn,
    eventbridge_rule_state,
)
from cloudtrail_logging.naming import role_arn
from cloudtrail_logging.resource_policies import Sender
from components import TYPE_PREFIX
from components.topic_fanout import TopicFanout


class ApiCallRulesArgs(TypedDict):
    """Inputs of an ApiCallRules."""

    name_prefix: str
    """Names: rules `<prefix>-api-<alert>`, role `<prefix>-event-forwarder`, topic
    `<prefix>-api-alerts`."""
    partition: str
    region: str
    """The stack's home region: the only region whose rules may target the local topic."""
    account_id: str
    alerts: Sequence[ApiAlert]
    alert_regions: Sequence[str]
    """Regions with rules; the partition's global events region must be among them."""
    central_bus_arn: NotRequired[pulumi.Input[str] | None]
    """Every rule forwards here through the forwarder role (cross-account or cross-region)."""
    local_topic: NotRequired[bool]
    """Home-region rules also publish to a local topic; default True. Without a central bus
    this is the only target, so every alert region must then be the home region."""
    messaging_key_arn: NotRequired[pulumi.Input[str] | None]
    """Encrypts the local topic; it must admit `events.amazonaws.com` and SNS."""
    alert_email: NotRequired[str | None]
    alert_lambda_arn: NotRequired[str | None]


class ApiCallRules(pulumi.ComponentResource):
    """One rule per (alert, region), targets, and the forwarder role; policies known at preview.

    Exposes `rules` (region -> rules), `rule_arns` (plain strings), `topic` (the local
    TopicFanout or None), `role_arn` (None without a central bus).
    """

    rules: dict[str, list[aws.cloudwatch.EventRule]]
    topic: TopicFanout | None
    role: aws.iam.Role | None

    def __init__(
        self, name: str, args: ApiCallRulesArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(f"{TYPE_PREFIX}:ApiCallRules", name, None, opts)
        prefix = args["name_prefix"]
        partition, home, account = args["partition"], args["region"], args["account_id"]
        alert_regions = list(dict.fromkeys(args["alert_regions"]))
        central_bus = args.get("central_bus_arn")
        if args["alerts"] and central_bus is None and set(alert_regions) - {home}:
            raise ValueError(
                f"rules in {sorted(set(alert_regions) - {home})} need central_bus_arn: an SNS "
                f"target must be in the rule's region, and the local topic is in {home}"
            )
        rule_names = {alert.name: api_rule_name(prefix, alert) for alert in args["alerts"]}
        rule_pattern = api_rule_prefix(prefix) + "*"

        self.topic = None
        if args.get("local_topic", True) and args["alerts"]:
            messaging_key = args.get("messaging_key_arn")
            if messaging_key is None:
                raise ValueError("the local alert topic needs messaging_key_arn")
            self.topic = TopicFanout(
                f"{name}-topic",
                {
                    "topic_name": f"{prefix}-api-alerts",
                    "partition": partition,
                    "region": home,
                    "account_id": account,
                    "kms_key_arn": messaging_key,
                    "senders": [
                        Sender(
                            EVENTS_SERVICE,
                            event_rule_arn(partition, home, account, rule_pattern),
                            "AllowApiCallRules",
                        )
                    ],
                    "queue": True,
                    "lambda_arn": args.get("alert_lambda_arn"),
                    "email": args.get("alert_email"),
                },
                pulumi.ResourceOptions(parent=self),
            )
        elif central_bus is None and args["alerts"]:
            raise ValueError("rules need a target: central_bus_arn or the local topic")

        self.role = None
        self.role_arn: pulumi.Output[str] | None = None
        forwarder_ready: list[pulumi.Resource] = []
        if central_bus is not None and args["alerts"]:
            self.role = aws.iam.Role(
                f"{name}-forwarder-role",
                name=f"{prefix}-event-forwarder",
                description="EventBridge forwards API-call alerts to the central event bus",
                assume_role_policy=json.dumps(
                    event_forwarder_trust_policy(
                        account,
                        [
                            event_rule_arn(partition, r, account, rule_pattern)
                            for r in alert_regions
                        ],
                    )
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
            policy = aws.iam.RolePolicy(
                f"{name}-forwarder-policy",
                name="put-events-central-bus",
                role=self.role.name,
                policy=pulumi.Output.from_input(central_bus).apply(
                    lambda arn: json.dumps(event_forwarder_role_policy(arn))
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
            self.role_arn = self.role.name.apply(lambda n: role_arn(partition, account, n))
            forwarder_ready = [policy]

        self.rules = {}
        self.rule_arns: list[str] = []
        for region in alert_regions:
            self.rules[region] = []
            for alert in args["alerts"]:
                rule_name = rule_names[alert.name]
                base = f"{name}-{alert.name}-{region}"
                rule = aws.cloudwatch.EventRule(
                    f"{base}-rule",
                    name=rule_name,
                    region=region,
                    description=(alert.description or f"API alert {alert.name}")[:512],
                    event_pattern=json.dumps(event_pattern(alert)),
                    state=eventbridge_rule_state(alert),
                    opts=pulumi.ResourceOptions(parent=self),
                )
                self.rules[region].append(rule)
                self.rule_arns.append(event_rule_arn(partition, region, account, rule_name))
                if self.role_arn is not None:
                    aws.cloudwatch.EventTarget(
                        f"{base}-to-central-bus",
                        rule=rule.name,
                        region=region,
                        target_id="central-bus",
                        arn=central_bus,
                        role_arn=self.role_arn,
                        opts=pulumi.ResourceOptions(parent=self, depends_on=forwarder_ready),
                    )
                if self.topic is not None and region == home:
                    aws.cloudwatch.EventTarget(
                        f"{base}-to-topic",
                        rule=rule.name,
                        region=region,
                        target_id="alert-topic",
                        arn=self.topic.topic_arn,
                        opts=pulumi.ResourceOptions(parent=self, depends_on=self.topic.ready),
                    )
        self.register_outputs(
            {
                "ruleArns": self.rule_arns,
                "topicArn": self.topic.topic_arn if self.topic else None,
                "roleArn": self.role_arn,
            }
        )
