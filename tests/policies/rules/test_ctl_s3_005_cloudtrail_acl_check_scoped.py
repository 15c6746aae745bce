"""ctl-s3-005: CloudTrail's GetBucketAcl grant names only the bucket and is deputy-guarded."""

import pytest
from guardrails.rules import ctl_s3_004_cloudtrail_write_scoped as write_rule
from guardrails.rules import ctl_s3_005_cloudtrail_acl_check_scoped as rule
from literals import (
    ANY_ACCOUNT_TRAIL,
    BUCKET_NAME,
    BUCKET_POLICY,
    UNKNOWN,
    acl_check,
    deny_unlisted_accounts,
    document,
    trail_write,
)
from rule_cases import res, resource_findings

ACL_CHECK = "BucketPolicy 'p': statement 0 (Sid 'AWSCloudTrailAclCheck')"


def policy(*statements: dict[str, object]) -> object:
    return res(BUCKET_POLICY, "p", bucket=BUCKET_NAME, policy=document(*statements))


def test_scoped_acl_check_passes() -> None:
    assert resource_findings(rule, policy(acl_check())) == []


def test_unguarded_acl_check_is_caught() -> None:
    found = resource_findings(rule, policy(acl_check(Condition={})))
    assert found.decided and all(f.startswith(ACL_CHECK) for f in found)
    assert any("aws:SourceArn" in f for f in found)


@pytest.mark.parametrize(
    "resource", [f"arn:aws:s3:::{BUCKET_NAME}/*", "arn:aws:s3:::another-bucket"]
)
def test_acl_check_on_objects_or_another_bucket_is_caught(resource: str) -> None:
    found = resource_findings(rule, policy(acl_check(Resource=resource)))
    assert found.decided and all(f.startswith(ACL_CHECK) for f in found)
    assert any(f"'{resource}'" in f for f in found)


@pytest.mark.parametrize(("denied", "passes"), [(None, True), ("s3:PutObject", False)])
def test_any_account_trail_is_pinned_only_by_a_deny_of_the_acl_check(
    denied: str | None, passes: bool
) -> None:
    """A deny to unlisted accounts pins a trail ARN of any account when it covers GetBucketAcl."""
    acl = acl_check(Condition={"ArnLike": {"aws:SourceArn": ANY_ACCOUNT_TRAIL}})
    guard = deny_unlisted_accounts(**({"Action": denied} if denied else {}))
    found = resource_findings(rule, policy(acl, guard))
    assert (found == []) is passes
    assert all(f.startswith(ACL_CHECK) and "aws:SourceArn" in f for f in found)


def combined(**overrides: object) -> dict[str, object]:
    """One grant of both CloudTrail actions on the bucket and its log objects."""
    write = trail_write()
    return acl_check(
        Action=["s3:GetBucketAcl", "s3:PutObject"],
        Resource=[acl_check()["Resource"], write["Resource"]],
        **overrides,
    )


def test_a_combined_grant_is_left_to_ctl_s3_004() -> None:
    stack = policy(combined())
    assert resource_findings(rule, stack) == []
    assert any("grants more than s3:PutObject" in f for f in resource_findings(write_rule, stack))


def test_an_acl_check_after_a_combined_grant_is_still_judged() -> None:
    found = resource_findings(rule, policy(combined(), acl_check(Condition={})))
    assert found.decided
    assert all(f.startswith("BucketPolicy 'p': statement 1 (Sid 'AWSCloudTrailAclCheck')")
               for f in found)  # fmt: skip


def test_unknown_policy_is_undecided() -> None:
    assert resource_findings(rule, res(BUCKET_POLICY, "p", policy=UNKNOWN)).undecided


def test_the_option_names_the_grant_it_switches() -> None:
    option = rule.POLICY.config_schema.properties["requireSourceConditions"]
    assert option == {"type": "boolean", "default": True, "description":
                      "Require aws:SourceArn / aws:SourceAccount on the ACL-check grant."}
