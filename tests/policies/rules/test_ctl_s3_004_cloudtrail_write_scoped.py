"""ctl-s3-004: CloudTrail's PutObject grant is AWSLogs/-only, PutObject-only and deputy-guarded."""

import pytest
from guardrails.rules import ctl_s3_004_cloudtrail_write_scoped as rule
from literals import (
    ACCOUNT,
    ANY_ACCOUNT_TRAIL,
    BUCKET_NAME,
    BUCKET_POLICY,
    UNKNOWN,
    deny_unlisted_accounts,
    document,
    trail_write,
)
from rule_cases import res, resource_findings


def policy(*statements: dict[str, object]) -> object:
    return res(BUCKET_POLICY, "p", bucket=BUCKET_NAME, policy=document(*statements))


ANY_TRAIL = {"ArnLike": {"aws:SourceArn": ANY_ACCOUNT_TRAIL}}


def test_scoped_write_passes() -> None:
    assert resource_findings(rule, policy(trail_write())) == []


def test_any_account_trail_pinned_by_account_deny_passes() -> None:
    write = trail_write(
        Resource=f"arn:aws:s3:::{BUCKET_NAME}/AWSLogs/${{aws:SourceAccount}}/*", Condition=ANY_TRAIL
    )
    assert resource_findings(rule, policy(write, deny_unlisted_accounts())) == []
    assert resource_findings(rule, policy(write)).decided


WRITE = "Sid 'AWSCloudTrailWrite'"


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"Resource": f"arn:aws:s3:::{BUCKET_NAME}/*"}, f"'arn:aws:s3:::{BUCKET_NAME}/*'"),
        ({"Resource": "*"}, "'*'"),
        ({"Resource": f"arn:aws:s3:::{BUCKET_NAME}/*/AWSLogs/*"}, "/*/AWSLogs/*'"),
        ({"Resource": f"arn:aws:s3:::another-bucket/AWSLogs/{ACCOUNT}/*"}, "another-bucket"),
        ({"Action": "s3:*"}, "s3:PutObject"),
        ({"Action": ["s3:PutObject", "s3:GetObject"]}, "s3:PutObject"),
        ({"Condition": {}}, "aws:SourceArn"),
        ({"Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:*:trail/*"}}},
         "aws:SourceArn"),
        ({"Condition": {"StringEquals": {"aws:SourceAccount": "1111*"}}}, "aws:SourceAccount"),
    ],
)  # fmt: skip
def test_wide_or_unguarded_write_is_caught_naming_statement_and_value(
    overrides: dict[str, object], named: str
) -> None:
    found = resource_findings(rule, policy(trail_write(**overrides)))
    assert found.decided and any(named in f for f in found)
    assert all(f.startswith(f"BucketPolicy 'p': statement 0 ({WRITE})") for f in found)


def test_conditions_may_be_waived_by_config() -> None:
    stmt = trail_write(Condition={})
    assert resource_findings(rule, policy(stmt), requireSourceConditions=False) == []


def test_unknown_policy_is_undecided() -> None:
    assert resource_findings(rule, res(BUCKET_POLICY, "p", policy=UNKNOWN)).undecided


def test_account_in_source_account_counts() -> None:
    stmt = trail_write(Condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}})
    assert resource_findings(rule, policy(stmt)) == []


def test_the_option_names_the_grant_it_switches() -> None:
    option = rule.POLICY.config_schema.properties["requireSourceConditions"]
    assert option == {"type": "boolean", "default": True, "description":
                      "Require aws:SourceArn / aws:SourceAccount on the write grant."}
