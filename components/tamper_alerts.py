"""Tamper alerts: EventBridge rules on the default bus, to an encrypted topic and queue."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.plan.parts import TamperAlertsPlan
from components.component import Component
from components.event_rules import Forwarder, event_rule, event_target
from components.topic_fanout import TopicFanout


class TamperAlerts(Component):
    """Home-region rules publish to the topic; rules of other Regions forward their events to
    the home Region's default bus (through a role), where the home rules match them."""

    topic: TopicFanout
    rules: list[aws.cloudwatch.EventRule]

    def __init__(
        self,
        name: str,
        plan: TamperAlertsPlan,
        *,
        messaging_key_arn: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(name, opts)
        self.topic = TopicFanout(
            f"{name}-topic", plan.topic, kms_key_arn=messaging_key_arn, opts=self.child()
        )
        forwarder = Forwarder(name, plan.forwarder, self.child())
        self.rules = []
        for planned in plan.rules:
            base = f"{name}-{planned.alert}-{planned.region}"
            rule = event_rule(base, planned, self.child())
            self.rules.append(rule)
            if planned.region == plan.home_region:
                event_target(
                    f"{base}-to-topic", rule, planned,
                    target_id="tamper-topic",
                    arn=self.topic.topic_arn,
                    opts=self.child(depends_on=self.topic.ready),
                )
                if planned.alert in plan.escalated and plan.central_bus_arn is not None:
                    if forwarder.arn is None:
                        raise ValueError(f"tamper rule {planned.name}: no forwarder")
                    forwarder.target(f"{base}-to-central-bus", rule, planned,
                                     "archive-central-bus", plan.central_bus_arn, self)
            elif forwarder.arn is not None:
                forwarder.target(f"{base}-to-home-bus", rule, planned,
                                 "home-default-bus", plan.home_bus_arn, self)
            else:
                raise ValueError(f"tamper rule {planned.name} in {planned.region}: no forwarder")
        self.register_outputs(
            {"topicArn": self.topic.topic_arn, "ruleNames": sorted({r.name for r in plan.rules})}
        )
