"""ctl-ct-006: an in-stack bucket's policy admits the trail that writes to it."""

from guardrails.rules import ctl_ct_006_trail_bucket_admits_trail as rule
from literals import TRAIL, UNKNOWN, acl_check, trail_write
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
