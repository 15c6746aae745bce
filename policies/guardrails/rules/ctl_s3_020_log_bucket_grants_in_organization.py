"""ctl-s3-020: a CloudTrail log bucket grants nothing to accounts outside the allowed set.

Every Allow statement of a CloudTrail bucket's policy (BucketPolicy resources and the legacy
inline `policy`) is reduced to the accounts and organizations it admits
(`iam.admitted_callers`): AWS principals name their accounts; a public principal is narrowed by
aws:PrincipalAccount / aws:PrincipalArn / aws:SourceAccount or aws:PrincipalOrgID; a service
principal acts for the accounts of aws:SourceAccount / aws:SourceArn, or, without them, for the
accounts an explicit `StringNotEquals aws:SourceAccount` Deny leaves it.

The allowed set comes from the policy config: `allowedAccounts` (12-digit ids) and
`organizationId` (o-...). When both are unset it is derived from the bucket policy itself: the
accounts of its explicit CloudTrail account Deny (the log archive's own design keeps its one
account list there). With neither config nor such a Deny the rule cannot know the organization
and reports that, so it never passes a bucket it cannot judge.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails import iam
from guardrails.declare import Compliance, stack_policy
from guardrails.stack import StackView
from guardrails.support import Res, maybe_log_bucket


def allowed_set(
    cfg: dict[str, Any], statements: list[iam.Statement]
) -> tuple[frozenset[str], frozenset[str], str] | None:
    """(accounts, organizations, where they come from), or None when nothing defines them."""
    accounts = frozenset(cfg["allowedAccounts"])
    org = cfg["organizationId"]
    if accounts or org:
        return accounts, frozenset([org] if org else []), "the policy config"
    # The accounts the policy's own Deny names; each grant is then judged with the Deny's reach
    # (admitted_callers).
    derived = iam.accounts_pinned_by_deny(statements, "s3:PutObject", grant=None)
    if derived:
        return frozenset(derived), frozenset(), "the bucket policy's CloudTrail account Deny"
    return None


def check(resources: list[Res], cfg: dict[str, Any], report: Any) -> None:
    view = StackView(resources)
    sure, maybe = view.cloudtrail_buckets()
    for bucket in maybe:
        report(maybe_log_bucket(bucket.label), bucket.urn)
    for bucket in sure:
        # An unknown document is reported (at its owner) by bucket_statements; the grants that
        # can be read are still judged.
        owned, complete = view.bucket_statements(bucket, report)
        statements = [s for _o, s in owned]
        if not owned:
            continue
        allowed = allowed_set(cfg, statements)
        if allowed is None:
            if not complete:
                continue  # the Deny may be in the document that is unknown (already reported)
            report(
                f"{bucket.label}: no allowed accounts are known: set allowedAccounts or "
                "organizationId in this policy's config, or keep an explicit Deny that limits "
                "cloudtrail.amazonaws.com to listed aws:SourceAccount values.",
                bucket.urn,
            )
            continue
        accounts, orgs, source = allowed
        for owner, stmt in owned:
            if not stmt.allows:
                continue
            callers = iam.admitted_callers(stmt, statements)
            if callers.anyone:
                report(
                    f"{owner.label}: {stmt.label} on log bucket {bucket.label} is not limited to "
                    f"the allowed accounts ({callers.why}).",
                    owner.urn,
                )
                continue
            outside = sorted(callers.accounts - accounts)
            foreign_orgs = sorted(callers.orgs - orgs)
            if outside or foreign_orgs:
                named = ", ".join(outside + foreign_orgs)
                report(
                    f"{owner.label}: {stmt.label} on log bucket {bucket.label} grants {named}, "
                    f"outside the allowed accounts and organization (from {source}).",
                    owner.urn,
                )


POLICY = stack_policy(
    name="ctl-s3-020-log-bucket-grants-in-organization",
    description=(
        "A CloudTrail log bucket's policy grants access only to the allowed member accounts and "
        "organization (policy config allowedAccounts / organizationId; by default the accounts "
        "of the policy's explicit CloudTrail account Deny)."
    ),
    check=check,
    severity=Severity.HIGH,
    config={
        "allowedAccounts": {
            "type": "array",
            "items": {"type": "string", "pattern": "^[0-9]{12}$"},
            "default": [],
            "description": (
                "Accounts that may be granted access to CloudTrail log buckets (the member "
                "accounts and the log archive). Empty: derived from the bucket policy's "
                "explicit CloudTrail account Deny."
            ),
        },
        "organizationId": {
            "type": "string",
            "pattern": "^(o-[a-z0-9]{10,32})?$",
            "default": "",
            "description": "The organization (o-...) whose principals may be granted access.",
        },
    },
    remediation=(
        "Remove the grant, or add the account to the member accounts (and to allowedAccounts "
        "when set)."
    ),
    compliance=Compliance(security_hub=("S3.6",)),
)
