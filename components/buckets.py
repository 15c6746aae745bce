"""The baseline every bucket of this project gets: ACLs disabled, never public, versioned."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class PrivateBucketSettings:
    """The three settings resources, for callers that must order other resources after them."""

    ownership: aws.s3.BucketOwnershipControls
    public_access_block: aws.s3.BucketPublicAccessBlock
    versioning: aws.s3.BucketVersioning


def private_bucket_settings(
    name: str,
    bucket: pulumi.Input[str],
    *,
    parent: pulumi.Resource,
    region: str | None = None,
    adopt: str | None = None,
) -> PrivateBucketSettings:
    """BucketOwnerEnforced (S3 user guide, "Controlling ownership of objects": ACLs disabled),
    all four Block Public Access settings, and versioning Enabled, as `<name>-…` children.
    `adopt`: an existing bucket's name, whose versioning (which S3 reports for every bucket) is
    imported rather than created."""
    child = pulumi.ResourceOptions(parent=parent)
    return PrivateBucketSettings(
        ownership=aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            region=region,
            bucket=bucket,
            rule={"object_ownership": "BucketOwnerEnforced"},
            opts=child,
        ),
        public_access_block=aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            region=region,
            bucket=bucket,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child,
        ),
        versioning=aws.s3.BucketVersioning(
            f"{name}-versioning",
            region=region,
            bucket=bucket,
            versioning_configuration={"status": "Enabled"},
            opts=pulumi.ResourceOptions(parent=parent, import_=adopt),
        ),
    )
