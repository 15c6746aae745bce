"""ctl-sqs-002: no SQS queue policy is open to everyone.

The QueuePolicy resource and a Queue's inline `policy` are judged alike.
"""

from __future__ import annotations

from pulumi_policy import Severity

from guardrails.declare import Compliance
from guardrails.families import not_public_rule
from guardrails.support import SQS_QUEUE_POLICY_TYPE, SQS_QUEUE_TYPE

check, POLICY = not_public_rule(
    (SQS_QUEUE_POLICY_TYPE, SQS_QUEUE_TYPE),
    name="ctl-sqs-002-queue-policy-not-public",
    description=(
        "No SQS queue policy allows a public principal unless a fixed-value condition pins it to "
        "an organization, an account or a source resource (aws:SourceArn, aws:SourceAccount, "
        "aws:PrincipalOrgID, ...)."
    ),
    severity=Severity.CRITICAL,
    remediation=(
        "Grant the sending service principal (e.g. sns.amazonaws.com) with aws:SourceArn / "
        "aws:SourceAccount conditions instead of Principal '*'."
    ),
    compliance=Compliance(security_hub=("SQS.3",)),
)
