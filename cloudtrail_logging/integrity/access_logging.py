"""Server access logging of the log bucket into a dedicated bucket, as plain data.

CIS AWS Foundations v1.2.0 2.6 / v1.4.0 3.6 / v3.0.0 3.4, Security Hub CloudTrail.7: "Ensure S3
bucket access logging is enabled on the CloudTrail S3 bucket". Every document is built from names
and config, so it is known at preview.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cloudtrail_logging.archive.bucket_policy import deny_insecure_transport
from cloudtrail_logging.archive.guard import (
    archive_guard,
)
from cloudtrail_logging.aws import S3_LOGGING_SERVICE, Policy
from cloudtrail_logging.aws.arns import bucket_arn

ACCESS_LOG_PREFIX = "s3-access-logs/"


def access_log_bucket_name(name_prefix: str, account_id: str, region: str) -> str:
    """The server-access-log bucket: same account and Region as the log bucket (S3 requires it)."""
    return f"{name_prefix}-access-logs-{account_id}-{region}"


def access_log_bucket_policy(
    *,
    partition: str,
    bucket: str,
    source_bucket: str,
    source_account: str,
    administrator_arns: Sequence[str],
    target_prefix: str = ACCESS_LOG_PREFIX,
) -> Policy:
    """Bucket policy of the server-access-log bucket: S3 log delivery for one source bucket only;
    nobody deletes a record and only the archive administrators reconfigure it (`guard`).

    Log delivery has to be granted by bucket policy: the bucket enforces object ownership, so
    ACL grants to the log delivery group are impossible (S3 User Guide, "Enabling Amazon S3
    server access logging", https://docs.aws.amazon.com/AmazonS3/latest/userguide/
    enable-server-access-logging.html, "Permissions for log delivery").
    """
    arn = bucket_arn(partition, bucket)
    source_arn = bucket_arn(partition, source_bucket)
    return {
        "Version": "2012-10-17",
        "Statement": [
            # S3 User Guide, "Security best practices for Amazon S3": deny requests not over TLS.
            # AWS's own log buckets pair this with service deliveries (Control Tower User
            # Guide, "Amazon S3 bucket policy in the audit account", AllowSSLRequestsOnly).
            deny_insecure_transport(partition, bucket),
            # Verbatim form of "Grant permissions to the logging service principal by using a
            # bucket policy" (same page): PutObject under the target prefix, confused-deputy
            # conditions aws:SourceArn (ArnLike, the source bucket) and aws:SourceAccount.
            {
                "Sid": "S3ServerAccessLogsPolicy",
                "Effect": "Allow",
                "Principal": {"Service": S3_LOGGING_SERVICE},
                "Action": ["s3:PutObject"],
                "Resource": f"{arn}/{target_prefix}*",
                "Condition": {
                    "ArnLike": {"aws:SourceArn": source_arn},
                    "StringEquals": {"aws:SourceAccount": source_account},
                },
            },
            # Nobody else writes here, so access records cannot be forged. The same page warns
            # that Deny statements must not block delivery: deliveries carry aws:SourceArn equal
            # to the source bucket (the Allow above requires it), so this never matches them.
            {
                "Sid": "DenyWritesNotFromLogDelivery",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": f"{arn}/*",
                "Condition": {"ArnNotLike": {"aws:SourceArn": source_arn}},
            },
            {
                "Sid": "DenyBucketDeletion",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:DeleteBucket",
                "Resource": arn,
            },
            # The evidence of who read the logs: kept like the logs (reads stay with IAM: the
            # records name requests, they hold no log content).
            *archive_guard(
                partition, bucket, administrator_arns=administrator_arns, reader_arns=None
            ),
        ],
    }


def access_log_target(target_prefix: str = ACCESS_LOG_PREFIX) -> dict[str, Any]:
    """`aws.s3.BucketLogging` target settings: a prefix, and date-partitioned keys.

    Partitioned keys (`[prefix][account]/[region]/[bucket]/YYYY/MM/DD/...`, S3 User Guide,
    "Logging requests with server access logging") let Athena prune by date.
    """
    return {
        "target_prefix": target_prefix,
        "target_object_key_format": {"partitioned_prefix": {"partition_date_source": "EventTime"}},
    }
