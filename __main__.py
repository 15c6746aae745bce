"""cloudtrail-logging: one stack per AWS account.

A log-archive stack holds the central bucket (and key), its own trail and the central event bus;
a member stack's trail delivers into that bucket. Both stream their trail to CloudWatch Logs for
metric alarms and watch API calls with EventBridge. The config, and for a member the log
archive's outputs, are read and validated, and the whole stack is planned, before any resource
is registered: a problem stops the run with one line per problem and nothing deployed.
"""

from __future__ import annotations

from typing import Any

import pulumi

from cloudtrail_logging.outputs import destination_from_outputs as from_outputs
from cloudtrail_logging.outputs import explicit_destination, local_destination
from cloudtrail_logging.plan import Plan, checked_plan
from cloudtrail_logging.settings import ConfigError, Settings, parse_settings
from components.account_trail import AccountTrail
from components.api_call_rules import ApiCallRules
from components.bucket_notifications import BucketNotifications
from components.central_bus import CentralBus
from components.cloudwatch_alerts import CloudWatchAlerts
from components.keys import ManagedKey
from components.log_bucket import LogBucket

# The engine's builtin read of another stack's outputs (pulumi/pulumi
# pkg/resource/deploy/builtins.go, `readStackOutputs`), through the SDK's public, synchronous
# `invoke`: the outputs are checked before any resource is registered.
READ_STACK_OUTPUTS = "pulumi:pulumi:readStackOutputs"


def plan_stack() -> Plan:
    """Read the config (as the CLI hands it over, defaults merged) and plan the stack."""
    settings: Settings = parse_settings(pulumi.runtime.get_config_env())
    if settings.role == "log-archive":
        destination = local_destination(settings)
    elif settings.central is not None and settings.central.stack is not None:
        stack = settings.central.stack
        read = pulumi.runtime.invoke(READ_STACK_OUTPUTS, {"name": stack})
        outputs: dict[str, Any] = dict(read.value or {}).get("outputs") or {}
        destination = from_outputs(stack, outputs, settings)
    else:
        destination = explicit_destination(settings)
    return checked_plan(settings, destination)


def deploy(plan: Plan) -> dict[str, Any]:
    """Wire the plan; returns the outputs that only exist once resources do."""
    messaging = ManagedKey("messaging", plan.messaging_key) if plan.messaging_key else None
    messaging_arn = messaging.arn if messaging else None
    log_key = ManagedKey("log-key", plan.log_key) if plan.log_key else None
    bucket_name: pulumi.Input[str] = plan.trail.bucket_name
    delivery_ready: list[pulumi.Resource] = []  # a member's bucket policy is the archive's
    if plan.bucket is not None:
        archive = LogBucket(
            "log-archive", plan.bucket, kms_key_arn=log_key.arn if log_key else None
        )
        bucket_name = archive.bucket_name
        delivery_ready = [archive.policy, *([log_key.key] if log_key else [])]
        if plan.notifications is not None and messaging_arn is not None:
            BucketNotifications(
                "log-objects", plan.notifications, bucket=bucket_name, kms_key_arn=messaging_arn
            )
    bus = None
    if plan.central_bus is not None and messaging_arn is not None:
        bus = CentralBus("central-bus", plan.central_bus, messaging_key_arn=messaging_arn)
    if plan.api_rules is not None:
        ApiCallRules(
            "api-calls",
            plan.api_rules,
            messaging_key_arn=messaging_arn,
            central_bus_arn=bus.bus_arn if bus else None,
        )
    cloudwatch = None
    if plan.cloudwatch is not None and messaging_arn is not None:
        cloudwatch = CloudWatchAlerts(
            "cloudwatch", plan.cloudwatch, messaging_key_arn=messaging_arn
        )
    AccountTrail(
        "account",
        plan.trail,
        bucket_name=bucket_name,
        delivery_ready=delivery_ready,
        kms_key_arn=log_key.arn if log_key else None,
        messaging_key_arn=messaging_arn,
        cloudwatch=cloudwatch,
    )
    return {"kmsKeyArn": log_key.arn} if log_key else {}


try:
    stack_plan = plan_stack()
except ConfigError as error:
    # A clean, one-line-per-problem stop: the SDK logs a RunError without a traceback.
    raise pulumi.RunError(str(error)) from None
for name, value in {**stack_plan.static_outputs(), **deploy(stack_plan)}.items():
    pulumi.export(name, value)
