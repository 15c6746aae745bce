"""ctl-s3-021: the archive's buckets keep the explicit Deny statements that hold them against the
archive account's own administrators.

An explicit Deny in a bucket policy overrides any Allow, including one in an identity policy of
the bucket's own account (IAM User Guide, "Policy evaluation logic"). The archive's buckets are
the CloudTrail log buckets, their server-access-log buckets (the evidence of who read the logs)
and their replicas in this stack (`stack.archive_buckets`). Each Deny is recognised by what it
does, not by its Sid:

* bucketDeletion (every archive bucket): Deny `*` s3:DeleteBucket on the bucket, unconditional.
* objectDeletion (every archive bucket): Deny `*` s3:DeleteObject, s3:DeleteObjectVersion and
  s3:BypassGovernanceRetention on every object, unconditional: a delete marker is not
  WORM-protected and lets the lifecycle's noncurrent expiration remove a log early (S3 User
  Guide, Object Lock considerations).
* replicationInto (log and access-log buckets): Deny `*` s3:ReplicateObject and
  s3:ReplicateDelete on every object, unconditional: a source bucket in the same account needs no
  grant from its destination (S3 User Guide, "Setting up permissions for live replication"), so
  a replication rule of anyone's making could lay a delete marker or a forged version over a log.
* administration (every archive bucket): Deny `*` the configuration writes (policy, its deletion,
  lifecycle, versioning, encryption, logging, Object Lock, replication, public access block) on
  the bucket, unconditional or exempting only named principals: one negated condition on
  aws:PrincipalArn whose values are IAM role ARNs without wildcards (an IAM user's access keys
  are minted by any IAM administrator of its account).
* writesNotFromTrails (log buckets): Deny `*` s3:PutObject on every object unless
  aws:SourceArn is a CloudTrail trail (one negated aws:SourceArn condition, trail ARNs only).
* readsByOthers (log buckets and replicas): Deny `*` s3:GetObject and s3:GetObjectVersion (a
  GetObject with a versionId needs the latter, GetObject API reference) on every object,
  unconditional or exempting, by one negated aws:PrincipalArn condition, only principals the
  policy grants reading and the role that replicates the bucket.

`requiredDenies` (config) lists which are required (default: all).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pulumi_policy import Severity

from guardrails import arn, iam
from guardrails.declare import (
    CLOUDTRAIL_SECURITY_BEST_PRACTICES_DOC,
    Compliance,
    stack_policy,
    subset_option,
)
from guardrails.stack import (
    ACCESS_LOG_BUCKET,
    LOG_BUCKET,
    REPLICA_BUCKET,
    StackView,
    archive_buckets,
    replication_role_names,
)
from guardrails.support import MISSING, PARTITIONS, Res, is_unknown, maybe_log_bucket, undecided

DENIES = ("bucketDeletion", "objectDeletion", "replicationInto", "administration",
          "writesNotFromTrails", "readsByOthers")  # fmt: skip
DELETION_ACTIONS = ("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention")
REPLICATION_ACTIONS = ("s3:ReplicateObject", "s3:ReplicateDelete")
ADMINISTRATION_ACTIONS = (
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:PutLifecycleConfiguration",
    "s3:PutBucketVersioning",
    "s3:PutEncryptionConfiguration",
    "s3:PutBucketLogging",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutReplicationConfiguration",
    "s3:PutBucketPublicAccessBlock",
)
READ_ACTIONS = ("s3:GetObject", "s3:GetObjectVersion")
# Which Deny each part of the archive needs.
NEEDED = {
    LOG_BUCKET: DENIES,
    ACCESS_LOG_BUCKET: ("bucketDeletion", "objectDeletion", "replicationInto", "administration"),
    REPLICA_BUCKET: ("bucketDeletion", "objectDeletion", "administration", "readsByOthers"),
}


def _public_deny(stmt: iam.Statement, actions: tuple[str, ...], target: str) -> bool:
    """Deny to everyone covering every one of `actions` on the ARN `target` in some partition."""
    if not stmt.denies or stmt.not_principal or not iam.is_public_principal(stmt):
        return False
    if not all(iam.action_allowed(stmt, a) for a in actions):
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


def _exemptions(stmt: iam.Statement) -> list[str] | None:
    """[] when unconditional, the exempted principals of a single negated aws:PrincipalArn
    condition, None when the statement has any other condition."""
    if not stmt.conditions:
        return []
    return _only_negated(stmt, "aws:PrincipalArn")


def denies_deletion(stmt: iam.Statement, bucket: str) -> bool:
    return _public_deny(stmt, ("s3:DeleteBucket",), bucket) and not stmt.conditions


def denies_object_deletion(stmt: iam.Statement, bucket: str) -> bool:
    return _public_deny(stmt, DELETION_ACTIONS, f"{bucket}/*") and not stmt.conditions


def denies_replication_into(stmt: iam.Statement, bucket: str) -> bool:
    return _public_deny(stmt, REPLICATION_ACTIONS, f"{bucket}/*") and not stmt.conditions


def _named(value: str) -> bool:
    """An IAM role ARN of one account, without wildcards (a named principal)."""
    parts = arn.components(value)
    return (
        parts is not None
        and parts[2] == "iam"
        and iam.account_of_arn(value) is not None
        and parts[5].startswith("role/")
        and not arn.has_wildcard(value)
    )


def denies_administration(stmt: iam.Statement, bucket: str) -> bool:
    if not _public_deny(stmt, ADMINISTRATION_ACTIONS, bucket):
        return False
    exempt = _exemptions(stmt)
    return exempt is not None and all(_named(v) for v in exempt)


def denies_foreign_writes(stmt: iam.Statement, bucket: str) -> bool:
    if not _public_deny(stmt, ("s3:PutObject",), f"{bucket}/*"):
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
    if not _public_deny(stmt, READ_ACTIONS, f"{bucket}/*"):
        return None
    return _exemptions(stmt)


def _replicates(value: str, role_arns: set[str], role_names: set[str]) -> bool:
    return value in role_arns or (":role/" in value and value.rsplit("/", 1)[-1] in role_names)


def problems(
    statements: list[iam.Statement],
    bucket: str,
    required: list[str],
    replication_roles: tuple[set[str], set[str]] = (set(), set()),
) -> list[str]:
    """What the bucket's combined policy statements lack of the `required` denies."""
    found: list[str] = []
    checks: dict[str, tuple[Callable[[iam.Statement, str], bool], str]] = {
        "bucketDeletion": (
            denies_deletion,
            "no Deny of s3:DeleteBucket to Principal '*' on the bucket (unconditional)",
        ),
        "objectDeletion": (
            denies_object_deletion,
            "no Deny of s3:DeleteObject, s3:DeleteObjectVersion and "
            "s3:BypassGovernanceRetention to Principal '*' on every object (unconditional)",
        ),
        "replicationInto": (
            denies_replication_into,
            "no Deny of s3:ReplicateObject and s3:ReplicateDelete to Principal '*' on every "
            "object (unconditional)",
        ),
        "administration": (
            denies_administration,
            "no Deny of the bucket's configuration writes (" + ", ".join(ADMINISTRATION_ACTIONS)
            + ") to Principal '*' unless aws:PrincipalArn is a named administrator (role ARNs, "
            "no wildcards)",
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
    if "readsByOthers" in required:
        granted = readers(statements, bucket)
        denies = [e for e in (read_exemptions(s, bucket) for s in statements) if e is not None]
        if not denies:
            found.append(
                "no Deny of s3:GetObject and s3:GetObjectVersion to Principal '*' on every object "
                "unless aws:PrincipalArn is a log reader"
                + (f" ({', '.join(sorted(granted))})" if granted else "")
            )
        for exempted in denies:
            extra = sorted(
                v for v in set(exempted) - granted if not _replicates(v, *replication_roles)
            )
            if extra:
                found.append(
                    "the Deny of reads by others exempts principals the policy does not grant "
                    f"reading and that do not replicate the bucket: {', '.join(extra)}"
                )
    return found


def check(resources: list[Res], cfg: dict[str, Any], report: Any) -> None:
    view = StackView(resources)
    buckets, maybe = archive_buckets(view)
    for bucket in maybe:
        report(maybe_log_bucket(bucket.label), bucket.urn)
    configured = list(cfg["requiredDenies"])
    for bucket, part in buckets.values():
        name = view.bucket_name(bucket)
        if is_unknown(name) or name is MISSING:
            report(undecided(bucket.label, "bucket", "policy resources name it"), bucket.urn)
            continue
        required = [d for d in configured if d in NEEDED[part]]
        owned, complete = view.bucket_statements(bucket, report)
        roles = replication_role_names(view, bucket)
        missing = problems([s for _o, s in owned], str(name), required, roles)
        if missing and not complete:
            report(
                undecided(
                    bucket.label, "policy", "a required Deny may be in the unknown document"
                ),
                bucket.urn,
            )
        elif missing:
            report(
                f"{bucket.label} ({part}) is part of the log archive but its bucket policy has "
                + "; ".join(missing)
                + ".",
                bucket.urn,
            )


POLICY = stack_policy(
    name="ctl-s3-021-log-bucket-policy-keeps-denies",
    description=(
        "The log archive's buckets (CloudTrail log buckets, their access-log buckets and "
        "replicas) keep their explicit Deny statements: of bucket and object deletion, of "
        "replication into them, of configuration changes by anyone but named administrators, of "
        "writes not from CloudTrail trails, and of reads by anyone but the log readers."
    ),
    check=check,
    severity=Severity.HIGH,
    config={
        "requiredDenies": subset_option(
            DENIES, "Which Deny statements the archive's buckets must keep."
        )
    },
    remediation=(
        "Restore the Deny statements the log-archive bucket policies build (DenyBucketDeletion, "
        "DenyObjectDeletion, DenyReplicationInto, DenyAdministrationByOthers with "
        "archiveAdministrators, DenyWritesNotFromTrails, DenyReadsByOthers with logReaders)."
    ),
    compliance=Compliance(reference=CLOUDTRAIL_SECURITY_BEST_PRACTICES_DOC),
)
