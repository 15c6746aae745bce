"""The central log bucket: private, versioned, encrypted, lifecycled, and locked to CloudTrail."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.bucket_policy import log_bucket_policy
from cloudtrail_logging.policy_json import policy_json
from cloudtrail_logging.settings import Lifecycle
from components import TYPE_PREFIX


class LogBucketArgs(TypedDict):
    """Inputs of a LogBucket."""

    bucket_name: str
    partition: str
    writer_accounts: Sequence[str]
    """Accounts whose trails may deliver (the bucket's own account included)."""
    trail_name: str
    """The name every delivering trail carries; the policy admits only that name."""
    lifecycle: Lifecycle
    key_prefix: NotRequired[str | None]
    kms_key_arn: NotRequired[pulumi.Input[str] | None]
    """SSE-KMS with this key and the S3 Bucket Key; SSE-S3 when absent."""
    reader_arns: NotRequired[Sequence[str]]
    organization_id: NotRequired[str | None]
    management_account_id: NotRequired[str | None]


class LogBucket(pulumi.ComponentResource):
    """A CloudTrail log bucket and the settings that make it fit to hold audit logs.

    Every sub-resource names the bucket through `bucket.bucket`, an output that echoes the
    explicit name: known at preview, and it carries the dependency on the bucket.
    """

    bucket: aws.s3.Bucket
    policy: aws.s3.BucketPolicy

    def __init__(
        self, name: str, args: LogBucketArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(f"{TYPE_PREFIX}:LogBucket", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        # Stateful and evidential: never force_destroy, always protected and retained.
        self.bucket = aws.s3.Bucket(
            f"{name}-bucket",
            bucket=args["bucket_name"],
            force_destroy=False,
            opts=pulumi.ResourceOptions(parent=self, protect=True, retain_on_delete=True),
        )
        bucket_name = self.bucket.bucket
        self.ownership = aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=bucket_name,
            rule={"object_ownership": "BucketOwnerEnforced"},
            opts=child,
        )
        self.public_access_block = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            bucket=bucket_name,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child,
        )
        self.versioning = aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=bucket_name,
            versioning_configuration={"status": "Enabled"},
            opts=child,
        )
        kms_key_arn = args.get("kms_key_arn")
        default_encryption: dict[str, object] = (
            {"sse_algorithm": "aws:kms", "kms_master_key_id": kms_key_arn}
            if kms_key_arn is not None
            else {"sse_algorithm": "AES256"}
        )
        self.encryption = aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket_name,
            rules=[
                {
                    "apply_server_side_encryption_by_default": default_encryption,
                    "bucket_key_enabled": kms_key_arn is not None,
                }
            ],
            opts=child,
        )
        self.lifecycle = aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket_name,
            rules=[_lifecycle_rule(args["lifecycle"])],
            # A lifecycle rule on an unversioned bucket would expire logs for good.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.versioning]),
        )
        document = log_bucket_policy(
            partition=args["partition"],
            bucket=args["bucket_name"],
            writer_accounts=args["writer_accounts"],
            trail_name=args["trail_name"],
            key_prefix=args.get("key_prefix"),
            reader_arns=args.get("reader_arns", ()),
            organization_id=args.get("organization_id"),
            management_account_id=args.get("management_account_id"),
        )
        # The public access block must be in place before a policy with a "*" principal.
        self.policy = aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=bucket_name,
            policy=policy_json(document),
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[self.public_access_block, self.ownership]
            ),
        )
        self.bucket_name = bucket_name
        self.register_outputs({"bucketName": bucket_name, "bucketArn": self.bucket.arn})


def _lifecycle_rule(lifecycle: Lifecycle) -> dict[str, object]:
    rule: dict[str, object] = {
        "id": "archive-cloudtrail-logs",
        "status": "Enabled",
        "filter": {"prefix": ""},
        "transitions": [{"days": lifecycle.glacier_after_days, "storage_class": "GLACIER"}],
        "noncurrent_version_expiration": {
            "noncurrent_days": lifecycle.noncurrent_expire_after_days
        },
        "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
    }
    if lifecycle.expire_after_days:
        rule["expiration"] = {"days": lifecycle.expire_after_days}
    return rule
