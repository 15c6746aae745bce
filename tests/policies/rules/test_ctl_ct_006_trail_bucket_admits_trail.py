"""ctl-ct-006: an in-stack bucket's policy admits the trail that writes to it."""

from dataclasses import replace
from typing import Any

import pytest
from archive_cases import log_bucket_stack
from guardrails.rules import ctl_ct_006_trail_bucket_admits_trail as rule
from guardrails.support import Res
from literals import (
    ACCOUNT,
    BUCKET,
    BUCKET_NAME,
    BUCKET_POLICY,
    TRAIL,
    TRAIL_ARN,
    UNKNOWN,
    acl_check,
    trail_write,
)
from rule_cases import named, res, stack_findings, with_props

TRAIL_RES = named(log_bucket_stack(), "trail")
LOGS = named(log_bucket_stack(), "logs")


def test_trail_admitted_passes() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []


def test_arn_equals_with_wildcards_names_the_trail() -> None:
    cond = {"ArnEquals": {"aws:SourceArn": "arn:aws:cloudtrail:*:111122223333:trail/org-*"}}
    stack = log_bucket_stack(acl_check(Condition=cond), trail_write(Condition=cond))
    assert stack_findings(rule, stack) == []


def test_trail_not_named_or_prefix_outside_grant_is_caught() -> None:
    found = stack_findings(rule, with_props(log_bucket_stack(), "trail", name="another"))
    assert found.decided_on(TRAIL_RES, LOGS.label, "'another'")
    found = stack_findings(rule, with_props(log_bucket_stack(), "trail", s3KeyPrefix="org"))
    assert found.decided_on(TRAIL_RES, LOGS.label)
    assert stack_findings(rule, log_bucket_stack(trail_write())).decided_on(TRAIL_RES)


def test_a_grant_of_other_actions_on_the_bucket_is_no_acl_check() -> None:
    listing = acl_check(Action="s3:ListBucket")
    found = stack_findings(rule, log_bucket_stack(listing, trail_write()))
    assert found.decided_on(TRAIL_RES, f"s3:GetBucketAcl on {BUCKET_NAME}")


def test_any_of_the_source_arns_may_name_the_trail() -> None:
    cond = {"StringEquals": {"aws:SourceArn": ["org-trail", TRAIL_ARN]}}  # the first is no ARN
    assert stack_findings(rule, log_bucket_stack(*conditioned(cond))) == []


def test_any_of_the_resources_may_cover_the_log_prefix() -> None:
    write = trail_write(
        Resource=[f"arn:aws:s3:::another-bucket/AWSLogs/{ACCOUNT}/*", trail_write()["Resource"]]
    )
    assert stack_findings(rule, log_bucket_stack(acl_check(), write)) == []


def test_each_trail_is_judged() -> None:
    """A trail whose bucket is unknown does not hide the next one's violation."""
    unknown = replace(
        res(TRAIL, "unknown-bucket", name="t", s3BucketName=UNKNOWN), property_dependencies={}
    )
    stack = [unknown, *with_props(log_bucket_stack(), "trail", name="another")]
    found = stack_findings(rule, stack)
    assert found[:1].undecided_on(unknown, "s3BucketName", why=False)
    assert found[1:].decided_on(TRAIL_RES, "'another'")


def test_trail_to_bucket_outside_the_stack_is_skipped() -> None:
    assert (
        stack_findings(rule, with_props(log_bucket_stack(), "trail", s3BucketName="central")) == []
    )


def test_unknown_trail_name_is_undecided() -> None:
    found = stack_findings(rule, with_props(log_bucket_stack(), "trail", name=UNKNOWN))
    assert found.undecided_on(TRAIL_RES, "name", why=False)


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
        assert found.decided
        assert "s3:PutObject" in found[0][0] and "s3:GetBucketAcl" in found[0][0]
    else:
        assert found == []  # no positive aws:SourceArn condition: not pinned to a trail at all


def test_a_value_that_is_no_arn_names_no_trail() -> None:
    found = stack_findings(rule, log_bucket_stack(*conditioned(
        {"StringLike": {"aws:SourceArn": ["org-trail", "*"]}})))  # fmt: skip
    assert found.decided


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
    assert found.decided and "s3:PutObject" in found[0][0]
    assert "s3:GetBucketAcl" not in found[0][0]


def test_a_missing_acl_check_alone_is_named() -> None:
    found = stack_findings(rule, log_bucket_stack(trail_write()))
    assert found.decided and f"s3:GetBucketAcl on {BUCKET_NAME}" in found[0][0]
    assert "s3:PutObject" not in found[0][0]


@pytest.mark.parametrize("prefix, root", [("", ""), ("X", "X/"), ("/org/", "org/")])
def test_the_log_prefix_a_finding_names(prefix: str, root: str) -> None:
    found = stack_findings(
        rule, with_props(log_bucket_stack(acl_check()), "trail", s3KeyPrefix=prefix)
    )
    assert found.decided_on(TRAIL_RES, f"s3:PutObject on {BUCKET_NAME}/{root}AWSLogs/...")


def test_a_key_prefix_is_read_without_its_slashes() -> None:
    prefixed = trail_write(Resource=f"arn:aws:s3:::{BUCKET_NAME}/org/AWSLogs/{ACCOUNT}/*")
    stack = with_props(log_bucket_stack(acl_check(), prefixed), "trail", s3KeyPrefix="/org/")
    assert stack_findings(rule, stack) == []
    found = stack_findings(rule, with_props(log_bucket_stack(), "trail", s3KeyPrefix="org"))
    assert found.decided and f"{BUCKET_NAME}/org/AWSLogs/..." in found[0][0]


def test_an_unknown_bucket_name_no_dependency_resolves_is_undecided() -> None:
    stack = [replace(r, property_dependencies={}) if r.name == "trail" else r
             for r in with_props(log_bucket_stack(), "trail", s3BucketName=UNKNOWN)]  # fmt: skip
    found = stack_findings(rule, stack)
    assert found.undecided_on(TRAIL_RES, "s3BucketName", why=False)


@pytest.mark.parametrize(
    ("resource", "props", "prop"),
    [
        ("trail", {"s3KeyPrefix": UNKNOWN}, "s3KeyPrefix"),
        ("logs", {"bucket": UNKNOWN}, "bucket"),
        ("logs-policy", {"policy": UNKNOWN}, "policy"),
    ],
    ids=["key-prefix", "bucket", "policy"],
)
def test_an_unknown_the_decision_needs_is_undecided(
    resource: str, props: dict[str, object], prop: str
) -> None:
    found = stack_findings(rule, with_props(log_bucket_stack(), resource, **props))
    subject = named(log_bucket_stack(), resource)
    assert found.undecided_on(TRAIL_RES, prop, subject=subject, why=False)


def test_a_trail_without_a_name_is_undecided() -> None:
    found = stack_findings(rule, with_props(log_bucket_stack(), "trail", drop=("name",)))
    assert found.undecided_on(TRAIL_RES, "name", why=False)


def test_a_malformed_policy_is_reported_as_such() -> None:
    broken = with_props(log_bucket_stack(), "logs-policy", policy='{"Statement": "nope"')
    found = stack_findings(rule, broken)
    policy = named(broken, "logs-policy")
    assert found[:1].decided_on(TRAIL_RES, subject=policy) and found[0][0].startswith(policy.label)


def test_every_policy_of_the_bucket_is_read() -> None:
    """An unknown BucketPolicy does not hide a malformed inline policy of the same bucket."""
    stack = with_props(log_bucket_stack(), "logs-policy", policy=UNKNOWN)
    found = stack_findings(rule, with_props(stack, "logs", policy='{"Statement": "nope"'))
    policy = named(stack, "logs-policy")
    assert found[:1].undecided_on(TRAIL_RES, "policy", subject=policy, why=False)
    assert found[1:].decided_on(TRAIL_RES, subject=LOGS) and found[1][0].startswith(LOGS.label)


def two_buckets(**other: Any) -> tuple[list[Res], Res]:
    """The trail, named 'another' (which the log bucket's policy does not admit), writes to a
    bucket `other` first, then to the log bucket, through an unknown s3BucketName."""
    bucket = res(BUCKET, "other", **{"bucket": "other-bucket", **other})
    stack = [bucket, *with_props(log_bucket_stack(), "trail", s3BucketName=UNKNOWN, name="another")]
    deps = {"s3BucketName": [bucket.urn, LOGS.urn]}
    return [
        replace(r, property_dependencies=deps) if r.name == "trail" else r for r in stack
    ], bucket


@pytest.mark.parametrize("unknown", ["bucket", "policy"])
def test_each_bucket_of_a_trail_is_judged(unknown: str) -> None:
    """A first bucket whose name or policy is unknown does not hide the second's violation."""
    stack, other = two_buckets(**({"bucket": UNKNOWN} if unknown == "bucket" else {}))
    if unknown == "policy":
        stack.append(res(BUCKET_POLICY, "other-policy", deps={"bucket": [other.urn]},
                         bucket="other-bucket", policy=UNKNOWN))  # fmt: skip
        other = stack[-1]
    found = stack_findings(rule, stack)
    assert found[:1].undecided_on(TRAIL_RES, unknown, subject=other, why=False)
    assert found[1:].decided_on(TRAIL_RES, LOGS.label, "'another'")
