"""ctl-kms-002: no KMS key policy lets everyone use or administer the key.

A key policy statement that allows `Principal: "*"` (or `{"AWS": "*"}`, or NotPrincipal) must
carry a condition with a fixed value that pins the caller to an organization or account: the
test of Security Hub control KMS.5 "KMS keys should not be publicly accessible" and of its AWS
Config rule kms-key-policy-no-public-access ("must grant access only to fixed values"). The
inline `policy` of a Key or ReplicaKey and a separate KeyPolicy resource are judged alike.
"""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.declare import Compliance
from guardrails.families import not_public_rule
from guardrails.support import KMS_POLICY_TYPES

check, POLICY = not_public_rule(
    KMS_POLICY_TYPES,
    name="ctl-kms-002-key-policy-not-public",
    description=(
        "No KMS key policy allows a public principal ('*', {\"AWS\": \"*\"}, NotPrincipal) to "
        "use or administer the key unless a fixed-value condition pins it to an organization or "
        "account (aws:PrincipalOrgID, aws:PrincipalAccount, kms:CallerAccount, ...)."
    ),
    severity=Severity.CRITICAL,
    remediation=(
        "Name the principals (arn:aws:iam::<account>:root or role ARNs), or add a condition "
        "such as StringEquals kms:CallerAccount <account-id> / aws:PrincipalOrgID <o-id>."
    ),
    compliance=Compliance(security_hub=("KMS.5",)),
)
