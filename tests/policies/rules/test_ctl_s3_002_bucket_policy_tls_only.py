"""ctl-s3-002: every bucket's policy denies s3:* without TLS on the bucket and its objects."""


import pytest
from archive_cases import LOGS, CompanionCases, companion_bucket_unknown, log_bucket_stack
from guardrails.rules import ctl_s3_002_bucket_policy_tls_only as rule
from guardrails.support import undecided_because
from literals import (
    BUCKET,
    BUCKET_NAME,
    UNKNOWN,
    acl_check,
    allow_readers,
    deny_insecure_transport,
    document,
    trail_write,
    without,
)
from rule_cases import res, stack_findings, urn, with_props


class TestCompanion(CompanionCases):
    rule = rule
    companion = "logs-policy"
    unlinked = ("no bucket policy", "BucketPolicy 'logs-policy'")


OBJECTS = f"arn:aws:s3:::{BUCKET_NAME}/*"


def test_missing_tls_deny_is_caught_at_the_bucket_naming_its_arns() -> None:
    found = stack_findings(rule, log_bucket_stack(acl_check(), trail_write()))
    assert found.decided and found.urns == [LOGS]
    assert f"arn:<partition>:s3:::{BUCKET_NAME}/*" in found[0][0]


@pytest.mark.parametrize(
    "overrides",
    [
        {"Resource": OBJECTS},
        {"Resource": f"arn:aws:s3:::{BUCKET_NAME}"},
        {"Action": "s3:GetObject"},
        {"Condition": {"Bool": {"aws:SecureTransport": "true"}}},
    ],
    ids=["objects-only", "bucket-only", "one-action", "secure-transport-true"],
)
def test_a_narrower_tls_deny_is_caught(overrides: dict[str, object]) -> None:
    narrow = deny_insecure_transport(**overrides)
    found = stack_findings(rule, log_bucket_stack(acl_check(), trail_write(), narrow))
    assert found.decided and found.urns == [LOGS]


def test_the_findings_of_a_bucket_without_a_known_policy_read_so() -> None:
    unlinked = companion_bucket_unknown(log_bucket_stack(), "logs-policy")
    assert stack_findings(rule, unlinked) == [(undecided_because(
        "no bucket policy is known to target Bucket 'logs'; the 'bucket' input of "
        "BucketPolicy 'logs-policy' is unknown."
    ), LOGS)]  # fmt: skip
    # An empty inline policy is no policy.
    empty = res(BUCKET, "b", bucket="b", policy="")
    assert stack_findings(rule, [empty]) == [
        ("Bucket 'b' has no bucket policy denying non-TLS access.", empty.urn)
    ]


def test_a_tls_deny_with_bool_if_exists_passes() -> None:
    condition = {"BoolIfExists": {"aws:SecureTransport": "false"}}
    tls = deny_insecure_transport(Condition=condition)
    assert stack_findings(rule, log_bucket_stack(tls, acl_check(), trail_write())) == []


def test_tls_deny_with_policy_variable_resource_is_not_relied_on() -> None:
    variable = deny_insecure_transport(Resource=["arn:aws:s3:::${aws:username}", "*"])
    assert stack_findings(rule, log_bucket_stack(variable)) == []  # "*" still covers the bucket


@pytest.mark.parametrize(
    "resources",
    [
        ["arn:aws:s3:::${aws:username}", OBJECTS],
        [f"arn:aws:s3:::{BUCKET_NAME}", "arn:aws:s3:::${aws:username}/*"],
        ["arn:aws:s3:::${aws:username}", "arn:aws:s3:::${aws:username}/*"],
    ],
    ids=["bucket-by-variable", "objects-by-variable", "both-by-variable"],
)
def test_a_tls_deny_reaching_the_bucket_through_a_variable_is_caught(
    resources: list[str],
) -> None:
    deny = deny_insecure_transport(Resource=resources)
    assert stack_findings(rule, log_bucket_stack(deny)).decided


@pytest.mark.parametrize(
    "stack",
    [
        with_props(with_props(log_bucket_stack(), "logs", bucket=UNKNOWN), "logs-policy",
                   bucket=UNKNOWN),
        [res(BUCKET, "logs", policy=document(deny_insecure_transport()))],
    ],
    ids=["unknown-name", "no-name-inline-policy"],
)  # fmt: skip
def test_a_bucket_whose_name_is_not_known_is_undecided(stack: list) -> None:
    found = stack_findings(rule, stack)
    assert found.undecided and found.urns == [LOGS]
    assert "Bucket 'logs' property 'bucket'" in found[0][0]


@pytest.mark.parametrize("policy", [UNKNOWN, "{not json"], ids=["unknown", "invalid"])
def test_an_unreadable_policy_is_reported_at_the_bucket(policy: str) -> None:
    found = stack_findings(rule, with_props(log_bucket_stack(), "logs-policy", policy=policy))
    assert found.urns == [LOGS]
    assert found.undecided is (policy == UNKNOWN)
    assert "BucketPolicy 'logs-policy'" in found[0][0]


# A bucket AWS names, TLS-only by its inline policy: which ARNs it must deny cannot be told.
UNNAMED = res(BUCKET, "unnamed", policy=document(deny_insecure_transport()))


def scratch(*statements: dict[str, object]) -> list:
    """A second bucket, with an inline policy of `statements` if any."""
    inline = {"policy": document(*statements)} if statements else {}
    return [res(BUCKET, "scratch", bucket="scratch", **inline)]


@pytest.mark.parametrize(
    ("stack", "caught"),
    [
        (scratch() + log_bucket_stack(acl_check(), trail_write()), ["scratch", "logs"]),
        (log_bucket_stack() + scratch(allow_readers(bucket="scratch")), ["scratch"]),
        (scratch(deny_insecure_transport("scratch")) + without(log_bucket_stack(), "logs-policy"),
         ["logs"]),
        ([UNNAMED, *log_bucket_stack(acl_check())], ["unnamed", "logs"]),
    ],
    ids=["after-one-without-policy", "after-a-tls-only-one", "after-a-tls-only-inline-one",
         "after-an-unnamed-one"],
)  # fmt: skip
def test_every_bucket_is_judged_after_the_first(stack: list, caught: list[str]) -> None:
    found = stack_findings(rule, stack)
    assert found.urns == [urn(BUCKET, n) for n in caught]
    assert found[-1:].decided
