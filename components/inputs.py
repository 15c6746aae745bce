"""Reading the stack's inputs from Pulumi: its config, and the log archive's stack outputs.

Both are validated before the program registers any resource it deploys: a bad value stops
the run with an error naming the key (or stack output) and the expected form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.runtime import config as runtime_config
from pulumi.runtime.sync_await import _sync_await

from cloudtrail_logging.naming import ACCOUNT_PATTERN, BUCKET_NAME_PATTERN, TRAIL_NAME_PATTERN
from cloudtrail_logging.raw_config import ConfigError
from cloudtrail_logging.settings import (
    EVENT_BUS_ARN_PATTERN,
    KMS_KEY_ARN_PATTERN,
    NAMESPACE,
    Settings,
    parse_settings,
)


def config_values() -> tuple[dict[str, Any], dict[str, Any]]:
    """Every set config value of the project namespace and of `aws`, keyed by short name."""
    merged = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    project: dict[str, Any] = {}
    aws: dict[str, Any] = {}
    for full_key, value in merged.items():
        namespace, _, key = full_key.partition(":")
        if namespace == NAMESPACE:
            project[key] = value
        elif namespace == "aws":
            aws[key] = value
    return project, aws


def load_settings() -> Settings:
    project, aws = config_values()
    return parse_settings(project, aws)


@dataclass(frozen=True)
class Destination:
    """The central log bucket a trail delivers to."""

    bucket_name: str
    account_id: str
    trail_name: str
    key_prefix: str | None
    kms_key_arn: str | None
    organization_id: str | None = None
    event_bus_arn: str | None = None


# Stack outputs a log-archive stack exports for its members: (pattern, expected form).
ARCHIVE_OUTPUTS = {
    "logBucketName": (BUCKET_NAME_PATTERN, "an S3 bucket name"),
    "logArchiveAccountId": (ACCOUNT_PATTERN, "a 12-digit account id"),
    "trailName": (TRAIL_NAME_PATTERN, "a CloudTrail trail name"),
}


def destination_from_outputs(
    stack: str, outputs: dict[str, Any] | None, settings: Settings
) -> Destination:
    """Validate a log-archive stack's outputs for this member, or raise ConfigError."""
    problems: list[str] = []
    where = f"{NAMESPACE}:centralStack ({stack})"
    if not outputs:
        raise ConfigError(
            [f"{where}: expected a deployed log-archive stack with outputs; "
             "run `pulumi up` on it first"]
        )
    for key, (pattern, expected) in ARCHIVE_OUTPUTS.items():
        value = outputs.get(key)
        if not isinstance(value, str) or not re.fullmatch(pattern, value):
            problems.append(f"{where}: output {key}: expected {expected} (got {value!r})")
    kms = outputs.get("kmsKeyArn") or None
    if kms is not None and not re.fullmatch(KMS_KEY_ARN_PATTERN, str(kms)):
        problems.append(f"{where}: output kmsKeyArn: expected a KMS key ARN or '' (got {kms!r})")
    bus = outputs.get("eventBusArn") or None
    if bus is not None and not re.fullmatch(EVENT_BUS_ARN_PATTERN, str(bus)):
        problems.append(
            f"{where}: output eventBusArn: expected an EventBridge bus ARN (got {bus!r})"
        )
    members = outputs.get("memberAccounts")
    admitted = (members if isinstance(members, list) else []) + [
        outputs.get("managementAccountId")
    ]
    if settings.account_id not in admitted:
        problems.append(
            f"{where}: output memberAccounts: expected a list including this account "
            f"{settings.account_id}; add it to the log-archive stack's memberAccounts and "
            "update that stack first"
        )
    trail = outputs.get("trailName")
    if isinstance(trail, str) and trail != settings.trail_name:
        problems.append(
            f"{NAMESPACE}:trailName: expected {trail!r}, the name the log archive admits "
            f"(got {settings.trail_name!r})"
        )
    organization = outputs.get("organizationId") or None
    if settings.organization_trail and (
        organization is None or outputs.get("managementAccountId") != settings.account_id
    ):
        problems.append(
            f"{NAMESPACE}:organizationTrail: expected only in the management account that the "
            f"log-archive stack names (managementAccountId {outputs.get('managementAccountId')!r},"
            f" this account {settings.account_id})"
        )
    if problems:
        raise ConfigError(problems)
    return Destination(
        bucket_name=outputs["logBucketName"],
        account_id=outputs["logArchiveAccountId"],
        trail_name=outputs["trailName"],
        key_prefix=outputs.get("s3KeyPrefix") or None,
        kms_key_arn=kms,
        organization_id=organization,
        event_bus_arn=bus,
    )


def resolve_destination(settings: Settings) -> Destination:
    """Where this member delivers: explicit config, or the log-archive stack's outputs.

    The StackReference is only a read; its outputs are awaited here so that a wrong or
    missing log archive stops the run before anything is deployed.
    """
    central = settings.central
    assert central is not None, "member stacks always have a central archive"
    if central.stack is None:
        if settings.organization_trail:
            raise ConfigError(
                [f"{NAMESPACE}:organizationTrail: expected centralStack, so the organization "
                 "id and management account come from the log-archive stack"]
            )
        return Destination(
            bucket_name=central.bucket_name or "",
            account_id=central.account_id or "",
            trail_name=settings.trail_name,
            key_prefix=None,
            kms_key_arn=central.kms_key_arn,
            event_bus_arn=central.event_bus_arn,
        )
    reference = pulumi.StackReference("log-archive", stack_name=central.stack)
    outputs = _sync_await(reference.outputs.future())
    return destination_from_outputs(central.stack, outputs, settings)
