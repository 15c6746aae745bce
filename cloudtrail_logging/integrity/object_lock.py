"""S3 Object Lock on the archive (Security Hub S3.15): its settings and how they must fit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ObjectLock:
    """Default retention of the archive (S3 User Guide, "How S3 Object Lock works").

    GOVERNANCE: principals with s3:BypassGovernanceRetention can still delete or shorten.
    COMPLIANCE: nobody, the root user included, can delete a version or shorten its retention
    until it ends; choose it only when the retention period is certain.
    """

    mode: str
    retention_days: int


def object_lock_problems(
    mode: str | None, retention_days: int | None, expiration_days: int
) -> list[tuple[str, str]]:
    """(config key, expected form) for each problem of an Object Lock setting (empty when fine).

    `mode` is GOVERNANCE, COMPLIANCE or None (the schema checks the spelling); `expiration_days`
    is the archive's lifecycle expiry of current objects (0 = never).
    """
    if mode is None:
        if retention_days:
            return [("objectLockMode", "GOVERNANCE or COMPLIANCE, because objectLockRetentionDays "
                     "is set")]  # fmt: skip
        return []
    if not retention_days or retention_days < 1:
        # "Bucket default settings require both a mode and a period" (How S3 Object Lock works).
        return [("objectLockRetentionDays", f"a number of days >= 1 for objectLockMode {mode}")]
    if expiration_days and retention_days > expiration_days:
        # Lifecycle still places delete markers on locked objects, but "protected object
        # versions remain safe from being deleted ... by a lifecycle configuration" (S3 User
        # Guide, "Managing Object Lock", delete markers and lifecycles): the logs would vanish
        # from view at expiry yet be kept, and billed, until the lock ends.
        return [
            (
                "objectLockRetentionDays",
                f"at most expirationDays ({expiration_days}): lifecycle cannot delete locked "
                "versions",
            )
        ]
    return []


def object_lock_configuration(lock: ObjectLock) -> dict[str, Any]:
    """Arguments of `aws.s3.BucketObjectLockConfiguration` (pulumi-aws v7) for `lock`.

    A new bucket may be created with `object_lock_enabled=True`; an existing one (the archive
    of a running stack) gets Object Lock from this resource once versioning is on: "To enable
    Object Lock for an existing bucket, you must first enable versioning on the bucket and then
    enable Object Lock" (pulumi-aws `BucketObjectLockConfiguration`; S3 User Guide, "Configuring
    S3 Object Lock"). Versioning then cannot be suspended. `object_lock_enabled="Enabled"` is
    what PutObjectLockConfiguration sends.
    """
    return {
        "object_lock_enabled": "Enabled",
        "rule": {"default_retention": {"mode": lock.mode, "days": lock.retention_days}},
    }
