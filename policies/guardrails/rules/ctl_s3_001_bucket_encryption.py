"""ctl-s3-001: every S3 bucket has default encryption; CloudTrail log buckets use SSE-KMS."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails.buckets import KMS_ALGORITHMS, bucket_algorithms
from guardrails.declare import Compliance, boolean_option, stack_policy
from guardrails.stack import StackView, report_missing
from guardrails.support import SSE_TYPES, Res, is_unknown, maybe_log_bucket, undecided_because


def check(resources: list[Res], cfg: dict[str, Any], report: Any) -> None:
    view = StackView(resources)
    trail_buckets, maybe_trail_buckets = view.cloudtrail_buckets()
    for bucket in view.buckets:
        algos = bucket_algorithms(view, bucket)
        if not algos:
            absent = (
                f"{bucket.label} has no default encryption: add a "
                "BucketServerSideEncryptionConfiguration for it."
            )
            report_missing(view, bucket, SSE_TYPES, "encryption configuration", absent, report)
            continue
        if not cfg["requireKmsForCloudTrailBuckets"]:
            continue
        all_kms = all(a in KMS_ALGORITHMS for a in algos)
        if bucket in trail_buckets and not all_kms:
            if any(is_unknown(a) for a in algos):
                report(
                    undecided_because(
                        f"{bucket.label} receives CloudTrail logs and must use SSE-KMS, but its "
                        "'sseAlgorithm' is unknown."
                    ),
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
                maybe_log_bucket(bucket.label, "its default encryption is not known to be SSE-KMS"),
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
        "requireKmsForCloudTrailBuckets": boolean_option(
            True,
            "Require aws:kms / aws:kms:dsse on buckets receiving CloudTrail logs.",
        ),
    },
    remediation="Add an aws.s3.BucketServerSideEncryptionConfiguration with sse_algorithm aws:kms.",
    compliance=Compliance(security_hub=("S3.17",)),
)
