"""ctl-kms-003: a key that encrypts logs lets no IAM administrator of its account grant itself
their decryption, and is administered by named principals only.

A key policy statement whose principal is the whole account (`arn:<partition>:iam::<id>:root` or
the bare id) hands the key to IAM: every principal of that account whose identity policy allows
it may then use the action ("Default key policy", "Allows access to the AWS account and enables
IAM policies"). Administrators of the account have every identity permission, so for a log key
the account must not be the principal of any action that reads logs or weakens the key:
kms:Decrypt, kms:ReEncryptFrom, kms:CreateGrant (a grant of Decrypt to oneself, "Grants in AWS
KMS"), kms:PutKeyPolicy, kms:DisableKey, kms:ScheduleKeyDeletion. A statement narrowed to named
principals by a positive aws:PrincipalArn condition without wildcards is not the whole account.
Independently, kms:CreateGrant is allowed to nobody unless the condition
kms:GrantIsForAWSResource is true ("AWS KMS condition keys").

The keys judged are those a trail encrypts with (`kmsKeyId`) and those a log bucket or its
replica uses for default encryption, as the engine's property dependencies link them; the policy
is the key's `policy` input.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails import iam
from guardrails.declare import Compliance, stack_policy
from guardrails.stack import LOG_BUCKET, REPLICA_BUCKET, StackView, archive_buckets
from guardrails.support import KMS_KEY_TYPE, SSE_TYPES, TRAIL_TYPE, Res

GUARDED_ACTIONS = (
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:CreateGrant",
    "kms:PutKeyPolicy",
    "kms:DisableKey",
    "kms:ScheduleKeyDeletion",
)
KMS_DEFAULT_POLICY_DOC = "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html"


def log_keys(view: StackView) -> list[Res]:
    """KMS keys of this stack that encrypt logs: a trail's key, a log bucket's or replica's."""
    urns: list[str] = []
    for trail in view.of_type(TRAIL_TYPE):
        urns += trail.property_dependencies.get("kmsKeyId", [])
    buckets, _maybe = archive_buckets(view)
    for bucket, part in buckets.values():
        if part in (LOG_BUCKET, REPLICA_BUCKET):
            for sse in view.companions(bucket, SSE_TYPES):
                urns += sse.property_dependencies.get("rules", [])
    keys = [view.resource(u) for u in dict.fromkeys(urns)]
    return [k for k in keys if k is not None and k.type == KMS_KEY_TYPE]


def _whole_accounts(stmt: iam.Statement) -> list[str]:
    """The accounts the statement's AWS principals hand the key to as a whole."""
    if iam.is_public_principal(stmt):
        return ["*"]
    named = [
        v
        for v in iam.principal_values(stmt, "AWS")
        if iam.ACCOUNT_RE.match(v) or v.endswith(":root")
    ]
    narrowed = [
        values
        for _op, values in iam.positive_conditions(stmt, "aws:PrincipalArn")
        if values and all(":root" not in v and "*" not in v and "?" not in v for v in values)
    ]
    return [] if narrowed else named


def _grant_limited(stmt: iam.Statement) -> bool:
    return any(
        operator.lower() == "bool" and block.get("kms:grantisforawsresource") == ("true",)
        for operator, block in stmt.conditions.items()
    )


def problems(statements: list[iam.Statement]) -> list[str]:
    found: list[str] = []
    for stmt in statements:
        if not stmt.allows:
            continue
        guarded = [a for a in GUARDED_ACTIONS if iam.action_allowed(stmt, a)]
        accounts = _whole_accounts(stmt)
        if accounts and guarded:
            found.append(
                f"{stmt.label} allows {', '.join(guarded)} to the whole account "
                f"({', '.join(accounts)}), so any IAM administrator there may use it"
            )
        elif "kms:CreateGrant" in guarded and not _grant_limited(stmt):
            found.append(
                f"{stmt.label} allows kms:CreateGrant without Bool kms:GrantIsForAWSResource true"
            )
    return found


def check(resources: list[Res], _cfg: dict[str, Any], report: Any) -> None:
    view = StackView(resources)
    for key in log_keys(view):
        statements = iam.read_policy(key, lambda msg, k=key: report(msg, k.urn))
        if statements is None:
            continue
        found = problems(statements)
        if found:
            report(f"{key.label} encrypts logs, but " + "; ".join(found) + ".", key.urn)


POLICY = stack_policy(
    name="ctl-kms-003-log-key-no-self-granted-use",
    description=(
        "A KMS key that encrypts logs is administered by named principals, never the whole "
        "account, and allows kms:CreateGrant only for AWS resources: no administrator of the "
        "account can grant itself the decryption of the logs."
    ),
    check=check,
    severity=Severity.HIGH,
    remediation=(
        "Name the archive administrators in the key policy (archiveAdministrators) instead of "
        "arn:<partition>:iam::<account>:root, and drop kms:CreateGrant (kms:Create*) or "
        "condition it on Bool kms:GrantIsForAWSResource true."
    ),
    compliance=Compliance(reference=KMS_DEFAULT_POLICY_DOC),
)
