"""ctl-org-001: a stack that creates an organization trail also creates the service control policy
that keeps member accounts from silencing the logging, and attaches it.

Alerts report tampering minutes or seconds after it happened; an SCP prevents it, for every
principal of the member accounts, root users included (AWS Organizations User Guide, "Service
control policies (SCPs)"). AWS Control Tower's mandatory controls do exactly this for its own
trail (AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED). Required, for each organization trail of the stack:

* an `aws.organizations.Policy` of type SERVICE_CONTROL_POLICY (the provider's default type) whose
  content has an unconditional-or-exempting Deny of cloudtrail:StopLogging, DeleteTrail,
  UpdateTrail and PutEventSelectors on `arn:<partition>:cloudtrail:*:*:trail/<the trail's name>`
  (any Region, any account), and of organizations:LeaveOrganization;
* a service control policy (the same or another) whose content has an unconditional Deny, to
  everyone, of s3:DeleteObject, s3:DeleteObjectVersion, s3:BypassGovernanceRetention and
  s3:PutLifecycleConfiguration on the objects of the bucket the trail delivers to: the
  bucket policy cannot bind the archive account's root user, an SCP does (DeleteBucketPolicy API
  reference), and a lifecycle expires logs without any request;
* an `aws.organizations.PolicyAttachment` of each such policy (linked by its `policyId`, which is
  unknown at preview and so followed through the engine's property dependencies).

A documented choice to do without it (an organization that already prevents this another way)
is admitted by `policies/config/without-guardrail-policy.json`.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails import iam
from guardrails.declare import Compliance, stack_policy
from guardrails.support import MISSING, PARTITIONS, TRAIL_TYPE, Res, is_unknown, lookup, undecided

POLICY_TYPE = "aws:organizations/policy:Policy"
ATTACHMENT_TYPE = "aws:organizations/policyAttachment:PolicyAttachment"
TRAIL_ACTIONS = (
    "cloudtrail:StopLogging",
    "cloudtrail:DeleteTrail",
    "cloudtrail:UpdateTrail",
    "cloudtrail:PutEventSelectors",
)
ARCHIVE_ACTIONS = (
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:BypassGovernanceRetention",
    "s3:PutLifecycleConfiguration",
)
SCP_DOC = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html"


def _protects_trail(statements: list[iam.Statement], trail: str) -> bool:
    def denied(action: str, target: str) -> bool:
        return any(
            s.denies and iam.action_allowed(s, action)
            and iam.resource_covered(s, target, variables_match=False)
            for s in statements
        )

    trails = [f"arn:{p}:cloudtrail:*:*:trail/{trail}" for p in PARTITIONS]
    return all(any(denied(a, t) for t in trails) for a in TRAIL_ACTIONS) and denied(
        "organizations:LeaveOrganization", "*"
    )


def _protects_archive(statements: list[iam.Statement], bucket: str) -> bool:
    """An unconditional Deny to everyone of every deletion path on the bucket's objects (the
    lifecycle action is authorized on the bucket itself)."""
    def denied(action: str, target: str) -> bool:
        return any(
            s.denies and not s.conditions and iam.action_allowed(s, action)
            and any(iam.resource_covered(s, f"arn:{p}:s3:::{target}", variables_match=False)
                    for p in PARTITIONS)
            for s in statements
        )  # fmt: skip

    objects = all(denied(a, f"{bucket}/AWSLogs/x") for a in ARCHIVE_ACTIONS[:3])
    return objects and denied("s3:PutLifecycleConfiguration", bucket)


def check(resources: list[Res], _cfg: dict[str, Any], report: Any) -> None:
    trails = [
        t for t in resources if t.type == TRAIL_TYPE and lookup(t.props, "isOrganizationTrail")
    ]
    if not trails:
        return
    policies = [
        p
        for p in resources
        if p.type == POLICY_TYPE
        and lookup(p.props, "type") in (MISSING, "SERVICE_CONTROL_POLICY")
    ]
    attached = {
        urn
        for a in resources
        if a.type == ATTACHMENT_TYPE
        for urn in a.property_dependencies.get("policyId", [])
    }
    for trail in trails:
        name = lookup(trail.props, "name")
        if is_unknown(name) or name is MISSING:
            report(undecided(trail.label, "name", "the guardrail policy must name it"), trail.urn)
            continue
        bucket = lookup(trail.props, "s3BucketName")
        found, archive = False, False
        for policy in policies:
            statements = iam.read_policy(policy, lambda m, p=policy: report(m, p.urn), "content")
            if statements is None:
                continue
            protects = _protects_trail(statements, str(name))
            keeps = isinstance(bucket, str) and not is_unknown(bucket) and _protects_archive(
                statements, bucket)  # fmt: skip
            found, archive = found or protects, archive or keeps
            if (protects or keeps) and policy.urn not in attached:
                report(f"{policy.label} protects trail '{name}' or its archive but is attached "
                       "to no root, OU or account.", policy.urn)  # fmt: skip
        if not found:
            report(
                f"{trail.label} is an organization trail, but no service control policy of this "
                f"stack denies member accounts stopping, deleting or reconfiguring trail '{name}' "
                "(and leaving the organization).",
                trail.urn,
            )
        if is_unknown(bucket) or bucket is MISSING:
            report(undecided(trail.label, "s3BucketName", "the guardrail policy must name its "
                             "bucket"), trail.urn)  # fmt: skip
        elif not archive:
            report(
                f"{trail.label} is an organization trail, but no service control policy of this "
                f"stack denies everyone deleting its logs in bucket '{bucket}' (s3:DeleteObject, "
                "s3:DeleteObjectVersion, s3:BypassGovernanceRetention on its objects, "
                "s3:PutLifecycleConfiguration on the bucket), which the archive account's root "
                "user could otherwise do.",
                trail.urn,
            )


POLICY = stack_policy(
    name="ctl-org-001-organization-trail-guardrail-policy",
    description=(
        "A stack with an organization trail creates and attaches service control policies that "
        "stop member accounts from stopping, deleting or reconfiguring the trail, from leaving "
        "the organization, and anyone from deleting its logs."
    ),
    check=check,
    severity=Severity.HIGH,
    remediation=(
        "Keep guardrailPolicy at auto (or on) on the management account's stack, or admit the "
        "choice with policies/config/without-guardrail-policy.json."
    ),
    compliance=Compliance(reference=SCP_DOC),
)
