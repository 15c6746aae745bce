"""The archive's lifecycle rules, judged as S3 applies them: a rule acts only while its status is
`Enabled` (S3 API reference, LifecycleRule: `Enabled | Disabled`) and only on objects whose key
starts with its filter's prefix (an empty prefix: every object)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from cloudtrail_logging.outputs import local_destination
from cloudtrail_logging.plan import checked_plan
from cloudtrail_logging.plan.parts import Plan
from tests.conftest import SECURITY, archive_config, parse_config

Rules = Sequence[dict[str, Any]]
LOG = f"AWSLogs/{SECURITY}/CloudTrail/us-east-1/2026/11/21/x.json.gz"


def acting(rules: Rules, key: str) -> list[dict[str, Any]]:
    return [r for r in rules if r["status"] == "Enabled" and key.startswith(r["filter"]["prefix"])]


def expired(rules: Rules, key: str, age_days: int) -> bool:
    """Whether S3 expires the current version of `key` at `age_days`."""
    rules = acting(rules, key)
    return any("expiration" in r and age_days >= r["expiration"]["days"] for r in rules)


def noncurrent_expired(rules: Rules, key: str, days_noncurrent: int) -> bool:
    return any(
        days_noncurrent >= r["noncurrent_version_expiration"]["noncurrent_days"]
        for r in acting(rules, key)
    )


def storage_class(rules: Rules, key: str, age_days: int) -> str:
    classes = [t["storage_class"] for r in acting(rules, key) for t in r.get("transitions", [])
               if age_days >= t["days"]]  # fmt: skip
    return classes[-1] if classes else "STANDARD"


def plan(**overrides: Any) -> Plan:
    settings = parse_config(archive_config(replicationRegion="eu-west-1", **overrides))
    return checked_plan(settings, local_destination(settings))


def buckets(p: Plan) -> dict[str, tuple[Rules, str]]:
    """Each archive bucket's lifecycle rules and a key of an object it holds."""
    assert p.bucket and p.access_logs and p.replication
    record = f"{p.access_logs.target_prefix}{SECURITY}/us-east-1/{p.bucket.name}/2026/11/21/r"
    return {
        "logs": (p.bucket.lifecycle_rules, LOG),
        "access records": (p.access_logs.lifecycle_rules, record),
        "replica": (p.replication.lifecycle_rules, LOG),
    }


def test_every_archive_bucket_expires_its_objects_on_the_configured_day() -> None:
    days = {"logs": 2000, "access records": 400, "replica": 2000}
    configured = plan(expirationDays=2000, accessLogRetentionDays=400)
    for name, (rules, key) in buckets(configured).items():
        assert not expired(rules, key, days[name] - 1), name
        assert expired(rules, key, days[name]), name
        assert not noncurrent_expired(rules, key, 89) and noncurrent_expired(rules, key, 90), name


@pytest.mark.parametrize("bucket", ["logs", "replica"])
def test_logs_and_replicas_move_to_the_archive_class_on_the_transition_day(bucket: str) -> None:
    rules, key = buckets(plan(glacierTransitionDays=30, archiveStorageClass="GLACIER"))[bucket]
    assert storage_class(rules, key, 29) == "STANDARD"
    assert storage_class(rules, key, 30) == "GLACIER"


def test_zero_days_keeps_objects_forever_and_noncurrent_versions_still_expire() -> None:
    for name, (rules, key) in buckets(plan(expirationDays=0, accessLogRetentionDays=0)).items():
        assert not expired(rules, key, 100_000), name
        assert noncurrent_expired(rules, key, 90), name


def test_every_archive_bucket_aborts_incomplete_uploads_after_a_week() -> None:
    """Parts of an upload never completed are billed until removed (S3 User Guide, "Configuring
    a bucket lifecycle configuration to delete incomplete multipart uploads")."""
    for name, (rules, _key) in buckets(plan()).items():
        assert [r["abort_incomplete_multipart_upload"] for r in rules] == [
            {"days_after_initiation": 7}
        ], name
