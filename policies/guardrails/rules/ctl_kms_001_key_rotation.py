"""ctl-kms-001: symmetric KMS keys rotate their key material."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails.declare import Compliance, resource_policy
from guardrails.support import (
    KMS_KEY_TYPE,
    MISSING,
    Res,
    bool_setting,
    is_set,
    is_unknown,
    lookup,
    undecided,
)


def check(res: Res, _cfg: dict[str, Any], report: Any) -> None:
    spec = lookup(res.props, "customerMasterKeySpec")
    usage = lookup(res.props, "keyUsage")
    for prop, value in (("customerMasterKeySpec", spec), ("keyUsage", usage)):
        if is_unknown(value):
            report(undecided(res.label, prop, "rotation applies only to symmetric keys"))
            return
    symmetric = spec in (MISSING, "SYMMETRIC_DEFAULT") and usage in (MISSING, "ENCRYPT_DECRYPT")
    if not symmetric or is_set(lookup(res.props, "customKeyStoreId")):
        return  # asymmetric, HMAC and custom-key-store keys cannot rotate automatically
    bool_setting(res, "enableKeyRotation", want=True, default=False, report=report)


POLICY = resource_policy(
    name="ctl-kms-001-key-rotation",
    description="Every symmetric KMS key has automatic key rotation (enableKeyRotation: true).",
    types=(KMS_KEY_TYPE,),
    check=check,
    severity=Severity.HIGH,
    remediation="Set enable_key_rotation=True on the aws.kms.Key.",
    compliance=Compliance(cis=("3.6",), security_hub=("KMS.4",)),
)
