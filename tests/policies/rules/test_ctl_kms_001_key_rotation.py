"""ctl-kms-001: symmetric KMS keys rotate."""

from typing import Any

import pytest
from guardrails.rules import ctl_kms_001_key_rotation as rule
from literals import UNKNOWN
from rule_cases import res, resource_findings

KEY = "aws:kms/key:Key"


def test_rotating_key_passes() -> None:
    assert resource_findings(rule, res(KEY, "k", enableKeyRotation=True)) == []


@pytest.mark.parametrize(
    "props",
    [
        {"customerMasterKeySpec": "RSA_2048", "keyUsage": "SIGN_VERIFY"},
        {"customerMasterKeySpec": "ECC_NIST_P256"},
        {"keyUsage": "SIGN_VERIFY"},
        {"customerMasterKeySpec": "HMAC_256", "keyUsage": "GENERATE_VERIFY_MAC"},
        {"customKeyStoreId": "cks-1234567890abcdef0"},
    ],
    ids=["asymmetric", "asymmetric-spec-only", "signing-usage-only", "hmac", "custom-key-store"],
)
def test_keys_that_cannot_rotate_need_no_rotation(props: dict[str, Any]) -> None:
    assert resource_findings(rule, res(KEY, "k", **props)) == []


@pytest.mark.parametrize(
    "props",
    [{}, {"customerMasterKeySpec": "SYMMETRIC_DEFAULT", "keyUsage": "ENCRYPT_DECRYPT"}],
    ids=["defaults", "symmetric-named"],
)
def test_rotation_off_or_unset_is_caught(props: dict[str, Any]) -> None:
    assert resource_findings(rule, res(KEY, "k", enableKeyRotation=False, **props)).decided
    [unset] = resource_findings(rule, res(KEY, "k", **props))
    assert "'enableKeyRotation'" in unset and "unset (provider default False)" in unset


def test_unknown_flag_is_undecided() -> None:
    key = res(KEY, "k", enableKeyRotation=UNKNOWN)
    assert resource_findings(rule, key).undecided


@pytest.mark.parametrize("prop", ["customerMasterKeySpec", "keyUsage"])
def test_unknown_spec_or_usage_is_undecided_naming_it(prop: str) -> None:
    key = res(KEY, "k", **{prop: UNKNOWN})
    assert resource_findings(rule, key).undecided_on(key, prop)
