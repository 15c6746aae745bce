"""ctl-s3-023: a CloudTrail bucket's Object Lock is enabled with a default retention (mode and
period) that lifecycle does not undercut; required only when configured so."""

from dataclasses import replace
from typing import Any

import pytest
from archive_cases import LOGS, RequiredCases, log_bucket_stack, log_lifecycle, object_lock
from guardrails.rules import ctl_s3_023_log_bucket_object_lock as rule
from guardrails.support import Res
from literals import BUCKET, LIFECYCLE, OBJECT_LOCK, OBJECT_LOCK_V2, UNKNOWN
from rule_cases import res, stack_findings, urn, with_props


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
    assert found.decided and "must have Object Lock" in found[0][0]


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
    assert stack_findings(rule, inline).decided


def test_lock_without_default_retention_is_caught() -> None:
    found = stack_findings(rule, locked_stack(rule=None))
    assert found.decided and "no default retention" in found[0][0]


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
    assert stack_findings(rule, stack, **config).decided


def test_object_lock_disabled_value_is_caught() -> None:
    assert stack_findings(rule, locked_stack(objectLockEnabled="Disabled")).decided


def test_lifecycle_expiring_before_the_retention_ends_is_caught() -> None:
    found = stack_findings(rule, [*locked_stack(days=90), log_lifecycle(30)])
    assert found.decided and "sooner than its 90-day" in found[0][0]
    assert found[0][1] == urn(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "logs-lifecycle"
    )
    assert stack_findings(rule, [*locked_stack(days=90), log_lifecycle(90)]) == []
    assert stack_findings(rule, [*locked_stack(days=90), log_lifecycle(365)]) == []


def test_legacy_inline_lifecycle_is_read() -> None:
    stack = with_props(
        locked_stack(days=90), "logs", lifecycleRules=[{"enabled": True, "expiration": {"days": 7}}]
    )
    assert stack_findings(rule, stack).decided


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
    assert stack_findings(rule, locked_stack(**overrides)).undecided


def test_unknown_lifecycle_days_are_undecided() -> None:
    lifecycle = log_lifecycle(30)
    lifecycle = replace(
        lifecycle,
        props={
            **lifecycle.props,
            "rules": [{"id": "x", "status": "Enabled", "expiration": {"days": UNKNOWN}}],
        },
    )
    assert stack_findings(rule, [*locked_stack(), lifecycle]).undecided


def test_required_with_unresolvable_lock_is_undecided() -> None:
    stray = res(
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        "stray",
        bucket=UNKNOWN,
    )
    assert stack_findings(rule, [*log_bucket_stack(), stray], required=True).undecided


def test_numbers_sent_as_doubles_are_read() -> None:
    # The engine carries numbers as protobuf doubles: 30 arrives as 30.0.
    assert stack_findings(rule, locked_stack(days=30.0), minimumRetentionDays=30.0) == []
    assert stack_findings(rule, [*locked_stack(days=90.0), log_lifecycle(30.0)]).decided


# --- what each finding is about, in both forms --------------------------------------------------

LOCK = urn(OBJECT_LOCK, "logs-object-lock")
GOVERNANCE_30 = {"mode": "GOVERNANCE", "days": 30}


def lock_stack(inline: bool, enabled: Any = "Enabled", retention: Any = GOVERNANCE_30) -> list[Res]:
    """The log bucket locked by a split configuration or the legacy inline block (`retention`
    None: no rule)."""
    lock_rule = None if retention is None else {"defaultRetention": retention}
    if inline:
        block = {"objectLockEnabled": enabled, "rule": lock_rule}
        return with_props(log_bucket_stack(), "logs", objectLockConfiguration=block)
    return [*log_bucket_stack(), object_lock(objectLockEnabled=enabled, rule=lock_rule)]


# (enabled, retention, config, undecided?, what the finding names; {p}: the inline prefix)
LOCK_FAULTS = {
    "enabled-unknown": (UNKNOWN, GOVERNANCE_30, {}, True, ["property '{p}objectLockEnabled'"]),
    "disabled": ("Disabled", GOVERNANCE_30, {}, False, ["is 'Disabled'"]),
    "retention-unknown": ("Enabled", UNKNOWN, {}, True, ["property '{p}rule.defaultRetention'"]),
    "no-retention": ("Enabled", None, {}, False, ["Bucket 'logs'", "(rule.defaultRetention)"]),
    "mode-unknown": ("Enabled", {"mode": UNKNOWN, "days": 30}, {}, True,
                     ["property '{p}rule.defaultRetention.mode'"]),
    "no-mode": ("Enabled", {"days": 30}, {}, False, ["not unset"]),
    "not-a-mode": ("Enabled", {"mode": "LEGAL_HOLD", "days": 30}, {}, False, ["'LEGAL_HOLD'"]),
    "not-the-mode": ("Enabled", GOVERNANCE_30, {"mode": "COMPLIANCE"}, False,
                     ["is GOVERNANCE", "requires COMPLIANCE"]),
    "days-unknown": ("Enabled", {"mode": "GOVERNANCE", "days": UNKNOWN}, {}, True,
                     ["property '{p}rule.defaultRetention.days'"]),
    "no-period": ("Enabled", {"mode": "GOVERNANCE", "days": 0, "years": 0}, {}, False,
                  ["needs a period"]),
    "too-short": ("Enabled", GOVERNANCE_30, {"minimumRetentionDays": 90}, False,
                  ["is 30 days", "90 days"]),
}  # fmt: skip


@pytest.mark.parametrize("inline", [False, True], ids=["split", "inline"])
@pytest.mark.parametrize("fault", LOCK_FAULTS)
def test_each_finding_is_at_the_configuration_naming_the_setting(fault: str, inline: bool) -> None:
    enabled, retention, config, unknown, named = LOCK_FAULTS[fault]
    found = stack_findings(rule, lock_stack(inline, enabled, retention), **config)
    owner = "Bucket 'logs'" if inline else "BucketObjectLockConfiguration 'logs-object-lock'"
    assert found.urns == [LOGS if inline else LOCK]
    assert found.undecided if unknown else found.decided
    assert owner in found[0][0]
    for text in named:
        assert text.format(p="objectLockConfiguration." if inline else "") in found[0][0]


def test_an_inline_block_without_object_lock_enabled_is_unset() -> None:
    found = stack_findings(rule, lock_stack(True, enabled=None))
    assert found.decided and found.urns == [LOGS] and "is unset" in found[0][0]


@pytest.mark.parametrize(
    ("retention", "minimum", "passes"),
    [
        ({"years": 1}, 365, True),
        ({"years": 1}, 366, False),
        ({"years": 1, "days": 0}, 365, True),  # the provider's 0 for an unset days
        ({"days": 1}, None, True),  # the default minimum is one day
        ({"days": 1}, 2, False),
    ],
    ids=["a-year-is-365-days", "shorter-than-366", "days-0-is-unset", "one-day", "too-short"],
)
def test_the_retention_period(retention: dict, minimum: int | None, passes: bool) -> None:
    config = {} if minimum is None else {"minimumRetentionDays": minimum}
    stack = lock_stack(False, retention={"mode": "GOVERNANCE", **retention})
    found = stack_findings(rule, stack, **config)
    assert (found == []) is passes and all(u == LOCK for _m, u in found)


# --- lifecycle expiry against the retention ------------------------------------------------------

LIFECYCLE_URN = urn(LIFECYCLE, "logs-lifecycle")


def lifecycle(*rules: dict[str, Any]) -> Res:
    return replace(log_lifecycle(1), props={**log_lifecycle(1).props, "rules": list(rules)})


def expiring(days: Any, status: Any = "Enabled", **fields: Any) -> dict[str, Any]:
    return {"status": status, "expiration": {"days": days}, **fields}


@pytest.mark.parametrize(
    ("rules", "named"),
    [
        ([expiring(1, id="early")], "rule 'early'"),
        ([expiring(7, status="Disabled", id="off"), expiring(7)], "rules[1]"),
        ([expiring(7, status="Disabled"), expiring(0), expiring(7, id="late")], "rule 'late'"),
    ],
    ids=["one-day", "after-a-disabled-rule", "after-a-zero-day-rule"],
)
def test_an_enabled_rule_expiring_before_the_retention_is_caught(
    rules: list[dict[str, Any]], named: str
) -> None:
    found = stack_findings(rule, [*locked_stack(days=90), lifecycle(*rules)])
    assert found.decided and found.urns == [LIFECYCLE_URN]
    assert f"lifecycle {named} expires" in found[0][0] and "90-day" in found[0][0]


@pytest.mark.parametrize(
    "rules",
    [[expiring(7, status="Disabled")], [expiring(0)], [{"status": "Enabled"}]],
    ids=["disabled", "zero-days", "no-expiration"],
)
def test_a_rule_that_expires_nothing_passes(rules: list[dict[str, Any]]) -> None:
    assert stack_findings(rule, [*locked_stack(days=90), lifecycle(*rules)]) == []


def test_a_lifecycle_configuration_without_rules_passes() -> None:
    bare = replace(log_lifecycle(1), props={"bucket": log_lifecycle(1).props["bucket"]})
    assert stack_findings(rule, [*locked_stack(days=90), bare]) == []


def test_an_expiry_of_a_rule_of_unknown_status_is_undecided() -> None:
    found = stack_findings(rule, [*locked_stack(days=90), lifecycle(expiring(7, UNKNOWN, id="r"))])
    assert found.undecided and found.urns == [LIFECYCLE_URN]
    assert "lifecycle rule 'r' expires" in found[0][0]


@pytest.mark.parametrize(
    ("inline", "enabled", "caught"),
    [
        ([{"enabled": False, "expiration": {"days": 7}}, {"expiration": {"days": 7}}], True, 1),
        ([{"enabled": UNKNOWN, "expiration": {"days": 7}}], False, 0),
    ],
    ids=["after-a-disabled-rule", "enabled-unknown"],
)
def test_inline_lifecycle_rules_are_judged_at_the_bucket(
    inline: list[dict[str, Any]], enabled: bool, caught: int
) -> None:
    found = stack_findings(rule, with_props(locked_stack(days=90), "logs", lifecycleRules=inline))
    assert found.urns == [LOGS]
    assert found.decided if enabled else found.undecided
    assert f"lifecycle lifecycleRules[{caught}] expires" in found[0][0]


@pytest.mark.parametrize(
    ("stack", "at", "prop"),
    [
        ([*locked_stack(), lifecycle(expiring(UNKNOWN, id="x"))], LIFECYCLE_URN,
         "rule 'x'.expiration.days"),
        ([*locked_stack(), replace(log_lifecycle(1), props={**log_lifecycle(1).props,
                                                            "rules": UNKNOWN})],
         LIFECYCLE_URN, "rules"),
        (with_props(locked_stack(), "logs", lifecycleRules=UNKNOWN), LOGS, "lifecycleRules"),
    ],
    ids=["days", "rules", "inline-rules"],
)  # fmt: skip
def test_unknown_lifecycle_values_are_undecided_naming_them(
    stack: list[Res], at: str, prop: str
) -> None:
    found = stack_findings(rule, stack)
    assert found.undecided and found.urns == [at]
    owner = "Bucket 'logs'" if at == LOGS else "BucketLifecycleConfiguration 'logs-lifecycle'"
    assert f"{owner} property '{prop}' is unknown" in found[0][0] and "30-day" in found[0][0]


def test_every_lifecycle_configuration_is_judged() -> None:
    unknown = replace(log_lifecycle(1, name="first"), props={**log_lifecycle(1).props,
                                                             "rules": UNKNOWN})  # fmt: skip
    found = stack_findings(rule, [*locked_stack(days=90), unknown, log_lifecycle(7)])
    assert found.urns == [urn(LIFECYCLE, "first"), LIFECYCLE_URN]


def test_a_lifecycle_of_an_unknown_bucket_is_undecided_at_the_log_bucket() -> None:
    stray = replace(log_lifecycle(7, name="stray"), property_dependencies={})
    stray = replace(stray, props={**stray.props, "bucket": UNKNOWN})
    found = stack_findings(rule, [*locked_stack(days=90), stray])
    assert found.undecided and found.urns == [LOGS]
    assert "BucketLifecycleConfiguration 'stray'" in found[0][0] and "Bucket 'logs'" in found[0][0]


# --- every log bucket; one that may be one -------------------------------------------------------


class TestRequired(RequiredCases):
    rule = rule
    what = "Object Lock configuration"

    def stack(self) -> list[Res]:
        return locked_stack()
