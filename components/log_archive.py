"""The log archive: the log key, the log bucket and what guards it, wired from the plan.

Deployed stacks created these resources at the top level, before the archive was one component;
each direct child carries an alias to the root stack, and the engine derives its children's old
URNs from it, so upgrading a stack moves them under the component and replaces nothing
(Pulumi docs, "Resource options: aliases").

The buckets, with every setting that guards them (policy, encryption, lifecycle, Object Lock,
logging, replication), the keys and the replication role are protected: their children inherit
`protect` (Pulumi docs, "Resource options: protect"), so that `pulumi destroy`, even with
`--skip-preview`, stops before it removes the insider guard or stops replication, instead of
leaving the bucket behind without them.
"""

from __future__ import annotations

import pulumi

from cloudtrail_logging.plan.parts import Plan
from components import TYPE_PREFIX
from components.access_log_bucket import AccessLogBucket
from components.bucket_notifications import BucketNotifications
from components.component import Component
from components.keys import ManagedKey
from components.log_bucket import LogBucket
from components.replica import Replica
from components.replication_role import ReplicationRole


class LogArchive(Component, type_name="LogArchive"):
    """The log key (SSE-KMS), its replication role, the log bucket, its notifications, access
    logging and replica. `bucket_name` and `delivery_ready` are what the trail needs."""

    bucket_name: pulumi.Output[str]
    """The bucket's name as its output: known at preview, and it carries the dependency."""
    delivery_ready: list[pulumi.Resource]
    """What CloudTrail checks at CreateTrail: the bucket policy and, with SSE-KMS, the key."""
    log_key: ManagedKey | None

    def __init__(
        self,
        name: str,
        plan: Plan,
        *,
        messaging_key_arn: pulumi.Input[str] | None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(name, opts)
        if plan.bucket is None:
            raise ValueError("LogArchive needs a log-archive plan")
        moved = pulumi.ResourceOptions(
            parent=self, aliases=[pulumi.Alias(parent=pulumi.ROOT_STACK_RESOURCE)]
        )
        guarded = pulumi.ResourceOptions.merge(moved, pulumi.ResourceOptions(protect=True))
        role = None
        if plan.replication is not None:
            # Created first: the log key's policy names it, and CreateKey refuses a policy whose
            # principals do not exist. Its role and policy once were the Replica's children.
            role = ReplicationRole(
                "replica",
                plan.replication.role,
                moved_from=pulumi.create_urn("replica", f"{TYPE_PREFIX}:Replica"),
                opts=guarded,
            )
        self.log_key = None
        if plan.log_key is not None:
            self.log_key = ManagedKey(
                "log-key", plan.log_key, principals=[role.role] if role else [], opts=moved
            )
        key_arn = self.log_key.arn if self.log_key else None
        bucket = LogBucket("log-archive", plan.bucket, kms_key_arn=key_arn, opts=guarded)
        key: list[pulumi.Resource] = [self.log_key.key] if self.log_key else []
        if plan.notifications is not None and messaging_key_arn is not None:
            BucketNotifications(
                "log-objects",
                plan.notifications,
                bucket=bucket.bucket_name,
                kms_key_arn=messaging_key_arn,
                opts=moved,
            )
        if plan.access_logs is not None:
            AccessLogBucket(
                "access-logs", plan.access_logs, source_bucket=bucket.bucket_name, opts=guarded
            )
        self.replica_key_arn: pulumi.Input[str] | None = None
        if plan.replication is not None and role is not None:
            # S3 accepts a replication configuration only on a versioned source; the log key's
            # policy must admit the replication role before the first SSE-KMS log is copied.
            replica = Replica(
                "replica",
                plan.replication,
                role=role,
                source_bucket=bucket.bucket_name,
                source_ready=[bucket.settings.versioning, *key],
                opts=guarded,
            )
            self.replica_key_arn = replica.key_arn
        self.bucket_name = bucket.bucket_name
        self.delivery_ready = [bucket.policy, *key]
        self.register_outputs({"bucketName": bucket.bucket_name, "kmsKeyArn": key_arn})
