"""S3 event notifications from the log bucket to one SNS topic (with fan-out), queue or function."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.aws import S3_SERVICE
from cloudtrail_logging.plan.parts import NotificationsPlan
from components.component import Component
from components.invoke_permission import invoke_permission
from components.queues import encrypted_queue
from components.topic_fanout import TopicFanout


class BucketNotifications(Component, type_name="BucketNotifications"):
    """One S3 notification configuration; its destination admits only this bucket."""

    def __init__(
        self,
        name: str,
        plan: NotificationsPlan,
        *,
        bucket: pulumi.Input[str],
        kms_key_arn: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`bucket` is the bucket's name as an output of the bucket (carries the dependency)."""
        super().__init__(name, opts)
        base: dict[str, Any] = {"events": list(plan.events), "filter_prefix": plan.filter_prefix}
        destinations: dict[str, Any] = {}
        ready: list[pulumi.Resource] = []
        self.topic: TopicFanout | None = None
        if plan.topic is not None:
            self.topic = TopicFanout(
                f"{name}-fanout",
                plan.topic,
                kms_key_arn=kms_key_arn,
                opts=self.child(),
            )
            destinations["topics"] = [{**base, "topic_arn": self.topic.topic_arn}]
            ready += self.topic.ready
        elif plan.queue is not None:
            queue_arn = plan.queue.arn
            queue, policy = encrypted_queue(
                f"{name}-queue", plan.queue, kms_key_arn=kms_key_arn, parent=self
            )
            destinations["queues"] = [{**base, "queue_arn": queue.name.apply(lambda _: queue_arn)}]
            ready.append(policy)
        elif plan.lambda_arn is not None:
            permission = invoke_permission(
                f"{name}-lambda-permission",
                plan.lambda_arn,
                S3_SERVICE,
                plan.bucket_arn,
                self.child(),
                source_account=plan.account_id,
            )
            destinations["lambda_functions"] = [{**base, "lambda_function_arn": plan.lambda_arn}]
            ready.append(permission)
        # S3 checks each destination's permission when the configuration is written.
        self.notification = aws.s3.BucketNotification(
            f"{name}-notification",
            bucket=bucket,
            topics=destinations.get("topics"),
            queues=destinations.get("queues"),
            lambda_functions=destinations.get("lambda_functions"),
            opts=self.child(depends_on=ready),
        )
        self.register_outputs({})
