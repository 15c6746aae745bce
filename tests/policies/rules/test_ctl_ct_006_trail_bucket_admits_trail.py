"""ctl-ct-006: an in-stack bucket's policy admits the trail that writes to it."""

from dataclasses import replace

import pytest
from guardrails.rules import ctl_ct_006_trail_bucket_admits_trail as rule
from literals import ACCOUNT, BUCKET_NAME, TRAIL, UNKNOWN, acl_check, trail_write
from rule_cases import decided, log_bucket_stack, stack_findings, undecided, with_props


def test_trail_admitted_passes() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []


def test_arn_equals_with_wildcards_names_the_trail() -> None:
    cond = {"ArnEquals": {"aws:SourceArn": "arn:aws:cloudtrail:*:111122223333:trail/org-*"}}
    stack = log_bucket_stack(acl_check(Condition=cond), trail_write(Condition=cond))
    assert stack_findings(rule, stack) == []


def test_trail_not_named_or_prefix_outside_grant_is_caught() -> None:
    assert decided(stack_findings(rule, with_props(log_bucket_stack(), "trail", name="another")))
    assert decided(stack_findings(rule, with_props(log_bucket_stack(), "trail", s3KeyPrefix="org")))
    assert decided(stack_findings(rule, log_bucket_stack(trail_write())))


def test_trail_to_bucket_outside_the_stack_is_skipped() -> None:
    assert (
        stack_findings(rule, with_props(log_bucket_stack(), "trail", s3BucketName="central")) == []
    )


def test_unknown_trail_name_is_undecided() -> None:
    found = stack_findings(rule, with_props(log_bucket_stack(), "trail", name=UNKNOWN))
    assert undecided(found) and found[0][1].endswith(f"{TRAIL}::trail")


def conditioned(condition: dict[str, object]) -> list[dict[str, object]]:
    return [acl_check(Condition=condition), trail_write(Condition=condition)]


@pytest.mark.parametrize(
    "operator", ["StringLike", "ArnLike", "ForAnyValue:ArnLike", "ForAnyValue:StringLike"]
)
def test_a_wildcard_operator_may_name_the_trail_by_pattern(operator: str) -> None:
    cond = {operator: {"aws:SourceArn": f"arn:aws:cloudtrail:*:{ACCOUNT}:trail/org-*"}}
    assert stack_findings(rule, log_bucket_stack(*conditioned(cond))) == []


@pytest.mark.parametrize("operator", ["StringEquals", "ArnNotLike"])
def test_a_pattern_under_an_exact_or_negated_operator_names_no_trail(operator: str) -> None:
    cond = {operator: {"aws:SourceArn": f"arn:aws:cloudtrail:*:{ACCOUNT}:trail/org-*"}}
    found = stack_findings(rule, log_bucket_stack(*conditioned(cond)))
    if operator == "StringEquals":
        assert decided(found)
        assert "s3:PutObject" in found[0][0] and "s3:GetBucketAcl" in found[0][0]
    else:
        assert found == []  # no positive aws:SourceArn condition: not pinned to a trail at all


def test_a_value_that_is_no_arn_names_no_trail() -> None:
    found = stack_findings(rule, log_bucket_stack(*conditioned(
        {"StringLike": {"aws:SourceArn": ["org-trail", "*"]}})))  # fmt: skip
    assert decided(found)


def test_grants_on_every_resource_admit_the_trail() -> None:
    everything = [acl_check(Resource="*"), trail_write(Resource="*")]
    assert stack_findings(rule, log_bucket_stack(*everything)) == []


@pytest.mark.parametrize(
    "write",
    [
        trail_write(Resource=f"arn:aws:s3:::another-bucket/AWSLogs/{ACCOUNT}/*"),
        trail_write(Resource=f"arn:aws:s3:::{BUCKET_NAME}"),
        {k: v for k, v in trail_write().items() if k != "Resource"}
        | {"NotResource": f"arn:aws:s3:::{BUCKET_NAME}/private/*"},
    ],
    ids=["another-bucket", "the-bucket-not-its-objects", "not-resource"],
)
def test_a_write_grant_elsewhere_does_not_admit_the_trail(write: dict[str, object]) -> None:
    found = stack_findings(rule, log_bucket_stack(acl_check(), write))
    assert decided(found) and "s3:PutObject" in found[0][0]
    assert "s3:GetBucketAcl" not in found[0][0]


def test_a_missing_acl_check_alone_is_named() -> None:
    found = stack_findings(rule, log_bucket_stack(trail_write()))
    assert decided(found) and f"s3:GetBucketAcl on {BUCKET_NAME}" in found[0][0]
    assert "s3:PutObject" not in found[0][0]


def test_a_key_prefix_is_read_without_its_slashes() -> None:
    prefixed = trail_write(Resource=f"arn:aws:s3:::{BUCKET_NAME}/org/AWSLogs/{ACCOUNT}/*")
    stack = with_props(log_bucket_stack(acl_check(), prefixed), "trail", s3KeyPrefix="/org/")
    assert stack_findings(rule, stack) == []
    found = stack_findings(rule, with_props(log_bucket_stack(), "trail", s3KeyPrefix="org"))
    assert decided(found) and f"{BUCKET_NAME}/org/AWSLogs/..." in found[0][0]


def test_an_unknown_bucket_name_no_dependency_resolves_is_undecided() -> None:
    stack = [replace(r, property_dependencies={}) if r.name == "trail" else r
             for r in with_props(log_bucket_stack(), "trail", s3BucketName=UNKNOWN)]  # fmt: skip
    found = stack_findings(rule, stack)
    assert undecided(found) and "'s3BucketName'" in found[0][0]


@pytest.mark.parametrize(
    ("resource", "props"),
    [("trail", {"s3KeyPrefix": UNKNOWN}), ("logs", {"bucket": UNKNOWN}),
     ("logs-policy", {"policy": UNKNOWN})],
    ids=["key-prefix", "bucket", "policy"],
)
def test_an_unknown_the_decision_needs_is_undecided(
    resource: str, props: dict[str, object]
) -> None:
    found = stack_findings(rule, with_props(log_bucket_stack(), resource, **props))
    assert undecided(found) and all(u.endswith(f"{TRAIL}::trail") for _m, u in found)


def test_a_trail_without_a_name_is_undecided() -> None:
    found = stack_findings(rule, with_props(log_bucket_stack(), "trail", drop=("name",)))
    assert undecided(found) and "'name'" in found[0][0]


def test_a_malformed_policy_is_reported_as_such() -> None:
    broken = with_props(log_bucket_stack(), "logs-policy", policy='{"Statement": "nope"')
    found = stack_findings(rule, broken)
    assert decided(found) and found[0][0].startswith("BucketPolicy 'logs-policy': ")
