"""ctl-sns-001: SNS topics are encrypted with KMS."""

from guardrails.rules import ctl_sns_001_topic_encryption as rule
from literals import UNKNOWN
from rule_cases import res, resource_findings

TOPIC = "aws:sns/topic:Topic"


def test_key_set_or_unknown_passes() -> None:
    assert resource_findings(rule, res(TOPIC, "t", kmsMasterKeyId="alias/aws/sns")) == []
    assert resource_findings(rule, res(TOPIC, "t", kmsMasterKeyId=UNKNOWN)) == []


def test_unencrypted_topic_is_caught() -> None:
    assert resource_findings(rule, res(TOPIC, "t")).decided


def test_the_finding_says_what_an_unencrypted_topic_means() -> None:
    assert resource_findings(rule, res(TOPIC, "t")) == [
        "Topic 't' has no kmsMasterKeyId: messages are stored unencrypted."
    ]
