"""ctl-sqs-001: SQS queues are encrypted (SSE-KMS, or SSE-SQS when allowed)."""

from guardrails.rules import ctl_sqs_001_queue_encryption as rule
from literals import UNKNOWN
from rule_cases import res, resource_findings

QUEUE = "aws:sqs/queue:Queue"


def test_kms_or_sse_sqs_passes() -> None:
    assert resource_findings(rule, res(QUEUE, "q", kmsMasterKeyId="alias/aws/sqs")) == []
    assert resource_findings(rule, res(QUEUE, "q", sqsManagedSseEnabled=True)) == []


def test_unencrypted_or_sse_sqs_refused_is_caught() -> None:
    assert resource_findings(rule, res(QUEUE, "q", sqsManagedSseEnabled=False)).decided
    sse_sqs = res(QUEUE, "q", sqsManagedSseEnabled=True)
    assert resource_findings(rule, sse_sqs, allowSqsManagedSse=False).decided


def test_unknown_flag_is_undecided_naming_it() -> None:
    found = resource_findings(rule, res(QUEUE, "q", sqsManagedSseEnabled=UNKNOWN))
    assert found.undecided and "Queue 'q' property 'sqsManagedSseEnabled'" in found[0]
