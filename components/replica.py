"""A copy of the log archive in another Region, optionally owned by another account.

Security Hub S3.7 (cross-Region replication). Replication is live and one-way; delete markers
are not replicated, so a deletion in the archive never reaches the copy.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import cast

import pulumi
import pulumi_aws as aws

from cloudtrail_logging.plan.parts import ReplicationPlan
from components.buckets import PrivateBucketSettings, evidence_bucket
from components.component import Component
from components.keys import rotating_key
from components.replication_role import ReplicationRole


class Replica(Component, type_name="Replica"):
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
    settings: PrivateBucketSettings
    policy: aws.s3.BucketPolicy

    def __init__(
        self,
        name: str,
        plan: ReplicationPlan,
        *,
        role: ReplicationRole,
        source_bucket: pulumi.Input[str],
        source_ready: Sequence[pulumi.Resource] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`source_bucket`: the archive's name as its output (carries the dependency);
        `source_ready`: what replication waits for, at least the archive's versioning (S3
        refuses replication on an unversioned source) and, with SSE-KMS, the log key."""
        super().__init__(name, opts)
        target = plan.target
        destination_ready: list[pulumi.Resource] = []
        rule = copy.deepcopy(plan.rule)
        if not target.cross_account:
            destination_ready = self._replica_in_this_account(name, plan, role)
        if plan.replica_key_here:
            rule["destination"]["encryption_configuration"]["replica_kms_key_id"] = self.key.arn
        self.replication = aws.s3.BucketReplicationConfig(
            f"{name}-replication",
            bucket=source_bucket,
            role=role.role.arn,
            rules=[cast(aws.s3.BucketReplicationConfigRuleArgsDict, rule)],
            # S3 requires versioning on both buckets before it accepts the configuration
            # (S3 User Guide, "Requirements and considerations for replication"); the role's
            # permissions come first so the first replications do not fail.
            opts=self.child(depends_on=[*role.ready, *source_ready, *destination_ready]),
        )
        self.key_arn: pulumi.Input[str] = (
            self.key.arn if plan.replica_key_here else target.kms_key_arn or ""
        )
        """The replica's key: this stack's, or the other account's as configured."""
        self.register_outputs(
            {"roleArn": role.role.arn, "replicaBucket": target.bucket,
             "replicaRegion": target.region}
        )  # fmt: skip

    def _replica_in_this_account(
        self, name: str, plan: ReplicationPlan, role: ReplicationRole
    ) -> list[pulumi.Resource]:
        """The replica's key and bucket in the replica Region; returns what replication needs."""
        target = plan.target
        if plan.key_policy is None:
            raise ValueError("a replica in this account needs the plan's key policy")
        region = target.region
        # Each resource names its Region (pulumi-aws v7 per-resource `region`): no provider.
        self.key = rotating_key(
            self,
            name,
            f"Replica of the CloudTrail log archive ({target.bucket})",
            plan.key_policy,
            [role.role],
            region=region,
        )
        self.key_alias = aws.kms.Alias(
            f"{name}-key-alias",
            region=region,
            name=plan.key_alias,
            target_key_id=self.key.key_id,
            opts=self.child(),
        )
        # Object Lock, if any, comes from BucketObjectLockConfiguration once versioning is on
        # (see `object_lock_configuration`): turning it on later never replaces the bucket.
        self.bucket, self.settings = evidence_bucket(self, name, target.bucket, region=region)
        settings = self.settings
        bucket_name = self.bucket.bucket
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
            opts=self.child(),
        )
        self.lifecycle = settings.lifecycle(
            plan.lifecycle_rules,
            transition_default_minimum_object_size=plan.transition_default_minimum_object_size,
        )
        ready: list[pulumi.Resource] = [settings.versioning, self.encryption]
        if plan.object_lock is not None:
            self.object_lock = settings.object_lock(plan.object_lock)
            ready.append(self.object_lock)
        self.policy = settings.policy(plan.bucket_policy)
        ready.append(self.policy)
        return ready
