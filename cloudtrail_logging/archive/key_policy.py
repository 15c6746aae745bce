"""The CloudTrail log key's policy, as plain data.

The account list appears once, in an explicit Deny, for the same reason as in the bucket policy:
KMS key policies are limited to 32 KB, and 1,000 accounts listed per statement would not fit.
All from the CloudTrail user guide, "Configure AWS KMS key policies for CloudTrail"
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html);
each statement's Sid has its page in `cloudtrail_logging.sources`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cloudtrail_logging.archive.bucket_policy import trail_arn_pattern
from cloudtrail_logging.aws import (
    CLOUDTRAIL_SERVICE,
    Policy,
    Statement,
)
from cloudtrail_logging.aws.kms import named_key_administration, readers_decrypt


def _cloudtrail(
    sid: str, action: str, condition: dict[str, Any], effect: str = "Allow"
) -> Statement:
    """A statement of CloudTrail's use of the key, under `condition`."""
    return {
        "Sid": sid,
        "Effect": effect,
        "Principal": {"Service": CLOUDTRAIL_SERVICE},
        "Action": action,
        "Resource": "*",
        "Condition": condition,
    }


def log_key_policy(
    *,
    partition: str,
    writer_accounts: Sequence[str],
    trail_name: str,
    administrator_arns: Sequence[str],
    reader_arns: Sequence[str] = (),
    bucket_key: bool = True,
) -> Policy:
    """Key policy for the CloudTrail log key: writers encrypt, named readers decrypt, named
    administrators administer; nobody else, the account's IAM administrators included, can use
    or manage the key.

    `bucket_key` (the log bucket uses an S3 Bucket Key, as this project's does) adds the
    kms:Decrypt that CloudTrail needs to create or update a trail with SSE-KMS on such a bucket.
    """
    if not writer_accounts:
        raise ValueError("writer_accounts must name at least one account")
    trails = trail_arn_pattern(partition, trail_name)
    statements: list[Statement] = [
        named_key_administration(administrator_arns),
        # "Granting encrypt permissions for trails": GenerateDataKey* with StringLike
        # kms:EncryptionContext:aws:cloudtrail:arn and aws:SourceArn. Both name the trail in any
        # account instead of listing `arn:...:<account>:trail/*` per account (32 KB limit); the
        # accounts are pinned by DenyCloudTrailFromUnlistedAccounts below.
        _cloudtrail(
            "AllowCloudTrailEncrypt",
            "kms:GenerateDataKey*",
            {
                "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": trails},
                "ArnLike": {"aws:SourceArn": trails},
            },
        ),
    ]
    if bucket_key:
        # Required element 2 and "Granting decrypt permissions for trails": with an S3 Bucket
        # Key, CloudTrail needs kms:Decrypt to create or update a trail with SSE-KMS; the page's
        # service statement (AllowCloudTrailDecryptTrail) has no condition. aws:SourceArn added
        # per the page's best practice for trail key statements ("The value of aws:SourceArn is
        # always the trail ARN"). Should CloudTrail ever omit it, CreateTrail/UpdateTrail fails
        # loudly (InsufficientEncryptionPolicyException); nothing is delivered half-encrypted.
        statements.append(
            _cloudtrail(
                "AllowCloudTrailDecryptWithBucketKey",
                "kms:Decrypt",
                {"ArnLike": {"aws:SourceArn": trails}},
            )
        )
    statements += [
        # "Enable CloudTrail to describe KMS key properties": DescribeKey with aws:SourceArn.
        _cloudtrail(
            "AllowCloudTrailDescribeKey", "kms:DescribeKey", {"ArnLike": {"aws:SourceArn": trails}}
        ),
        # The page documents aws:SourceAccount as supported (not recommended, because
        # aws:SourceArn is stronger; the Allows above keep aws:SourceArn). Used in a Deny so the
        # account list appears once; the explicit Deny overrides every Allow.
        _cloudtrail(
            "DenyCloudTrailFromUnlistedAccounts",
            "kms:*",
            {"StringNotEquals": {"aws:SourceAccount": sorted(set(writer_accounts))}},
            effect="Deny",
        ),
    ]
    if reader_arns:
        # "Enable CloudTrail log decrypt permissions": named principals may Decrypt data that
        # CloudTrail encrypted (Null kms:EncryptionContext:aws:cloudtrail:arn = false).
        statements.append(
            readers_decrypt(
                "AllowLogReadersDecrypt",
                reader_arns,
                {"Null": {"kms:EncryptionContext:aws:cloudtrail:arn": "false"}},
            )
        )
    return {"Version": "2012-10-17", "Statement": statements}
