"""Key policies, as plain data: the CloudTrail log key and the messaging key.

The log key's account list appears once, in an explicit Deny, for the same reason as in the
bucket policy: KMS key policies are limited to 32 KB, and 1,000 accounts listed per statement
would not fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cloudtrail_logging.bucket_policy import trail_arn_pattern
from cloudtrail_logging.naming import CLOUDTRAIL_SERVICE, account_root_arn

Policy = dict[str, Any]
KMS_POLICY_LIMIT_BYTES = 32 * 1024

# Administration without use: the account can manage the key, but not decrypt with it.
KEY_ADMIN_ACTIONS = [
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
]


def key_administration(partition: str, account_id: str) -> dict[str, Any]:
    return {
        "Sid": "KeyAdministration",
        "Effect": "Allow",
        "Principal": {"AWS": account_root_arn(partition, account_id)},
        "Action": KEY_ADMIN_ACTIONS,
        "Resource": "*",
    }


def log_key_policy(
    *,
    partition: str,
    key_account: str,
    writer_accounts: Sequence[str],
    trail_name: str,
    reader_arns: Sequence[str] = (),
) -> Policy:
    """Key policy for the CloudTrail log key: writers encrypt, named readers decrypt."""
    if not writer_accounts:
        raise ValueError("writer_accounts must name at least one account")
    trails = trail_arn_pattern(partition, trail_name)
    statements: list[dict[str, Any]] = [
        key_administration(partition, key_account),
        {
            "Sid": "AllowCloudTrailEncrypt",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL_SERVICE},
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": {
                "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": trails},
                "ArnLike": {"aws:SourceArn": trails},
            },
        },
        {
            "Sid": "AllowCloudTrailDescribeKey",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL_SERVICE},
            "Action": "kms:DescribeKey",
            "Resource": "*",
            "Condition": {"ArnLike": {"aws:SourceArn": trails}},
        },
        {
            "Sid": "DenyCloudTrailFromUnlistedAccounts",
            "Effect": "Deny",
            "Principal": {"Service": CLOUDTRAIL_SERVICE},
            "Action": "kms:*",
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:SourceAccount": sorted(writer_accounts)}},
        },
    ]
    if reader_arns:
        statements.append(
            {
                "Sid": "AllowLogReadersDecrypt",
                "Effect": "Allow",
                "Principal": {"AWS": sorted(reader_arns)},
                "Action": "kms:Decrypt",
                "Resource": "*",
                "Condition": {
                    "StringEquals": {"kms:CallerAccount": key_account},
                    "StringLike": {
                        "kms:EncryptionContext:aws:cloudtrail:arn": f"arn:{partition}:cloudtrail:*"
                    },
                },
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def messaging_key_policy(
    *,
    partition: str,
    account_id: str,
    publishers: Sequence[str],
) -> Policy:
    """Key policy for the key that encrypts this stack's SNS topics and SQS queues.

    Each publishing service (`s3.amazonaws.com`, `cloudtrail.amazonaws.com`, …) may create
    data keys and decrypt for messages sent on behalf of this account only; SNS itself may
    decrypt to deliver to encrypted queue subscribers.
    """
    statements: list[dict[str, Any]] = [key_administration(partition, account_id)]
    statements.append(
        {
            "Sid": "AllowAccountUse",
            "Effect": "Allow",
            "Principal": {"AWS": account_root_arn(partition, account_id)},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*", "kms:Encrypt", "kms:DescribeKey"],
            "Resource": "*",
            "Condition": {"StringEquals": {"kms:CallerAccount": account_id}},
        }
    )
    if publishers:
        statements.append(
            {
                "Sid": "AllowPublishingServices",
                "Effect": "Allow",
                "Principal": {"Service": sorted(set(publishers))},
                "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}
