"""The log-archive stack's keys: its bucket and lifecycle, log integrity, the named
administrators and readers, and the accounts whose trails deliver."""

from __future__ import annotations

import re
from collections.abc import Callable

from cloudtrail_logging import schema
from cloudtrail_logging.aws import names as aws_names
from cloudtrail_logging.aws import patterns, regions
from cloudtrail_logging.aws.arns import log_bucket_name
from cloudtrail_logging.integrity.access_logging import access_log_bucket_name
from cloudtrail_logging.integrity.object_lock import ObjectLock, object_lock_problems
from cloudtrail_logging.integrity.replication import (
    ReplicaTarget,
    replica_bucket_name,
    replication_problems,
)
from cloudtrail_logging.settings.reader import ACCOUNT, REGION, Reader, checked_name, read_fanout
from cloudtrail_logging.settings.roles import (
    ArchiveSettings,
    Fanout,
    Integrity,
    Lifecycle,
    StackSettings,
)


def _lifecycle(cfg: Reader) -> Lifecycle:
    transition = cfg.get("glacierTransitionDays")
    expire = cfg.get("expirationDays")
    if expire and expire <= transition:
        cfg.fail(
            "expirationDays", f"0 (never) or more than glacierTransitionDays ({transition})", expire
        )
    return Lifecycle(
        transition_days=transition,
        storage_class=cfg.get("archiveStorageClass"),
        transition_small_objects=cfg.get("transitionSmallObjects"),
        expire_after_days=expire,
        noncurrent_expire_after_days=cfg.get("noncurrentExpirationDays"),
    )


def _integrity(
    cfg: Reader, common: StackSettings, lifecycle: Lifecycle, log_bucket: str
) -> Integrity:
    """The log-integrity keys, checked together (Object Lock against lifecycle, replication,
    and bucket names, which S3 keeps globally unique)."""
    account, region = common.account_id, common.region
    mode = cfg.optional("objectLockMode")
    days = cfg.get("objectLockRetentionDays")
    if cfg.ok("objectLockMode", "objectLockRetentionDays", "expirationDays"):
        for key, expected in object_lock_problems(mode, days, lifecycle.expire_after_days):
            cfg.fail(key, expected, cfg.get(key))
    replica = None
    replica_region = cfg.optional("replicationRegion")
    other_keys = ("replicationAccountId", "replicationBucket", "replicationKmsKeyArn")
    if replica_region is None:
        for key in other_keys:
            if cfg.optional(key) is not None:
                cfg.fail(key, "no value unless replicationRegion is set", cfg.get(key))
    elif cfg.ok(REGION) and (
        replica_region not in regions.regions_of(regions.partition_of(region))
    ):
        cfg.fail("replicationRegion", schema.BY_NAME["replicationRegion"].form, replica_region)
    else:
        other = cfg.optional("replicationAccountId")
        other = None if other == account else other
        bucket = cfg.optional("replicationBucket") or replica_bucket_name(
            common.name_prefix, account, replica_region
        )
        for key, expected in () if not cfg.ok(ACCOUNT, REGION) else replication_problems(
            archive_region=region,
            replication_region=replica_region,
            replication_account_id=other,
            replication_bucket=cfg.optional("replicationBucket"),
            replication_kms_key_arn=cfg.optional("replicationKmsKeyArn"),
            own_account_id=account,
        ):
            cfg.fail(key, expected, cfg.get(key))
        replica = ReplicaTarget(
            region=replica_region,
            bucket=checked_name(cfg, "replicationBucket", "s3-bucket", bucket) or bucket,
            account_id=other,
            kms_key_arn=cfg.optional("replicationKmsKeyArn"),
        )
    access_log_bucket = None
    if cfg.get("accessLogging"):
        name = cfg.optional("accessLogBucketName") or access_log_bucket_name(
            common.name_prefix, account, region
        )
        access_log_bucket = checked_name(cfg, "accessLogBucketName", "s3-bucket", name) or name
    elif cfg.optional("accessLogBucketName"):
        cfg.fail("accessLogBucketName", "no value when accessLogging is false")
    taken = [log_bucket]
    named = (("accessLogBucketName", access_log_bucket),
             ("replicationBucket", replica.bucket if replica else None))
    for key, name in ((k, n) for k, n in named if n is not None):
        if name in taken:
            cfg.fail(key, "a bucket name different from the log bucket's and the other "
                     "buckets' (S3 bucket names are global)", name)
        taken.append(name)
    return Integrity(
        access_log_bucket=access_log_bucket,
        access_log_retention_days=cfg.get("accessLogRetentionDays"),
        object_lock=ObjectLock(mode, days) if mode and days else None,
        replica=replica,
        log_access_data_events=cfg.get("logAccessDataEvents"),
    )


def _bucket_fanout(cfg: Reader) -> Fanout:
    fanout = read_fanout(cfg, "bucketNotification")
    # S3 refuses notification configurations that overlap in event type and prefix, so several
    # destinations hang off one SNS topic instead of each being a direct target.
    if len(fanout.targets) > 1 and "sns" not in fanout.targets:
        cfg.fail(
            "bucketNotificationTargets",
            "a single target, or a list including sns to fan out (S3 rejects overlapping "
            "notification configurations)",
            list(fanout.targets),
        )
    return fanout


def _administrators(
    cfg: Reader, account: str, deployer: Callable[[], str] | None
) -> tuple[tuple[str, ...], bool]:
    """The named archive administrators, and whether they default to the deploying principal.

    The deployer must be one of them: KMS refuses a key policy that would not let its caller
    change it again (CreateKey, PutKeyPolicy: the policy lockout safety check), and the bucket
    policies would refuse the deployer's next update.
    """
    named = tuple(cfg.get("archiveAdministrators"))
    if not cfg.ok(ACCOUNT):  # nothing to compare them with
        return named, False
    valid = True
    for index, arn in enumerate(named):
        if arn.split(":")[4] != account:
            cfg.fail(f"archiveAdministrators[{index}]", "a role in the log-archive "
                     f"account {account}", arn)  # fmt: skip
            valid = False
    caller = deployer() if deployer is not None else None
    if caller is not None and not re.fullmatch(patterns.ADMINISTRATOR_ARN, caller):
        cfg.fail(
            "archiveAdministrators",
            f"a deployment by an IAM role, which the archive's policies can name, never a user or "
            f"the root user (the deploying principal is {caller})",
        )
        return named, False
    if caller is not None and caller.split(":")[4] != account:
        cfg.fail(
            "archiveAdministrators",
            f"a deployment from the log-archive account {account} (the deploying principal is "
            f"{caller})",
        )
        return named, False
    if not named:
        if caller is None:
            cfg.fail("archiveAdministrators", "at least one IAM role ARN (the deploying "
                     "principal could not be read)")  # fmt: skip
            return (), False
        return (caller,), True
    if valid and caller is not None and caller not in named:
        cfg.fail(
            "archiveAdministrators",
            f"a list that includes the deploying principal {caller}: KMS refuses a key policy "
            "that locks its caller out, and the bucket would refuse the next update",
            list(named),
        )
    return named, False


def read_log_archive(
    cfg: Reader, common: StackSettings, deployer: Callable[[], str] | None
) -> ArchiveSettings:
    account, region = common.account_id, common.region
    administrators, defaulted = _administrators(cfg, account, deployer)
    members = tuple(cfg.get("memberAccounts"))
    if account in members and cfg.ok(ACCOUNT):
        cfg.fail(
            "memberAccounts",
            "member accounts only: the log-archive account's own trail is always admitted",
            account,
        )
        members = tuple(m for m in members if m != account)
    readers = tuple(cfg.get("logReaders"))
    for index, reader in enumerate(readers):
        if reader.split(":")[4] != account and cfg.ok(ACCOUNT):
            cfg.fail(f"logReaders[{index}]", "a role in the log-archive account", reader)
    organization = cfg.optional("organizationId")
    management = cfg.optional("managementAccountId")
    if (organization is None) != (management is None):
        missing = "managementAccountId" if management is None else "organizationId"
        cfg.fail(
            missing,
            "a value too: an organization trail needs organizationId and managementAccountId",
        )
    adopted = cfg.optional("adoptLogBucket")  # named wrong: reported under its own key
    if adopted is not None and aws_names.check_bucket_name(adopted) is not None:
        adopted = None
    bucket = (
        cfg.optional("logBucketName")
        or adopted
        or log_bucket_name(common.name_prefix, account, region)
    )
    lifecycle = _lifecycle(cfg)
    bucket = checked_name(cfg, "logBucketName", "s3-bucket", bucket) or bucket
    return ArchiveSettings(
        **vars(common),
        encryption=cfg.get("encryption"),
        member_accounts=members,
        log_bucket_name=bucket,
        s3_key_prefix=cfg.optional("s3KeyPrefix"),
        per_account_policy=cfg.get("bucketPolicyForm") == "per-account",
        lifecycle=lifecycle,
        integrity=_integrity(cfg, common, lifecycle, bucket),
        bucket_notifications=_bucket_fanout(cfg),
        log_readers=readers,
        organization_id=organization,
        management_account_id=management,
        administrator_arns=administrators,
        administrators_defaulted=defaulted,
    )
