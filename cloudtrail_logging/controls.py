"""The control index: each AWS Security Hub control the project claims, and where it is carried.

For every control: the config keys that decide it, the plan field that carries its decision, the
components that wire it, the pack rules that check it at preview and the `verify` checks that
read it back from AWS once deployed. `docs/controls.md` is generated from this table
(`scripts/sync_contract.py`), and `tests/test_controls.py` proves every name in it: the keys are
in the schema, the plan fields resolve on the plan (and are filled for the shipped log archive),
the components and pack rules exist, and `verify` reports each check. Titles and control ids are
those of the Security Hub User Guide's control pages (`PAGES`); CloudWatch.1-14 come from
`alerting/cis.py`, which holds their filter patterns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from cloudtrail_logging.alerting.cis import CIS_CONTROLS

_SH = "https://docs.aws.amazon.com/securityhub/latest/userguide/"
PAGES: Final = {
    "CloudTrail": _SH + "cloudtrail-controls.html",
    "S3": _SH + "s3-controls.html",
    "KMS": _SH + "kms-controls.html",
    "SNS": _SH + "sns-controls.html",
    "SQS": _SH + "sqs-controls.html",
    "CloudWatch": _SH + "cloudwatch-controls.html",
    "CIS": "https://www.cisecurity.org/benchmark/amazon_web_services",
}


@dataclass(frozen=True)
class Control:
    """One control and the places that carry it (empty: not by that layer)."""

    id: str
    title: str
    config: tuple[str, ...]
    """Config keys that decide it; empty when it is always on."""
    plan: str
    """A dotted path on `plan.parts.Plan` to the field that carries it; empty when the
    components set it unconditionally (nothing to plan)."""
    components: tuple[str, ...]
    pack: tuple[str, ...]
    verify: tuple[str, ...]
    """The names of the `verify` results that check it."""

    @property
    def page(self) -> str:
        return PAGES[self.id.split(".", 1)[0]]


_TRAIL = ("AccountTrail",)
_BUCKET = ("LogBucket",)

_OWN: Final[tuple[Control, ...]] = (
    Control("CloudTrail.1", "CloudTrail should be enabled and configured with at least one "
            "multi-Region trail that includes read and write management events", (),
            "trail.advanced_event_selectors", _TRAIL,
            ("ctl-ct-001-trail-multi-region", "ctl-ct-007-trail-records-all-management-events",
             "ctl-ct-004-trail-logging-enabled"), ("trail settings", "trail logging")),
    Control("CloudTrail.2", "CloudTrail should have encryption at-rest enabled",
            ("encryption",), "log_key.policy", ("ManagedKey", *_TRAIL),
            ("ctl-ct-005-trail-kms-encryption",), ("trail settings",)),
    Control("CloudTrail.4", "CloudTrail log file validation should be enabled", (),
            "", _TRAIL, ("ctl-ct-002-trail-log-file-validation",),
            ("trail settings",)),
    Control("CloudTrail.5", "CloudTrail trails should be integrated with Amazon CloudWatch Logs",
            ("cisControls", "apiAlerts"), "cloudwatch.log_group_arn",
            ("CloudWatchAlerts", *_TRAIL), (), ("trail settings", "log group retention")),
    Control("CloudTrail.6", "Ensure the S3 bucket used to store CloudTrail logs is not publicly "
            "accessible", (), "bucket.policy", _BUCKET,
            ("ctl-s3-003-bucket-policy-no-public-principal",
             "ctl-s3-006-public-access-block-complete",
             "ctl-s3-007-bucket-has-public-access-block"),
            ("bucket public access block", "bucket policy")),
    Control("CloudTrail.7", "Ensure S3 bucket access logging is enabled on the CloudTrail S3 "
            "bucket", ("accessLogging", "accessLogBucketName", "accessLogRetentionDays"),
            "access_logs.target_prefix", ("AccessLogBucket",),
            ("ctl-s3-022-cloudtrail-bucket-access-logging",), ("bucket access logging",)),
    Control("S3.5", "S3 general purpose buckets should require requests to use SSL", (),
            "bucket.policy", _BUCKET, ("ctl-s3-002-bucket-policy-tls-only",),
            ("bucket policy",)),
    Control("S3.7", "S3 general purpose buckets should use cross-Region replication",
            ("replicationRegion", "replicationAccountId", "replicationBucket",
             "replicationKmsKeyArn"), "replication.rule", ("Replica", "ReplicationRole"),
            ("ctl-s3-024-log-bucket-replication",), ("bucket replication",)),
    Control("S3.8", "S3 general purpose buckets should block public access", (),
            "", _BUCKET, ("ctl-s3-006-public-access-block-complete",
                                     "ctl-s3-007-bucket-has-public-access-block"),
            ("bucket public access block",)),
    Control("S3.9", "S3 general purpose buckets should have server access logging enabled",
            ("accessLogging",), "access_logs.bucket_name", ("AccessLogBucket",),
            ("ctl-s3-022-cloudtrail-bucket-access-logging",), ("bucket access logging",)),
    Control("S3.15", "S3 general purpose buckets should have Object Lock enabled",
            ("objectLockMode", "objectLockRetentionDays"), "bucket.object_lock",
            (*_BUCKET, "Replica"), ("ctl-s3-023-log-bucket-object-lock",),
            ("bucket object lock",)),
    Control("KMS.4", "AWS KMS key rotation should be enabled", ("encryption",),
            "", ("ManagedKey",), ("ctl-kms-001-key-rotation",),
            ("log key rotation",)),
    Control("SNS.1", "SNS topics should be encrypted at-rest using AWS KMS", (),
            "messaging_key.policy", ("ManagedKey", "TopicFanout"),
            ("ctl-sns-001-topic-encryption",), ("topic encryption",)),
    Control("SQS.1", "Amazon SQS queues should be encrypted at rest", (),
            "messaging_key.policy", ("ManagedKey", "TopicFanout"),
            ("ctl-sqs-001-queue-encryption",), ()),
    Control("CloudWatch.16", "CloudWatch log groups should be retained for a specified time "
            "period", ("logRetentionDays",), "cloudwatch.retention_days", ("CloudWatchAlerts",),
            (), ("log group retention",)),
)  # fmt: skip
CONTROLS: Final[tuple[Control, ...]] = (
    *_OWN,
    *(Control(c.control_id, c.title, ("cisControls",), "cloudwatch.alarms",
              ("CloudWatchAlerts",), (), ("alarm",)) for c in CIS_CONTROLS),
)  # fmt: skip


def _cell(values: tuple[str, ...]) -> str:
    return ", ".join(f"`{v}`" for v in values) or "—"


def markdown() -> str:
    """docs/controls.md."""
    lines = [
        "# Control index",
        "",
        "Generated from `cloudtrail_logging/controls.py` by `scripts/sync_contract.py`; "
        "`tests/test_controls.py` checks every name in it.",
        "",
        "| control | title | config | plan | components | pack rules | verify |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in CONTROLS:
        lines.append(
            f"| [{c.id}]({c.page}) | {c.title} | {_cell(c.config) if c.config else 'always'} | "
            f"{f'`Plan.{c.plan}`' if c.plan else 'always set'} | {_cell(c.components)} | "
            f"{_cell(c.pack)} | {_cell(c.verify)} |"
        )
    return "\n".join(lines) + "\n"
