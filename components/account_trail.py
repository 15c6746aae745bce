"""A multi-region account trail delivering to a log bucket, with optional SNS fan-out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.bucket_policy import trail_arn_pattern
from cloudtrail_logging.naming import CLOUDTRAIL_SERVICE
from cloudtrail_logging.resource_policies import Sender
from cloudtrail_logging.settings import Fanout
from components import TYPE_PREFIX
from components.topic_fanout import TopicFanout


class AccountTrailArgs(TypedDict):
    """Inputs of an AccountTrail."""

    trail_name: str
    bucket_name: pulumi.Input[str]
    partition: str
    region: str
    account_id: str
    delivery_ready: Sequence[pulumi.Resource]
    """Resources that must exist before CloudTrail checks its access: the bucket policy
    (else InsufficientS3BucketPolicyException) and, for a same-account bucket, the key."""
    key_prefix: NotRequired[str | None]
    organization_trail: NotRequired[bool]
    """An organization trail: only in the management account, for every account."""
    kms_key_arn: NotRequired[pulumi.Input[str] | None]
    notifications: NotRequired[Fanout]
    messaging_key_arn: NotRequired[pulumi.Input[str] | None]
    cloud_watch_logs_group_arn: NotRequired[pulumi.Input[str] | None]
    cloud_watch_logs_role_arn: NotRequired[pulumi.Input[str] | None]
    cloud_watch_ready: NotRequired[Sequence[pulumi.Resource]]


class AccountTrail(pulumi.ComponentResource):
    """Management events from every region, global services included, with digest files."""

    trail: aws.cloudtrail.Trail
    notifications: TopicFanout | None

    def __init__(
        self, name: str, args: AccountTrailArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(f"{TYPE_PREFIX}:AccountTrail", name, None, opts)
        partition, region, account = args["partition"], args["region"], args["account_id"]
        trail_name = args["trail_name"]
        ready = list(args["delivery_ready"]) + list(args.get("cloud_watch_ready", ()))
        self.notifications = None
        fanout = args.get("notifications")
        topic_name: pulumi.Input[str] | None = None
        if fanout is not None and fanout.enabled:
            messaging_key = args.get("messaging_key_arn")
            if messaging_key is None:
                raise ValueError("trail notifications need messaging_key_arn")
            self.notifications = TopicFanout(
                f"{name}-notifications",
                {
                    "topic_name": f"{trail_name}-log-delivery",
                    "partition": partition,
                    "region": region,
                    "account_id": account,
                    "kms_key_arn": messaging_key,
                    "senders": [
                        Sender(
                            CLOUDTRAIL_SERVICE,
                            trail_arn_pattern(partition, trail_name, account),
                            "AllowTrailNotifications",
                        )
                    ],
                    "queue": "sqs" in fanout.targets,
                    "lambda_arn": fanout.lambda_arn,
                },
                pulumi.ResourceOptions(parent=self),
            )
            topic_name = self.notifications.topic.name
            # Else CreateTrail fails with InsufficientSnsTopicPolicyException.
            ready += self.notifications.ready
        self.trail = aws.cloudtrail.Trail(
            f"{name}-trail",
            name=trail_name,
            s3_bucket_name=args["bucket_name"],
            s3_key_prefix=args.get("key_prefix"),
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            enable_logging=True,
            is_organization_trail=args.get("organization_trail", False),
            kms_key_id=args.get("kms_key_arn"),
            sns_topic_name=topic_name,
            cloud_watch_logs_group_arn=args.get("cloud_watch_logs_group_arn"),
            cloud_watch_logs_role_arn=args.get("cloud_watch_logs_role_arn"),
            opts=pulumi.ResourceOptions(parent=self, depends_on=ready),
        )
        self.register_outputs({"trailName": self.trail.name})
