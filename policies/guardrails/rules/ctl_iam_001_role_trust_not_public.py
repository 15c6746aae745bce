"""ctl-iam-001: no IAM role trusts every principal.

A role's trust policy (`assumeRolePolicy`) that allows `Principal: "*"` (or `{"AWS": "*"}`, or
NotPrincipal) lets any AWS identity assume the role unless a fixed-value condition pins the
caller to an organization or account.
"""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.declare import IAM_PRINCIPAL_DOC, Compliance
from guardrails.families import not_public_rule
from guardrails.support import IAM_ROLE_TYPE

check, POLICY = not_public_rule(
    (IAM_ROLE_TYPE,),
    "assumeRolePolicy",
    "trust policy ",
    name="ctl-iam-001-role-trust-not-public",
    description=(
        "No IAM role's trust policy allows a public principal to assume it unless a fixed-value "
        "condition pins the caller to an organization or account."
    ),
    severity=Severity.CRITICAL,
    remediation=(
        "Trust the service principal (e.g. events.amazonaws.com) with aws:SourceAccount / "
        "aws:SourceArn, or name the trusted account or role ARNs."
    ),
    compliance=Compliance(reference=IAM_PRINCIPAL_DOC),
)
