"""ctl-sqs-002: no SQS queue policy is open to everyone."""

from guardrails.rules import ctl_sqs_002_queue_policy_not_public as rule
from literals import ACCOUNT, document, statement
from rule_cases import NotPublicCases, res, resource_findings

QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy"
QUEUE_ARN = f"arn:aws:sqs:eu-west-1:{ACCOUNT}:events"
TOPIC_DELIVERY = statement(
    Principal={"Service": "sns.amazonaws.com"},
    Action="sqs:SendMessage",
    Resource=QUEUE_ARN,
    Condition={"ArnLike": {"aws:SourceArn": f"arn:aws:sns:eu-west-1:{ACCOUNT}:alerts"}},
)


class TestNotPublic(NotPublicCases):
    rule = rule
    types = (QUEUE_POLICY, "aws:sqs/queue:Queue")
    granted = TOPIC_DELIVERY
    public = statement(Principal={"AWS": "*"}, Action="sqs:*", Resource=QUEUE_ARN)


def test_wildcard_account_condition_is_not_a_scope() -> None:
    public = statement(
        Principal="*",
        Action="sqs:SendMessage",
        Resource=QUEUE_ARN,
        Condition={"StringLike": {"aws:SourceAccount": "*"}},
    )
    assert resource_findings(rule, res(QUEUE_POLICY, "p", policy=document(public))).decided
