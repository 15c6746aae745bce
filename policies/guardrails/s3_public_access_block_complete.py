"""ctl-s3-006: a bucket public access block turns on all four settings."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails.support import (
    PUBLIC_ACCESS_BLOCK_TYPE,
    Compliance,
    Res,
    bool_setting,
    resource_policy,
)

SETTINGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def check(res: Res, _cfg: dict[str, Any], report: Any) -> None:
    for prop in SETTINGS:
        bool_setting(res, prop, want=True, default=False, report=report)


POLICY = resource_policy(
    name="ctl-s3-006-public-access-block-complete",
    description=(
        "Every S3 BucketPublicAccessBlock sets blockPublicAcls, blockPublicPolicy, "
        "ignorePublicAcls and restrictPublicBuckets to true."
    ),
    types=(PUBLIC_ACCESS_BLOCK_TYPE,),
    check=check,
    severity=Severity.HIGH,
    remediation="Set all four public access block settings to true.",
    compliance=Compliance(cis=("2.1.4",), security_hub=("S3.8",)),
)
