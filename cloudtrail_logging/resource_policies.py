"""Resource policies for SNS topics and SQS queues, as plain data.

Every grant to an AWS service carries both confused-deputy conditions: aws:SourceArn (the one
resource that may send) and aws:SourceAccount (this account).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Policy = dict[str, Any]


@dataclass(frozen=True)
class Sender:
    """An AWS service allowed to send on behalf of one source resource."""

    service: str  # e.g. "s3.amazonaws.com"
    source_arn: str  # exact ARN, or an ArnLike pattern such as a trail in any region
    sid: str


def _deny_insecure(action: str, resource: str) -> dict[str, Any]:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": action,
        "Resource": resource,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def _service_grants(
    action: str, resource: str, account_id: str, senders: Sequence[Sender]
) -> list[dict[str, Any]]:
    return [
        {
            "Sid": sender.sid,
            "Effect": "Allow",
            "Principal": {"Service": sender.service},
            "Action": action,
            "Resource": resource,
            "Condition": {
                "ArnLike": {"aws:SourceArn": sender.source_arn},
                "StringEquals": {"aws:SourceAccount": account_id},
            },
        }
        for sender in senders
    ]


def topic_policy(topic_arn: str, account_id: str, senders: Sequence[Sender]) -> Policy:
    """An SNS topic policy admitting only `senders`, over TLS."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            _deny_insecure("sns:Publish", topic_arn),
            *_service_grants("sns:Publish", topic_arn, account_id, senders),
        ],
    }


def queue_policy(queue_arn: str, account_id: str, senders: Sequence[Sender]) -> Policy:
    """An SQS queue policy admitting only `senders`, over TLS."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            _deny_insecure("sqs:*", queue_arn),
            *_service_grants("sqs:SendMessage", queue_arn, account_id, senders),
        ],
    }
