"""A copy of the log archive in another Region, optionally owned by another account.

Security Hub S3.7 (cross-Region replication). Replication is live and one-way; delete markers
are not replicated, so a deletion in the archive never reaches the copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NotRequired, TypedDict, cast

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.archive.lifecycle import expiry_lifecycle_rule
from cloudtrail_logging.aws.policy_json import policy_json
from cloudtrail_logging.integrity.object_lock import ObjectLock, object_lock_configuration
from cloudtrail_logging.integrity.replication import ReplicaTarget, replication_rule
from components import TYPE_PREFIX
from components.buckets import private_bucket_settings
from components.replication_role import ReplicationRole


class ReplicaArgs(TypedDict):
    """Inputs of a Replica; every value but `source_bucket` and `source_ready` is plain config."""

    partition: str
    account_id: str
    """This account: it owns the archive and the replication role."""
    source_bucket: pulumi.Input[str]
    """The archive's name as an output of the archive bucket (carries the dependency)."""
    source_bucket_name: str
    source_region: str
    source_sse_kms: bool
    """Whether the archive's log files are SSE-KMS (the trail has a KMS key)."""
    target: ReplicaTarget
    role_name: str
    key_prefix: NotRequired[str | None]
    key_alias: NotRequired[str]
    """`alias/...` of the replica key this stack creates (replica in this account only)."""
    object_lock: NotRequired[ObjectLock | None]
    """The archive's Object Lock; the replica must have Object Lock too to receive locked
    objects (S3 User Guide, "Using S3 Object Lock with replication")."""
    expire_after_days: NotRequired[int]
    """Lifecycle expiry of replicas (0 = never), when `lifecycle_rules` is not given."""
    noncurrent_expire_after_days: NotRequired[int]
    lifecycle_rules: NotRequired[Sequence[dict[str, Any]]]
    """The replica's lifecycle rules (BucketLifecycleConfiguration shape); the archive's
    transition and expiry, so both copies age alike."""
    transition_default_minimum_object_size: NotRequired[str]
    reader_arns: NotRequired[Sequence[str]]
    """Principals that may read and decrypt replicas."""
    bucket_policy: dict[str, Any]
    """The replica's bucket policy (applied here for a replica in this account)."""
    key_policy: dict[str, Any] | None
    """The replica key's policy (replica in this account only)."""
    source_ready: NotRequired[Sequence[pulumi.Resource]]
    """What replication waits for: at least the archive's versioning (S3 refuses to configure
    replication on an unversioned source) and, with SSE-KMS, the log key's policy."""


class Replica(pulumi.ComponentResource):
    """The replication configuration, and, in this account, the replica bucket and key.

    The replication role is a `ReplicationRole` of its own, created before the log key that
    names it. A replica in another account cannot be created here: this stack has no credentials
    there, and a component never builds providers. For that case the replica bucket, its key
    and their policies are the other account's, which applies the documents the plan computes
    (`ReplicationPlan.foreign_documents`, exported as stack outputs).
    """

    replication: aws.s3.BucketReplicationConfig
    # Replica in this account only:
    key: aws.kms.Key
    bucket: aws.s3.Bucket
    versioning: aws.s3.BucketVersioning
    policy: aws.s3.BucketPolicy

    def __init__(
        self,
        name: str,
        args: ReplicaArgs,
        *,
        role: ReplicationRole,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(f"{TYPE_PREFIX}:Replica", name, None, opts)
        partition = args["partition"]
        target = args["target"]
        lock = args.get("object_lock")
        destination_ready: list[pulumi.Resource] = []
        replica_key_arn: pulumi.Input[str] | None
        if target.cross_account:
            replica_key_arn = target.kms_key_arn
        else:
            destination_ready = self._replica_in_this_account(name, args, lock, role)
            replica_key_arn = self.key.arn
        self.replication = aws.s3.BucketReplicationConfig(
            f"{name}-replication",
            bucket=args["source_bucket"],
            role=role.role.arn,
            rules=[
                cast(
                    aws.s3.BucketReplicationConfigRuleArgsDict,
                    replication_rule(
                        partition=partition,
                        key_prefix=args.get("key_prefix"),
                        source_sse_kms=args["source_sse_kms"],
                        target=target,
                        replica_kms_key_arn=replica_key_arn,
                    ),
                )
            ],
            # S3 requires versioning on both buckets before it accepts the configuration
            # (S3 User Guide, "Requirements and considerations for replication"); the role's
            # permissions come first so the first replications do not fail.
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=[
                    *role.ready,
                    *args.get("source_ready", ()),
                    *destination_ready,
                ],
            ),
        )
        self.register_outputs(
            {"roleArn": role.role.arn, "replicaBucket": target.bucket,
             "replicaRegion": target.region}
        )  # fmt: skip

    def _replica_in_this_account(
        self, name: str, args: ReplicaArgs, lock: ObjectLock | None, role: ReplicationRole
    ) -> list[pulumi.Resource]:
        """The replica's key and bucket in the replica Region; returns what replication needs."""
        target = args["target"]
        if args["key_policy"] is None:
            raise ValueError("a replica in this account needs the plan's key policy")
        region = target.region
        # Each resource names its Region (pulumi-aws v7 per-resource `region`): no provider.
        child = pulumi.ResourceOptions(parent=self)
        stateful = pulumi.ResourceOptions(parent=self, protect=True, retain_on_delete=True)
        self.key = aws.kms.Key(
            f"{name}-key",
            region=region,
            description=f"Replica of the CloudTrail log archive ({target.bucket})",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=policy_json(args["key_policy"]),
            # KMS refuses a key policy whose principal does not exist yet.
            opts=pulumi.ResourceOptions.merge(
                stateful, pulumi.ResourceOptions(depends_on=[role.role])
            ),
        )
        self.key_alias = aws.kms.Alias(
            f"{name}-key-alias",
            region=region,
            # Aliases allow no dots, bucket names may have them.
            name=args.get("key_alias", f"alias/{target.bucket.replace('.', '-')}"),
            target_key_id=self.key.key_id,
            opts=child,
        )
        # Object Lock, if any, comes from BucketObjectLockConfiguration once versioning is on
        # (see `object_lock_configuration`): turning it on later never replaces the bucket.
        self.bucket = aws.s3.Bucket(
            f"{name}-bucket",
            region=region,
            bucket=target.bucket,
            force_destroy=False,
            opts=stateful,
        )
        bucket_name = self.bucket.bucket
        settings = private_bucket_settings(name, bucket_name, parent=self, region=region)
        self.ownership = settings.ownership
        self.public_access_block = settings.public_access_block
        self.versioning = settings.versioning
        self.encryption = aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            region=region,
            bucket=bucket_name,
            rules=[
                {
                    "apply_server_side_encryption_by_default": {
                        "sse_algorithm": "aws:kms",
                        "kms_master_key_id": self.key.arn,
                    },
                    # Fewer KMS calls, and less throttling, which replication of many SSE-KMS
                    # objects can hit (S3 User Guide, "Replicating encrypted objects").
                    "bucket_key_enabled": True,
                }
            ],
            opts=child,
        )
        rules = args.get("lifecycle_rules") or [
            expiry_lifecycle_rule(
                "expire-replicas",
                args.get("expire_after_days", 0),
                args.get("noncurrent_expire_after_days", 90),
            )
        ]
        self.lifecycle = aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            region=region,
            bucket=bucket_name,
            rules=[cast(aws.s3.BucketLifecycleConfigurationRuleArgsDict, r) for r in rules],
            transition_default_minimum_object_size=args.get(
                "transition_default_minimum_object_size"
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.versioning]),
        )
        ready: list[pulumi.Resource] = [self.versioning, self.encryption]
        if lock is not None:
            self.object_lock = aws.s3.BucketObjectLockConfiguration(
                f"{name}-object-lock",
                region=region,
                bucket=bucket_name,
                **object_lock_configuration(lock),
                opts=pulumi.ResourceOptions(
                    parent=self, depends_on=[self.versioning], protect=True
                ),
            )
            ready.append(self.object_lock)
        self.policy = aws.s3.BucketPolicy(
            f"{name}-policy",
            region=region,
            bucket=bucket_name,
            policy=policy_json(args["bucket_policy"]),
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[self.public_access_block, self.ownership]
            ),
        )
        ready.append(self.policy)
        return ready
