"""Tamper alerts: EventBridge rules on the default bus, to an encrypted topic and queue."""

from __future__ import annotations

from typing import Any

import pulumi_aws as aws

from cloudtrail_logging.plan.parts import TamperAlertsPlan
from components.alert_component import AlertComponent
from components.event_rules import Forwarder, event_rule, event_target


class TamperAlerts(AlertComponent[TamperAlertsPlan], type_name="TamperAlerts"):
    """Home-region rules publish to the topic; rules of other Regions forward their events to
    the home Region's default bus (through a role), where the home rules match them."""

    rules: list[aws.cloudwatch.EventRule]

    def _build(self, name: str, plan: TamperAlertsPlan) -> dict[str, Any]:
        topic = self._topic(f"{name}-topic", plan.topic)
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
                    arn=topic.topic_arn,
                    opts=self.child(depends_on=topic.ready),
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
        return {"ruleNames": sorted({r.name for r in plan.rules})}
