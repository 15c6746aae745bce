"""ctl-sns-001: SNS topics are encrypted with KMS."""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.declare import Compliance
from guardrails.families import key_id_rule
from guardrails.support import SNS_TOPIC_TYPE

check, POLICY = key_id_rule(
    (SNS_TOPIC_TYPE,),
    "kmsMasterKeyId",
    "messages are stored unencrypted",
    name="ctl-sns-001-topic-encryption",
    description="Every SNS topic is encrypted at rest with KMS (kmsMasterKeyId set).",
    severity=Severity.MEDIUM,
    remediation="Set kms_master_key_id (a customer managed key, or alias/aws/sns).",
    compliance=Compliance(security_hub=("SNS.1",)),
)
