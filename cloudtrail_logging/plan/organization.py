"""The organization part of a plan: the StackSets that carry the API-call rules, and the
guardrail service control policy."""

from __future__ import annotations

from collections.abc import Sequence

from cloudtrail_logging.alerting.alerts import ApiAlert
from cloudtrail_logging.landing_zone import DELEGATED_ADMIN
from cloudtrail_logging.organization.service_control_policy import guardrail_policies
from cloudtrail_logging.organization.stackset import (
    CALL_AS_VALUES,
    OperationPreferences,
    check_stack_set_name,
    forwarder_role_template,
    instance_regions,
    operation_preferences,
    role_region,
    role_stack_set_name,
    rules_template,
    template_body,
)
from cloudtrail_logging.outputs import Destination
from cloudtrail_logging.plan.parts import (
    GuardrailPlan,
    OrganizationPlan,
)
from cloudtrail_logging.schema import NAMESPACE
from cloudtrail_logging.settings import ConfigError, MemberSettings, Settings


def owns_stack_sets(s: Settings) -> bool:
    """Whether this stack owns the organization's StackSets: the management account's (it
    creates the organization trail, or owns the existing one), or a StackSets delegated
    administrator's (`stackSetCallAs: DELEGATED_ADMIN`)."""
    if s.role != "member":
        return False
    return s.organization_trail or s.owns_existing_trail or s.stack_set_call_as == DELEGATED_ADMIN


def organization_plan(
    s: MemberSettings, central_bus: str | None, archive_account_id: str | None = None
) -> OrganizationPlan | None:
    """StackSets in the stack that owns them, when it has alerts and a central bus. They leave
    out the log archive's account: its own stack has the rules and role of these names, and the
    guardrail policy keeps the StackSets execution role out of it."""
    wanted = owns_stack_sets(s) and s.organization_alerts and s.alerting.api_alerts
    if not wanted or central_bus is None:
        return None
    try:
        return stack_sets(
            alerts=s.alerting.api_alerts,
            alert_regions=s.alerting.alert_regions,
            central_bus_arn=central_bus,
            name_prefix=s.name_prefix,
            partition=s.partition,
            stack_set_name=f"{s.name_prefix}-api-alerts",
            call_as=s.stack_set_call_as,
            organizational_unit_ids=s.organizational_unit_ids,
            excluded_account_ids=(archive_account_id,) if archive_account_id else (),
        )
    except ValueError as error:
        raise ConfigError(
            [f"{NAMESPACE}:apiAlerts: expected alerts that fit a StackSet: {error}"]
        ) from None


def stack_sets(
    *,
    alerts: Sequence[ApiAlert],
    alert_regions: Sequence[str],
    central_bus_arn: str,
    name_prefix: str,
    partition: str,
    stack_set_name: str,
    call_as: str = "SELF",
    organizational_unit_ids: Sequence[str] = (),
    preferences: OperationPreferences | None = None,
    excluded_account_ids: Sequence[str] = (),
) -> OrganizationPlan:
    """The two StackSets, their templates complete; ValueError names what does not fit.

    `organizational_unit_ids` empty: the organization root, read at run time.
    """
    if call_as not in CALL_AS_VALUES:
        raise ValueError(f"call_as must be one of {CALL_AS_VALUES}, not {call_as!r}")
    rules_name = check_stack_set_name(stack_set_name)
    rules_body = template_body(
        rules_template(
            alerts, name_prefix=name_prefix, partition=partition, central_bus_arn=central_bus_arn
        )
    )
    role_body = template_body(
        forwarder_role_template(
            name_prefix=name_prefix, partition=partition, central_bus_arn=central_bus_arn
        )
    )
    return OrganizationPlan(
        stack_set_name=rules_name,
        role_stack_set_name=role_stack_set_name(rules_name),
        call_as=call_as,
        regions=instance_regions(alert_regions, partition),
        role_region=role_region(partition),
        rules_template_body=rules_body,
        role_template_body=role_body,
        preferences=preferences or operation_preferences(),
        organizational_unit_ids=tuple(organizational_unit_ids),
        excluded_account_ids=tuple(excluded_account_ids),
    )


def guardrail_plan(s: MemberSettings, destination: Destination) -> GuardrailPlan | None:
    """The organization's service control policy, from the management account's stack."""
    if s.guardrails is None or destination.archive is None:
        return None
    logging, archive = guardrail_policies(
        partition=s.partition,
        name_prefix=s.name_prefix,
        trail_name=destination.trail_name,
        archive=destination.archive,
        principals=s.guardrails.principals,
    )
    return GuardrailPlan(
        name=f"{s.name_prefix}-guardrails",
        description="cloudtrail-logging: trails, alerting and their keys cannot be stopped or "
        "changed from member accounts",
        content=logging,
        archive_name=f"{s.name_prefix}-archive-guardrails",
        archive_description="cloudtrail-logging: the log archive cannot be erased, read or "
        "reconfigured but by its administrators",
        archive_content=archive,
        target_ids=s.guardrails.target_ids,
    )
