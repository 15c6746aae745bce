"""ctl-s3-006: a bucket public access block turns on all four settings."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.declare import Compliance, resource_policy
from guardrails.support import PUBLIC_ACCESS_BLOCK_TYPE, bool_settings_check

SETTINGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")

check = bool_settings_check(*SETTINGS, want=True, default=False)


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
