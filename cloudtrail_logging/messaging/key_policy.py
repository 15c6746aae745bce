"""The messaging key's policy: the key of a stack's SNS topics and SQS queues, as plain data.

Each AWS service that publishes to them gets its own statement, in exactly the form its guide
shows: the services do not all send the same condition keys with their KMS requests, and a
condition a service does not satisfy makes its KMS call fail, so the notification is dropped
without a trace. Notably the SNS developer guide states that aws:SourceAccount, aws:SourceArn and
aws:SourceOrgID are not supported in a key policy for EventBridge delivery to an encrypted topic,
while its form for the other publishers (used here for CloudWatch alarms) carries them. Each
statement's Sid has its page in `cloudtrail_logging.sources`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cloudtrail_logging.aws import (
    CLOUDTRAIL_SERVICE,
    CLOUDWATCH_SERVICE,
    EVENTS_SERVICE,
    S3_SERVICE,
    SNS_SERVICE,
    Policy,
    Statement,
)
from cloudtrail_logging.aws.arns import account_root_arn
from cloudtrail_logging.aws.kms import administration


def _service_use(
    sid: str, service: str, actions: list[str], condition: dict[str, Any] | None = None
) -> Statement:
    """`service` may use the key for `actions`, under `condition` when given."""
    statement: Statement = {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": actions,
        "Resource": "*",
    }
    if condition is not None:
        statement["Condition"] = condition
    return statement


def _cloudtrail_use(partition: str, account_id: str, arns: Sequence[str]) -> Statement:
    # CloudTrail user guide, "Amazon SNS topic policy for CloudTrail", KMS key policy for an
    # encrypted topic (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-permissions-for-sns-notifications.html).
    # No condition: none is shown; the topic policy admits only the trail (aws:SourceArn).
    return _service_use(
        "AllowCloudTrailNotificationsUseKey",
        CLOUDTRAIL_SERVICE,
        ["kms:GenerateDataKey*", "kms:Decrypt"],
    )


def _s3_use(partition: str, account_id: str, arns: Sequence[str]) -> Statement:
    # S3 user guide, "Granting permissions to publish event notification messages to a
    # destination", AWS KMS key policy
    # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html).
    # No condition: the page shows none (an earlier revision showed aws:SourceAccount and
    # aws:SourceArn and dropped them); the topic and queue policies carry both.
    return _service_use(
        "AllowS3EventNotificationsUseKey", S3_SERVICE, ["kms:GenerateDataKey", "kms:Decrypt"]
    )


def _cloudwatch_use(partition: str, account_id: str, arns: Sequence[str]) -> Statement:
    # SNS developer guide, "Managing Amazon SNS encryption keys and costs", "Enable compatibility
    # between event sources from AWS services and encrypted topics", step 3
    # (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html): StringEquals
    # aws:SourceAccount and ArnLike aws:SourceArn, here on CloudWatch alarm ARNs.
    every_alarm = f"arn:{partition}:cloudwatch:*:{account_id}:alarm:*"
    return _service_use(
        "AllowCloudWatchAlarmsUseKey",
        CLOUDWATCH_SERVICE,
        ["kms:GenerateDataKey*", "kms:Decrypt"],
        {
            "StringEquals": {"aws:SourceAccount": account_id},
            "ArnLike": {"aws:SourceArn": list(arns) or [every_alarm]},
        },
    )


def _events_use(partition: str, account_id: str, arns: Sequence[str]) -> Statement:
    # SNS developer guide, same section, step 2, and its note: "Adding the aws:SourceAccount,
    # aws:SourceArn, and aws:SourceOrgID to a AWS KMS policy is not supported for
    # EventBridge-to-encrypted topics." So no condition at all; what may publish is decided by
    # the topic policy.
    return _service_use(
        "AllowEventBridgeRulesUseKey", EVENTS_SERVICE, ["kms:GenerateDataKey*", "kms:Decrypt"]
    )


def _sns_use(partition: str, account_id: str, arns: Sequence[str]) -> Statement:
    # SQS developer guide, "Amazon SQS Key management", "Configure KMS permissions for AWS
    # services" (sns.amazonaws.com: kms:GenerateDataKey, kms:Decrypt) and "... with confused
    # deputy protection": ArnEquals aws:SourceArn, listed as supported for Amazon SNS
    # (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html).
    return _service_use(
        "AllowSnsQueueDeliveryUseKey",
        SNS_SERVICE,
        ["kms:GenerateDataKey", "kms:Decrypt"],
        {"ArnEquals": {"aws:SourceArn": list(arns) or [f"arn:{partition}:sns:*:{account_id}:*"]}},
    )


# The publishing services this key admits, in statement order, and whether their documented
# form carries aws:SourceArn (so that `source_arns` may narrow it).
_PUBLISHERS: dict[str, tuple[Callable[[str, str, Sequence[str]], Statement], bool]] = {
    CLOUDTRAIL_SERVICE: (_cloudtrail_use, False),
    S3_SERVICE: (_s3_use, False),
    CLOUDWATCH_SERVICE: (_cloudwatch_use, True),
    EVENTS_SERVICE: (_events_use, False),
    SNS_SERVICE: (_sns_use, True),
}


MESSAGING_PUBLISHERS = tuple(_PUBLISHERS)


def messaging_key_policy(
    *,
    partition: str,
    account_id: str,
    publishers: Sequence[str],
    source_arns: Mapping[str, Sequence[str]] | None = None,
    administrator_arns: Sequence[str] = (),
) -> Policy:
    """Key policy for the key that encrypts this stack's SNS topics and SQS queues.

    `publishers` are the service principals that send to them: `cloudtrail.amazonaws.com`,
    `s3.amazonaws.com`, `cloudwatch.amazonaws.com`, `events.amazonaws.com`, and
    `sns.amazonaws.com` (delivery to encrypted queues). Each gets its own statement in the form
    its guide shows. `source_arns` narrows, per service, the aws:SourceArn of the services whose
    documented form has one (CloudWatch: alarm ARNs, default every alarm of this account; SNS:
    topic ARNs, default every topic of this account); for any other service it is refused.
    `administrator_arns` (the log archive's) administer the key instead of the account.
    """
    narrowed = dict(source_arns or {})
    unknown = sorted(set(publishers) - set(_PUBLISHERS))
    if unknown:
        raise ValueError(
            f"no documented key policy form for publisher(s) {unknown}; "
            f"known: {list(MESSAGING_PUBLISHERS)}"
        )
    for service in narrowed:
        if service not in _PUBLISHERS or not _PUBLISHERS[service][1]:
            raise ValueError(
                f"source_arns for {service!r}: its documented key policy form has no aws:SourceArn"
            )
        if service not in publishers:
            raise ValueError(f"source_arns for {service!r}, which is not a publisher")
    statements: list[Statement] = [
        administration(partition, account_id, administrator_arns),
        # "Default key policy", key users, granted to the account so IAM policies choose the
        # users; kms:CallerAccount ("AWS KMS condition keys") keeps use inside this account.
        {
            "Sid": "AllowAccountUse",
            "Effect": "Allow",
            "Principal": {"AWS": account_root_arn(partition, account_id)},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*", "kms:Encrypt", "kms:DescribeKey"],
            "Resource": "*",
            "Condition": {"StringEquals": {"kms:CallerAccount": account_id}},
        },
    ]
    for service, (statement, _) in _PUBLISHERS.items():
        if service in publishers:
            statements.append(statement(partition, account_id, sorted(narrowed.get(service, ()))))
    return {"Version": "2012-10-17", "Statement": statements}
