"""An encrypted SQS queue with a queue policy admitting exactly one sender, over TLS."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.naming import queue_arn, queue_url
from cloudtrail_logging.policy_json import policy_json
from cloudtrail_logging.resource_policies import Sender, queue_policy

MAX_RETENTION_SECONDS = 1209600  # 14 days, SQS's maximum


def encrypted_queue(
    name: str,
    *,
    queue_name: str,
    partition: str,
    region: str,
    account_id: str,
    kms_key_arn: pulumi.Input[str],
    service: str,
    source_arn: pulumi.Input[str],
    sid: str,
    parent: pulumi.Resource,
) -> tuple[aws.sqs.Queue, pulumi.Output[str], aws.sqs.QueuePolicy]:
    """The queue, its ARN composed from its name (known at preview) and its policy.

    Senders must wait for the returned policy, which admits only `service` on behalf of
    `source_arn` from this account.
    """
    queue = aws.sqs.Queue(
        name,
        name=queue_name,
        kms_master_key_id=kms_key_arn,
        message_retention_seconds=MAX_RETENTION_SECONDS,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    arn_text = queue_arn(partition, region, account_id, queue_name)
    policy = aws.sqs.QueuePolicy(
        f"{name}-policy",
        queue_url=queue.name.apply(lambda n: queue_url(region, account_id, n)),
        # An output source ARN (e.g. from a bucket) keeps the dependency on its resource.
        policy=pulumi.Output.from_input(source_arn).apply(
            lambda arn: policy_json(
                queue_policy(arn_text, account_id, [Sender(service, arn, sid)])
            )
        ),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    arn = queue.name.apply(lambda n: queue_arn(partition, region, account_id, n))
    return queue, arn, policy
