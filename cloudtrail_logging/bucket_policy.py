"""The central log bucket's policy, as plain data.

Shape, and why (see README "Bucket policy at scale"):
- The account list appears once, in an explicit Deny, so the policy stays under S3's 20 KB
  limit at 1,000 accounts and no later Allow can widen the set of writers.
- CloudTrail writes only under `[prefix/]AWSLogs/${aws:SourceAccount}/`: the policy variable
  ties every object key to the account the delivery is for, so no account writes into
  another's prefix without listing each account's prefix.
- Only deliveries from a trail with the agreed name are allowed (aws:SourceArn), and every
  other PutObject is denied, so nobody else can write at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cloudtrail_logging.naming import CLOUDTRAIL_SERVICE, bucket_arn, logs_prefix

Policy = dict[str, Any]
S3_POLICY_LIMIT_BYTES = 20 * 1024


def trail_arn_pattern(partition: str, trail_name: str, account: str = "*") -> str:
    """ArnLike pattern matching the trail `trail_name` in any region of `account`."""
    return f"arn:{partition}:cloudtrail:*:{account}:trail/{trail_name}"


def deny_insecure_transport(partition: str, bucket: str) -> dict[str, Any]:
    arn = bucket_arn(partition, bucket)
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def _organization_write(
    partition: str,
    arn: str,
    trail_name: str,
    key_prefix: str | None,
    organization_id: str | None,
    management_account_id: str | None,
) -> list[dict[str, Any]]:
    if organization_id is None or management_account_id is None:
        return []
    return [
        {
            "Sid": "AWSCloudTrailOrganizationWrite",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL_SERVICE},
            "Action": "s3:PutObject",
            "Resource": f"{arn}/{logs_prefix(key_prefix)}{organization_id}/*",
            "Condition": {
                "StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"},
                "ArnLike": {
                    "aws:SourceArn": trail_arn_pattern(
                        partition, trail_name, management_account_id
                    )
                },
            },
        }
    ]


def log_bucket_policy(
    *,
    partition: str,
    bucket: str,
    writer_accounts: Sequence[str],
    trail_name: str,
    key_prefix: str | None = None,
    reader_arns: Sequence[str] = (),
    organization_id: str | None = None,
    management_account_id: str | None = None,
) -> Policy:
    """The bucket policy that lets exactly `writer_accounts`' trails deliver logs.

    `reader_arns`, when given, are the only principals allowed to read log objects. With an
    organization, the management account's organization trail of the agreed name may also
    write under `AWSLogs/<organization id>/` (CloudTrail sets aws:SourceAccount to the
    management account for every account's logs there, so that account must be a writer).
    """
    if not writer_accounts:
        raise ValueError("writer_accounts must name at least one account")
    arn = bucket_arn(partition, bucket)
    objects = f"{arn}/*"
    trails = trail_arn_pattern(partition, trail_name)
    statements: list[dict[str, Any]] = [
        deny_insecure_transport(partition, bucket),
        {
            "Sid": "AWSCloudTrailAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL_SERVICE},
            "Action": "s3:GetBucketAcl",
            "Resource": arn,
            "Condition": {"ArnLike": {"aws:SourceArn": trails}},
        },
        {
            "Sid": "AWSCloudTrailWrite",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL_SERVICE},
            "Action": "s3:PutObject",
            "Resource": f"{arn}/{logs_prefix(key_prefix)}${{aws:SourceAccount}}/*",
            "Condition": {
                "StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"},
                "ArnLike": {"aws:SourceArn": trails},
            },
        },
        *_organization_write(
            partition, arn, trail_name, key_prefix, organization_id, management_account_id
        ),
        {
            "Sid": "DenyCloudTrailFromUnlistedAccounts",
            "Effect": "Deny",
            "Principal": {"Service": CLOUDTRAIL_SERVICE},
            "Action": ["s3:GetBucketAcl", "s3:PutObject"],
            "Resource": [arn, objects],
            "Condition": {"StringNotEquals": {"aws:SourceAccount": sorted(writer_accounts)}},
        },
        {
            "Sid": "DenyWritesNotFromTrails",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": objects,
            "Condition": {"ArnNotLike": {"aws:SourceArn": trails}},
        },
        {
            "Sid": "DenyBucketDeletion",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:DeleteBucket",
            "Resource": arn,
        },
    ]
    if reader_arns:
        readers = sorted(reader_arns)
        statements += [
            {
                "Sid": "AllowLogReaders",
                "Effect": "Allow",
                "Principal": {"AWS": readers},
                "Action": ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"],
                "Resource": [arn, objects],
            },
            {
                "Sid": "DenyReadsByOthers",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": objects,
                "Condition": {"ArnNotEquals": {"aws:PrincipalArn": readers}},
            },
        ]
    return {"Version": "2012-10-17", "Statement": statements}
