"""ctl-s3-023: a CloudTrail log bucket's Object Lock, when present (or required), locks its logs.

What each check rests on:

* A bucket's Object Lock configuration (aws.s3.BucketObjectLockConfiguration, its V2 token, or the
  legacy inline `objectLockConfiguration` of a Bucket) has `objectLockEnabled` "Enabled" (the
  provider's default on the split resource) and a default retention with both a mode and a
  period, which bucket default settings require (S3 User Guide, "How S3 Object Lock works",
  https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-overview.html, bucket
  configuration). CloudTrail's deliveries set no retention of their own, so a
  configuration without a default retention locks no log file at all.
* The bucket's own `objectLockEnabled` is not required: Object Lock can be turned on for an
  existing versioned bucket by PutObjectLockConfiguration (S3 User Guide, "Configuring S3 Object
  Lock", https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html; the
  pulumi-aws BucketObjectLockConfiguration docs describe the same for an existing bucket).
* A lifecycle rule that expires current objects sooner than the retention does not remove the
  locked versions: lifecycle expiration cannot delete a protected object version (S3 User Guide,
  "Object Lock considerations",
  https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html, "Managing S3
  Lifecycle policies with Object Lock"). The logs would disappear from view at expiry (behind a
  delete marker) yet stay stored, and billed, until the lock ends: the rule reports it.

Modes and a minimum period are configurable; `required` makes a configuration mandatory on every
CloudTrail bucket (Security Hub S3.15, "S3 general purpose buckets should have Object Lock
enabled").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pulumi_policy import Severity

from guardrails.buckets import Lock, locks
from guardrails.declare import Compliance, required_option, stack_policy
from guardrails.stack import StackView, log_buckets, report_required
from guardrails.support import (
    LIFECYCLE_TYPES,
    MISSING,
    OBJECT_LOCK_TYPES,
    Res,
    is_unknown,
    lookup,
    undecided,
    undecided_because,
)

# PutObjectLockConfiguration accepts exactly these (S3 API Reference, "DefaultRetention", Mode).
MODES = ("GOVERNANCE", "COMPLIANCE")
DAYS_PER_YEAR = 365


def whole(value: Any) -> int | None:
    """A whole number as an int (the engine sends numbers as doubles: 30 arrives as 30.0)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def retention_days(retention: Any) -> Any:
    """The default retention period in days, an unknown, or None when it has none."""
    days = lookup(retention, "days")
    years = lookup(retention, "years")
    for value in (days, years):
        if is_unknown(value):
            return value
    day_count, year_count = whole(days), whole(years)
    if day_count is not None and day_count > 0:
        return day_count
    if year_count is not None and year_count > 0:
        return year_count * DAYS_PER_YEAR
    return None


# The Expiry.rule of a rules list unknown as a whole (split, inline): the property to name.
WHOLE_LISTS = ("rules", "lifecycleRules")


@dataclass(frozen=True)
class Expiry:
    """A lifecycle rule that may expire current objects after `days`."""

    owner: Res
    rule: str
    days: Any  # int or an unknown
    certain: bool  # False when the rule's status (or the rules list) is unknown


def expiries(view: StackView, bucket: Res) -> list[Expiry]:
    """Lifecycle rules (split resources and legacy inline) that expire current objects."""
    found: list[Expiry] = []
    for res in view.companions(bucket, LIFECYCLE_TYPES):
        rules = lookup(res.props, "rules")
        if is_unknown(rules):
            found.append(Expiry(res, "rules", rules, False))
            continue
        for index, rule in enumerate(rules if isinstance(rules, list) else []):
            status = lookup(rule, "status")
            if status == "Disabled":
                continue
            name = lookup(rule, "id")
            label = f"rule '{name}'" if isinstance(name, str) else f"rules[{index}]"
            days = lookup(rule, "expiration", "days")
            if days is not MISSING:
                found.append(Expiry(res, label, days, not is_unknown(status)))
    inline = lookup(bucket.props, "lifecycleRules")
    if is_unknown(inline):
        found.append(Expiry(bucket, "lifecycleRules", inline, False))
    for index, rule in enumerate(inline if isinstance(inline, list) else []):
        enabled = lookup(rule, "enabled")
        if enabled is False:
            continue
        days = lookup(rule, "expiration", "days")
        if days is not MISSING:
            found.append(Expiry(bucket, f"lifecycleRules[{index}]", days, not is_unknown(enabled)))
    return found


def _judge_lifecycle(view: StackView, bucket: Res, period: int, report: Any) -> None:
    # S3 User Guide, "Object Lock considerations", "Managing S3 Lifecycle policies with Object
    # Lock": lifecycle expiry cannot delete locked versions; it only hides them.
    for expiry in expiries(view, bucket):
        if is_unknown(expiry.days):
            report(
                undecided(
                    expiry.owner.label,
                    expiry.rule if expiry.rule in WHOLE_LISTS else f"{expiry.rule}.expiration.days",
                    f"whether it expires logs before their {period}-day Object Lock retention "
                    "ends depends on it",
                ),
                expiry.owner.urn,
            )
        elif (days := whole(expiry.days)) is not None and 0 < days < period:
            text = (
                f"{expiry.owner.label}: lifecycle {expiry.rule} expires current log objects of "
                f"{bucket.label} after {days} days, sooner than its {period}-day Object "
                "Lock retention: locked versions cannot be deleted by lifecycle, so the logs "
                "vanish from view but stay stored (and billed) until the lock ends."
            )
            if not expiry.certain:
                text = undecided_because(f"whether the rule is enabled is unknown; {text}")
            report(text, expiry.owner.urn)
    pending = view.unresolved(LIFECYCLE_TYPES)
    if pending:
        names = ", ".join(r.label for r in pending)
        report(
            undecided_because(
                f"the 'bucket' input of {names} is unknown, so whether a lifecycle rule expires "
                f"the logs of {bucket.label} before their {period}-day Object Lock retention ends "
                "cannot be told."
            ),
            bucket.urn,
        )


def _judge(view: StackView, bucket: Res, lock: Lock, cfg: dict[str, Any], report: Any) -> None:
    owner = lock.owner
    prefix = f"{lock.where}." if lock.where else ""
    if is_unknown(lock.enabled):
        report(undecided(owner.label, f"{prefix}objectLockEnabled"), owner.urn)
        return
    if lock.enabled != "Enabled":
        shown = "unset" if lock.enabled is MISSING else repr(lock.enabled)
        report(
            f"{owner.label}: the Object Lock configuration of {bucket.label} must have "
            f"objectLockEnabled 'Enabled' (the bucket's own objectLockEnabled for the inline "
            f"form), is {shown}.",
            owner.urn,
        )
        return
    # S3 User Guide, "How S3 Object Lock works", "Bucket configuration": a default retention
    # needs a mode and a period; CloudTrail sets no retention on the objects it delivers.
    retention = lock.retention
    if is_unknown(retention):
        report(undecided(owner.label, f"{prefix}rule.defaultRetention"), owner.urn)
        return
    if retention is MISSING:
        report(
            f"{owner.label}: Object Lock on {bucket.label} has no default retention "
            "(rule.defaultRetention): CloudTrail sets no retention on the log files it delivers, "
            "so none of them is locked.",
            owner.urn,
        )
        return
    mode = lookup(retention, "mode")
    wanted = cfg["mode"]
    if is_unknown(mode):
        report(undecided(owner.label, f"{prefix}rule.defaultRetention.mode"), owner.urn)
    elif mode not in MODES:
        report(
            f"{owner.label}: the default retention of {bucket.label} needs a mode, GOVERNANCE or "
            f"COMPLIANCE, not {'unset' if mode is MISSING else repr(mode)}.",
            owner.urn,
        )
    elif wanted != "any" and mode != wanted:
        report(
            f"{owner.label}: the default retention of {bucket.label} is {mode}; the policy "
            f"config requires {wanted}.",
            owner.urn,
        )
    period = retention_days(retention)
    minimum = math.ceil(cfg["minimumRetentionDays"])
    if is_unknown(period):
        report(undecided(owner.label, f"{prefix}rule.defaultRetention.days"), owner.urn)
        return
    if period is None:
        report(
            f"{owner.label}: the default retention of {bucket.label} needs a period (days or "
            "years).",
            owner.urn,
        )
        return
    if period < minimum:
        report(
            f"{owner.label}: the default retention of {bucket.label} is {period} days, shorter "
            f"than the {minimum} days the policy config requires.",
            owner.urn,
        )
    _judge_lifecycle(view, bucket, period, report)


def check(resources: list[Res], cfg: dict[str, Any], report: Any) -> None:
    view = StackView(resources)
    for bucket, maybe in log_buckets(view):
        found = locks(view, bucket)
        for lock in found:
            _judge(view, bucket, lock, cfg, report)
        # Security Hub S3.15 (with `required`): the bucket has Object Lock at all.
        if not found and cfg["required"]:
            need = (
                "have Object Lock with a default retention "
                "(add an aws.s3.BucketObjectLockConfiguration)"
            )
            what = "Object Lock configuration"
            report_required(view, bucket, OBJECT_LOCK_TYPES, what, need, report, maybe=maybe)


POLICY = stack_policy(
    name="ctl-s3-023-log-bucket-object-lock",
    description=(
        "A CloudTrail log bucket's Object Lock configuration (required only when configured so) "
        "is enabled with a default retention (mode and period) that lifecycle expiry does not "
        "undercut."
    ),
    check=check,
    severity=Severity.MEDIUM,
    config={
        "required": required_option(
            "Require an Object Lock configuration on every CloudTrail log bucket."
        ),
        "mode": {
            "type": "string",
            "enum": ["any", *MODES],
            "default": "any",
            "description": "The default retention mode required (any: either mode).",
        },
        # A whole number >= 1. "number" with multipleOf 1 rather than "integer": the engine
        # carries config values as protobuf doubles (1 arrives as 1.0).
        "minimumRetentionDays": {
            "type": "number",
            "minimum": 1,
            "multipleOf": 1,
            "default": 1,
            "description": "The shortest default retention accepted, in days (a year is 365).",
        },
    },
    remediation=(
        "Add aws.s3.BucketObjectLockConfiguration for the log bucket with object_lock_enabled "
        "Enabled and rule.default_retention {mode, days}; keep lifecycle expiry at or beyond it."
    ),
    compliance=Compliance(security_hub=("S3.15",)),
)
