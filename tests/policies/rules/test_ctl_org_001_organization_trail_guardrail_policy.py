"""ctl-org-001: an organization trail comes with an attached service control policy that keeps
member accounts from silencing it."""

import json
from typing import Any

import pytest
from archive_cases import log_bucket_stack
from guardrails.rules import ctl_org_001_organization_trail_guardrail_policy as rule
from guardrails.support import Res
from literals import BUCKET_NAME, TRAIL, TRAIL_NAME, UNKNOWN, without
from rule_cases import named, res, stack_findings, urn, with_props

POLICY = "aws:organizations/policy:Policy"
ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment"
EXEMPT = {"ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/stacksets-exec-*"]}}


def protect_trails(**overrides: Any) -> dict[str, Any]:
    return {
        "Sid": "ProtectTrails",
        "Effect": "Deny",
        "Action": [
            "cloudtrail:StopLogging",
            "cloudtrail:DeleteTrail",
            "cloudtrail:UpdateTrail",
            "cloudtrail:PutEventSelectors",
        ],
        "Resource": f"arn:aws:cloudtrail:*:*:trail/{TRAIL_NAME}",
        "Condition": EXEMPT,
    } | overrides


LEAVE = {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}


def keep_archive(**overrides: Any) -> dict[str, Any]:
    return {
        "Sid": "DenyArchiveDeletion",
        "Effect": "Deny",
        "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention",
                   "s3:PutLifecycleConfiguration"],
        "Resource": f"arn:aws:s3:::{BUCKET_NAME}*",
    } | overrides  # fmt: skip


def guardrails(
    *statements: dict[str, Any], kind: str = "SERVICE_CONTROL_POLICY", name: str = "guardrails"
) -> list[Res]:
    content = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    policy = res(POLICY, name, protect=True, type=kind, content=content)
    attachment = res(ATTACHMENT, f"{name}-attachment", deps={"policyId": [policy.urn]},
                     policyId=UNKNOWN, targetId="r-abcd")  # fmt: skip
    return [policy, attachment]


def complete() -> list[Res]:
    """The program's shape: the logging's policy and the archive's, both attached."""
    return [*guardrails(protect_trails(), LEAVE),
            *guardrails(keep_archive(), name="archive-guardrails")]  # fmt: skip


def organization_stack(*extra: Res) -> list[Res]:
    return [*with_props(log_bucket_stack(), "trail", isOrganizationTrail=True), *extra]


def test_an_organization_trail_with_its_attached_guardrails_passes() -> None:
    assert stack_findings(rule, organization_stack(*complete())) == []
    # One policy with every statement is as good.
    one = guardrails(protect_trails(), LEAVE, keep_archive())
    assert stack_findings(rule, organization_stack(*one)) == []


def test_guardrails_that_leave_the_logs_deletable_are_caught() -> None:
    trail = urn("aws:cloudtrail/trail:Trail", "trail")
    alone = stack_findings(rule, organization_stack(*guardrails(protect_trails(), LEAVE)))
    assert alone.decided and alone.urns == [trail]
    assert "deleting its logs" in alone[0][0]
    for weak in (
        keep_archive(Action=["s3:DeleteObject", "s3:DeleteObjectVersion"]),
        keep_archive(Resource="arn:aws:s3:::another-bucket*"),
        keep_archive(Condition=EXEMPT),  # someone may still delete
        # A policy variable's value is not known here: a Deny cannot be relied upon with it.
        keep_archive(Resource=[f"arn:aws:s3:::{BUCKET_NAME}",
                               f"arn:aws:s3:::{BUCKET_NAME}/${{aws:PrincipalTag/team}}/*"]),
        keep_archive(Action=["s3:DeleteObject", "s3:DeleteObjectVersion",
                             "s3:BypassGovernanceRetention"]),  # the lifecycle expires them
    ):  # fmt: skip
        stack = organization_stack(*guardrails(protect_trails(), LEAVE),
                                   *guardrails(weak, name="archive-guardrails"))  # fmt: skip
        assert stack_findings(rule, stack).decided, weak


def test_an_account_trail_needs_no_guardrails() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []


def test_an_organization_trail_without_guardrails_is_caught() -> None:
    found = stack_findings(rule, organization_stack())
    assert found.decided and found[0][1] == urn("aws:cloudtrail/trail:Trail", "trail")


def test_a_policy_that_misses_a_trail_action_or_leaving_is_caught() -> None:
    partial = protect_trails(Action=["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"])
    assert stack_findings(
        rule, organization_stack(*guardrails(partial, LEAVE, keep_archive()))
    ).decided
    assert stack_findings(
        rule, organization_stack(*guardrails(protect_trails(), keep_archive()))
    ).decided


def test_leaving_denied_on_a_named_resource_only_is_caught() -> None:
    """LeaveOrganization has no resource-level permissions: only Resource '*' denies it."""
    named_only = {**LEAVE, "Resource": "arn:aws:organizations::*:account/*"}
    stack = organization_stack(*guardrails(protect_trails(), named_only, keep_archive()))
    assert stack_findings(rule, stack).decided_on(named(stack, "trail"), f"'{TRAIL_NAME}'")


def test_a_trail_deny_on_a_policy_variable_is_not_relied_upon() -> None:
    tagged = protect_trails(Resource="arn:aws:cloudtrail:*:*:trail/${aws:PrincipalTag/trail}")
    stack = organization_stack(*guardrails(tagged, LEAVE, keep_archive()))
    assert stack_findings(rule, stack).decided


def test_a_policy_for_another_trail_or_of_another_type_is_caught() -> None:
    other = protect_trails(Resource="arn:aws:cloudtrail:*:*:trail/another")
    assert stack_findings(
        rule, organization_stack(*guardrails(other, LEAVE, keep_archive()))
    ).decided
    tagging = guardrails(protect_trails(), LEAVE, keep_archive(), kind="TAG_POLICY")
    assert stack_findings(rule, organization_stack(*tagging)).decided


def test_an_unattached_policy_is_caught() -> None:
    for attachment in ("guardrails-attachment", "archive-guardrails-attachment"):
        stack = without(organization_stack(*complete()), attachment)
        found = stack_findings(rule, stack)
        policy = named(stack, attachment.removesuffix("-attachment"))
        assert found.decided_on(policy, f"'{TRAIL_NAME}'") and "attached to no" in found[0][0]


def test_an_attachment_of_a_policy_made_elsewhere_is_no_attachment_of_these() -> None:
    elsewhere = res(ATTACHMENT, "elsewhere", policyId="p-abcd1234", targetId="r-abcd")
    assert stack_findings(rule, organization_stack(*complete(), elsewhere)) == []


def test_denies_on_the_objects_and_the_lifecycle_on_the_bucket_keep_the_archive() -> None:
    objects = keep_archive(Action=list(rule.ARCHIVE_ACTIONS[:3]),
                           Resource=f"arn:aws:s3:::{BUCKET_NAME}/*")  # fmt: skip
    lifecycle = keep_archive(Sid="DenyLifecycle", Action="s3:PutLifecycleConfiguration",
                             Resource=f"arn:aws:s3:::{BUCKET_NAME}")  # fmt: skip
    stack = organization_stack(*guardrails(protect_trails(), LEAVE, objects, lifecycle))
    assert stack_findings(rule, stack) == []


def test_an_unknown_policy_content_is_undecided() -> None:
    """The unknown one is named, and the other policies are still read: the archive's policy
    keeps the logs, so only the trail's protection is missing."""
    stack = with_props(organization_stack(*complete()), "guardrails", content=UNKNOWN)
    found = stack_findings(rule, stack)
    assert found[:1].undecided_on(named(stack, "guardrails"), "content", why=False)
    trail = named(stack, "trail")
    assert found[1:].decided_on(trail, f"trail '{TRAIL_NAME}'")
    assert not any(BUCKET_NAME in m for m, _u in found)


def test_an_unknown_bucket_is_undecided() -> None:
    stack = with_props(organization_stack(*complete()), "trail", s3BucketName=UNKNOWN)
    assert stack_findings(rule, stack).undecided_on(named(stack, "trail"), "s3BucketName")


def test_an_unattached_policy_is_not_said_to_keep_an_unknown_bucket() -> None:
    everything = guardrails(keep_archive(Resource="*"), name="anything")[:1]  # not attached
    stack = organization_stack(*guardrails(protect_trails(), LEAVE), *everything)
    found = stack_findings(rule, with_props(stack, "trail", s3BucketName=UNKNOWN))
    assert found.undecided_on(named(stack, "trail"), "s3BucketName")


@pytest.mark.parametrize("drop", [True, False], ids=["no-name", "unknown-name"])
def test_a_trail_of_unknown_name_is_undecided(drop: bool) -> None:
    """An organization trail without a known name does not hide the next trail's findings."""
    first = res(TRAIL, "first", isOrganizationTrail=True, s3BucketName=BUCKET_NAME,
                **({} if drop else {"name": UNKNOWN}))  # fmt: skip
    stack = [first, *organization_stack()]
    found = stack_findings(rule, stack)
    assert found[:1].undecided_on(first, "name")
    assert found[1:].decided_on(named(stack, "trail"))
