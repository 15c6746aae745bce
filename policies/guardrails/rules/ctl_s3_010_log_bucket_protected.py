"""ctl-s3-010: CloudTrail log buckets carry Pulumi's `protect` resource option."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails.stack import LOG_BUCKET_SCOPE, StackView, in_scope
from guardrails.support import PULUMI_PROTECT_DOC, Compliance, Res, maybe_log_bucket, stack_policy


def check(resources: list[Res], cfg: dict[str, Any], report: Any) -> None:
    view = StackView(resources)
    sure, maybe = in_scope(view, cfg["appliesTo"])
    for bucket in sure + maybe:
        if bucket.protect:
            continue
        if bucket in maybe:
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
