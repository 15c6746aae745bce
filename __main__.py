"""cloudtrail-logging: one stack per AWS account.

A log-archive stack holds the central bucket, keys, trail and event bus; a member's trail
delivers into that bucket. The config (and a member's view of the log archive) is validated and
the whole stack planned before any resource is registered: a problem stops the run, one line each.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

import pulumi
from pulumi_aws import get_caller_identity
from pulumi_aws.cloudwatch import get_log_group
from pulumi_aws.iam import get_role, get_session_context
from pulumi_aws.organizations import get_delegated_administrators, get_organization

from cloudtrail_logging.archive.trust import archive_role_problems
from cloudtrail_logging.landing_zone import (
    DELEGATED_ADMIN,
    STACKSETS_SERVICE_PRINCIPAL,
    stack_set_caller_problem,
)
from cloudtrail_logging.outputs import destination_from_outputs as from_outputs
from cloudtrail_logging.outputs import explicit_destination, local_destination
from cloudtrail_logging.plan import checked_plan
from cloudtrail_logging.plan.parts import Plan
from cloudtrail_logging.settings import (
    ArchiveSettings,
    ConfigError,
    MemberSettings,
    Settings,
    parse_settings,
)
from components import (
    AccountTrail,
    ApiCallRules,
    CentralBus,
    CloudWatchAlerts,
    LogArchive,
    ManagedKey,
    OrganizationGuardrails,
    OrganizationRules,
    TamperAlerts,
)

# The engine's builtin read of stack outputs (pulumi/pulumi pkg/resource/deploy/builtins.go).
READ_STACK_OUTPUTS = "pulumi:pulumi:readStackOutputs"


def deploying_principal() -> str:
    """The IAM role (path included) or user that runs `pulumi up`: the caller identity, and for
    a role session the role it is a session of (the provider's session-context data source)."""
    return get_session_context(arn=get_caller_identity().arn).issuer_arn


@cache
def organization() -> Any:
    return get_organization()


def check_management_account(settings: MemberSettings) -> None:
    """The guardrail policy can only be created by the organization's management account."""
    if settings.guardrails is not None:
        management = organization().master_account_id
        if management != settings.account_id:
            raise ConfigError([
                f"cloudtrail-logging:guardrailPolicy: expected only on the stack of the "
                f"organization's management account {management} (this stack's account is "
                f"{settings.account_id})"
            ])  # fmt: skip


def role_trust(name: str) -> str | None:
    """The trust policy of this account's role `name`, None when iam:GetRole finds none."""
    try:
        return get_role(name=name).assume_role_policy
    except Exception:  # the provider reports a missing role (or a refused read) as a failure
        return None


def check_archive_roles(settings: ArchiveSettings) -> None:
    """Only the principals the archive names can assume the roles it names."""
    problems = archive_role_problems(
        account_id=settings.account_id,
        administrator_arns=settings.administrator_arns,
        reader_arns=settings.log_readers,
        defaulted=settings.administrators_defaulted,
        trust_of=role_trust,
    )
    if problems:
        raise ConfigError(problems)


def check_stack_set_caller(settings: Settings) -> None:
    """DELEGATED_ADMIN only from a registered delegated administrator, never the management
    account (CreateStackSet, CallAs)."""
    if settings.role != "member" or settings.stack_set_call_as != DELEGATED_ADMIN:
        return
    registered: list[str] | None = None
    management: str | None = None
    try:  # ListDelegatedAdministrators refuses an account that is neither
        found = get_delegated_administrators(service_principal=STACKSETS_SERVICE_PRINCIPAL)
        registered = [a.id for a in found.delegated_administrators]
        management = organization().master_account_id
    except Exception:  # the provider reports a refused read as a failure
        pass
    problem = stack_set_caller_problem(
        account_id=settings.account_id, management_account_id=management, registered=registered
    )
    if problem is not None:
        raise ConfigError([f"cloudtrail-logging:stackSetCallAs: expected {problem}"])


def with_existing_log_group(settings: Settings) -> Settings:
    """The existing trail's log group, read at preview (its metric filters would fail at deploy
    time on a group that does not exist); its retention goes into the stack outputs."""
    trail = settings.existing_trail
    if trail is None or trail.log_group_name is None:
        return settings
    try:
        retention = get_log_group(name=trail.log_group_name).retention_in_days
    except Exception:  # the provider reports a missing group (or a refused read) as a failure
        raise ConfigError([
            f"cloudtrail-logging:existingTrailLogGroupName: expected a CloudWatch Logs group of "
            f"{settings.account_id} in {settings.region} (got {trail.log_group_name!r}, which "
            "could not be read)"
        ]) from None  # fmt: skip
    return replace(settings, existing_trail=replace(trail, log_group_retention_days=retention))


def plan_stack() -> Plan:
    """Read the config and a member's view of the archive (public `invoke`); plan the stack."""
    settings = parse_settings(
        pulumi.runtime.get_config_env(),
        deployer=deploying_principal,
        secret_keys=pulumi.runtime.get_config_secret_keys_env(),
    )
    settings = with_existing_log_group(settings)
    check_stack_set_caller(settings)
    if settings.role == "log-archive":
        check_archive_roles(settings)
        return checked_plan(settings, local_destination(settings))
    stack = settings.central.stack
    if stack is not None:
        read = pulumi.runtime.invoke(READ_STACK_OUTPUTS, {"name": stack})
        outputs: dict[str, Any] = dict(read.value or {}).get("outputs") or {}
        destination = from_outputs(stack, outputs, settings)
    else:
        destination = explicit_destination(settings)
    check_management_account(settings)
    return checked_plan(settings, destination)


def deploy(plan: Plan) -> dict[str, Any]:
    """Wire the plan; returns the outputs that only exist once resources do."""
    messaging = ManagedKey("messaging", plan.messaging_key) if plan.messaging_key else None
    messaging_arn = messaging.arn if messaging else None
    bucket_name: pulumi.Input[str] = plan.destination.bucket_name
    delivery_ready: list[pulumi.Resource] = []  # a member's bucket policy is the archive's
    log_key, replica_key_arn = None, None
    if plan.bucket is not None:
        archive = LogArchive("archive", plan, messaging_key_arn=messaging_arn)
        bucket_name, delivery_ready = archive.bucket_name, archive.delivery_ready
        log_key, replica_key_arn = archive.log_key, archive.replica_key_arn
    bus_arn = None  # this stack's own bus, which its rules must wait for
    if plan.central_bus is not None and messaging_arn is not None:
        bus_arn = CentralBus(
            "central-bus", plan.central_bus, messaging_key_arn=messaging_arn
        ).bus_arn
    if plan.api_rules is not None:
        rules = plan.api_rules
        ApiCallRules("api-calls", rules, messaging_key_arn=messaging_arn, central_bus_arn=bus_arn)
    if plan.tamper_alerts is not None and messaging_arn is not None:
        TamperAlerts("tamper", plan.tamper_alerts, messaging_key_arn=messaging_arn)
    cloudwatch = None  # the trail streams to it
    if plan.cloudwatch is not None and messaging_arn is not None:
        watch = plan.cloudwatch
        cloudwatch = CloudWatchAlerts("cloudwatch", watch, messaging_key_arn=messaging_arn)
    if plan.organization is not None:  # StackSets target the given OUs, or the root
        units = list(plan.organization.organizational_unit_ids) or [organization().roots[0].id]
        OrganizationRules("organization-rules", plan.organization, organizational_unit_ids=units)
    if plan.guardrails is not None:  # attached to the given OUs, or the root
        targets = list(plan.guardrails.target_ids) or [organization().roots[0].id]
        OrganizationGuardrails("guardrails", plan.guardrails, target_ids=targets)
    if plan.trail is not None:  # else an existing organization trail records this account
        AccountTrail(
            "account",
            plan.trail,
            bucket_name=bucket_name,
            delivery_ready=delivery_ready,
            kms_key_arn=log_key.arn if log_key else None,
            messaging_key_arn=messaging_arn,
            cloudwatch=cloudwatch,
            # The archive's own trail and an organization's trail: deleting either silences
            # many accounts' worth of evidence, so it takes an explicit `pulumi state unprotect`.
            protect=plan.bucket is not None or plan.trail.organization,
        )
    outputs: dict[str, Any] = {"kmsKeyArn": log_key.arn} if log_key else {}
    if replica_key_arn is not None:
        outputs["replicaKmsKeyArn"] = replica_key_arn
    return outputs


try:
    stack_plan = plan_stack()
except ConfigError as error:
    # A clean stop, one line per problem: the SDK logs a RunError without a traceback.
    raise pulumi.RunError(str(error)) from None
stack_settings = stack_plan.settings
if stack_settings.role == "log-archive" and stack_settings.administrators_defaulted:
    pulumi.log.warn(
        "cloudtrail-logging:archiveAdministrators is not set: the deploying principal "
        f"{stack_settings.administrator_arns[0]} alone administers the archive. Set it, so "
        "that a deployment by another principal does not change who does."
    )
for name, value in {**stack_plan.static_outputs(), **deploy(stack_plan)}.items():
    pulumi.export(name, value)
