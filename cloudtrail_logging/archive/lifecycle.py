"""Lifecycle rules of the archive's buckets (pulumi-aws v7 BucketLifecycleConfiguration shape)."""

from __future__ import annotations

from typing import Any

from cloudtrail_logging.settings import Lifecycle


def expiry_lifecycle_rule(
    rule_id: str, expire_after_days: int, noncurrent_expire_after_days: int
) -> dict[str, Any]:
    """A lifecycle rule that expires current objects (0 = never) and noncurrent versions.

    `aws.s3.BucketLifecycleConfiguration` rule shape (pulumi-aws v7).
    """
    if expire_after_days < 0 or noncurrent_expire_after_days < 1:
        raise ValueError("expiry days must be >= 0 (current) and >= 1 (noncurrent)")
    rule: dict[str, Any] = {
        "id": rule_id,
        "status": "Enabled",
        "filter": {"prefix": ""},
        "noncurrent_version_expiration": {"noncurrent_days": noncurrent_expire_after_days},
        "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
    }
    if expire_after_days:
        rule["expiration"] = {"days": expire_after_days}
    return rule


def lifecycle_rules(
    lifecycle: Lifecycle, rule_id: str = "archive-cloudtrail-logs"
) -> tuple[dict[str, Any], ...]:
    """The log bucket's lifecycle rule, in pulumi-aws's BucketLifecycleConfiguration shape."""
    rule: dict[str, Any] = {
        "id": rule_id,
        "status": "Enabled",
        "filter": {"prefix": ""},
        "transitions": [
            {"days": lifecycle.transition_days, "storage_class": lifecycle.storage_class}
        ],
        "noncurrent_version_expiration": {
            "noncurrent_days": lifecycle.noncurrent_expire_after_days
        },
        "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
    }
    if lifecycle.expire_after_days:
        rule["expiration"] = {"days": lifecycle.expire_after_days}
    return (rule,)


def minimum_object_size(lifecycle: Lifecycle) -> str:
    # Below 128 KB a transition costs more than it saves (README, lifecycle costs), which
    # is S3's default since September 2024; `transitionSmallObjects` opts out.
    if lifecycle.transition_small_objects:
        return "varies_by_storage_class"
    return "all_storage_classes_128K"
