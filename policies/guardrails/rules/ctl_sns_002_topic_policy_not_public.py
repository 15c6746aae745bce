"""ctl-sns-002: no SNS topic policy is open to everyone.

The TopicPolicy resource and a Topic's inline `policy` are judged alike.
"""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.declare import Compliance
from guardrails.families import not_public_rule
from guardrails.support import SNS_TOPIC_POLICY_TYPE, SNS_TOPIC_TYPE

check, POLICY = not_public_rule(
    (SNS_TOPIC_POLICY_TYPE, SNS_TOPIC_TYPE),
    name="ctl-sns-002-topic-policy-not-public",
    description=(
        "No SNS topic policy allows a public principal unless a fixed-value condition pins it to "
        "an organization, an account or a source resource (aws:SourceArn, aws:SourceAccount, "
        "aws:PrincipalOrgID, ...)."
    ),
    severity=Severity.CRITICAL,
    remediation=(
        "Grant the publishing service principal (e.g. cloudtrail.amazonaws.com) with "
        "aws:SourceArn / aws:SourceAccount conditions instead of Principal '*'."
    ),
    compliance=Compliance(security_hub=("SNS.4",)),
)
