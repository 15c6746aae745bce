"""The log-archive side of a stack: the log bucket and what guards it, wired from the plan.

A function, not a component: the resources keep the logical names and parents they had before
access logging and replication existed, so upgrading a stack replaces nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import pulumi

from cloudtrail_logging.plan.parts import Plan
from components import TYPE_PREFIX
from components.access_log_bucket import AccessLogBucket, AccessLogBucketArgs
from components.bucket_notifications import BucketNotifications
from components.keys import ManagedKey
from components.log_bucket import LogBucket
from components.replica import Replica, ReplicaArgs
from components.replication_role import ReplicationRole


@dataclass(frozen=True)
class LogArchive:
    """What the trail needs from the archive."""

    bucket_name: pulumi.Output[str]
    """The bucket's name as its output: known at preview, and it carries the dependency."""
    delivery_ready: list[pulumi.Resource]
    """What CloudTrail checks at CreateTrail: the bucket policy and, with SSE-KMS, the key."""


def replication_role(plan: Plan) -> ReplicationRole | None:
    """The replication role, which must exist before the log key whose policy names it; its
    resources keep the URNs they had as children of the `replica` component."""
    if plan.replication is None:
        return None
    old_parent = pulumi.create_urn("replica", f"{TYPE_PREFIX}:Replica")
    return ReplicationRole("replica", plan.replication.role, moved_from=old_parent)


def deploy_log_archive(
    plan: Plan,
    *,
    log_key: ManagedKey | None,
    messaging_key_arn: pulumi.Input[str] | None,
    role: ReplicationRole | None,
) -> LogArchive:
    """The log bucket, its notifications, access logging and replica, as the plan says."""
    if plan.bucket is None:
        raise ValueError("deploy_log_archive needs a log-archive plan")
    bucket = LogBucket("log-archive", plan.bucket, kms_key_arn=log_key.arn if log_key else None)
    key: list[pulumi.Resource] = [log_key.key] if log_key else []
    if plan.notifications is not None and messaging_key_arn is not None:
        BucketNotifications(
            "log-objects",
            plan.notifications,
            bucket=bucket.bucket_name,
            kms_key_arn=messaging_key_arn,
        )
    if plan.access_logs is not None:
        args: Any = plan.access_logs.component_args(bucket.bucket_name)
        AccessLogBucket("access-logs", cast(AccessLogBucketArgs, args))
    if plan.replication is not None:
        if role is None:
            raise ValueError("replication needs the replication role")
        # S3 accepts a replication configuration only on a versioned source; the log key's
        # policy must admit the replication role before the first SSE-KMS log is copied.
        source_ready = [bucket.versioning, *key]
        replica: Any = plan.replication.component_args(bucket.bucket_name, source_ready)
        Replica("replica", cast(ReplicaArgs, replica), role=role)
    return LogArchive(bucket_name=bucket.bucket_name, delivery_ready=[bucket.policy, *key])
