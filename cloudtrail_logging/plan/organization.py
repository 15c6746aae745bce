"""The organization part of a plan: the StackSets that carry the API-call rules, and the
guardrail service control policy."""

from __future__ import annotations

from cloudtrail_logging.organization.service_control_policy import guardrail_policy
from cloudtrail_logging.outputs import Destination
from cloudtrail_logging.plan.parts import (
    GuardrailPlan,
    OrganizationPlan,
)
from cloudtrail_logging.settings import Settings


def organization_plan(s: Settings, central_bus: str | None) -> OrganizationPlan | None:
    """StackSets in the organization trail's stack, when it has alerts and a central bus."""
    wanted = s.organization_trail and s.organization_alerts and s.alerting.api_alerts
    if not wanted or central_bus is None:
        return None
    return OrganizationPlan(
        name_prefix=s.name_prefix,
        partition=s.partition,
        stack_set_name=f"{s.name_prefix}-api-alerts",
        alerts=s.alerting.api_alerts,
        alert_regions=s.alerting.alert_regions,
        central_bus_arn=central_bus,
        call_as=s.stack_set_call_as,
        organizational_unit_ids=s.organizational_unit_ids,
    )


def guardrail_plan(s: Settings, destination: Destination) -> GuardrailPlan | None:
    """The organization's service control policy, from the management account's stack."""
    if s.guardrails is None or destination.archive is None:
        return None
    return GuardrailPlan(
        name=f"{s.name_prefix}-guardrails",
        description="cloudtrail-logging: trails, alerting and the log archive cannot be "
        "stopped, changed or erased from member accounts",
        content=guardrail_policy(
            partition=s.partition,
            name_prefix=s.name_prefix,
            trail_name=destination.trail_name,
            archive=destination.archive,
            principals=s.guardrails.principals,
        ),
        target_ids=s.guardrails.target_ids,
    )
