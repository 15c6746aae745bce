"""ctl-s3-020: a CloudTrail bucket grants nothing outside the member accounts and organization."""

from typing import Any

import jsonschema
import pytest
from archive_cases import LOGS, companion, log_bucket_stack, maybe_log_bucket_stack
from guardrails.rules import ctl_s3_020_log_bucket_grants_in_organization as rule
from guardrails.support import Res
from literals import (
    ACCOUNT,
    ANY_ACCOUNT_TRAIL,
    BUCKET,
    BUCKET_NAME,
    BUCKET_POLICY,
    MEMBER,
    ORG,
    OUTSIDER,
    TRAIL,
    UNKNOWN,
    acl_check,
    allow_readers,
    deny_unlisted_accounts,
    document,
    log_archive_statements,
    statement,
    trail_write,
)
from rule_cases import res, stack_findings, urn, with_props

GRANT_READ = statement(Sid="Extra", Action="s3:GetObject", Resource=f"arn:aws:s3:::{BUCKET_NAME}/*")


def test_archive_design_passes_with_accounts_derived_from_the_deny() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []


def test_grant_to_an_outside_account_is_caught_and_names_the_policy() -> None:
    extra = GRANT_READ | {"Principal": {"AWS": f"arn:aws:iam::{OUTSIDER}:root"}}
    found = stack_findings(rule, log_bucket_stack(*log_archive_statements(), extra))
    assert found.decided and OUTSIDER in found[0][0]
    assert found[0][1].endswith("::logs-policy")


def test_member_account_grant_passes() -> None:
    extra = GRANT_READ | {"Principal": {"AWS": MEMBER}}
    assert stack_findings(rule, log_bucket_stack(*log_archive_statements(), extra)) == []


def test_public_principal_pinned_to_another_org_is_caught() -> None:
    extra = GRANT_READ | {
        "Principal": "*",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-otherorg123"}},
    }
    stack = log_bucket_stack(*log_archive_statements(), extra)
    assert stack_findings(rule, stack).decided
    assert stack_findings(rule, stack, organizationId=ORG).decided
    ours = extra | {"Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG}}}
    same_org = log_bucket_stack(*log_archive_statements(), ours)
    assert (
        stack_findings(rule, same_org, allowedAccounts=[ACCOUNT, MEMBER], organizationId=ORG) == []
    )


def test_cloudtrail_grant_for_an_unlisted_account_is_caught_with_config() -> None:
    # The Deny lists OUTSIDER too, so only an explicit allowedAccounts catches it.
    statements = [
        acl_check(Condition={"ArnLike": {"aws:SourceArn": ANY_ACCOUNT_TRAIL}}),
        trail_write(Condition={"ArnLike": {"aws:SourceArn": ANY_ACCOUNT_TRAIL}}),
        deny_unlisted_accounts(ACCOUNT, OUTSIDER),
    ]
    stack = log_bucket_stack(*statements)
    assert stack_findings(rule, stack) == []
    assert stack_findings(rule, stack, allowedAccounts=[ACCOUNT, MEMBER]).decided


def test_cloudtrail_grant_for_any_account_is_caught() -> None:
    stack = log_bucket_stack(acl_check(Condition={}), trail_write(), allow_readers())
    found = stack_findings(rule, stack, allowedAccounts=[ACCOUNT])
    assert found.decided and "not limited" in found[0][0]


def test_without_config_or_deny_the_allowed_set_is_unknown() -> None:
    found = stack_findings(rule, log_bucket_stack(acl_check(), trail_write()))
    assert found.decided and "allowedAccounts" in found[0][0]
    assert (
        stack_findings(
            rule, log_bucket_stack(acl_check(), trail_write()), allowedAccounts=[ACCOUNT]
        )
        == []
    )


def test_unknown_policy_is_undecided() -> None:
    assert stack_findings(
        rule, with_props(log_bucket_stack(), "logs-policy", policy=UNKNOWN)
    ).undecided


LOGS_POLICY = urn(BUCKET_POLICY, "logs-policy")
ANYONE = allow_readers(Sid="AllowAnyone", Principal="*")
OUTSIDE = GRANT_READ | {"Principal": {"AWS": f"arn:aws:iam::{OUTSIDER}:root"}}


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ({"allowedAccounts": [ACCOUNT], "organizationId": ORG}, True),
        ({"allowedAccounts": [ACCOUNT], "organizationId": ""}, True),
        ({"allowedAccounts": ["1111"]}, False),
        ({"organizationId": "o-ABC123DEF4"}, False),
    ],
    ids=["account-and-org", "no-org", "short-account", "upper-case-org"],
)
def test_the_config_schema_takes_account_ids_and_an_organization_id(
    value: dict[str, Any], valid: bool
) -> None:
    """The engine validates a pack config against these schemas before the rule runs."""
    props = rule.POLICY.config_schema.properties
    errors = [e for k, v in value.items()
              for e in jsonschema.Draft7Validator(props[k]).iter_errors(v)]  # fmt: skip
    assert (errors == []) is valid


def test_each_grant_of_a_statement_list_is_judged_after_one_open_to_anyone() -> None:
    found = stack_findings(rule, log_bucket_stack(*log_archive_statements(), ANYONE, OUTSIDE))
    assert found.decided and found.urns == [LOGS_POLICY, LOGS_POLICY]
    assert "'AllowAnyone'" in found[0][0] and "Bucket 'logs'" in found[0][0]
    assert OUTSIDER in found[1][0] and "not limited" not in found[1][0]


def test_without_an_allowed_set_the_finding_is_at_the_bucket() -> None:
    found = stack_findings(rule, log_bucket_stack(acl_check(), trail_write()))
    assert found.decided and found.urns == [LOGS]


def first_bucket(policy: list[dict[str, Any]] | None, unknown_policy: bool = False) -> list[Res]:
    """A CloudTrail bucket before the log bucket: a trail writes to it; `policy` inline."""
    bucket = res(BUCKET, "first", bucket="first",
                 **({"policy": document(*policy)} if policy is not None else {}))  # fmt: skip
    found = [bucket, res(TRAIL, "first-trail", name="first-trail", s3BucketName="first")]
    if unknown_policy:
        found.append(companion(BUCKET_POLICY, "first-policy", bucket, policy=UNKNOWN))
    return found


@pytest.mark.parametrize(
    ("first", "at_first"),
    [
        (first_bucket(None), []),
        (first_bucket([acl_check("first"), trail_write("first")]), ["first"]),
        (first_bucket([acl_check("first"), trail_write("first")], unknown_policy=True),
         ["first-policy"]),
    ],
    ids=["without-policy", "without-allowed-set", "allowed-set-maybe-unknown"],
)  # fmt: skip
def test_the_log_bucket_after_another_is_judged(first: list[Res], at_first: list[str]) -> None:
    found = stack_findings(rule, [*first, *log_bucket_stack(*log_archive_statements(), OUTSIDE)])
    firsts = [urn(BUCKET, n) if n == "first" else urn(BUCKET_POLICY, n) for n in at_first]
    assert found.urns == [*firsts, LOGS_POLICY]
    assert OUTSIDER in found[-1][0]


def test_a_bucket_that_may_be_a_log_bucket_is_undecided() -> None:
    stack = maybe_log_bucket_stack()
    found = stack_findings(rule, stack)
    assert found.undecided and found.urns == [LOGS]
    assert "Bucket 'logs'" in found[0][0]
