"""ctl-s3-020: a CloudTrail bucket grants nothing outside the member accounts and organization."""

from guardrails.rules import ctl_s3_020_log_bucket_grants_in_organization as rule
from literals import (
    ACCOUNT,
    ANY_ACCOUNT_TRAIL,
    BUCKET_NAME,
    MEMBER,
    ORG,
    OUTSIDER,
    UNKNOWN,
    acl_check,
    allow_readers,
    deny_unlisted_accounts,
    log_archive_statements,
    statement,
    trail_write,
)
from rule_cases import decided, log_bucket_stack, stack_findings, undecided, with_props

GRANT_READ = statement(Sid="Extra", Action="s3:GetObject", Resource=f"arn:aws:s3:::{BUCKET_NAME}/*")


def test_archive_design_passes_with_accounts_derived_from_the_deny() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []


def test_grant_to_an_outside_account_is_caught_and_names_the_policy() -> None:
    extra = GRANT_READ | {"Principal": {"AWS": f"arn:aws:iam::{OUTSIDER}:root"}}
    found = stack_findings(rule, log_bucket_stack(*log_archive_statements(), extra))
    assert decided(found) and OUTSIDER in found[0][0]
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
    assert decided(stack_findings(rule, stack))
    assert decided(stack_findings(rule, stack, organizationId=ORG))
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
    assert decided(stack_findings(rule, stack, allowedAccounts=[ACCOUNT, MEMBER]))


def test_cloudtrail_grant_for_any_account_is_caught() -> None:
    stack = log_bucket_stack(acl_check(Condition={}), trail_write(), allow_readers())
    found = stack_findings(rule, stack, allowedAccounts=[ACCOUNT])
    assert decided(found) and "not limited" in found[0][0]


def test_without_config_or_deny_the_allowed_set_is_unknown() -> None:
    found = stack_findings(rule, log_bucket_stack(acl_check(), trail_write()))
    assert decided(found) and "allowedAccounts" in found[0][0]
    assert (
        stack_findings(
            rule, log_bucket_stack(acl_check(), trail_write()), allowedAccounts=[ACCOUNT]
        )
        == []
    )


def test_unknown_policy_is_undecided() -> None:
    assert undecided(
        stack_findings(rule, with_props(log_bucket_stack(), "logs-policy", policy=UNKNOWN))
    )
