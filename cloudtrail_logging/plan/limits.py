"""Everything AWS would refuse at deploy time, checked on the whole plan before anything is
registered: names, policy sizes, template limits."""

from __future__ import annotations

from cloudtrail_logging.alerting.policies import (
    EVENT_BUS_POLICY_MAX_CHARS,
)
from cloudtrail_logging.archive.bucket_policy import (
    S3_POLICY_LIMIT_BYTES,
)
from cloudtrail_logging.aws import names as aws_names
from cloudtrail_logging.aws.kms import KMS_POLICY_LIMIT_BYTES
from cloudtrail_logging.aws.policy_json import policy_size
from cloudtrail_logging.integrity.selector_rules import selector_problems
from cloudtrail_logging.organization.service_control_policy import SCP_MAX_CHARS
from cloudtrail_logging.plan.parts import (
    Plan,
)
from cloudtrail_logging.schema import NAMESPACE


def _names(plan: Plan) -> list[tuple[str, str, str]]:
    """(kind, name, config key it derives from) of every name the plan gives AWS."""
    prefix = "namePrefix"
    found: list[tuple[str, str, str]] = []
    if plan.trail is not None:
        found.append(("cloudtrail-trail", plan.trail.name, "trailName"))
    for topic in plan.topics:
        found.append(("sns-topic", topic.name, prefix))
        if topic.queue:
            found.append(("sqs-queue", topic.queue.name, prefix))
    if plan.notifications and plan.notifications.queue:
        found.append(("sqs-queue", plan.notifications.queue.name, prefix))
    for key in (plan.log_key, plan.messaging_key, plan.cloudwatch.key if plan.cloudwatch else None):
        if key is not None:
            found.append(("kms-alias", key.alias, prefix))
    if plan.cloudwatch:
        cw = plan.cloudwatch
        if cw.role is not None:  # else the existing trail's group, checked in settings
            found += [("log-group", cw.log_group_name, prefix), ("iam-role", cw.role.name, prefix)]
        for alarm in cw.alarms:
            found += [
                ("metric-filter", alarm.filter_name, prefix),
                ("cloudwatch-alarm", alarm.alarm_name, prefix),
            ]
    if plan.api_rules:
        for rule in plan.api_rules.rules:
            found.append(("eventbridge-rule", rule.name, "apiAlerts"))
        if plan.api_rules.forwarder:
            found.append(("iam-role", plan.api_rules.forwarder.name, prefix))
    if plan.organization:
        org = plan.organization
        found += [("stack-set", org.stack_set_name, prefix),
                  ("stack-set", org.role_stack_set_name, prefix)]  # fmt: skip
    if plan.replication:
        found += [
            ("iam-role", plan.replication.role.name, prefix),
            ("kms-alias", plan.replication.key_alias, prefix),
        ]
    if plan.central_bus:
        found += [
            ("eventbridge-bus", plan.central_bus.name, prefix),
            ("eventbridge-rule", plan.central_bus.rule_name, prefix),
        ]
    if plan.tamper_alerts:
        found += [("eventbridge-rule", r.name, prefix) for r in plan.tamper_alerts.rules]
        if plan.tamper_alerts.forwarder:
            found.append(("iam-role", plan.tamper_alerts.forwarder.name, prefix))
    return found


def plan_problems(plan: Plan) -> list[str]:
    """Everything AWS would refuse at deploy time, as one-line config errors."""
    s = plan.settings
    problems = []
    for kind, name, key in _names(plan):
        problem = aws_names.check_name(kind, name)
        if problem is not None:
            problems.append(
                f"{NAMESPACE}:{key}: expected a value that gives a valid {kind} name; {name!r}: "
                f"{problem}"
            )
    if plan.bucket is not None and s.role == "log-archive":
        size = policy_size(plan.bucket.policy)
        if size > S3_POLICY_LIMIT_BYTES:
            problems.append(
                f"{NAMESPACE}:memberAccounts: expected at most as many accounts as fit S3's 20 KB "
                f"bucket policy limit (this list makes {size} bytes); use an organization trail "
                "beyond that"
                + (", or bucketPolicyForm policy-variable" if s.per_account_policy else "")
            )
    bus_policy = plan.central_bus.policy if plan.central_bus else None
    if bus_policy is not None and policy_size(bus_policy) > EVENT_BUS_POLICY_MAX_CHARS:
        problems.append(
            f"{NAMESPACE}:memberAccounts: expected a list the central event bus policy can hold "
            f"({EVENT_BUS_POLICY_MAX_CHARS} characters, it makes {policy_size(bus_policy)}), or "
            "organizationId set so the bus admits the organization"
        )
    if s.role == "member" and s.guardrails is not None and plan.guardrails is None:
        problems.append(
            f"{NAMESPACE}:guardrailPolicy: expected a log-archive stack that exports "
            "archiveAdministrators (the guardrail policy names them); update that stack first"
        )
    if plan.guardrails is not None and policy_size(plan.guardrails.content) > SCP_MAX_CHARS:
        problems.append(
            f"{NAMESPACE}:guardrailPrincipals: expected a guardrail policy within the "
            f"{SCP_MAX_CHARS}-character SCP limit (it makes {policy_size(plan.guardrails.content)}"
            "); name fewer principals, or patterns that cover several"
        )
    archive_scp = plan.guardrails.archive_content if plan.guardrails else None
    if archive_scp is not None and policy_size(archive_scp) > SCP_MAX_CHARS:
        problems.append(
            f"{NAMESPACE}:guardrailPolicy: expected the archive's guardrail policy within the "
            f"{SCP_MAX_CHARS}-character SCP limit (it makes {policy_size(archive_scp)}); name "
            "fewer archive administrators or log readers in the log-archive stack"
        )
    if plan.trail is not None:
        problems += [
            f"{NAMESPACE}:networkActivityEventSources: expected trail selectors CloudTrail "
            f"accepts; {problem}"
            for problem in selector_problems(plan.trail.advanced_event_selectors)
        ]
    if plan.log_key is not None and policy_size(plan.log_key.policy) > KMS_POLICY_LIMIT_BYTES:
        problems.append(
            f"{NAMESPACE}:memberAccounts: expected a list whose key policy fits 32 KB (it makes "
            f"{policy_size(plan.log_key.policy)} bytes)"
        )
    return problems
