"""The keys for an organization that already has a landing zone, a StackSets delegated
administrator and network activity events, checked against the rest of the stack's settings
(README "On top of an existing landing zone"; cloudtrail_logging/landing_zone.py)."""

from __future__ import annotations

from dataclasses import replace

from cloudtrail_logging.integrity.network_activity import NetworkActivity
from cloudtrail_logging.landing_zone import DELEGATED_ADMIN, ExistingTrail
from cloudtrail_logging.settings.reader import Reader, checked_name
from cloudtrail_logging.settings.roles import ArchiveSettings, MemberSettings, Settings


def read_landing_zone(cfg: Reader, s: Settings) -> Settings:
    """The keys for an organization that already has a landing zone and the newer event
    categories, checked against the rest of the stack's settings."""
    trail = _existing_trail(cfg, s)
    landed: Settings
    if s.role == "log-archive":
        bucket = _existing_archive_bucket(cfg, s, trail)
        landed = replace(s, existing_trail=trail, existing_archive_bucket=bucket)
    else:
        landed = replace(s, existing_trail=trail)
    network = NetworkActivity(
        sources=tuple(cfg.get("networkActivityEventSources")),
        denied_only=cfg.get("networkActivityDeniedOnly"),
    )
    if not network.sources and cfg.is_set("networkActivityDeniedOnly"):
        cfg.fail("networkActivityDeniedOnly", "no value without networkActivityEventSources")
    landed = replace(landed, network_activity=network)
    _trail_keys_without_a_trail(cfg, landed)
    if landed.role == "member":
        _stack_set_caller(cfg, landed)
    return landed


def _existing_trail(cfg: Reader, s: Settings) -> ExistingTrail | None:
    arn = cfg.optional("existingTrailArn")
    group = cfg.optional("existingTrailLogGroupName")
    if arn is None:
        if group is not None:
            cfg.fail("existingTrailLogGroupName", "no value without existingTrailArn", group)
        return None
    trail = ExistingTrail(arn)
    if trail.partition != s.partition:
        cfg.fail("existingTrailArn", f"a trail of the stack's partition {s.partition}", arn)
    if s.role == "member" and s.organization_trail:
        cfg.fail("organizationTrail", "false with existingTrailArn: the organization already has "
                 "its trail, and a second copy of management events is billed")  # fmt: skip
    if group is None:
        return trail
    if checked_name(cfg, "existingTrailLogGroupName", "log-group", group) is None:
        return trail
    if (trail.account_id, trail.region) != (s.account_id, s.region):
        cfg.fail(
            "existingTrailLogGroupName",
            f"no value on this stack ({s.account_id}, {s.region}): the trail streams to a group "
            f"of its own account {trail.account_id} in its home Region {trail.region}, whose "
            "stack creates the metric filters",
            group,
        )
        return trail
    return ExistingTrail(arn, group)


def _existing_archive_bucket(
    cfg: Reader, s: ArchiveSettings, trail: ExistingTrail | None
) -> str | None:
    bucket = cfg.optional("existingArchiveBucketName")
    if bucket is None:
        if trail is not None:
            cfg.fail("existingArchiveBucketName", "the existing archive bucket, with "
                     "existingTrailArn on a log-archive stack: its trail then records who reads "
                     "or changes that bucket")  # fmt: skip
        return None
    if checked_name(cfg, "existingArchiveBucketName", "s3-bucket", bucket) is None:
        return None
    if trail is None:
        cfg.fail("existingArchiveBucketName", "existingTrailArn too: the organization trail that "
                 "delivers to that bucket records this account's management events")  # fmt: skip
    ours = (s.log_bucket_name, s.integrity.access_log_bucket,
            s.integrity.replica.bucket if s.integrity.replica else None)  # fmt: skip
    if bucket in ours:
        cfg.fail("existingArchiveBucketName", "a bucket this stack does not create (not "
                 "logBucketName, accessLogBucketName or replicationBucket)", bucket)  # fmt: skip
    if not s.integrity.log_access_data_events:
        cfg.fail("logAccessDataEvents", "true with existingArchiveBucketName: the stack's trail "
                 "records nothing but who reads or changes the archives", False)  # fmt: skip
    if s.insights:
        cfg.fail("insights", "false with existingArchiveBucketName: the trail records data "
                 "events only, Insights on management events needs them, and pulumi-aws 7.51.1 "
                 "cannot select Insights on data events (InsightSelector EventCategories)",
                 True)  # fmt: skip
    return bucket


def _trail_keys_without_a_trail(cfg: Reader, s: Settings) -> None:
    """Keys that configure a trail, or its log group, the stack does not create."""
    if not s.creates_trail:
        for key in ("trailNotificationTargets", "insights", "networkActivityEventSources"):
            if cfg.is_set(key):
                cfg.fail(key, "no value with existingTrailArn on a member stack: it creates no "
                         "trail (configure the existing trail instead)",
                         cfg.written(key))  # fmt: skip
    if s.own_log_group:
        return
    for key in ("logRetentionDays", "logGroupKms"):
        if cfg.is_set(key):
            cfg.fail(key, "no value with existingTrailArn: the stack creates no CloudWatch Logs "
                     "group (existingTrailLogGroupName is the existing trail's)",
                     cfg.written(key))  # fmt: skip
    has_group = s.existing_trail is not None and s.existing_trail.log_group_name is not None
    if cfg.is_set("cisControls") and not has_group:
        cfg.fail("cisControls", "no value without existingTrailLogGroupName: the metric filters "
                 "go on the existing trail's log group", cfg.written("cisControls"))  # fmt: skip


def _stack_set_caller(cfg: Reader, s: MemberSettings) -> None:
    """The management account's stack never calls as DELEGATED_ADMIN (CreateStackSet, CallAs);
    the organization itself is asked at run time (`__main__.check_stack_set_caller`)."""
    if s.stack_set_call_as != DELEGATED_ADMIN:
        return
    if s.organization_trail or s.owns_existing_trail:
        why = "organizationTrail" if s.organization_trail else "it owns existingTrailArn"
        cfg.fail("stackSetCallAs", f"SELF on the management account's stack ({why}): "
                 "CreateStackSet refuses CallAs DELEGATED_ADMIN there, since Organizations "
                 "cannot register the management account as a delegated administrator",
                 DELEGATED_ADMIN)  # fmt: skip
