"""An encrypted SNS topic that admits only its planned senders, fanned out to SQS, Lambda, email."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.aws import SNS_SERVICE
from cloudtrail_logging.aws.policy_json import policy_json
from cloudtrail_logging.plan.parts import TopicPlan
from components import TYPE_PREFIX
from components.queues import encrypted_queue


class TopicFanout(pulumi.ComponentResource):
    """Topic, topic policy and subscribers. `ready` is what publishers must wait for."""

    topic: aws.sns.Topic
    topic_arn: pulumi.Output[str]
    queue: aws.sqs.Queue | None
    ready: list[pulumi.Resource]

    def __init__(
        self,
        name: str,
        plan: TopicPlan,
        *,
        kms_key_arn: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(f"{TYPE_PREFIX}:TopicFanout", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.topic = aws.sns.Topic(
            f"{name}-topic", name=plan.name, kms_master_key_id=kms_key_arn, opts=child
        )
        # The planned ARN, carried by the topic's name output so that users wait for the topic.
        self.topic_arn = self.topic.name.apply(lambda _: plan.arn)
        self.topic_policy = aws.sns.TopicPolicy(
            f"{name}-topic-policy",
            arn=self.topic_arn,
            policy=policy_json(plan.policy),
            opts=child,
        )
        self.subscribers: list[pulumi.Resource] = []
        self.queue = None
        if plan.queue is not None:
            queue_arn = plan.queue.arn
            self.queue, queue_policy = encrypted_queue(
                f"{name}-queue", plan.queue, kms_key_arn=kms_key_arn, parent=self
            )
            self.subscribers.append(
                aws.sns.TopicSubscription(
                    f"{name}-queue-subscription",
                    topic=self.topic_arn,
                    protocol="sqs",
                    endpoint=self.queue.name.apply(lambda _: queue_arn),
                    raw_message_delivery=True,
                    opts=pulumi.ResourceOptions(parent=self, depends_on=[queue_policy]),
                )
            )
        if plan.lambda_arn:
            permission = aws.lambda_.Permission(
                f"{name}-lambda-permission",
                action="lambda:InvokeFunction",
                function=plan.lambda_arn,
                principal=SNS_SERVICE,
                source_arn=self.topic_arn,
                opts=child,
            )
            self.subscribers.append(
                aws.sns.TopicSubscription(
                    f"{name}-lambda",
                    topic=self.topic_arn,
                    protocol="lambda",
                    endpoint=plan.lambda_arn,
                    opts=pulumi.ResourceOptions(parent=self, depends_on=[permission]),
                )
            )
        if plan.email:
            self.subscribers.append(
                aws.sns.TopicSubscription(
                    f"{name}-email",
                    topic=self.topic_arn,
                    protocol="email",
                    endpoint=plan.email,
                    opts=child,
                )
            )
        self.ready = [self.topic_policy]
        self.register_outputs({"topicArn": self.topic_arn})
