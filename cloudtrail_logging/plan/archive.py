"""The log archive's part of a plan: its bucket, keys, access logs, replica and S3
notifications."""

from __future__ import annotations

from dataclasses import replace

from cloudtrail_logging.archive.bucket_policy import log_bucket_policy
from cloudtrail_logging.archive.key_policy import log_key_policy
from cloudtrail_logging.archive.lifecycle import (
    expiry_lifecycle_rule,
    lifecycle_rules,
    minimum_object_size,
)
from cloudtrail_logging.aws import S3_SERVICE
from cloudtrail_logging.aws.arns import (
    bucket_arn,
    logs_prefix,
    role_arn,
)
from cloudtrail_logging.integrity.access_logging import access_log_bucket_policy, access_log_target
from cloudtrail_logging.integrity.replication import (
    replica_bucket_policy,
    replica_key_policy,
    replica_key_statements,
    replication_role_name,
    replication_role_policy,
    replication_rule,
    replication_source_key_statement,
    replication_trust_policy,
)
from cloudtrail_logging.messaging.resource_policies import Sender
from cloudtrail_logging.plan.messaging import (
    fanout_topic_plan,
    queue_plan,
)
from cloudtrail_logging.plan.parts import (
    AccessLogPlan,
    BucketPlan,
    KeyPlan,
    NotificationsPlan,
    ReplicationPlan,
    RolePlan,
)
from cloudtrail_logging.settings import ArchiveSettings

LOG_OBJECT_EVENTS = ("s3:ObjectCreated:*",)




def bucket_plan(s: ArchiveSettings, replication: ReplicationPlan | None) -> BucketPlan:
    return BucketPlan(
        name=s.log_bucket_name,
        arn=bucket_arn(s.partition, s.log_bucket_name),
        policy=log_bucket_policy(
            partition=s.partition,
            bucket=s.log_bucket_name,
            writer_accounts=s.delivering_accounts,
            trail_name=s.trail_name,
            administrator_arns=s.administrator_arns,
            key_prefix=s.s3_key_prefix,
            reader_arns=s.log_readers,
            replication_role_arn=replication.role.arn if replication else None,
            # With an existing archive, the organization trail delivers there, not here.
            organization_id=None if s.data_events_only else s.organization_id,
            management_account_id=None if s.data_events_only else s.management_account_id,
            per_account_prefixes=s.per_account_policy,
        ),
        kms=s.encryption == "sse-kms",
        lifecycle_rules=lifecycle_rules(s.lifecycle),
        transition_default_minimum_object_size=minimum_object_size(s.lifecycle),
        object_lock=s.integrity.object_lock,
        import_id=s.adopt.log_bucket,
    )




def access_log_plan(s: ArchiveSettings) -> AccessLogPlan | None:
    if s.integrity.access_log_bucket is None:
        return None
    bucket = s.integrity.access_log_bucket
    target = access_log_target()
    return AccessLogPlan(
        bucket_name=bucket,
        source_bucket_name=s.log_bucket_name,
        policy=access_log_bucket_policy(
            partition=s.partition,
            bucket=bucket,
            source_bucket=s.log_bucket_name,
            source_account=s.account_id,
            administrator_arns=s.administrator_arns,
            target_prefix=target["target_prefix"],
        ),
        lifecycle_rules=(
            expiry_lifecycle_rule(
                "expire-access-logs",
                s.integrity.access_log_retention_days,
                s.lifecycle.noncurrent_expire_after_days,
            ),
        ),
        target_prefix=target["target_prefix"],
        target_object_key_format=target["target_object_key_format"],
    )


def replication_plan(s: ArchiveSettings) -> ReplicationPlan | None:
    target = s.integrity.replica
    if target is None:
        return None
    name = replication_role_name(s.name_prefix)
    arn = role_arn(s.partition, s.account_id, name)
    sse_kms = s.encryption == "sse-kms"
    role = RolePlan(
        name=name,
        arn=arn,
        description="S3 replication of the CloudTrail log archive",
        trust_policy=replication_trust_policy(),
        policy_name="replicate-cloudtrail-logs",
        policy=replication_role_policy(
            partition=s.partition,
            account_id=s.account_id,
            source_bucket=s.log_bucket_name,
            source_region=s.region,
            key_prefix=s.s3_key_prefix,
            source_sse_kms=sse_kms,
            target=target,
            object_lock=s.integrity.object_lock is not None,
        ),
    )
    here = not target.cross_account
    key_statements = replica_key_statements(
        partition=s.partition,
        role_arn=arn,
        replica_bucket=target.bucket,
        replica_region=target.region,
        reader_arns=s.log_readers,
    )
    return ReplicationPlan(
        partition=s.partition,
        account_id=s.account_id,
        source_bucket_name=s.log_bucket_name,
        source_region=s.region,
        source_sse_kms=sse_kms,
        target=target,
        role=role,
        key_prefix=s.s3_key_prefix,
        key_alias=f"alias/{s.name_prefix}-replica",
        object_lock=s.integrity.object_lock,
        # The replica ages like the archive: same transition, expiry and minimum size.
        lifecycle_rules=lifecycle_rules(s.lifecycle, "archive-cloudtrail-log-replicas"),
        transition_default_minimum_object_size=minimum_object_size(s.lifecycle),
        reader_arns=s.log_readers,
        bucket_policy=replica_bucket_policy(
            partition=s.partition,
            bucket=target.bucket,
            role_arn=arn,
            reader_arns=s.log_readers,
            administrator_arns=s.administrator_arns if here else None,
        ),
        key_statements=tuple(key_statements),
        key_policy=replica_key_policy(
            partition=s.partition,
            administrator_arns=s.administrator_arns,
            role_arn=arn,
            replica_bucket=target.bucket,
            replica_region=target.region,
            reader_arns=s.log_readers,
        )
        if here
        else None,
        rule=replication_rule(
            partition=s.partition,
            key_prefix=s.s3_key_prefix,
            source_sse_kms=sse_kms,
            target=target,
            # This stack's replica key is an output; the component fills it in.
            replica_kms_key_arn=target.kms_key_arn,
        ),
    )


def notifications_plan(s: ArchiveSettings) -> NotificationsPlan | None:
    fanout = s.bucket_notifications
    if not fanout.enabled:
        return None
    source = bucket_arn(s.partition, s.log_bucket_name)
    base = NotificationsPlan(
        events=LOG_OBJECT_EVENTS,
        filter_prefix=logs_prefix(s.s3_key_prefix),
        bucket_arn=source,
        account_id=s.account_id,
    )
    sender = Sender(S3_SERVICE, source, "AllowLogBucketEvents")
    name = f"{s.name_prefix}-log-objects"
    if "sns" in fanout.targets:
        return replace(base, topic=fanout_topic_plan(s, name, sender, fanout))
    if "sqs" in fanout.targets:
        return replace(base, queue=queue_plan(s, name, sender))
    return replace(base, lambda_arn=fanout.lambda_arn)


def archive_bucket_names(s: ArchiveSettings) -> list[str]:
    """The buckets whose configuration the tamper rules watch: this stack's, and an existing
    archive bucket it only watches."""
    replica = s.integrity.replica
    names = [s.log_bucket_name, s.integrity.access_log_bucket, s.existing_archive_bucket]
    if replica is not None and not replica.cross_account:
        names.append(replica.bucket)
    return [n for n in names if n]


def log_key_plan(s: ArchiveSettings, replication: ReplicationPlan | None) -> KeyPlan | None:
    """The archive's log key (SSE-KMS): the delivering trails, the administrators, the readers
    and, with replication, the replication role."""
    if s.encryption != "sse-kms":
        return None
    key_policy = log_key_policy(
        partition=s.partition,
        writer_accounts=s.delivering_accounts,
        trail_name=s.trail_name,
        administrator_arns=s.administrator_arns,
        reader_arns=s.log_readers,
    )
    if replication is not None:  # the role reads SSE-KMS logs only if the key policy says so
        statement = replication_source_key_statement(
            partition=s.partition,
            role_arn=replication.role_arn,
            source_bucket=s.log_bucket_name,
            source_region=s.region,
        )
        key_policy = {**key_policy, "Statement": [*key_policy["Statement"], statement]}
    return KeyPlan(
        description="Encrypts CloudTrail logs in the central log archive",
        alias=f"alias/{s.name_prefix}-logs",
        policy=key_policy,
        import_id=s.adopt.log_key_id,
    )
