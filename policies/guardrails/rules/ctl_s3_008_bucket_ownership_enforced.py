"""ctl-s3-008: every bucket disables ACLs (object ownership BucketOwnerEnforced)."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails.declare import Compliance, stack_policy
from guardrails.stack import StackView, require_companion
from guardrails.support import OWNERSHIP_CONTROLS_TYPE, Res, is_unknown, lookup, undecided


def check(resources: list[Res], _cfg: dict[str, Any], report: Any) -> None:
    view = StackView(resources)
    for bucket in view.buckets:
        controls = require_companion(
            view, bucket, OWNERSHIP_CONTROLS_TYPE, "BucketOwnershipControls", report
        )
        values = [lookup(c.props, "rule", "objectOwnership") for c in controls]
        if not controls or "BucketOwnerEnforced" in values:
            continue
        if any(is_unknown(v) for v in values):
            report(undecided(bucket.label, "rule.objectOwnership"), bucket.urn)
        else:
            report(
                f"{bucket.label}: object ownership is {values}, not BucketOwnerEnforced "
                "(ACLs stay enabled).",
                bucket.urn,
            )


POLICY = stack_policy(
    name="ctl-s3-008-bucket-ownership-enforced",
    description=(
        "Every S3 bucket has BucketOwnershipControls with objectOwnership BucketOwnerEnforced, "
        "so ACLs are disabled and the bucket owner owns every log object."
    ),
    check=check,
    severity=Severity.MEDIUM,
    remediation="Add aws.s3.BucketOwnershipControls, rule.object_ownership BucketOwnerEnforced.",
    compliance=Compliance(security_hub=("S3.12",)),
)
