"""Resource policies for SNS topics and SQS queues, as plain data.

Each grant to an AWS service takes the form that service's guide shows for that target, because
the services do not all send the same condition keys:

| sender → target | documented conditions |
|---|---|
| CloudTrail → SNS | aws:SourceArn (the trail; recommended), aws:SourceAccount (supported) |
| S3 → SNS, S3 → SQS | aws:SourceArn (the bucket) and aws:SourceAccount |
| CloudWatch alarms → SNS | aws:SourceArn (alarm ARNs) and aws:SourceAccount |
| EventBridge → SNS | none: "You can't use Condition blocks in Amazon SNS topic policies for |
| | EventBridge" |
| EventBridge → SQS | aws:SourceArn (the rule) |
| SNS → SQS | aws:SourceArn (the topic) |

A condition the sender does not satisfy drops its messages, so no other condition is added.
ArnLike and ArnEquals evaluate alike (each ARN component separately, wildcards allowed, per
"IAM JSON policy elements: Condition operators"); where the guides use either, this module uses
ArnLike so that a source may be a pattern, except where a guide shows ArnEquals alone.
The Sid of each grant is the caller's and must be registered in `cloudtrail_logging.sources`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cloudtrail_logging.aws import (
    CLOUDTRAIL_SERVICE,
    CLOUDWATCH_SERVICE,
    EVENTS_SERVICE,
    S3_SERVICE,
    SNS_SERVICE,
    Policy,
)
from cloudtrail_logging.sources import require_source

Condition = dict[str, Any]



@dataclass(frozen=True)
class Sender:
    """An AWS service allowed to send on behalf of one source resource.

    `sid` must be registered in `cloudtrail_logging.sources` (the page its statement follows).
    """

    service: str  # e.g. "s3.amazonaws.com"
    source_arn: str  # exact ARN, or an ArnLike pattern such as a trail in any region
    sid: str


def _source_arn_and_account(source_arn: str, account_id: str) -> Condition | None:
    return {
        "ArnLike": {"aws:SourceArn": source_arn},
        "StringEquals": {"aws:SourceAccount": account_id},
    }


def _source_arn_equals(source_arn: str, account_id: str) -> Condition | None:
    return {"ArnEquals": {"aws:SourceArn": source_arn}}


def _no_condition(source_arn: str, account_id: str) -> Condition | None:
    return None


_ConditionForm = Callable[[str, str], "Condition | None"]

# sns:Publish grants, by sending service.
_TOPIC_FORMS: dict[str, _ConditionForm] = {
    # CloudTrail user guide, "Amazon SNS topic policy for CloudTrail", security best practice:
    # aws:SourceArn the trail; aws:SourceAccount "also supported" (both kept)
    # (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-permissions-for-sns-notifications.html).
    CLOUDTRAIL_SERVICE: _source_arn_and_account,
    # S3 user guide, "Granting permissions to publish event notification messages to a
    # destination", IAM policy for a destination SNS topic: aws:SourceArn and aws:SourceAccount
    # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html).
    S3_SERVICE: _source_arn_and_account,
    # SNS developer guide, "Example cases for Amazon SNS access control": ArnLike aws:SourceArn on
    # alarm ARNs; aws:SourceAccount as in "Allow any AWS resource to publish to a topic"
    # (https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html).
    CLOUDWATCH_SERVICE: _source_arn_and_account,
    # EventBridge user guide, "Using resource-based policies for Amazon EventBridge", Amazon SNS
    # permissions: "You can't use Condition blocks in Amazon SNS topic policies for EventBridge"
    # (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html).
    # The consequence: the policy itself does not limit the grant to this account's rules. The
    # topics carry alerts, whose subscribers treat a message as a signal to check, not as proof.
    EVENTS_SERVICE: _no_condition,
}

# sqs:SendMessage grants, by sending service.
_QUEUE_FORMS: dict[str, _ConditionForm] = {
    # SNS developer guide, "Example cases for Amazon SNS access control", publish messages to an
    # Amazon SQS queue: ArnEquals aws:SourceArn the topic (no aws:SourceAccount shown).
    SNS_SERVICE: _source_arn_equals,
    # S3 user guide (as above), IAM policy for a destination SQS queue: ArnLike aws:SourceArn and
    # StringEquals aws:SourceAccount.
    S3_SERVICE: _source_arn_and_account,
    # EventBridge user guide (as above), Amazon SQS permissions: ArnEquals aws:SourceArn the rule.
    EVENTS_SERVICE: _source_arn_equals,
}


def _deny_insecure(action: str, resource: str) -> dict[str, Any]:
    # "Amazon SNS security best practices" / "Amazon SQS security best practices", enforce
    # encryption of data in transit: Deny when aws:SecureTransport is false
    # (https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html,
    # https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html).
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": action,
        "Resource": resource,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def _service_grants(
    action: str,
    resource: str,
    account_id: str,
    senders: Sequence[Sender],
    forms: dict[str, _ConditionForm],
    target: str,
) -> list[dict[str, Any]]:
    statements = []
    for sender in senders:
        require_source(sender.sid)
        form = forms.get(sender.service)
        if form is None:
            raise ValueError(
                f"no documented {target} policy form for {sender.service!r}; known: {list(forms)}"
            )
        statement: dict[str, Any] = {
            "Sid": sender.sid,
            "Effect": "Allow",
            "Principal": {"Service": sender.service},
            "Action": action,
            "Resource": resource,
        }
        condition = form(sender.source_arn, account_id)
        if condition is not None:
            statement["Condition"] = condition
        statements.append(statement)
    return statements


def topic_policy(topic_arn: str, account_id: str, senders: Sequence[Sender]) -> Policy:
    """An SNS topic policy admitting only `senders`, each in its documented form, over TLS."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            _deny_insecure("sns:Publish", topic_arn),
            *_service_grants(
                "sns:Publish", topic_arn, account_id, senders, _TOPIC_FORMS, "SNS topic"
            ),
        ],
    }


# What consuming a queue takes (SQS API reference, ReceiveMessage, DeleteMessage,
# ChangeMessageVisibility): whoever may, can make an alert vanish before its reader sees it.
CONSUME_ACTIONS = ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility")


def queue_policy(
    queue_arn: str, account_id: str, senders: Sequence[Sender], consumers: Sequence[str] = ()
) -> Policy:
    """An SQS queue policy admitting only `senders`, each in its documented form, over TLS;
    with `consumers` (IAM role ARNs), nobody else may receive or delete its messages."""
    statements = [
        _deny_insecure("sqs:*", queue_arn),
        *_service_grants(
            "sqs:SendMessage", queue_arn, account_id, senders, _QUEUE_FORMS, "SQS queue"
        ),
    ]
    if consumers:
        statements.append({
            "Sid": "DenyConsumersButNamed",
            "Effect": "Deny",
            "Principal": "*",
            "Action": list(CONSUME_ACTIONS),
            "Resource": queue_arn,
            "Condition": {"ArnNotEquals": {"aws:PrincipalArn": sorted(set(consumers))}},
        })  # fmt: skip
    return {"Version": "2012-10-17", "Statement": statements}
