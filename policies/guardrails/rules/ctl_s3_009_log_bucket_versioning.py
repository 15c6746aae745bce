"""ctl-s3-009: CloudTrail log buckets (or all buckets) have versioning enabled."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails.declare import Compliance, stack_policy
from guardrails.stack import LOG_BUCKET_SCOPE, StackView, log_buckets, report_missing
from guardrails.support import VERSIONING_TYPES, Res, is_unknown, lookup, undecided_because


def versioning_states(view: StackView, bucket: Res) -> list[Any]:
    """True/False/unknown per versioning source of the bucket (split resource or inline)."""
    states: list[Any] = []
    for res in view.companions(bucket, VERSIONING_TYPES):
        status = lookup(res.props, "versioningConfiguration", "status")
        states.append(status if is_unknown(status) else status == "Enabled")
    inline = lookup(bucket.props, "versioning", "enabled")
    if inline:
        states.append(inline if is_unknown(inline) else inline is True)
    for item in bucket.props.get("versionings") or []:
        enabled = lookup(item, "enabled")
        if enabled:
            states.append(enabled if is_unknown(enabled) else enabled is True)
    return states


def check(resources: list[Res], cfg: dict[str, Any], report: Any) -> None:
    view = StackView(resources)
    for bucket, maybe in log_buckets(view, cfg["appliesTo"]):
        states = versioning_states(view, bucket)
        if True in states:
            continue
        if not maybe and any(is_unknown(s) for s in states):
            report(undecided_because(f"{bucket.label} versioning status is unknown."), bucket.urn)
            continue
        absent = (
            f"{bucket.label} must be versioned but versioning is not enabled "
            "(add a BucketVersioning with status Enabled)."
        )
        what = "versioning"
        report_missing(view, bucket, VERSIONING_TYPES, what, absent, report, maybe=maybe)


POLICY = stack_policy(
    name="ctl-s3-009-log-bucket-versioning",
    description=(
        "S3 buckets that receive CloudTrail logs have versioning enabled (a BucketVersioning with "
        "versioningConfiguration.status Enabled, or the legacy inline form)."
    ),
    check=check,
    severity=Severity.MEDIUM,
    config={"appliesTo": LOG_BUCKET_SCOPE},
    remediation="Add aws.s3.BucketVersioning with versioning_configuration.status Enabled.",
    compliance=Compliance(security_hub=("S3.14",)),
)
