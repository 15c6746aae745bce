"""S3 event notifications from the log bucket to SQS, SNS (with fan-out) or Lambda."""

from __future__ import annotations

from typing import TypedDict

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.naming import bucket_arn
from cloudtrail_logging.resource_policies import Sender
from cloudtrail_logging.settings import Fanout
from components import TYPE_PREFIX
from components.queues import encrypted_queue
from components.topic_fanout import TopicFanout

S3_SERVICE = "s3.amazonaws.com"
EVENTS = ["s3:ObjectCreated:*"]


class BucketNotificationsArgs(TypedDict):
    """Inputs of BucketNotifications."""

    bucket: pulumi.Input[str]
    """The bucket's name as an output of the bucket (known at preview, carries the dependency)."""
    bucket_name: str
    name_prefix: str
    partition: str
    region: str
    account_id: str
    kms_key_arn: pulumi.Input[str]
    fanout: Fanout
    filter_prefix: str


class BucketNotifications(pulumi.ComponentResource):
    """One S3 notification configuration; every destination admits only this bucket."""

    def __init__(
        self, name: str, args: BucketNotificationsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(f"{TYPE_PREFIX}:BucketNotifications", name, None, opts)
        partition, region, account = args["partition"], args["region"], args["account_id"]
        source = bucket_arn(partition, args["bucket_name"])
        # Composed from the bucket's output, so each grant waits for the bucket it names.
        source_output = pulumi.Output.from_input(args["bucket"]).apply(
            lambda b: bucket_arn(partition, b)
        )
        fanout = args["fanout"]
        base: dict[str, object] = {"events": EVENTS, "filter_prefix": args["filter_prefix"]}
        destinations: dict[str, list[dict[str, object]]] = {}
        ready: list[pulumi.Resource] = []
        self.topic: TopicFanout | None = None
        if "sns" in fanout.targets:
            self.topic = TopicFanout(
                f"{name}-fanout",
                {
                    "topic_name": f"{args['name_prefix']}-log-objects",
                    "partition": partition,
                    "region": region,
                    "account_id": account,
                    "kms_key_arn": args["kms_key_arn"],
                    "senders": [Sender(S3_SERVICE, source, "AllowLogBucketEvents")],
                    "queue": "sqs" in fanout.targets,
                    "lambda_arn": fanout.lambda_arn,
                },
                pulumi.ResourceOptions(parent=self),
            )
            destinations["topics"] = [{**base, "topic_arn": self.topic.topic_arn}]
            ready += self.topic.ready
        elif "sqs" in fanout.targets:
            _queue, arn, policy = encrypted_queue(
                f"{name}-queue",
                queue_name=f"{args['name_prefix']}-log-objects",
                partition=partition,
                region=region,
                account_id=account,
                kms_key_arn=args["kms_key_arn"],
                service=S3_SERVICE,
                source_arn=source_output,
                sid="AllowLogBucketEvents",
                parent=self,
            )
            destinations["queues"] = [{**base, "queue_arn": arn}]
            ready.append(policy)
        elif "lambda" in fanout.targets and fanout.lambda_arn:
            permission = aws.lambda_.Permission(
                f"{name}-lambda-permission",
                action="lambda:InvokeFunction",
                function=fanout.lambda_arn,
                principal=S3_SERVICE,
                source_arn=source_output,
                source_account=account,
                opts=pulumi.ResourceOptions(parent=self),
            )
            destinations["lambda_functions"] = [
                {**base, "lambda_function_arn": fanout.lambda_arn}
            ]
            ready.append(permission)
        # S3 checks each destination's permission when the configuration is written.
        self.notification = aws.s3.BucketNotification(
            f"{name}-notification",
            bucket=args["bucket"],
            **destinations,  # type: ignore[arg-type]
            opts=pulumi.ResourceOptions(parent=self, depends_on=ready),
        )
        self.register_outputs({})
