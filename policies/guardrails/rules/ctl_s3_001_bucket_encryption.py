"""ctl-s3-001: every S3 bucket has default encryption; CloudTrail log buckets use SSE-KMS."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails.buckets import KMS_ALGORITHMS, bucket_algorithms
from guardrails.stack import StackView
from guardrails.support import SSE_TYPES, Compliance, Res, is_unknown, stack_policy


def check(resources: list[Res], cfg: dict[str, Any], report: Any) -> None:
    view = StackView(resources)
    trail_buckets, maybe_trail_buckets = view.cloudtrail_buckets()
    pending = view.unresolved(SSE_TYPES)
    for bucket in view.buckets:
        algos = bucket_algorithms(view, bucket)
        if not algos:
            if pending:
                names = ", ".join(r.label for r in pending)
                report(
                    f"cannot be judged at preview: no encryption configuration is known to target "
                    f"{bucket.label}; the 'bucket' input of {names} is unknown.",
                    bucket.urn,
                )
            else:
                report(
                    f"{bucket.label} has no default encryption: add a "
                    "BucketServerSideEncryptionConfiguration for it.",
                    bucket.urn,
                )
            continue
        if not cfg["requireKmsForCloudTrailBuckets"]:
            continue
        all_kms = all(a in KMS_ALGORITHMS for a in algos)
        if bucket in trail_buckets and not all_kms:
            if any(is_unknown(a) for a in algos):
                report(
                    f"cannot be judged at preview: {bucket.label} receives CloudTrail logs and "
                    "must use SSE-KMS, but its 'sseAlgorithm' is unknown.",
                    bucket.urn,
                )
            else:
                report(
                    f"{bucket.label} receives CloudTrail logs and must use SSE-KMS "
                    f"(aws:kms or aws:kms:dsse), not {', '.join(map(str, algos))}.",
                    bucket.urn,
                )
        elif bucket in maybe_trail_buckets and not all_kms:
            report(
                f"cannot be judged at preview: whether {bucket.label} receives CloudTrail logs "
                "(and so must use SSE-KMS) depends on values unknown at preview.",
                bucket.urn,
            )


POLICY = stack_policy(
    name="ctl-s3-001-bucket-encryption",
    description=(
        "Every S3 bucket has default encryption (a BucketServerSideEncryptionConfiguration or the "
        "legacy inline form); buckets that receive CloudTrail logs use SSE-KMS."
    ),
    check=check,
    severity=Severity.HIGH,
    config={
        "requireKmsForCloudTrailBuckets": {
            "type": "boolean",
            "default": True,
            "description": "Require aws:kms / aws:kms:dsse on buckets receiving CloudTrail logs.",
        }
    },
    remediation="Add an aws.s3.BucketServerSideEncryptionConfiguration with sse_algorithm aws:kms.",
    compliance=Compliance(security_hub=("S3.17",)),
)
