"""EventBridge rules of planned alerts, their targets, and the role that forwards their events."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.plan.parts import RolePlan, RulePlan
from components.roles import role_with_policy


class Forwarder:
    """The role that lets rules forward events to another bus; empty without a plan."""

    role: aws.iam.Role | None = None
    arn: pulumi.Output[str] | None = None
    """The role's ARN, once the role exists."""
    ready: list[pulumi.Resource]
    """What a target that uses the role waits for: its policy."""

    def __init__(self, name: str, plan: RolePlan | None, opts: pulumi.ResourceOptions) -> None:
        self.ready = []
        if plan is None:
            return
        self.role, policy = role_with_policy(
            f"{name}-forwarder-role", f"{name}-forwarder-policy", plan, opts=opts
        )
        self.arn = self.role.name.apply(lambda _: plan.arn)
        self.ready = [policy]

    def target(
        self,
        name: str,
        rule: aws.cloudwatch.EventRule,
        planned: RulePlan,
        target_id: str,
        bus_arn: pulumi.Input[str] | None,
        parent: pulumi.Resource,
    ) -> aws.cloudwatch.EventTarget:
        """A target of `rule` that forwards its events to the bus `bus_arn` through the role."""
        return event_target(
            name, rule, planned,
            target_id=target_id,
            arn=bus_arn,
            role_arn=self.arn,
            opts=pulumi.ResourceOptions(parent=parent, depends_on=self.ready),
        )


def event_rule(
    base: str, planned: RulePlan, opts: pulumi.ResourceOptions
) -> aws.cloudwatch.EventRule:
    """The rule `planned` describes, named `<base>-rule`."""
    return aws.cloudwatch.EventRule(
        f"{base}-rule",
        name=planned.name,
        region=planned.region,
        description=planned.description,
        event_pattern=json.dumps(planned.pattern),
        state=planned.state,
        opts=opts,
    )


def event_target(
    name: str,
    rule: aws.cloudwatch.EventRule,
    planned: RulePlan,
    *,
    target_id: str,
    arn: pulumi.Input[str] | None,
    role_arn: pulumi.Input[str] | None = None,
    opts: pulumi.ResourceOptions,
) -> aws.cloudwatch.EventTarget:
    """A target of `rule`, in the rule's Region."""
    return aws.cloudwatch.EventTarget(
        name,
        rule=rule.name,
        region=planned.region,
        target_id=target_id,
        arn=arn,
        role_arn=role_arn,
        opts=opts,
    )
