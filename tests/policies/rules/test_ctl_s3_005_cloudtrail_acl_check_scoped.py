"""ctl-s3-005: CloudTrail's GetBucketAcl grant names only the bucket and is deputy-guarded."""

from guardrails.rules import ctl_s3_005_cloudtrail_acl_check_scoped as rule
from literals import BUCKET_NAME, BUCKET_POLICY, UNKNOWN, acl_check, document
from rule_cases import decided, res, resource_findings, undecided


def policy(*statements: dict[str, object]) -> object:
    return res(BUCKET_POLICY, "p", bucket=BUCKET_NAME, policy=document(*statements))


def test_scoped_acl_check_passes() -> None:
    assert resource_findings(rule, policy(acl_check())) == []


def test_unguarded_acl_check_is_caught() -> None:
    assert decided(resource_findings(rule, policy(acl_check(Condition={}))))


def test_acl_check_on_objects_is_caught() -> None:
    stmt = acl_check(Resource=f"arn:aws:s3:::{BUCKET_NAME}/*")
    assert decided(resource_findings(rule, policy(stmt)))


def test_unknown_policy_is_undecided() -> None:
    assert undecided(resource_findings(rule, res(BUCKET_POLICY, "p", policy=UNKNOWN)))
