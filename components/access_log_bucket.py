"""The server-access-log bucket of the log bucket, and the logging that fills it.

CIS AWS Foundations Benchmark v1.2.0 2.6 / v1.4.0 3.6, Security Hub CloudTrail.7: "Ensure S3
bucket access logging is enabled on the CloudTrail S3 bucket".
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict, cast

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.archive.lifecycle import expiry_lifecycle_rule
from cloudtrail_logging.aws.policy_json import policy_json
from cloudtrail_logging.integrity.access_logging import ACCESS_LOG_PREFIX, access_log_target
from components import TYPE_PREFIX
from components.buckets import private_bucket_settings


class AccessLogBucketArgs(TypedDict):
    """Inputs of an AccessLogBucket; every value but `source_bucket` is plain config."""

    bucket_name: str
    """Must be in the log bucket's account and Region (S3 delivers only there)."""
    partition: str
    account_id: str
    """The account of both buckets: the delivery's aws:SourceAccount."""
    source_bucket: pulumi.Input[str]
    """The log bucket's name as an output of it, so the logging waits for that bucket."""
    source_bucket_name: str
    """The same name as plain text, for the bucket policy (known at preview)."""
    expire_after_days: int
    noncurrent_expire_after_days: int
    policy: dict[str, Any]
    """The bucket policy (`integrity.access_log_bucket_policy`, with the target prefix)."""
    target_prefix: NotRequired[str]


class AccessLogBucket(pulumi.ComponentResource):
    """A private, versioned, lifecycled bucket that receives the log bucket's access logs.

    Differences from the log bucket, both required by S3 for a server-access-log destination
    (S3 User Guide, "Enabling Amazon S3 server access logging"): default encryption is SSE-S3,
    since "Default server-side encryption with AWS KMS keys (SSE-KMS) is not supported" there,
    and no Object Lock ("S3 buckets with S3 Object Lock can't be used as destination buckets
    for server access logs"). The bucket policy denies every write but the delivery instead.
    """

    bucket: aws.s3.Bucket
    policy: aws.s3.BucketPolicy
    logging: aws.s3.BucketLogging

    def __init__(
        self, name: str, args: AccessLogBucketArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(f"{TYPE_PREFIX}:AccessLogBucket", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        target_prefix = args.get("target_prefix", ACCESS_LOG_PREFIX)
        # Evidence of access to the evidence: never force_destroy, protected and retained.
        self.bucket = aws.s3.Bucket(
            f"{name}-bucket",
            bucket=args["bucket_name"],
            force_destroy=False,
            opts=pulumi.ResourceOptions(parent=self, protect=True, retain_on_delete=True),
        )
        bucket_name = self.bucket.bucket
        settings = private_bucket_settings(name, bucket_name, parent=self)
        self.ownership = settings.ownership
        self.public_access_block = settings.public_access_block
        self.versioning = settings.versioning
        self.encryption = aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket_name,
            rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
            opts=child,
        )
        self.lifecycle = aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket_name,
            rules=[
                cast(
                    aws.s3.BucketLifecycleConfigurationRuleArgsDict,
                    expiry_lifecycle_rule(
                        "expire-access-logs",
                        args["expire_after_days"],
                        args["noncurrent_expire_after_days"],
                    ),
                )
            ],
            # Noncurrent-version expiry only means something once versioning is on.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.versioning]),
        )
        document = args["policy"]
        # The public access block first: the policy has "*" principals (in Deny statements).
        self.policy = aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=bucket_name,
            policy=policy_json(document),
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[self.public_access_block, self.ownership]
            ),
        )
        # Logging starts only once delivery is allowed and the bucket is encrypted as S3
        # requires, so no access record is dropped or written otherwise.
        self.logging = aws.s3.BucketLogging(
            f"{name}-source-logging",
            bucket=args["source_bucket"],
            target_bucket=bucket_name,
            **access_log_target(target_prefix),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.policy, self.encryption]),
        )
        self.bucket_name = bucket_name
        self.ready: list[pulumi.Resource] = [self.policy, self.logging]
        self.register_outputs(
            {"bucketName": bucket_name, "bucketArn": self.bucket.arn, "targetPrefix": target_prefix}
        )
