"""ctl-s3-023: a CloudTrail bucket's Object Lock is enabled with a default retention (mode and
period) that lifecycle does not undercut; required only when configured so."""

from dataclasses import replace
from typing import Any

import pytest
from guardrails.rules import ctl_s3_023_log_bucket_object_lock as rule
from guardrails.support import Res
from literals import BUCKET, OBJECT_LOCK_V2, UNKNOWN
from rule_cases import (
    decided,
    log_bucket_stack,
    log_lifecycle,
    object_lock,
    res,
    stack_findings,
    undecided,
    urn,
    with_props,
)


def locked_stack(**overrides: Any) -> list[Res]:
    return [*log_bucket_stack(), object_lock(**overrides)]


def test_program_shape_passes_by_default_and_when_required() -> None:
    assert stack_findings(rule, locked_stack()) == []
    assert stack_findings(rule, locked_stack(), required=True) == []
    assert (
        stack_findings(
            rule,
            locked_stack(mode="COMPLIANCE", days=400),
            mode="COMPLIANCE",
            minimumRetentionDays=365,
            required=True,
        )
        == []
    )


def test_no_lock_passes_unless_required() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []
    found = stack_findings(rule, log_bucket_stack(), required=True)
    assert decided(found) and "must have Object Lock" in found[0][0]


def test_bucket_object_lock_enabled_is_not_required() -> None:
    # Object Lock can be turned on for an existing versioned bucket (PutObjectLockConfiguration).
    stack = with_props(locked_stack(), "logs", objectLockEnabled=False)
    assert stack_findings(rule, stack, required=True) == []


def test_v2_token_years_and_legacy_inline_form_count() -> None:
    v2 = replace(
        object_lock(rule={"defaultRetention": {"mode": "GOVERNANCE", "years": 1}}),
        type=OBJECT_LOCK_V2,
    )
    assert stack_findings(rule, [*log_bucket_stack(), v2], minimumRetentionDays=365) == []
    inline = with_props(
        log_bucket_stack(),
        "logs",
        objectLockEnabled=True,
        objectLockConfiguration={"rule": {"defaultRetention": {"mode": "COMPLIANCE", "days": 7}}},
    )
    assert stack_findings(rule, inline, required=True) == []


def test_inline_configuration_without_object_lock_enabled_is_caught() -> None:
    inline = with_props(
        log_bucket_stack(),
        "logs",
        objectLockConfiguration={"rule": {"defaultRetention": {"mode": "COMPLIANCE", "days": 7}}},
    )
    assert decided(stack_findings(rule, inline))


def test_lock_without_default_retention_is_caught() -> None:
    found = stack_findings(rule, locked_stack(rule=None))
    assert decided(found) and "no default retention" in found[0][0]


@pytest.mark.parametrize(
    ("retention", "config"),
    [
        ({"days": 30}, {}),  # no mode
        ({"mode": "LEGAL_HOLD", "days": 30}, {}),  # not a mode
        ({"mode": "GOVERNANCE"}, {}),  # no period
        ({"mode": "GOVERNANCE", "days": 30}, {"mode": "COMPLIANCE"}),  # not the required mode
        ({"mode": "GOVERNANCE", "days": 30}, {"minimumRetentionDays": 90}),  # too short
    ],
)
def test_bad_default_retention_is_caught(retention: dict, config: dict) -> None:
    stack = locked_stack(rule={"defaultRetention": retention})
    assert decided(stack_findings(rule, stack, **config))


def test_object_lock_disabled_value_is_caught() -> None:
    assert decided(stack_findings(rule, locked_stack(objectLockEnabled="Disabled")))


def test_lifecycle_expiring_before_the_retention_ends_is_caught() -> None:
    found = stack_findings(rule, [*locked_stack(days=90), log_lifecycle(30)])
    assert decided(found) and "sooner than its 90-day" in found[0][0]
    assert found[0][1] == urn(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "logs-lifecycle"
    )
    assert stack_findings(rule, [*locked_stack(days=90), log_lifecycle(90)]) == []
    assert stack_findings(rule, [*locked_stack(days=90), log_lifecycle(365)]) == []


def test_legacy_inline_lifecycle_is_read() -> None:
    stack = with_props(
        locked_stack(days=90), "logs", lifecycleRules=[{"enabled": True, "expiration": {"days": 7}}]
    )
    assert decided(stack_findings(rule, stack))


def test_non_cloudtrail_bucket_is_not_judged() -> None:
    lock = res(
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        "other-lock",
        bucket="scratch",
        rule=None,
    )
    stack = [*log_bucket_stack(), res(BUCKET, "scratch", bucket="scratch"), lock]
    assert stack_findings(rule, stack) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"objectLockEnabled": UNKNOWN},
        {"rule": UNKNOWN},
        {"rule": {"defaultRetention": {"mode": UNKNOWN, "days": 30}}},
        {"rule": {"defaultRetention": {"mode": "GOVERNANCE", "days": UNKNOWN}}},
    ],
)
def test_unknown_lock_values_are_undecided(overrides: dict) -> None:
    assert undecided(stack_findings(rule, locked_stack(**overrides)))


def test_unknown_lifecycle_days_are_undecided() -> None:
    lifecycle = log_lifecycle(30)
    lifecycle = replace(
        lifecycle,
        props={
            **lifecycle.props,
            "rules": [{"id": "x", "status": "Enabled", "expiration": {"days": UNKNOWN}}],
        },
    )
    assert undecided(stack_findings(rule, [*locked_stack(), lifecycle]))


def test_required_with_unresolvable_lock_is_undecided() -> None:
    stray = res(
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        "stray",
        bucket=UNKNOWN,
    )
    assert undecided(stack_findings(rule, [*log_bucket_stack(), stray], required=True))


def test_numbers_sent_as_doubles_are_read() -> None:
    # The engine carries numbers as protobuf doubles: 30 arrives as 30.0.
    assert stack_findings(rule, locked_stack(days=30.0), minimumRetentionDays=30.0) == []
    assert decided(stack_findings(rule, [*locked_stack(days=90.0), log_lifecycle(30.0)]))
