"""ctl-s3-003: no bucket policy statement allows a public principal unless org/account scoped."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails import iam
from guardrails.support import BUCKET_POLICY_TYPE, BUCKET_TYPES, Res, resource_policy


def check(res: Res, _cfg: dict[str, Any], report: Any) -> None:
    statements = iam.read_policy(res, report)
    for stmt in statements or []:
        if not stmt.allows or not iam.is_public_principal(stmt):
            continue
        if stmt.not_principal:
            report(f"{res.label}: {stmt.label} allows with NotPrincipal (admits everyone else).")
        elif iam.scoping_condition(stmt) is None:
            report(
                f"{res.label}: {stmt.label} allows a public principal without a condition that "
                "limits it to an organization or account (aws:PrincipalOrgID, "
                "aws:PrincipalAccount, aws:SourceAccount, aws:SourceOrgID, aws:SourceArn or "
                "aws:PrincipalArn with a specific account)."
            )


POLICY = resource_policy(
    name="ctl-s3-003-bucket-policy-no-public-principal",
    description=(
        'No bucket policy statement allows a public principal (\'*\' or {"AWS": "*"}) unless a '
        "condition restricts it to an organization or a specific account."
    ),
    types=(BUCKET_POLICY_TYPE, *BUCKET_TYPES),
    check=check,
    severity=Severity.CRITICAL,
    remediation="Name the principals, or add an aws:PrincipalOrgID / aws:SourceAccount condition.",
)
