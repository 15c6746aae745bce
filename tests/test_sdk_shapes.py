"""Every nested input the plan builds fits the pulumi-aws type it is handed to.

The SDK takes any dict at run time; a misspelt key would reach the provider and fail at deploy
time, or be dropped. Judged against the installed SDK's own annotations
(tests/support/sdk_shape.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pulumi_aws as aws
import pytest

from cloudtrail_logging.archive.lifecycle import expiry_lifecycle_rule, lifecycle_rules
from cloudtrail_logging.integrity.access_logging import access_log_target
from cloudtrail_logging.integrity.network_activity import (
    NetworkActivity,
    network_activity_selectors,
)
from cloudtrail_logging.integrity.object_lock import ObjectLock, object_lock_configuration
from cloudtrail_logging.integrity.replication import ReplicaTarget, replication_rule
from cloudtrail_logging.integrity.trail_selectors import (
    archive_data_selectors,
    archive_event_selectors,
    existing_archive_selectors,
    insight_selectors,
    management_selector,
)
from cloudtrail_logging.settings import Lifecycle
from tests.conftest import archive_config, parse_config
from tests.support.sdk_shape import argument_problems, problems

KEY = "arn:aws:kms:us-west-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"
DEFAULT_LIFECYCLE = parse_config(archive_config()).lifecycle  # the schema's defaults
LIFECYCLES = {
    "default": DEFAULT_LIFECYCLE,
    "kept-forever": replace(DEFAULT_LIFECYCLE, expire_after_days=0),
    "small-objects": replace(DEFAULT_LIFECYCLE, transition_small_objects=True,
                             storage_class="GLACIER"),
}
REPLICAS = {
    "same-account": dict(target=ReplicaTarget("us-west-2", "replica"), source_sse_kms=True),
    "cross-account": dict(
        target=ReplicaTarget("us-west-2", "replica", "333333333333", KEY), source_sse_kms=True
    ),
    "sse-s3": dict(target=ReplicaTarget("us-west-2", "replica"), source_sse_kms=False),
}


def _fits(value: Any, hint: Any) -> None:
    assert problems(value, hint) == [], problems(value, hint)


@pytest.mark.parametrize("lifecycle", LIFECYCLES.values(), ids=LIFECYCLES)
def test_the_log_bucket_lifecycle_fits_the_sdk(lifecycle: Lifecycle) -> None:
    for rule in lifecycle_rules(lifecycle):
        _fits(rule, aws.s3.BucketLifecycleConfigurationRuleArgsDict)


@pytest.mark.parametrize(("current", "noncurrent"), [(2557, 90), (0, 1)])
def test_the_expiry_lifecycle_fits_the_sdk(current: int, noncurrent: int) -> None:
    _fits(expiry_lifecycle_rule("expire", current, noncurrent),
          aws.s3.BucketLifecycleConfigurationRuleArgsDict)  # fmt: skip


@pytest.mark.parametrize("mode", ["GOVERNANCE", "COMPLIANCE"])
def test_object_lock_fits_the_sdk(mode: str) -> None:
    arguments = {"bucket": "archive", **object_lock_configuration(ObjectLock(mode, 1))}
    assert argument_problems(aws.s3.BucketObjectLockConfiguration, arguments) == []


@pytest.mark.parametrize("prefix", [None, "org"])
@pytest.mark.parametrize("replica", REPLICAS.values(), ids=REPLICAS)
def test_the_replication_rule_fits_the_sdk(replica: dict[str, Any], prefix: str | None) -> None:
    rule = replication_rule(partition="aws", key_prefix=prefix, replica_kms_key_arn=KEY, **replica)
    _fits(rule, aws.s3.BucketReplicationConfigRuleArgsDict)


def test_the_access_log_target_fits_the_sdk() -> None:
    arguments = {"bucket": "archive", "target_bucket": "logs", **access_log_target()}
    assert argument_problems(aws.s3.BucketLogging, arguments) == []


def test_every_trail_selector_fits_the_sdk() -> None:
    selectors = [
        management_selector(),
        *archive_event_selectors(partition="aws", bucket="archive"),
        *archive_data_selectors(partition="aws", bucket="archive"),
        *existing_archive_selectors(partition="aws", existing_bucket="ct", own_bucket="own"),
        *network_activity_selectors(NetworkActivity(("s3.amazonaws.com", "kms.amazonaws.com"))),
        *network_activity_selectors(NetworkActivity(("s3.amazonaws.com",), denied_only=False)),
    ]
    for selector in selectors:
        _fits(selector, aws.cloudtrail.TrailAdvancedEventSelectorArgsDict)
    for selector in insight_selectors(True):
        _fits(selector, aws.cloudtrail.TrailInsightSelectorArgsDict)


def test_a_misspelt_or_mistyped_field_is_found_where_it_is() -> None:
    rule = dict(lifecycle_rules(DEFAULT_LIFECYCLE)[0])
    rule["ID"] = rule.pop("id")
    rule["abort_incomplete_multipart_upload"] = {"days_after_initiation": "7"}
    assert problems(rule, aws.s3.BucketLifecycleConfigurationRuleArgsDict) == [
        ".ID: not a field of BucketLifecycleConfigurationRuleArgsDict",
        ".id: required by BucketLifecycleConfigurationRuleArgsDict, missing",
        ".abort_incomplete_multipart_upload.days_after_initiation: '7' is not one of ['int']",
    ]
    assert argument_problems(aws.s3.BucketLogging, {"target_prefx": "x/"}) == [
        "target_prefx: not an argument of BucketLogging"
    ]
