"""The central event bus of the log-archive account, and the security team's alert topic."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.alerting.alerts import READ_ONLY_RULE_STATE
from cloudtrail_logging.aws.policy_json import policy_json
from cloudtrail_logging.plan.parts import CentralBusPlan
from components.alert_component import AlertComponent


class CentralBus(AlertComponent[CentralBusPlan], type_name="CentralBus"):
    """A custom bus that member accounts may put events on, routed to the security topic.

    Exposes `bus_arn` (the planned ARN, carried by the bus's name output) and `topic_arn`.
    """

    bus: aws.cloudwatch.EventBus
    policy: aws.cloudwatch.EventBusPolicy | None
    rule: aws.cloudwatch.EventRule

    def _build(self, name: str, plan: CentralBusPlan) -> dict[str, Any]:
        self.bus = aws.cloudwatch.EventBus(
            f"{name}-bus",
            name=plan.name,
            description="API-call alerts forwarded from member accounts",
            opts=self.child(),
        )
        self.bus_arn: pulumi.Output[str] = self.bus.name.apply(lambda _: plan.arn)
        # The bus's own account needs no resource policy; without members there is none.
        self.policy = None
        if plan.policy is not None:
            self.policy = aws.cloudwatch.EventBusPolicy(
                f"{name}-bus-policy",
                event_bus_name=self.bus.name,
                policy=policy_json(plan.policy),
                opts=self.child(),
            )
        topic = self._topic(f"{name}-topic", plan.topic)
        self.rule = aws.cloudwatch.EventRule(
            f"{name}-rule",
            name=plan.rule_name,
            event_bus_name=self.bus.name,
            description="Forwarded CloudTrail API-call and sign-in alerts",
            event_pattern=json.dumps(plan.pattern),
            # The rule state also gates read-only CloudTrail events on custom buses; the bus
            # holds only events member rules chose to forward, so admit them all.
            state=READ_ONLY_RULE_STATE,
            opts=self.child(),
        )
        self.target = aws.cloudwatch.EventTarget(
            f"{name}-to-topic",
            rule=self.rule.name,
            event_bus_name=self.bus.name,
            target_id="security-topic",
            arn=self.topic_arn,
            opts=self.child(depends_on=topic.ready),
        )
        return {"busArn": self.bus_arn}
