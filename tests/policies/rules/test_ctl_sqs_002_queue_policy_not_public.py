"""ctl-sqs-002: no SQS queue policy is open to everyone."""

import pytest
from guardrails.rules import ctl_sqs_002_queue_policy_not_public as rule
from literals import ACCOUNT, UNKNOWN, document, statement
from rule_cases import res, resource_findings

QUEUE_ARN = f"arn:aws:sqs:eu-west-1:{ACCOUNT}:events"
TOPIC_DELIVERY = statement(
    Principal={"Service": "sns.amazonaws.com"},
    Action="sqs:SendMessage",
    Resource=QUEUE_ARN,
    Condition={"ArnLike": {"aws:SourceArn": f"arn:aws:sns:eu-west-1:{ACCOUNT}:alerts"}},
)


@pytest.mark.parametrize("type_", ["aws:sqs/queuePolicy:QueuePolicy", "aws:sqs/queue:Queue"])
def test_service_grant_passes_and_public_grant_is_caught(type_: str) -> None:
    assert resource_findings(rule, res(type_, "p", policy=document(TOPIC_DELIVERY))) == []
    public = statement(Principal={"AWS": "*"}, Action="sqs:*", Resource=QUEUE_ARN)
    assert resource_findings(rule, res(type_, "p", policy=document(TOPIC_DELIVERY, public))).decided


def test_wildcard_account_condition_is_not_a_scope() -> None:
    public = statement(
        Principal="*",
        Action="sqs:SendMessage",
        Resource=QUEUE_ARN,
        Condition={"StringLike": {"aws:SourceAccount": "*"}},
    )
    assert resource_findings(
        rule, res("aws:sqs/queuePolicy:QueuePolicy", "p", policy=document(public))
    ).decided


def test_unknown_policy_is_undecided() -> None:
    assert resource_findings(
        rule, res("aws:sqs/queuePolicy:QueuePolicy", "p", policy=UNKNOWN)
    ).undecided
