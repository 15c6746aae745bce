"""EventBridge rules for API alerts in every alert region, forwarded to the central bus."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.plan.parts import ApiRulesPlan
from components.component import Component
from components.event_rules import Forwarder, event_rule, event_target
from components.topic_fanout import TopicFanout


class ApiCallRules(Component, type_name="ApiCallRules"):
    """One rule per (alert, region) with v7's per-resource `region`, its targets, the forwarder
    role. Home-region rules also publish to the local topic, when the plan has one."""

    rules: list[aws.cloudwatch.EventRule]
    topic: TopicFanout | None
    role: aws.iam.Role | None

    def __init__(
        self,
        name: str,
        plan: ApiRulesPlan,
        *,
        messaging_key_arn: pulumi.Input[str] | None = None,
        central_bus_arn: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`central_bus_arn`: the bus's output when the bus is in this stack, so that targets
        wait for it; otherwise the plan's (another account's) bus ARN."""
        super().__init__(name, opts)
        if plan.central_bus_arn is None and any(r.region != plan.home_region for r in plan.rules):
            raise ValueError(
                "rules outside the home region need the central bus: an SNS target "
                "must be in the rule's region"
            )
        self.topic = None
        if plan.topic is not None:
            if messaging_key_arn is None:
                raise ValueError("the local alert topic needs messaging_key_arn")
            self.topic = TopicFanout(
                f"{name}-topic", plan.topic, kms_key_arn=messaging_key_arn, opts=self.child()
            )
        forwarder = Forwarder(name, plan.forwarder, self.child())
        self.role = forwarder.role
        self.rules = []
        for planned in plan.rules:
            base = f"{name}-{planned.alert}-{planned.region}"
            rule = event_rule(base, planned, self.child())
            self.rules.append(rule)
            if forwarder.arn is not None:
                forwarder.target(f"{base}-to-central-bus", rule, planned,
                                 "central-bus", central_bus_arn or plan.central_bus_arn, self)
            if self.topic is not None and planned.region == plan.home_region:
                event_target(
                    f"{base}-to-topic", rule, planned,
                    target_id="alert-topic",
                    arn=self.topic.topic_arn,
                    opts=self.child(depends_on=self.topic.ready),
                )
        self.register_outputs(
            {
                "ruleNames": sorted({r.name for r in plan.rules}),
                "topicArn": self.topic.topic_arn if self.topic else None,
            }
        )
