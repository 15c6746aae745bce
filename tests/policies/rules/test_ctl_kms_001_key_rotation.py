"""ctl-kms-001: symmetric KMS keys rotate."""

from guardrails.rules import ctl_kms_001_key_rotation as rule
from literals import UNKNOWN
from rule_cases import decided, res, resource_findings, undecided

KEY = "aws:kms/key:Key"


def test_rotating_key_passes() -> None:
    assert resource_findings(rule, res(KEY, "k", enableKeyRotation=True)) == []


def test_asymmetric_key_needs_no_rotation() -> None:
    key = res(KEY, "k", customerMasterKeySpec="RSA_2048", keyUsage="SIGN_VERIFY")
    assert resource_findings(rule, key) == []


def test_rotation_off_or_unset_is_caught() -> None:
    assert decided(resource_findings(rule, res(KEY, "k", enableKeyRotation=False)))
    assert decided(resource_findings(rule, res(KEY, "k")))


def test_unknown_spec_or_flag_is_undecided() -> None:
    assert undecided(resource_findings(rule, res(KEY, "k", enableKeyRotation=UNKNOWN)))
    assert undecided(resource_findings(rule, res(KEY, "k", customerMasterKeySpec=UNKNOWN)))
