"""ctl-s3-002: every bucket's policy denies requests that do not use TLS."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails import iam
from guardrails.declare import Compliance, stack_policy
from guardrails.stack import StackView, report_missing
from guardrails.support import BUCKET_POLICY_TYPE, MISSING, PARTITIONS, Res, is_unknown, undecided


def enforces_tls(stmt: iam.Statement, bucket_name: str) -> bool:
    """Deny * on s3:* for the bucket and all its objects when aws:SecureTransport is false."""
    if not iam.denies_insecure_transport(stmt) or not iam.action_allowed(stmt, "s3:*"):
        return False
    return any(
        iam.resource_covered(stmt, f"arn:{p}:s3:::{bucket_name}", variables_match=False)
        and iam.resource_covered(stmt, f"arn:{p}:s3:::{bucket_name}/*", variables_match=False)
        for p in PARTITIONS
    )


def check(resources: list[Res], _cfg: dict[str, Any], report: Any) -> None:
    view = StackView(resources)
    for bucket in view.buckets:
        name = view.bucket_name(bucket)
        docs = view.policy_documents(bucket)
        if not docs:
            absent = f"{bucket.label} has no bucket policy denying non-TLS access."
            report_missing(view, bucket, BUCKET_POLICY_TYPE, "bucket policy", absent, report)
            continue
        if is_unknown(name) or name is MISSING:
            why = "the policy's resources cannot be matched to it"
            report(undecided(bucket.label, "bucket", why), bucket.urn)
            continue
        problems: list[str] = []
        statements: list[iam.Statement] = []
        for owner, _doc in docs:
            parsed = iam.read_policy(owner, problems.append)
            statements.extend(parsed or [])
        if any(enforces_tls(s, name) for s in statements):
            continue
        for problem in problems:
            report(problem, bucket.urn)
        if not problems:
            report(
                f"{bucket.label}: its bucket policy has no statement denying s3:* on "
                f"arn:<partition>:s3:::{name} and arn:<partition>:s3:::{name}/* to Principal '*' "
                "when Bool aws:SecureTransport is false.",
                bucket.urn,
            )


POLICY = stack_policy(
    name="ctl-s3-002-bucket-policy-tls-only",
    description=(
        "Every S3 bucket has a bucket policy that denies all S3 actions on the bucket and its "
        "objects for requests not made over TLS (aws:SecureTransport false)."
    ),
    check=check,
    severity=Severity.HIGH,
    remediation=(
        "Add a Deny statement: Principal '*', Action 's3:*', Resource [bucket ARN, bucket ARN/*], "
        'Condition {"Bool": {"aws:SecureTransport": "false"}}.'
    ),
    compliance=Compliance(cis=("2.1.1",), security_hub=("S3.5",)),
)
