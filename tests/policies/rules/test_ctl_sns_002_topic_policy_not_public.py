"""ctl-sns-002: no SNS topic policy is open to everyone."""

from guardrails.rules import ctl_sns_002_topic_policy_not_public as rule
from literals import ACCOUNT, document, statement
from rule_cases import NotPublicCases, res, resource_findings

TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
TOPIC_ARN = f"arn:aws:sns:eu-west-1:{ACCOUNT}:alerts"
CLOUDTRAIL_PUBLISH = statement(
    Principal={"Service": "cloudtrail.amazonaws.com"},
    Action="sns:Publish",
    Resource=TOPIC_ARN,
    Condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}},
)
PUBLIC = statement(Principal="*", Action=["sns:Subscribe", "sns:Publish"], Resource=TOPIC_ARN)


class TestNotPublic(NotPublicCases):
    rule = rule
    types = (TOPIC_POLICY, "aws:sns/topic:Topic")
    granted = CLOUDTRAIL_PUBLISH
    public = PUBLIC


def test_public_principal_with_fixed_source_arn_passes() -> None:
    scoped = PUBLIC | {
        "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:s3:::bucket-{ACCOUNT}"}}
    }
    assert resource_findings(rule, res(TOPIC_POLICY, "p", policy=document(scoped))) == []
    wild = PUBLIC | {"Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}}
    assert resource_findings(rule, res(TOPIC_POLICY, "p", policy=document(wild))).decided
