"""ctl-sqs-001: SQS queues are encrypted (SSE-KMS, or SSE-SQS when allowed)."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails.declare import Compliance, boolean_option, resource_policy
from guardrails.support import SQS_QUEUE_TYPE, Res, is_set, is_unknown, lookup, undecided


def check(res: Res, cfg: dict[str, Any], report: Any) -> None:
    if is_set(lookup(res.props, "kmsMasterKeyId")):
        return
    if not cfg["allowSqsManagedSse"]:
        report(f"{res.label} has no kmsMasterKeyId (SSE-KMS is required).")
        return
    managed = lookup(res.props, "sqsManagedSseEnabled")
    if is_unknown(managed):
        report(undecided(res.label, "sqsManagedSseEnabled"))
    elif managed is not True:
        report(f"{res.label} sets neither kmsMasterKeyId nor sqsManagedSseEnabled: true.")


POLICY = resource_policy(
    name="ctl-sqs-001-queue-encryption",
    description=(
        "Every SQS queue is encrypted at rest (kmsMasterKeyId set, or sqsManagedSseEnabled true "
        "when allowed)."
    ),
    types=(SQS_QUEUE_TYPE,),
    check=check,
    severity=Severity.MEDIUM,
    config={
        "allowSqsManagedSse": boolean_option(
            True,
            "Accept SQS-managed encryption (SSE-SQS) instead of SSE-KMS.",
        ),
    },
    remediation="Set kms_master_key_id, or sqs_managed_sse_enabled=True.",
    compliance=Compliance(security_hub=("SQS.1",)),
)
