"""An encrypted SNS topic that admits only its planned senders, fanned out to SQS, Lambda, email."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.aws import SNS_SERVICE
from cloudtrail_logging.aws.policy_json import policy_json
from cloudtrail_logging.plan.parts import TopicPlan
from components.component import Component
from components.invoke_permission import invoke_permission
from components.queues import encrypted_queue


class TopicFanout(Component, type_name="TopicFanout"):
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
        super().__init__(name, opts)
        self.topic = aws.sns.Topic(
            f"{name}-topic", name=plan.name, kms_master_key_id=kms_key_arn, opts=self.child()
        )
        # The planned ARN, carried by the topic's name output so that users wait for the topic.
        self.topic_arn = self.topic.name.apply(lambda _: plan.arn)
        self.topic_policy = aws.sns.TopicPolicy(
            f"{name}-topic-policy",
            arn=self.topic_arn,
            policy=policy_json(plan.policy),
            opts=self.child(),
        )
        self.subscribers: list[pulumi.Resource] = []
        self.queue = None
        if plan.queue is not None:
            queue_arn = plan.queue.arn
            self.queue, queue_policy = encrypted_queue(
                f"{name}-queue", plan.queue, kms_key_arn=kms_key_arn, parent=self
            )
            self._subscribe(
                f"{name}-queue-subscription",
                "sqs",
                self.queue.name.apply(lambda _: queue_arn),
                self.child(depends_on=[queue_policy]),
                raw_message_delivery=True,
            )
        if plan.lambda_arn:
            permission = invoke_permission(
                f"{name}-lambda-permission", plan.lambda_arn, SNS_SERVICE, self.topic_arn,
                self.child(),
            )
            self._subscribe(
                f"{name}-lambda",
                "lambda",
                plan.lambda_arn,
                self.child(depends_on=[permission]),
            )
        if plan.email:
            self._subscribe(f"{name}-email", "email", plan.email, self.child())
        self.ready = [self.topic_policy]
        self.register_outputs({"topicArn": self.topic_arn})

    def _subscribe(
        self,
        name: str,
        protocol: str,
        endpoint: pulumi.Input[str],
        opts: pulumi.ResourceOptions,
        **extra: Any,
    ) -> None:
        self.subscribers.append(
            aws.sns.TopicSubscription(
                name, topic=self.topic_arn, protocol=protocol, endpoint=endpoint, opts=opts, **extra
            )
        )
