"""Tamper alerts: EventBridge rules on the default bus, to an encrypted topic and queue."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.aws.policy_json import policy_json
from cloudtrail_logging.plan.parts import TamperAlertsPlan
from components import TYPE_PREFIX
from components.topic_fanout import TopicFanout


class TamperAlerts(pulumi.ComponentResource):
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
        super().__init__(f"{TYPE_PREFIX}:TamperAlerts", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.topic = TopicFanout(
            f"{name}-topic", plan.topic, kms_key_arn=messaging_key_arn, opts=child
        )
        forwarder_arn: pulumi.Output[str] | None = None
        forwarder_ready: list[pulumi.Resource] = []
        if plan.forwarder is not None:
            forwarder = plan.forwarder
            role = aws.iam.Role(
                f"{name}-forwarder-role",
                name=forwarder.name,
                description=forwarder.description,
                assume_role_policy=policy_json(forwarder.trust_policy),
                opts=child,
            )
            policy = aws.iam.RolePolicy(
                f"{name}-forwarder-policy",
                name=forwarder.policy_name,
                role=role.name,
                policy=policy_json(forwarder.policy),
                opts=child,
            )
            forwarder_arn = role.name.apply(lambda _: forwarder.arn)
            forwarder_ready = [policy]
        self.rules = []
        for planned in plan.rules:
            base = f"{name}-{planned.alert}-{planned.region}"
            rule = aws.cloudwatch.EventRule(
                f"{base}-rule",
                name=planned.name,
                region=planned.region,
                description=planned.description,
                event_pattern=json.dumps(planned.pattern),
                state=planned.state,
                opts=child,
            )
            self.rules.append(rule)
            if planned.region == plan.home_region:
                aws.cloudwatch.EventTarget(
                    f"{base}-to-topic",
                    rule=rule.name,
                    region=planned.region,
                    target_id="tamper-topic",
                    arn=self.topic.topic_arn,
                    opts=pulumi.ResourceOptions(parent=self, depends_on=self.topic.ready),
                )
                if planned.alert in plan.escalated and plan.central_bus_arn is not None:
                    if forwarder_arn is None:
                        raise ValueError(f"tamper rule {planned.name}: no forwarder")
                    aws.cloudwatch.EventTarget(
                        f"{base}-to-central-bus",
                        rule=rule.name,
                        region=planned.region,
                        target_id="archive-central-bus",
                        arn=plan.central_bus_arn,
                        role_arn=forwarder_arn,
                        opts=pulumi.ResourceOptions(parent=self, depends_on=forwarder_ready),
                    )
            elif forwarder_arn is not None:
                aws.cloudwatch.EventTarget(
                    f"{base}-to-home-bus",
                    rule=rule.name,
                    region=planned.region,
                    target_id="home-default-bus",
                    arn=plan.home_bus_arn,
                    role_arn=forwarder_arn,
                    opts=pulumi.ResourceOptions(parent=self, depends_on=forwarder_ready),
                )
            else:
                raise ValueError(f"tamper rule {planned.name} in {planned.region}: no forwarder")
        self.register_outputs(
            {"topicArn": self.topic.topic_arn, "ruleNames": sorted({r.name for r in plan.rules})}
        )
