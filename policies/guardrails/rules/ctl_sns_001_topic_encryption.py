"""ctl-sns-001: SNS topics are encrypted with KMS."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.support import SNS_TOPIC_TYPE, Compliance, key_id_check, resource_policy

check = key_id_check("kmsMasterKeyId", "messages are stored unencrypted")


POLICY = resource_policy(
    name="ctl-sns-001-topic-encryption",
    description="Every SNS topic is encrypted at rest with KMS (kmsMasterKeyId set).",
    types=(SNS_TOPIC_TYPE,),
    check=check,
    severity=Severity.MEDIUM,
    remediation="Set kms_master_key_id (a customer managed key, or alias/aws/sns).",
    compliance=Compliance(security_hub=("SNS.1",)),
)
