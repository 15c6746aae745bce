"""ctl-ct-005: trails set kmsKeyId (a key created in the same stack is unknown but present)."""

from guardrails.rules import ctl_ct_005_trail_kms_encryption as rule
from literals import TRAIL, UNKNOWN
from rule_cases import res, resource_findings


def test_key_set_or_unknown_passes() -> None:
    assert (
        resource_findings(
            rule, res(TRAIL, "t", kmsKeyId="arn:aws:kms:eu-west-1:111122223333:key/1")
        )
        == []
    )
    assert resource_findings(rule, res(TRAIL, "t", kmsKeyId=UNKNOWN)) == []


def test_missing_or_empty_key_is_caught() -> None:
    assert resource_findings(rule, res(TRAIL, "t")).decided
    assert resource_findings(rule, res(TRAIL, "t", kmsKeyId="")).decided


def test_can_be_waived_by_config() -> None:
    assert resource_findings(rule, res(TRAIL, "t"), requireTrailKms=False) == []


def test_the_finding_says_the_log_files_are_not_encrypted_with_a_key() -> None:
    [finding] = resource_findings(rule, res(TRAIL, "t"))
    assert finding == "Trail 't' has no kmsKeyId: its log files are not encrypted with SSE-KMS."
