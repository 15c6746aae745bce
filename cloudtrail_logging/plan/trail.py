"""The trail's part of a plan."""

from __future__ import annotations

from typing import Any

from cloudtrail_logging.archive.bucket_policy import (
    trail_arn_pattern,
)
from cloudtrail_logging.aws import (
    CLOUDTRAIL_SERVICE,
)
from cloudtrail_logging.aws.arns import (
    trail_arn,
)
from cloudtrail_logging.integrity.network_activity import network_activity_selectors
from cloudtrail_logging.integrity.trail_selectors import (
    archive_data_selectors,
    existing_archive_selectors,
    insight_selectors,
    management_selector,
)
from cloudtrail_logging.messaging.resource_policies import Sender
from cloudtrail_logging.outputs import Destination
from cloudtrail_logging.plan.messaging import (
    fanout_topic_plan,
)
from cloudtrail_logging.plan.parts import (
    TrailPlan,
)
from cloudtrail_logging.settings import Settings


def trail_selectors(s: Settings) -> tuple[dict[str, Any], ...]:
    """The trail's advanced event selectors; empty: every management event, CloudTrail's default.

    Management events unless an existing organization trail records them; who reads or changes
    the archive (its own bucket, and an existing one) on the log archive's trail; network
    activity events per chosen source.
    """
    selectors: list[dict[str, Any]] = []
    if s.role == "log-archive" and s.existing_archive_bucket is not None:
        selectors = existing_archive_selectors(
            partition=s.partition, existing_bucket=s.existing_archive_bucket,
            own_bucket=s.log_bucket_name,
        )  # fmt: skip
    elif s.role == "log-archive" and s.integrity.log_access_data_events:
        selectors = archive_data_selectors(partition=s.partition, bucket=s.log_bucket_name)
    selectors += network_activity_selectors(s.network_activity)
    if selectors and not s.data_events_only:
        selectors.insert(0, management_selector())
    return tuple(selectors)


def trail_plan(s: Settings, d: Destination) -> TrailPlan | None:
    """The stack's trail; None when an existing organization trail records this member."""
    if not s.creates_trail:
        return None
    notifications = None
    if s.trail_notifications.enabled:
        notifications = fanout_topic_plan(
            s,
            f"{s.name_prefix}-log-delivery",
            Sender(
                CLOUDTRAIL_SERVICE,
                trail_arn_pattern(s.partition, d.trail_name, s.account_id),
                "AllowTrailNotifications",
            ),
            s.trail_notifications,
        )
    return TrailPlan(
        name=d.trail_name,
        arn=trail_arn(s.partition, s.region, s.account_id, d.trail_name),
        bucket_name=d.bucket_name,
        key_prefix=d.key_prefix,
        local_key=s.role == "log-archive" and s.encryption == "sse-kms",
        kms_key_arn=d.kms_key_arn if s.role == "member" else None,
        organization=s.role == "member" and s.organization_trail,
        notifications=notifications,
        advanced_event_selectors=trail_selectors(s),
        insight_selectors=tuple(insight_selectors(s.insights)),
        import_id=s.adopt.trail_arn,
    )
