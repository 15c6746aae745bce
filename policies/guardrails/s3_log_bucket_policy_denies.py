"""ctl-s3-021: a CloudTrail log bucket's policy keeps the explicit Deny statements it relies on.

An explicit Deny in a bucket policy overrides any Allow, including one in an identity policy of
the bucket's own account (IAM User Guide, "Policy evaluation logic"), so these statements are
what protect the logs from the archive account's own administrators. Each is recognised by what
it does, not by its Sid:

* bucketDeletion: Deny `*` s3:DeleteBucket on the bucket ARN, with no condition.
* writesNotFromTrails: Deny `*` s3:PutObject on every object (`<bucket>/*`) unless
  aws:SourceArn is a CloudTrail trail: one negated condition (ArnNotLike / ArnNotEquals /
  StringNotLike / StringNotEquals) on aws:SourceArn whose values are all trail ARNs, and nothing
  else that could narrow the Deny.
* readsByOthers (only when the policy grants s3:GetObject to named AWS principals, the log
  readers): Deny `*` s3:GetObject on every object unless aws:PrincipalArn is one of those
  readers; exempting any principal the policy does not grant reading is a violation too.

`requiredDenies` (config) lists which of the three are required (default: all).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pulumi_policy import Severity

from guardrails import iam
from guardrails.s3_bucket_policy_tls_only import PARTITIONS
from guardrails.stack import StackView
from guardrails.support import (
    CLOUDTRAIL_SECURITY_BEST_PRACTICES_DOC,
    MISSING,
    Compliance,
    Res,
    is_unknown,
    stack_policy,
    undecided,
)

DENIES = ("bucketDeletion", "writesNotFromTrails", "readsByOthers")


def _public_deny(stmt: iam.Statement, action: str, target: str) -> bool:
    """Deny to everyone covering `action` on the ARN `target` in some partition."""
    if not stmt.denies or stmt.not_principal or not iam.is_public_principal(stmt):
        return False
    if not iam.action_allowed(stmt, action):
        return False
    return any(
        iam.resource_covered(stmt, f"arn:{p}:s3:::{target}", variables_match=False)
        for p in PARTITIONS
    )


def _only_negated(stmt: iam.Statement, key: str) -> list[str] | None:
    """Values of the statement's single negated condition on `key`, or None if not exactly so."""
    if stmt.condition_keys != {key.lower()}:
        return None
    pairs = iam.negated_conditions(stmt, key)
    if len(pairs) != len(stmt.conditions):
        return None
    return [v for _op, vals in pairs for v in vals]


def denies_deletion(stmt: iam.Statement, bucket: str) -> bool:
    return _public_deny(stmt, "s3:DeleteBucket", bucket) and not stmt.conditions


def denies_foreign_writes(stmt: iam.Statement, bucket: str) -> bool:
    if not _public_deny(stmt, "s3:PutObject", f"{bucket}/*"):
        return False
    values = _only_negated(stmt, "aws:SourceArn")
    return bool(values) and all(iam.is_trail_arn(v) for v in values or [])


def readers(statements: list[iam.Statement], bucket: str) -> set[str]:
    """AWS principal ARNs the policy allows s3:GetObject on the bucket's objects."""
    found: set[str] = set()
    for stmt in statements:
        if not stmt.allows or iam.is_public_principal(stmt) or stmt.not_resource:
            continue
        if not iam.action_allowed(stmt, "s3:GetObject"):
            continue
        objects = [iam.s3_arn_parts(r) for r in stmt.resources]
        if any(p is not None and p[2] is not None and p[1] == bucket for p in objects) or (
            "*" in stmt.resources
        ):
            found.update(iam.principal_values(stmt, "AWS"))
    return found


def read_exemptions(stmt: iam.Statement, bucket: str) -> list[str] | None:
    """The principals a deny-reads-by-others statement exempts, or None if it is not one."""
    if not _public_deny(stmt, "s3:GetObject", f"{bucket}/*"):
        return None
    return _only_negated(stmt, "aws:PrincipalArn")


def problems(statements: list[iam.Statement], bucket: str, required: list[str]) -> list[str]:
    """What the bucket's combined policy statements lack."""
    found: list[str] = []
    checks: dict[str, tuple[Callable[[iam.Statement, str], bool], str]] = {
        "bucketDeletion": (
            denies_deletion,
            "no Deny of s3:DeleteBucket to Principal '*' on the bucket (unconditional)",
        ),
        "writesNotFromTrails": (
            denies_foreign_writes,
            "no Deny of s3:PutObject to Principal '*' on every object unless aws:SourceArn is a "
            "CloudTrail trail (ArnNotLike aws:SourceArn arn:<partition>:cloudtrail:*:*:trail/...)",
        ),
    }
    for name, (test, message) in checks.items():
        if name in required and not any(test(s, bucket) for s in statements):
            found.append(message)
    granted = readers(statements, bucket)
    if "readsByOthers" in required and granted:
        exemptions = [read_exemptions(s, bucket) for s in statements]
        denies = [e for e in exemptions if e]
        if not denies:
            found.append(
                "no Deny of s3:GetObject to Principal '*' on every object unless aws:PrincipalArn "
                f"is one of the log readers ({', '.join(sorted(granted))})"
            )
        for exempted in denies:
            extra = sorted(set(exempted) - granted)
            if extra:
                found.append(
                    "the Deny of reads by others exempts principals the policy does not grant "
                    f"reading: {', '.join(extra)}"
                )
    return found


def check(resources: list[Res], cfg: dict[str, Any], report: Any) -> None:
    view = StackView(resources)
    sure, maybe = view.cloudtrail_buckets()
    for bucket in maybe:
        report(
            f"cannot be judged at preview: whether {bucket.label} receives CloudTrail logs "
            "depends on values unknown at preview.",
            bucket.urn,
        )
    required = list(cfg["requiredDenies"])
    for bucket in sure:
        name = view.bucket_name(bucket)
        if is_unknown(name) or name is MISSING:
            report(undecided(bucket.label, "bucket", "policy resources name it"), bucket.urn)
            continue
        owned, complete = view.bucket_statements(bucket, report)
        missing = problems([s for _o, s in owned], str(name), required)
        if missing and not complete:
            report(
                undecided(
                    bucket.label, "policy", "a required Deny may be in the unknown document"
                ),
                bucket.urn,
            )
        elif missing:
            report(
                f"{bucket.label} holds CloudTrail logs but its bucket policy has "
                + "; ".join(missing)
                + ".",
                bucket.urn,
            )


POLICY = stack_policy(
    name="ctl-s3-021-log-bucket-policy-keeps-denies",
    description=(
        "A CloudTrail log bucket's policy keeps its explicit Deny statements: of bucket "
        "deletion, of writes not from CloudTrail trails, and (when log readers are granted) of "
        "reads by anyone else."
    ),
    check=check,
    severity=Severity.HIGH,
    config={
        "requiredDenies": {
            "type": "array",
            "items": {"type": "string", "enum": list(DENIES)},
            "default": list(DENIES),
            "description": "Which Deny statements CloudTrail log buckets must keep.",
        }
    },
    remediation=(
        "Restore the Deny statements the log-archive bucket policy builds (DenyBucketDeletion, "
        "DenyWritesNotFromTrails, DenyReadsByOthers)."
    ),
    compliance=Compliance(reference=CLOUDTRAIL_SECURITY_BEST_PRACTICES_DOC),
)
