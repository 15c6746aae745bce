"""ctl-s3-004: CloudTrail's PutObject grant is AWSLogs/-only, PutObject-only and deputy-guarded."""

import pytest
from guardrails.rules import ctl_s3_004_cloudtrail_write_scoped as rule
from literals import (
    ACCOUNT,
    ANY_ACCOUNT_TRAIL,
    BUCKET_NAME,
    BUCKET_POLICY,
    REGION,
    TRAIL_ARN,
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


EVENT_DATA_STORE = f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:eventdatastore/store"
NOT_A_TRAIL = (
    f"BucketPolicy 'p': statement 0 ({WRITE}) has an aws:SourceArn condition that is not a "
    "CloudTrail trail ARN in a specific account "
    "(arn:<partition>:cloudtrail:<region>:<account-id>:trail/<name>)."
)
NO_CONDITION = (
    f"BucketPolicy 'p': statement 0 ({WRITE}) lacks a confused-deputy condition (aws:SourceArn "
    "and/or aws:SourceAccount with StringEquals/ArnLike-style operators)."
)


@pytest.mark.parametrize(
    ("condition", "finding"),
    [
        ({"StringEquals": {"aws:SourceArn": TRAIL_ARN}}, None),
        ({"StringEquals": {"aws:SourceArn": EVENT_DATA_STORE}}, NOT_A_TRAIL),
        (ANY_TRAIL, NOT_A_TRAIL),
        ({"StringEquals": {"aws:SourceAccount": "1111*"}},
         f"BucketPolicy 'p': statement 0 ({WRITE}) has an aws:SourceAccount condition that is not "
         "12-digit account ids."),
        # Passing when the key is absent, they guard nothing.
        ({"StringEqualsIfExists": {"aws:SourceArn": TRAIL_ARN}}, NO_CONDITION),
        ({"ForAllValues:StringEquals": {"aws:SourceArn": TRAIL_ARN}}, NO_CONDITION),
    ],
    ids=["trail", "event-data-store", "any-account", "account-wildcard", "if-exists",
         "for-all-values"],
)  # fmt: skip
def test_the_confused_deputy_finding_says_what_the_condition_lacks(
    condition: dict[str, object], finding: str | None
) -> None:
    found = resource_findings(rule, policy(trail_write(Condition=condition)))
    assert found == ([finding] if finding else [])


@pytest.mark.parametrize(
    ("deny", "pins"),
    [
        ({"Principal": {"AWS": "*"}}, True),
        ({"Principal": "*"}, True),
        ({"Action": "S3:PUTOBJECT"}, True),
        ({"Condition": {"StringNotEquals": {"aws:SourceAccount": "1111*"}}}, False),
        ({"Condition": {"StringNotEqualsIfExists": {"aws:SourceAccount": ACCOUNT}}}, False),
        # Only where it covers the grant's objects: not a Deny on other objects, nor one whose
        # NotResource exempts the logs.
        ({"Resource": f"arn:aws:s3:::{BUCKET_NAME}/archive/*"}, False),
        ({"Resource": None, "NotResource": f"arn:aws:s3:::{BUCKET_NAME}/AWSLogs/*"}, False),
    ],
    ids=["aws-star", "star", "action-case", "account-wildcard", "if-exists", "other-objects",
         "not-resource-exempts-the-logs"],
)
def test_which_account_deny_pins_a_grant_to_any_accounts_trail(
    deny: dict[str, object], pins: bool
) -> None:
    write = trail_write(Condition=ANY_TRAIL)
    account_deny = {k: v for k, v in deny_unlisted_accounts(**deny).items() if v is not None}
    found = resource_findings(rule, policy(write, account_deny))
    assert found == ([] if pins else [NOT_A_TRAIL])
