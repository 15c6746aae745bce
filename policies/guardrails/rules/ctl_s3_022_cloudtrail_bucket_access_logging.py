"""ctl-s3-022: CloudTrail log buckets have S3 server access logging, to a bucket S3 can deliver to.

CIS AWS Foundations Benchmark v3.0.0 3.4 (v1.4.0 3.6, v1.2.0 2.6), Security Hub CloudTrail.7:
"Ensure S3 bucket access logging is enabled on the CloudTrail S3 bucket". Server access logging
is an aws.s3.BucketLogging (or its V2 token) whose `bucket` is the log bucket, or the legacy
inline `logging` block (`targetBucket`) of a Bucket.

Checks, with where each is stated:

* Logging is configured at all (the CIS recommendation and Security Hub CloudTrail.7,
  https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-7).
* The target is not the bucket itself: "When your source bucket and target bucket are the same
  bucket, additional logs are created for the logs that are written to the bucket", which AWS
  does not recommend; "we recommend that you save access logs in a different bucket" (S3 User
  Guide, "Logging requests with server access logging",
  https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html). For a log archive the
  logs about its own access logs also bury the records that matter.
* When the target bucket is in this stack, it can receive the logs: its default encryption is
  not SSE-KMS (the destination may use default encryption only with SSE-S3; SSE-KMS default
  encryption is not supported there: S3 User Guide, "Enabling Amazon S3 server access logging",
  https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html,
  destination bucket requirements), and it has no Object Lock (same page: no default retention
  period; "S3 buckets with Object Lock can't be used as destination buckets for server access
  logs", S3 User Guide, "Object Lock considerations",
  https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html).

The destination is not a CloudTrail bucket (no trail writes there and its policy grants the
logging service, not CloudTrail), so ctl-s3-001's SSE-KMS requirement does not reach it. A
target outside this stack cannot be inspected and is accepted.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails.buckets import KMS_ALGORITHMS, bucket_algorithms, is_locked
from guardrails.declare import Compliance, stack_policy
from guardrails.stack import LOG_BUCKET_SCOPE, StackView, log_buckets, report_missing
from guardrails.support import (
    LOGGING_TYPES,
    MISSING,
    SSE_TYPES,
    Res,
    is_unknown,
    lookup,
    undecided,
    undecided_because,
)


def logging_targets(view: StackView, bucket: Res) -> list[tuple[Res, list[Res] | None]]:
    """(owner, buckets of this stack its targetBucket names, or None) per logging source.

    The list of buckets is None when the target is unknown and no property dependency says
    which bucket it is.
    """
    found = [(r, view.targets(r, "targetBucket")) for r in view.companions(bucket, LOGGING_TYPES)]
    inline = lookup(bucket.props, "logging")
    if is_unknown(inline):
        return [*found, (bucket, None)]
    for item in inline if isinstance(inline, list) else [inline]:
        target = lookup(item, "targetBucket")
        if target is MISSING:
            continue
        named = [b for b in view.buckets if view.bucket_name(b) == target]
        found.append((bucket, None if is_unknown(target) else named))
    return found


def _judge_destination(view: StackView, source: Res, dest: Res, report: Any) -> None:
    # "Enabling Amazon S3 server access logging": SSE-KMS default encryption is not supported on
    # the destination bucket; SSE-S3 is.
    algos = bucket_algorithms(view, dest)
    kms = [a for a in algos if a in KMS_ALGORITHMS]
    if kms:
        report(
            f"{dest.label} receives the server access logs of {source.label} but its default "
            f"encryption is SSE-KMS ({', '.join(kms)}), which S3 does not support for an "
            "access-log destination: use SSE-S3 (AES256).",
            dest.urn,
        )
    elif any(is_unknown(a) for a in algos):
        report(
            undecided_because(
                f"{dest.label} receives the server access logs of {source.label}; its "
                "'sseAlgorithm' is unknown (SSE-KMS is not supported there)."
            ),
            dest.urn,
        )
    elif not algos and view.unresolved(SSE_TYPES):
        report(
            undecided_because(
                f"{dest.label} receives the server access logs of {source.label}; whether an "
                "encryption configuration with an unknown 'bucket' sets SSE-KMS on it cannot be "
                "told."
            ),
            dest.urn,
        )
    # Same page and "Object Lock considerations": an Object Lock bucket cannot be a destination.
    locked = is_locked(view, dest)
    if locked:
        report(
            f"{dest.label} receives the server access logs of {source.label} but has Object Lock, "
            "which S3 does not allow on an access-log destination.",
            dest.urn,
        )
    elif locked is None:
        report(
            undecided_because(
                f"{dest.label} receives the server access logs of {source.label}; whether it has "
                "Object Lock (not allowed there) is unknown."
            ),
            dest.urn,
        )


def _judge_bucket(view: StackView, bucket: Res, maybe: bool, report: Any) -> None:
    sources = logging_targets(view, bucket)
    # CIS 3.4 / Security Hub CloudTrail.7 (cloudtrail-controls.html#cloudtrail-7): the CloudTrail
    # bucket has server access logging.
    if not sources:
        absent = (
            f"{bucket.label} has no S3 server access logging (add an aws.s3.BucketLogging with "
            "its own target bucket)."
        )
        what = "server access logging"
        report_missing(view, bucket, LOGGING_TYPES, what, absent, report, maybe=maybe)
        return
    judged: set[str] = set()
    for owner, named in sources:
        if named is None:
            report(
                undecided(
                    owner.label,
                    "targetBucket" if owner is not bucket else "logging.targetBucket",
                    "whether the target is the bucket itself, or a bucket S3 cannot deliver to, "
                    "depends on it",
                ),
                owner.urn,
            )
            continue
        # "Logging requests with server access logging" (ServerLogs.html): a bucket logging to
        # itself creates logs about its logs; AWS recommends a different bucket.
        if bucket in named:
            report(
                f"{owner.label}: {bucket.label} delivers its server access logs to itself, which "
                "logs the log deliveries too. Use a separate access-log bucket.",
                owner.urn,
            )
            continue
        for dest in named:
            if dest.urn not in judged:
                judged.add(dest.urn)
                _judge_destination(view, bucket, dest, report)


def check(resources: list[Res], cfg: dict[str, Any], report: Any) -> None:
    view = StackView(resources)
    for bucket, maybe in log_buckets(view, cfg["appliesTo"]):
        _judge_bucket(view, bucket, maybe, report)


POLICY = stack_policy(
    name="ctl-s3-022-cloudtrail-bucket-access-logging",
    description=(
        "S3 buckets that receive CloudTrail logs have server access logging (a BucketLogging or "
        "the legacy inline form) into another bucket; an in-stack target is not SSE-KMS and has "
        "no Object Lock."
    ),
    check=check,
    severity=Severity.MEDIUM,
    config={"appliesTo": LOG_BUCKET_SCOPE},
    remediation=(
        "Add an aws.s3.BucketLogging(bucket=<log bucket>, target_bucket=<access-log bucket>, "
        "target_prefix=...) whose target bucket uses SSE-S3 (AES256) and has no Object Lock."
    ),
    compliance=Compliance(cis=("3.4",), security_hub=("CloudTrail.7",)),
)
