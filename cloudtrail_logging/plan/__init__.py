"""The plan: every name, ARN, policy document and setting a stack deploys, computed once.

`build_plan(settings, destination)` is a pure function of validated settings (and, for a member,
the log archive it delivers to). Components wire a plan's parts (`parts`) and compute nothing of
their own; `plan_problems` (`limits`) checks the plan against AWS's limits (names, policy sizes)
before anything is registered; tests inspect it as plain data. Everything here is known at
preview: names are explicit and ARNs are composed from them, never read from a resource. The
builders live by feature: `archive`, `trail`, `messaging`, `alerting`, `organization`.
"""

from __future__ import annotations

from dataclasses import replace

from cloudtrail_logging.aws import (
    CLOUDTRAIL_SERVICE,
    CLOUDWATCH_SERVICE,
    EVENTS_SERVICE,
    S3_SERVICE,
)
from cloudtrail_logging.landing_zone import DELEGATED_ADMIN
from cloudtrail_logging.outputs import Destination
from cloudtrail_logging.plan.alerting import (
    api_rules_plan,
    central_bus_plan,
    cloudwatch_plan,
    tamper_alerts_plan,
)
from cloudtrail_logging.plan.archive import (
    access_log_plan,
    bucket_plan,
    log_key_plan,
    notifications_plan,
    replication_plan,
)
from cloudtrail_logging.plan.limits import plan_problems
from cloudtrail_logging.plan.messaging import messaging_key_plan
from cloudtrail_logging.plan.organization import guardrail_plan, organization_plan
from cloudtrail_logging.plan.parts import Plan, TrailPlan
from cloudtrail_logging.plan.trail import trail_plan
from cloudtrail_logging.settings import ArchiveSettings, ConfigError, MemberSettings, Settings


def build_plan(settings: Settings, destination: Destination) -> Plan:
    """The whole stack as data; `destination` is where the trail delivers."""
    trail = trail_plan(settings, destination)
    if settings.role == "log-archive":
        plan = _archive_plan(settings, destination, trail)
    else:
        plan = _member_plan(settings, destination, trail)
    key = messaging_key_plan(settings, _publishers(plan), list(plan.topics))
    return replace(plan, messaging_key=key)


def _archive_plan(s: ArchiveSettings, destination: Destination, trail: TrailPlan | None) -> Plan:
    """The log archive: its buckets and keys, and the central bus the members forward to."""
    central_bus = central_bus_plan(s)
    replication = replication_plan(s)
    return Plan(
        settings=s,
        destination=destination,
        trail=trail,
        log_key=log_key_plan(s, replication),
        bucket=bucket_plan(s, replication),
        access_logs=access_log_plan(s),
        replication=replication,
        notifications=notifications_plan(s),
        central_bus=central_bus,
        cloudwatch=cloudwatch_plan(s, None),
        api_rules=api_rules_plan(s, central_bus.arn if central_bus else None, local_topic=False),
        tamper_alerts=tamper_alerts_plan(s, guardrails=False),
    )


def _member_plan(s: MemberSettings, destination: Destination, trail: TrailPlan | None) -> Plan:
    """A member account, or the management account with the organization's trail, StackSets
    and guardrails."""
    bus_arn = destination.event_bus_arn
    organization = destination.organization_id if s.organization_trail else None
    # A delegated administrator's StackSets deploy the rules (and the forwarder role of the same
    # name) to its own account like to every account of the target OUs.
    stack_sets = organization_plan(s, bus_arn, destination.account_id)
    covered = stack_sets is not None and stack_sets.call_as == DELEGATED_ADMIN
    guardrails = guardrail_plan(s, destination)
    return Plan(
        settings=s,
        destination=destination,
        trail=trail,
        cloudwatch=cloudwatch_plan(s, organization),
        api_rules=None if covered else api_rules_plan(s, bus_arn, local_topic=True),
        organization=stack_sets,
        tamper_alerts=tamper_alerts_plan(s, guardrails is not None, bus_arn),
        guardrails=guardrails,
    )


def _publishers(plan: Plan) -> list[str]:
    """The services that publish to the stack's topics and queues, under its messaging key."""
    rules_publish = (
        plan.central_bus or (plan.api_rules and plan.api_rules.topic) or plan.tamper_alerts
    )
    return [
        *([S3_SERVICE] if plan.notifications else []),
        *([CLOUDTRAIL_SERVICE] if plan.trail and plan.trail.notifications else []),
        *([CLOUDWATCH_SERVICE] if plan.cloudwatch else []),
        *([EVENTS_SERVICE] if rules_publish else []),
    ]


def checked_plan(settings: Settings, destination: Destination) -> Plan:
    """The plan, or ConfigError naming every limit it breaks; nothing is registered either way."""
    plan = build_plan(settings, destination)
    problems = plan_problems(plan)
    if problems:
        raise ConfigError(problems)
    return plan
