"""ctl-s3-006: a public access block turns on all four settings."""

import pytest
from guardrails.rules import ctl_s3_006_public_access_block_complete as rule
from literals import PAB, UNKNOWN
from rule_cases import res, resource_findings

FULL = dict.fromkeys(rule.SETTINGS, True)


def test_all_four_settings_pass() -> None:
    assert resource_findings(rule, res(PAB, "pab", **FULL)) == []


@pytest.mark.parametrize("setting", rule.SETTINGS)
def test_each_setting_off_or_unset_is_caught(setting: str) -> None:
    assert resource_findings(rule, res(PAB, "pab", **(FULL | {setting: False}))).decided
    unset = {k: v for k, v in FULL.items() if k != setting}
    assert resource_findings(rule, res(PAB, "pab", **unset)).decided


def test_unknown_setting_is_undecided() -> None:
    assert resource_findings(
        rule, res(PAB, "pab", **(FULL | {"blockPublicAcls": UNKNOWN}))
    ).undecided
