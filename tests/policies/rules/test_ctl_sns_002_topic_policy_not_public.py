"""ctl-sns-002: no SNS topic policy is open to everyone."""

import pytest
from guardrails.rules import ctl_sns_002_topic_policy_not_public as rule
from literals import ACCOUNT, UNKNOWN, document, statement
from rule_cases import res, resource_findings

TOPIC_ARN = f"arn:aws:sns:eu-west-1:{ACCOUNT}:alerts"
CLOUDTRAIL_PUBLISH = statement(
    Principal={"Service": "cloudtrail.amazonaws.com"},
    Action="sns:Publish",
    Resource=TOPIC_ARN,
    Condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}},
)
PUBLIC = statement(Principal="*", Action=["sns:Subscribe", "sns:Publish"], Resource=TOPIC_ARN)


@pytest.mark.parametrize("type_", ["aws:sns/topicPolicy:TopicPolicy", "aws:sns/topic:Topic"])
def test_service_grant_passes_and_public_grant_is_caught(type_: str) -> None:
    assert resource_findings(rule, res(type_, "p", policy=document(CLOUDTRAIL_PUBLISH))) == []
    assert resource_findings(
        rule, res(type_, "p", policy=document(CLOUDTRAIL_PUBLISH, PUBLIC))
    ).decided


def test_public_principal_with_fixed_source_arn_passes() -> None:
    scoped = PUBLIC | {
        "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:s3:::bucket-{ACCOUNT}"}}
    }
    assert (
        resource_findings(
            rule, res("aws:sns/topicPolicy:TopicPolicy", "p", policy=document(scoped))
        )
        == []
    )
    wild = PUBLIC | {"Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}}
    assert resource_findings(
        rule, res("aws:sns/topicPolicy:TopicPolicy", "p", policy=document(wild))
    ).decided


def test_unknown_policy_is_undecided() -> None:
    assert resource_findings(
        rule, res("aws:sns/topicPolicy:TopicPolicy", "p", policy=UNKNOWN)
    ).undecided
