"""ctl-s3-007: every bucket has a public access block."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails.declare import Compliance, stack_policy
from guardrails.stack import StackView, require_companion
from guardrails.support import PUBLIC_ACCESS_BLOCK_TYPE, Res


def check(resources: list[Res], _cfg: dict[str, Any], report: Any) -> None:
    view = StackView(resources)
    for bucket in view.buckets:
        require_companion(view, bucket, PUBLIC_ACCESS_BLOCK_TYPE, "BucketPublicAccessBlock", report)


POLICY = stack_policy(
    name="ctl-s3-007-bucket-has-public-access-block",
    description="Every S3 bucket in the stack has a BucketPublicAccessBlock targeting it.",
    check=check,
    severity=Severity.HIGH,
    remediation="Add an aws.s3.BucketPublicAccessBlock for the bucket (all four settings true).",
    compliance=Compliance(cis=("2.1.4",), security_hub=("S3.8",)),
)
