"""An encrypted SQS queue and its policy, which admits exactly one sender over TLS."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.aws.arns import queue_url
from cloudtrail_logging.aws.policy_json import policy_json
from cloudtrail_logging.plan.parts import QueuePlan

MAX_RETENTION_SECONDS = 1209600  # 14 days, SQS's maximum


def encrypted_queue(
    name: str, plan: QueuePlan, *, kms_key_arn: pulumi.Input[str], parent: pulumi.Resource
) -> tuple[aws.sqs.Queue, aws.sqs.QueuePolicy]:
    """The queue and its policy; senders must wait for the returned policy."""
    queue = aws.sqs.Queue(
        name,
        name=plan.name,
        kms_master_key_id=kms_key_arn,
        message_retention_seconds=MAX_RETENTION_SECONDS,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    region, account = plan.arn.split(":")[3], plan.arn.split(":")[4]
    policy = aws.sqs.QueuePolicy(
        f"{name}-policy",
        # Composed from the queue's name output: known at preview, and it waits for the queue.
        queue_url=queue.name.apply(lambda n: queue_url(region, account, n)),
        policy=policy_json(plan.policy),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return queue, policy
