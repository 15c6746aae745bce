"""The server-access-log bucket of the log bucket, and the logging that fills it.

CIS AWS Foundations Benchmark v1.2.0 2.6 / v1.4.0 3.6, Security Hub CloudTrail.7: "Ensure S3
bucket access logging is enabled on the CloudTrail S3 bucket".
"""

from __future__ import annotations

from typing import cast

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.plan.parts import AccessLogPlan
from components.buckets import PrivateBucketSettings, evidence_bucket
from components.component import Component


class AccessLogBucket(Component, type_name="AccessLogBucket"):
    """A private, versioned, lifecycled bucket that receives the log bucket's access logs.

    Differences from the log bucket, both required by S3 for a server-access-log destination
    (S3 User Guide, "Enabling Amazon S3 server access logging"): default encryption is SSE-S3,
    since "Default server-side encryption with AWS KMS keys (SSE-KMS) is not supported" there,
    and no Object Lock ("S3 buckets with S3 Object Lock can't be used as destination buckets
    for server access logs"). The bucket policy denies every write but the delivery instead.
    """

    bucket: aws.s3.Bucket
    settings: PrivateBucketSettings
    policy: aws.s3.BucketPolicy
    logging: aws.s3.BucketLogging

    def __init__(
        self,
        name: str,
        plan: AccessLogPlan,
        *,
        source_bucket: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`source_bucket`: the log bucket's name as its output, so the logging waits for it."""
        super().__init__(name, opts)
        # Evidence of access to the evidence.
        self.bucket, self.settings = evidence_bucket(self, name, plan.bucket_name)
        bucket_name = self.bucket.bucket
        self.encryption = aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket_name,
            rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
            opts=self.child(),
        )
        self.lifecycle = self.settings.lifecycle(plan.lifecycle_rules)
        self.policy = self.settings.policy(plan.policy)
        # Logging starts only once delivery is allowed and the bucket is encrypted as S3
        # requires, so no access record is dropped or written otherwise.
        self.logging = aws.s3.BucketLogging(
            f"{name}-source-logging",
            bucket=source_bucket,
            target_bucket=bucket_name,
            target_prefix=plan.target_prefix,
            target_object_key_format=cast(
                aws.s3.BucketLoggingTargetObjectKeyFormatArgsDict, plan.target_object_key_format
            ),
            opts=self.child(depends_on=[self.policy, self.encryption]),
        )
        self.bucket_name = bucket_name
        self.ready: list[pulumi.Resource] = [self.policy, self.logging]
        self.register_outputs(
            {
                "bucketName": bucket_name,
                "bucketArn": self.bucket.arn,
                "targetPrefix": plan.target_prefix,
            }
        )
