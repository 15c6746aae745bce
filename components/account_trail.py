"""A multi-region trail delivering to a log bucket, with optional SNS fan-out and log streaming."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.plan.parts import TrailPlan
from components.cloudwatch_alerts import CloudWatchAlerts
from components.component import Component
from components.topic_fanout import TopicFanout


class AccountTrail(Component, type_name="AccountTrail"):
    """Management events from every region, global services included, with digest files;
    optionally data events on the log archive and Insights."""

    trail: aws.cloudtrail.Trail
    notifications: TopicFanout | None

    def __init__(
        self,
        name: str,
        plan: TrailPlan,
        *,
        bucket_name: pulumi.Input[str],
        delivery_ready: Sequence[pulumi.Resource],
        kms_key_arn: pulumi.Input[str] | None = None,
        messaging_key_arn: pulumi.Input[str] | None = None,
        cloudwatch: CloudWatchAlerts | None = None,
        protect: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`delivery_ready`: what CloudTrail checks at CreateTrail, e.g. the bucket policy (else
        InsufficientS3BucketPolicyException) and, for a bucket of this stack, its key. `protect`
        keeps `pulumi destroy` from deleting the trail itself."""
        super().__init__(name, opts)
        ready = list(delivery_ready)
        self.notifications = None
        topic_name: pulumi.Input[str] | None = None
        if plan.notifications is not None:
            if messaging_key_arn is None:
                raise ValueError("trail notifications need messaging_key_arn")
            self.notifications = TopicFanout(
                f"{name}-notifications",
                plan.notifications,
                kms_key_arn=messaging_key_arn,
                opts=self.child(),
            )
            topic_name = self.notifications.topic.name
            # Else CreateTrail fails with InsufficientSnsTopicPolicyException.
            ready += self.notifications.ready
        if cloudwatch is not None:
            ready += cloudwatch.ready
        # Advanced selectors replace the default (all management events); the plan's include
        # a management selector (integrity.archive_event_selectors).
        selectors = cast(
            list[aws.cloudtrail.TrailAdvancedEventSelectorArgsDict],
            list(plan.advanced_event_selectors),
        )
        insights = cast(
            list[aws.cloudtrail.TrailInsightSelectorArgsDict], list(plan.insight_selectors)
        )
        self.trail = aws.cloudtrail.Trail(
            f"{name}-trail",
            name=plan.name,
            s3_bucket_name=bucket_name,
            s3_key_prefix=plan.key_prefix,
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            enable_logging=True,
            is_organization_trail=plan.organization,
            kms_key_id=kms_key_arn if plan.local_key else plan.kms_key_arn,
            sns_topic_name=topic_name,
            cloud_watch_logs_group_arn=cloudwatch.log_group_arn if cloudwatch else None,
            cloud_watch_logs_role_arn=cloudwatch.role_arn if cloudwatch else None,
            advanced_event_selectors=selectors or None,
            insight_selectors=insights or None,
            opts=self.child(depends_on=ready, protect=protect, import_=plan.import_id),
        )
        self.register_outputs({"trailName": self.trail.name})
