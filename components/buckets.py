"""The baseline every bucket of this project gets: ACLs disabled, never public, versioned."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.aws import Policy
from cloudtrail_logging.aws.policy_json import policy_json
from cloudtrail_logging.integrity.object_lock import ObjectLock, object_lock_configuration
from components.component import Component

R = TypeVar("R", bound=pulumi.CustomResource)


@dataclass(frozen=True)
class _BucketChildren:
    """Makes the resources `<name>-<suffix>` that configure one bucket, in its Region."""

    name: str
    bucket: pulumi.Input[str]
    region: str | None

    def make(
        self, kind: Callable[..., R], suffix: str, opts: pulumi.ResourceOptions, **args: Any
    ) -> R:
        return kind(
            f"{self.name}-{suffix}", region=self.region, bucket=self.bucket, opts=opts, **args
        )


@dataclass(frozen=True)
class PrivateBucketSettings:
    """The three settings resources, for callers that must order other resources after them,
    and the resources that must follow them."""

    children: _BucketChildren
    parent: pulumi.Resource
    ownership: aws.s3.BucketOwnershipControls
    public_access_block: aws.s3.BucketPublicAccessBlock
    versioning: aws.s3.BucketVersioning

    def policy(self, policy: Policy, *, adopt: str | None = None) -> aws.s3.BucketPolicy:
        """`<name>-policy`, once the public access block and ownership are in place: the policy
        has "*" principals (in its Deny statements). `adopt`: an existing bucket's name, whose
        policy is imported."""
        after = [self.public_access_block, self.ownership]
        opts = pulumi.ResourceOptions(parent=self.parent, depends_on=after, import_=adopt)
        return self.children.make(aws.s3.BucketPolicy, "policy", opts, policy=policy_json(policy))

    def lifecycle(
        self, rules: Sequence[Mapping[str, Any]], **args: Any
    ) -> aws.s3.BucketLifecycleConfiguration:
        """`<name>-lifecycle`, once versioning is on: a rule on an unversioned bucket would expire
        objects for good, and noncurrent-version expiry means nothing before."""
        opts = pulumi.ResourceOptions(parent=self.parent, depends_on=[self.versioning])
        return self.children.make(
            aws.s3.BucketLifecycleConfiguration, "lifecycle", opts, rules=list(rules), **args
        )

    def object_lock(self, lock: ObjectLock) -> aws.s3.BucketObjectLockConfiguration:
        """`<name>-object-lock`, once versioning is on; protected, for removing it would stop
        locking new objects."""
        after = [self.versioning]
        opts = pulumi.ResourceOptions(parent=self.parent, depends_on=after, protect=True)
        return self.children.make(
            aws.s3.BucketObjectLockConfiguration,
            "object-lock",
            opts,
            **object_lock_configuration(lock),
        )


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
    children = _BucketChildren(name, bucket, region)
    child = pulumi.ResourceOptions(parent=parent)
    return PrivateBucketSettings(
        children=children,
        parent=parent,
        ownership=children.make(
            aws.s3.BucketOwnershipControls,
            "ownership",
            child,
            rule={"object_ownership": "BucketOwnerEnforced"},
        ),
        public_access_block=children.make(
            aws.s3.BucketPublicAccessBlock,
            "public-access-block",
            child,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
        ),
        versioning=children.make(
            aws.s3.BucketVersioning,
            "versioning",
            pulumi.ResourceOptions(parent=parent, import_=adopt),
            versioning_configuration={"status": "Enabled"},
        ),
    )


def evidence_bucket(
    parent: Component,
    name: str,
    bucket: str,
    *,
    region: str | None = None,
    adopt: str | None = None,
) -> tuple[aws.s3.Bucket, PrivateBucketSettings]:
    """The bucket `bucket` as `<name>-bucket`, and its `private_bucket_settings`. It holds
    evidence: never force_destroy, protected and retained (`Component.stateful`). `adopt`: an
    existing bucket's name, imported with its versioning."""
    created = aws.s3.Bucket(
        f"{name}-bucket",
        region=region,
        bucket=bucket,
        force_destroy=False,
        opts=parent.stateful(import_=adopt),
    )
    settings = private_bucket_settings(
        name, created.bucket, parent=parent, region=region, adopt=adopt
    )
    return created, settings
