"""An encrypted SNS topic that admits only named senders, fanned out to SQS, Lambda or email."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.naming import topic_arn
from cloudtrail_logging.policy_json import policy_json
from cloudtrail_logging.resource_policies import Sender, topic_policy
from components import TYPE_PREFIX
from components.queues import encrypted_queue

SNS_SERVICE = "sns.amazonaws.com"


class TopicFanoutArgs(TypedDict):
    """Inputs of a TopicFanout."""

    topic_name: str
    partition: str
    region: str
    account_id: str
    kms_key_arn: pulumi.Input[str]
    """The messaging key: it must admit every sender's service and SNS."""
    senders: Sequence[Sender]
    """The only services, each for one source resource, that may publish."""
    queue: NotRequired[bool]
    lambda_arn: NotRequired[str | None]
    email: NotRequired[str | None]


class TopicFanout(pulumi.ComponentResource):
    """Topic, topic policy and subscribers; ARNs are composed so policies are known at preview."""

    topic: aws.sns.Topic
    topic_arn: pulumi.Output[str]
    queue: aws.sqs.Queue | None

    def __init__(
        self, name: str, args: TopicFanoutArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(f"{TYPE_PREFIX}:TopicFanout", name, None, opts)
        partition, region, account = args["partition"], args["region"], args["account_id"]
        self.topic = aws.sns.Topic(
            f"{name}-topic",
            name=args["topic_name"],
            kms_master_key_id=args["kms_key_arn"],
            opts=pulumi.ResourceOptions(parent=self),
        )
        arn_text = topic_arn(partition, region, account, args["topic_name"])
        self.topic_arn = self.topic.name.apply(lambda n: topic_arn(partition, region, account, n))
        self.topic_policy = aws.sns.TopicPolicy(
            f"{name}-topic-policy",
            arn=self.topic_arn,
            policy=policy_json(topic_policy(arn_text, account, args["senders"])),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.subscribers: list[pulumi.Resource] = []
        self.queue = None
        if args.get("queue"):
            self._subscribe_queue(name, args, arn_text)
        lambda_arn = args.get("lambda_arn")
        if lambda_arn:
            permission = aws.lambda_.Permission(
                f"{name}-lambda-permission",
                action="lambda:InvokeFunction",
                function=lambda_arn,
                principal=SNS_SERVICE,
                source_arn=self.topic_arn,
                opts=pulumi.ResourceOptions(parent=self),
            )
            self.subscribers.append(
                aws.sns.TopicSubscription(
                    f"{name}-lambda",
                    topic=self.topic_arn,
                    protocol="lambda",
                    endpoint=lambda_arn,
                    opts=pulumi.ResourceOptions(parent=self, depends_on=[permission]),
                )
            )
        email = args.get("email")
        if email:
            self.subscribers.append(
                aws.sns.TopicSubscription(
                    f"{name}-email",
                    topic=self.topic_arn,
                    protocol="email",
                    endpoint=email,
                    opts=pulumi.ResourceOptions(parent=self),
                )
            )
        # Publishers must wait for the policy that admits them.
        self.ready: list[pulumi.Resource] = [self.topic_policy]
        self.register_outputs({"topicArn": self.topic_arn})

    def _subscribe_queue(self, name: str, args: TopicFanoutArgs, topic_arn_text: str) -> None:
        self.queue, self.queue_arn, policy = encrypted_queue(
            f"{name}-queue",
            queue_name=f"{args['topic_name']}-queue",
            partition=args["partition"],
            region=args["region"],
            account_id=args["account_id"],
            kms_key_arn=args["kms_key_arn"],
            service=SNS_SERVICE,
            source_arn=topic_arn_text,
            sid="AllowTopicDelivery",
            parent=self,
        )
        self.subscribers.append(
            aws.sns.TopicSubscription(
                f"{name}-queue-subscription",
                topic=self.topic_arn,
                protocol="sqs",
                endpoint=self.queue_arn,
                raw_message_delivery=True,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]),
            )
        )
