"""EventBridge rules for API alerts in every alert region, forwarded to the central bus."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.aws.policy_json import policy_json
from cloudtrail_logging.plan.parts import ApiRulesPlan
from components import TYPE_PREFIX
from components.topic_fanout import TopicFanout


class ApiCallRules(pulumi.ComponentResource):
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
        super().__init__(f"{TYPE_PREFIX}:ApiCallRules", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
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
                f"{name}-topic", plan.topic, kms_key_arn=messaging_key_arn, opts=child
            )
        self.role = None
        role_arn: pulumi.Output[str] | None = None
        forwarder_ready: list[pulumi.Resource] = []
        if plan.forwarder is not None:
            forwarder = plan.forwarder
            self.role = aws.iam.Role(
                f"{name}-forwarder-role",
                name=forwarder.name,
                description=forwarder.description,
                assume_role_policy=policy_json(forwarder.trust_policy),
                opts=child,
            )
            policy = aws.iam.RolePolicy(
                f"{name}-forwarder-policy",
                name=forwarder.policy_name,
                role=self.role.name,
                policy=policy_json(forwarder.policy),
                opts=child,
            )
            role_arn = self.role.name.apply(lambda _: forwarder.arn)
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
            if role_arn is not None:
                aws.cloudwatch.EventTarget(
                    f"{base}-to-central-bus",
                    rule=rule.name,
                    region=planned.region,
                    target_id="central-bus",
                    arn=central_bus_arn or plan.central_bus_arn,
                    role_arn=role_arn,
                    opts=pulumi.ResourceOptions(parent=self, depends_on=forwarder_ready),
                )
            if self.topic is not None and planned.region == plan.home_region:
                aws.cloudwatch.EventTarget(
                    f"{base}-to-topic",
                    rule=rule.name,
                    region=planned.region,
                    target_id="alert-topic",
                    arn=self.topic.topic_arn,
                    opts=pulumi.ResourceOptions(parent=self, depends_on=self.topic.ready),
                )
        self.register_outputs(
            {
                "ruleNames": sorted({r.name for r in plan.rules}),
                "topicArn": self.topic.topic_arn if self.topic else None,
            }
        )
