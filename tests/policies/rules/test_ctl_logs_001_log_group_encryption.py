"""ctl-logs-001: CloudWatch log groups are encrypted with a KMS key."""

from guardrails.rules import ctl_logs_001_log_group_encryption as rule
from literals import UNKNOWN
from rule_cases import res, resource_findings

GROUP = "aws:cloudwatch/logGroup:LogGroup"


def test_key_set_or_unknown_passes() -> None:
    assert resource_findings(rule, res(GROUP, "g", kmsKeyId=UNKNOWN)) == []


def test_missing_key_is_caught_unless_allowed() -> None:
    assert resource_findings(rule, res(GROUP, "g")).decided
    assert resource_findings(rule, res(GROUP, "g"), allowServiceManaged=True) == []


def test_the_finding_says_what_a_group_without_a_key_means() -> None:
    assert resource_findings(rule, res(GROUP, "g")) == [
        "LogGroup 'g' has no kmsKeyId: it uses only CloudWatch Logs' service-managed key."
    ]
