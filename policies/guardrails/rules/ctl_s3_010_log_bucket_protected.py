"""ctl-s3-010: CloudTrail log buckets carry Pulumi's `protect` resource option."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails.declare import PULUMI_PROTECT_DOC, Compliance, stack_policy
from guardrails.stack import LOG_BUCKET_SCOPE, StackView, log_buckets
from guardrails.support import Res, maybe_log_bucket


def check(resources: list[Res], cfg: dict[str, Any], report: Any) -> None:
    view = StackView(resources)
    for bucket, maybe in log_buckets(view, cfg["appliesTo"]):
        if bucket.protect:
            continue
        if maybe:
            report(maybe_log_bucket(bucket.label, "it is not protected"), bucket.urn)
        else:
            report(
                f"{bucket.label} holds CloudTrail logs but is not protected: set "
                "ResourceOptions(protect=True).",
                bucket.urn,
            )


POLICY = stack_policy(
    name="ctl-s3-010-log-bucket-protected",
    description=(
        "S3 buckets that receive CloudTrail logs are registered with the `protect` resource "
        "option, so Pulumi refuses to delete them."
    ),
    check=check,
    severity=Severity.HIGH,
    config={"appliesTo": LOG_BUCKET_SCOPE},
    remediation="Pass opts=pulumi.ResourceOptions(protect=True) to the log bucket.",
    compliance=Compliance(reference=PULUMI_PROTECT_DOC),
)
