"""ctl-s3-002: every bucket's policy denies s3:* without TLS on the bucket and its objects."""

from guardrails.rules import ctl_s3_002_bucket_policy_tls_only as rule
from literals import BUCKET_NAME, UNKNOWN, acl_check, deny_insecure_transport, trail_write, without
from rule_cases import decided, log_bucket_stack, stack_findings, undecided, with_props


def test_tls_deny_passes() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []


def test_missing_tls_deny_is_caught() -> None:
    assert decided(stack_findings(rule, log_bucket_stack(acl_check(), trail_write())))


def test_tls_deny_on_objects_only_is_caught() -> None:
    narrow = deny_insecure_transport(Resource=f"arn:aws:s3:::{BUCKET_NAME}/*")
    assert decided(stack_findings(rule, log_bucket_stack(acl_check(), trail_write(), narrow)))


def test_tls_deny_with_policy_variable_resource_is_not_relied_on() -> None:
    variable = deny_insecure_transport(Resource=["arn:aws:s3:::${aws:username}", "*"])
    assert stack_findings(rule, log_bucket_stack(variable)) == []  # "*" still covers the bucket
    only_variable = deny_insecure_transport(
        Resource=["arn:aws:s3:::${aws:username}", "arn:aws:s3:::${aws:username}/*"]
    )
    assert decided(stack_findings(rule, log_bucket_stack(only_variable)))


def test_no_policy_is_caught() -> None:
    assert decided(stack_findings(rule, without(log_bucket_stack(), "logs-policy")))


def test_unknown_policy_is_undecided() -> None:
    assert undecided(
        stack_findings(rule, with_props(log_bucket_stack(), "logs-policy", policy=UNKNOWN))
    )
