"""ctl-ct-006: the stack's log bucket policy admits every trail that writes to it.

A trail's ARN (and so its account) is not known at preview, so the check is deliberately
structural: for each Trail whose `s3BucketName` is a bucket of this stack, the bucket's policy
must have Allow statements for cloudtrail.amazonaws.com that

* grant s3:GetBucketAcl on the bucket ARN, and
* grant s3:PutObject on a resource under `<bucket>/[<s3KeyPrefix>/]AWSLogs/` (what follows
  AWSLogs/ - account id, organization id, policy variable - is not judged), and
* if they carry aws:SourceArn conditions, one of those ARNs names the trail: its resource part
  is `trail/<name>` (exactly for *Equals operators, as a wildcard pattern for *Like operators).
  Region, account and aws:SourceAccount values are not judged (not knowable offline).

Trails writing to a bucket outside the stack (a member account delivering to the log archive)
are skipped: that bucket's policy is judged in its own stack.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails import arn, iam
from guardrails.declare import CLOUDTRAIL_BUCKET_POLICY_DOC, Compliance, stack_policy
from guardrails.stack import StackView
from guardrails.support import (
    MISSING,
    PARTITIONS,
    TRAIL_TYPE,
    Res,
    first_unknown,
    is_unknown,
    lookup,
    undecided,
)

# ArnEquals takes wildcards exactly like ArnLike ("The ArnEquals and ArnLike condition operators
# behave identically", IAM User Guide, "IAM JSON policy elements: Condition operators").
_WILDCARD_OPERATORS = ("stringlike", "arnlike", "arnequals")


def _names_trail(stmt: iam.Statement, trail_name: str) -> bool:
    pairs = iam.positive_conditions(stmt, "aws:SourceArn")
    if not pairs:
        return True
    target = f"trail/{trail_name}"
    for operator, values in pairs:
        wildcards = operator.lower().removeprefix("foranyvalue:") in _WILDCARD_OPERATORS
        for value in values:
            parts = arn.components(value)
            if parts is None:
                continue
            if (wildcards and arn.glob_match(parts[5], target)) or parts[5] == target:
                return True
    return False


def _covers_log_prefix(stmt: iam.Statement, bucket: str, key_root: str) -> bool:
    if stmt.not_resource:
        return False
    root = f"{key_root}AWSLogs/"
    for resource in stmt.resources:
        if resource == "*":
            return True
        parts = iam.s3_arn_parts(resource)
        if parts is None or not arn.glob_match(parts[1], bucket) or parts[2] is None:
            continue
        if parts[2].startswith(root) or arn.glob_match(parts[2], root + "*"):
            return True
    return False


def _covers_bucket(stmt: iam.Statement, bucket: str) -> bool:
    return any(iam.resource_covered(stmt, f"arn:{p}:s3:::{bucket}") for p in PARTITIONS)


def check(resources: list[Res], _cfg: dict[str, Any], report: Any) -> None:
    view = StackView(resources)
    for trail in view.of_type(TRAIL_TYPE):
        buckets = view.targets(trail, "s3BucketName")
        if buckets is None:
            report(undecided(trail.label, "s3BucketName"), trail.urn)
            continue
        name = lookup(trail.props, "name")
        prefix = lookup(trail.props, "s3KeyPrefix")
        for prop, value in (("name", name), ("s3KeyPrefix", prefix)):
            if is_unknown(value) or (prop == "name" and value is MISSING):
                report(undecided(trail.label, prop), trail.urn)
                buckets = []
        for bucket in buckets:
            bucket_name = view.bucket_name(bucket)
            if is_unknown(bucket_name) or bucket_name is MISSING:
                report(undecided(bucket.label, "bucket"), trail.urn)
                continue
            key_root = f"{prefix.strip('/')}/" if isinstance(prefix, str) and prefix else ""
            statements: list[iam.Statement] = []
            undecidable = False
            for owner, doc in view.policy_documents(bucket):
                if first_unknown(doc) is not None:
                    report(undecided(owner.label, "policy"), trail.urn)
                    undecidable = True
                    continue
                try:
                    statements.extend(iam.parse_policy(doc))
                except iam.PolicyDocumentError as exc:
                    report(f"{owner.label}: {exc}.", trail.urn)
            if undecidable:
                continue
            admitting = [
                s for s in statements if iam.grants_service(s) and _names_trail(s, str(name))
            ]
            write = any(
                iam.action_allowed(s, "s3:PutObject")
                and _covers_log_prefix(s, bucket_name, key_root)
                for s in admitting
            )
            acl = any(
                iam.action_allowed(s, "s3:GetBucketAcl") and _covers_bucket(s, bucket_name)
                for s in admitting
            )
            missing = [
                what
                for what, ok in (
                    (f"s3:PutObject on {bucket_name}/{key_root}AWSLogs/...", write),
                    (f"s3:GetBucketAcl on {bucket_name}", acl),
                )
                if not ok
            ]
            if missing:
                report(
                    f"{trail.label} (name '{name}') writes to {bucket.label}, whose policy does "
                    f"not allow cloudtrail.amazonaws.com {' and '.join(missing)} for this trail "
                    "(check Resource and any aws:SourceArn condition).",
                    trail.urn,
                )


POLICY = stack_policy(
    name="ctl-ct-006-trail-bucket-admits-trail",
    description=(
        "Every trail that writes to a bucket of this stack is admitted by that bucket's policy: "
        "GetBucketAcl on the bucket and PutObject under [prefix/]AWSLogs/, with any aws:SourceArn "
        "condition naming the trail."
    ),
    check=check,
    severity=Severity.HIGH,
    remediation=(
        "Make the bucket policy's CloudTrail statements' aws:SourceArn match "
        "arn:<partition>:cloudtrail:<region>:<account>:trail/<trail name> and their resources "
        "cover the trail's s3KeyPrefix."
    ),
    compliance=Compliance(reference=CLOUDTRAIL_BUCKET_POLICY_DOC),
)
