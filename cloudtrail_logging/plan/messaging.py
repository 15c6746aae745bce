"""Topics, queues and the messaging key of a stack's plan: each topic and queue admits
exactly its senders, and the key each publishing service in its documented form."""

from __future__ import annotations

from cloudtrail_logging.alerting.alerts import (
    alarm_arn,
)
from cloudtrail_logging.aws import (
    CLOUDWATCH_SERVICE,
    SNS_SERVICE,
)
from cloudtrail_logging.aws.arns import (
    queue_arn,
    queue_url,
    topic_arn,
)
from cloudtrail_logging.messaging.key_policy import messaging_key_policy
from cloudtrail_logging.messaging.resource_policies import Sender, queue_policy, topic_policy
from cloudtrail_logging.plan.parts import (
    KeyPlan,
    QueuePlan,
    TopicPlan,
)
from cloudtrail_logging.settings import Fanout, Settings


def topic_plan(
    s: Settings,
    name: str,
    senders: list[Sender],
    *,
    region: str | None = None,
    queue: bool = False,
    lambda_arn: str | None = None,
    email: str | None = None,
) -> TopicPlan:
    region = region or s.region
    arn = topic_arn(s.partition, region, s.account_id, name)
    subscribed = None
    if queue:
        delivery = Sender(SNS_SERVICE, arn, "AllowTopicDelivery")
        subscribed = queue_plan(s, f"{name}-queue", delivery, region)
    return TopicPlan(
        name=name,
        arn=arn,
        policy=topic_policy(arn, s.account_id, senders),
        queue=subscribed,
        lambda_arn=lambda_arn,
        email=email,
    )


def queue_plan(s: Settings, name: str, sender: Sender, region: str | None = None) -> QueuePlan:
    region = region or s.region
    arn = queue_arn(s.partition, region, s.account_id, name)
    return QueuePlan(
        name=name,
        arn=arn,
        url=queue_url(region, s.account_id, name),
        # In the log archive, its administrators and log readers alone consume its queues.
        policy=queue_policy(arn, s.account_id, [sender],
                            consumers=s.queue_consumers),
    )


def fanout_topic_plan(s: Settings, name: str, sender: Sender, fanout: Fanout) -> TopicPlan:
    queue = "sqs" in fanout.targets
    return topic_plan(s, name, [sender], queue=queue, lambda_arn=fanout.lambda_arn)


def messaging_key_plan(
    s: Settings, publishers: list[str], topics: list[TopicPlan]
) -> KeyPlan | None:
    """The key of this stack's topics and queues: each publishing service in its documented
    form, CloudWatch narrowed to this stack's alarms and SNS to the topics with a queue."""
    if not publishers:
        return None
    narrowed: dict[str, list[str]] = {}
    if CLOUDWATCH_SERVICE in publishers:
        narrowed[CLOUDWATCH_SERVICE] = [
            alarm_arn(s.partition, s.region, s.account_id, f"{s.name_prefix}-*")
        ]
    queued = sorted(t.arn for t in topics if t.queue is not None)
    if queued:
        narrowed[SNS_SERVICE] = queued
    return KeyPlan(
        description="Encrypts cloudtrail-logging notification topics and queues",
        alias=f"alias/{s.name_prefix}-messaging",
        policy=messaging_key_policy(
            partition=s.partition,
            account_id=s.account_id,
            publishers=sorted({*publishers, SNS_SERVICE}),
            source_arns=narrowed,
            administrator_arns=s.key_administrators,
        ),
    )
