"""The central log bucket: private, versioned, encrypted, lifecycled, and locked to CloudTrail."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.plan.parts import BucketPlan
from components.buckets import PrivateBucketSettings, evidence_bucket
from components.component import Component


class LogBucket(Component, type_name="LogBucket"):
    """A CloudTrail log bucket and the settings that make it fit to hold audit logs.

    Every sub-resource names the bucket through `bucket.bucket`, an output that echoes the
    explicit name: known at preview, and it carries the dependency on the bucket.

    An adopted bucket (`plan.import_id`) is imported with the settings every bucket a trail
    delivers to has: its policy (CloudTrail refuses a bucket without one), its default
    encryption (S3 encrypts every bucket since January 2023) and its versioning (S3 reports a
    status for every bucket). The others are written over by their first `pulumi up`.
    """

    bucket: aws.s3.Bucket
    policy: aws.s3.BucketPolicy
    settings: PrivateBucketSettings
    object_lock: aws.s3.BucketObjectLockConfiguration | None
    bucket_name: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        plan: BucketPlan,
        *,
        kms_key_arn: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(name, opts)
        self.bucket, self.settings = evidence_bucket(self, name, plan.name, adopt=plan.import_id)
        bucket_name = self.bucket.bucket
        self.encryption = aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket_name,
            rules=[
                {
                    "apply_server_side_encryption_by_default": (
                        {"sse_algorithm": "aws:kms", "kms_master_key_id": kms_key_arn}
                        if plan.kms
                        else {"sse_algorithm": "AES256"}
                    ),
                    "bucket_key_enabled": plan.kms,
                }
            ],
            opts=self.child(import_=plan.import_id),
        )
        self.lifecycle = self.settings.lifecycle(
            plan.lifecycle_rules,
            transition_default_minimum_object_size=plan.transition_default_minimum_object_size,
        )
        self.policy = self.settings.policy(plan.policy, adopt=plan.import_id)
        # Object Lock on a new or an existing bucket, once versioning is on; the bucket itself
        # never sets object_lock_enabled, which would replace (and so fail on) a live archive.
        self.object_lock = None
        if plan.object_lock is not None:
            # Removing it would stop locking new logs: that takes an explicit unprotect.
            self.object_lock = self.settings.object_lock(plan.object_lock)
        self.bucket_name = bucket_name
        self.register_outputs({"bucketName": bucket_name})
