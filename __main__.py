"""cloudtrail-logging: one stack per AWS account.

A log-archive stack holds the central bucket (and key), its own trail and the central event bus;
a member stack's trail delivers into that bucket. Both stream their trail to CloudWatch Logs for
metric alarms and watch API calls with EventBridge. Settings are validated before any resource
is registered.
"""

from __future__ import annotations

from typing import Any

import pulumi

from cloudtrail_logging.key_policy import log_key_policy, messaging_key_policy
from cloudtrail_logging.naming import logs_prefix
from cloudtrail_logging.settings import Settings
from components.account_trail import AccountTrail, AccountTrailArgs
from components.api_call_rules import ApiCallRules
from components.bucket_notifications import BucketNotifications
from components.central_bus import CentralBus
from components.cloudwatch_alerts import CloudWatchAlerts
from components.inputs import load_settings, resolve_destination
from components.keys import ManagedKey
from components.log_bucket import LogBucket


def messaging_key(settings: Settings, publishers: list[str]) -> ManagedKey | None:
    """The key for this stack's SNS topics and SQS queues, when it has any."""
    if settings.alerting.enabled:
        publishers = [*publishers, "cloudwatch.amazonaws.com", "events.amazonaws.com"]
    if not publishers:
        return None
    return ManagedKey(
        "messaging",
        {
            "description": "Encrypts cloudtrail-logging notification topics and queues",
            "alias": f"alias/{settings.name_prefix}-messaging",
            "policy": messaging_key_policy(
                partition=settings.partition,
                account_id=settings.account_id,
                publishers=[*publishers, "sns.amazonaws.com"],
            ),
        },
    )


def account_context(settings: Settings) -> dict[str, Any]:
    return {
        "name_prefix": settings.name_prefix,
        "partition": settings.partition,
        "region": settings.region,
        "account_id": settings.account_id,
    }


def alerts(
    settings: Settings,
    messaging: ManagedKey | None,
    *,
    central_bus_arn: pulumi.Input[str] | None,
    local_topic: bool,
    organization_id: str | None = None,
) -> dict[str, Any]:
    """CloudWatch Logs alarms and EventBridge rules; returns the trail's CloudWatch wiring."""
    alerting = settings.alerting
    if not alerting.enabled or messaging is None:
        return {}
    if alerting.api_alerts:
        ApiCallRules(
            "api-calls",
            {
                **account_context(settings),  # type: ignore[typeddict-item]
                "alerts": alerting.api_alerts,
                "alert_regions": alerting.alert_regions,
                "central_bus_arn": central_bus_arn,
                "local_topic": local_topic,
                "messaging_key_arn": messaging.arn,
                "alert_email": alerting.alert_email,
                "alert_lambda_arn": alerting.alert_lambda_arn,
            },
        )
    watch = CloudWatchAlerts(
        "cloudwatch",
        {
            **account_context(settings),  # type: ignore[typeddict-item]
            "alerting": alerting,
            "messaging_key_arn": messaging.arn,
            "organization_id": organization_id,
        },
    )
    return {
        "cloud_watch_logs_group_arn": watch.log_group_arn,
        "cloud_watch_logs_role_arn": watch.role_arn,
        "cloud_watch_ready": watch.ready,
    }


def log_archive(settings: Settings) -> None:
    log_key = None
    if settings.encryption == "sse-kms":
        log_key = ManagedKey(
            "log-key",
            {
                "description": "Encrypts CloudTrail logs in the central log archive",
                "alias": f"alias/{settings.name_prefix}-logs",
                "policy": log_key_policy(
                    partition=settings.partition,
                    key_account=settings.account_id,
                    writer_accounts=settings.writer_accounts,
                    trail_name=settings.trail_name,
                    reader_arns=settings.log_readers,
                ),
            },
        )
    publishers = ["s3.amazonaws.com"] if settings.bucket_notifications.enabled else []
    publishers += ["cloudtrail.amazonaws.com"] if settings.trail_notifications.enabled else []
    messaging = messaging_key(settings, publishers)
    archive = LogBucket(
        "log-archive",
        {
            "bucket_name": settings.log_bucket_name or "",
            "partition": settings.partition,
            "writer_accounts": settings.writer_accounts,
            "trail_name": settings.trail_name,
            "lifecycle": settings.lifecycle,
            "key_prefix": settings.s3_key_prefix,
            "kms_key_arn": log_key.arn if log_key else None,
            "reader_arns": settings.log_readers,
            "organization_id": settings.organization_id,
            "management_account_id": settings.management_account_id,
        },
    )
    if settings.bucket_notifications.enabled and messaging is not None:
        BucketNotifications(
            "log-objects",
            {
                **account_context(settings),  # type: ignore[typeddict-item]
                "bucket": archive.bucket_name,
                "bucket_name": settings.log_bucket_name or "",
                "kms_key_arn": messaging.arn,
                "fanout": settings.bucket_notifications,
                "filter_prefix": logs_prefix(settings.s3_key_prefix),
            },
        )
    bus = None
    if settings.alerting.api_alerts and messaging is not None:
        bus = CentralBus(
            "central-bus",
            {
                **account_context(settings),  # type: ignore[typeddict-item]
                "messaging_key_arn": messaging.arn,
                "member_account_ids": [a for a in settings.writer_accounts
                                       if a != settings.account_id],
                "organization_id": settings.organization_id,
                "alert_email": settings.alerting.alert_email,
                "alert_lambda_arn": settings.alerting.alert_lambda_arn,
            },
        )
    trail_args: AccountTrailArgs = {
        "trail_name": settings.trail_name,
        "bucket_name": archive.bucket_name,
        "partition": settings.partition,
        "region": settings.region,
        "account_id": settings.account_id,
        "delivery_ready": [archive.policy, *([log_key.key] if log_key else [])],
        "key_prefix": settings.s3_key_prefix,
        "kms_key_arn": log_key.arn if log_key else None,
        "notifications": settings.trail_notifications,
        "messaging_key_arn": messaging.arn if messaging else None,
    }
    trail_args.update(  # type: ignore[typeddict-item]
        alerts(settings, messaging, central_bus_arn=bus.bus_arn if bus else None,
               local_topic=False)
    )
    AccountTrail("account", trail_args)
    # The contract member stacks read through their StackReference.
    pulumi.export("logBucketName", archive.bucket_name)
    pulumi.export("logArchiveAccountId", settings.account_id)
    pulumi.export("trailName", settings.trail_name)
    pulumi.export("s3KeyPrefix", settings.s3_key_prefix or "")
    pulumi.export("kmsKeyArn", log_key.arn if log_key else "")
    pulumi.export("memberAccounts", list(settings.member_accounts))
    pulumi.export("organizationId", settings.organization_id or "")
    pulumi.export("managementAccountId", settings.management_account_id or "")
    pulumi.export("eventBusArn", bus.bus_arn if bus else "")
    pulumi.export("partition", settings.partition)


def member(settings: Settings) -> None:
    destination = resolve_destination(settings)
    publishers = ["cloudtrail.amazonaws.com"] if settings.trail_notifications.enabled else []
    messaging = messaging_key(settings, publishers)
    trail_args: AccountTrailArgs = {
        "trail_name": destination.trail_name,
        "bucket_name": destination.bucket_name,
        "partition": settings.partition,
        "region": settings.region,
        "account_id": settings.account_id,
        "delivery_ready": [],  # the bucket policy lives in the log-archive stack
        "key_prefix": destination.key_prefix,
        "organization_trail": settings.organization_trail,
        "kms_key_arn": destination.kms_key_arn,
        "notifications": settings.trail_notifications,
        "messaging_key_arn": messaging.arn if messaging else None,
    }
    organization = destination.organization_id if settings.organization_trail else None
    trail_args.update(  # type: ignore[typeddict-item]
        alerts(settings, messaging, central_bus_arn=destination.event_bus_arn,
               local_topic=True, organization_id=organization)
    )
    trail = AccountTrail("account", trail_args)
    pulumi.export("trailName", trail.trail.name)
    pulumi.export("logBucketName", destination.bucket_name)
    pulumi.export("logArchiveAccountId", destination.account_id)


settings = load_settings()
if settings.role == "log-archive":
    log_archive(settings)
else:
    member(settings)
