"""ctl-ct-002-trail-log-file-validation: the trail's enableLogFileValidation is true
(provider default when unset: False)."""

from guardrails.rules import ctl_ct_002_trail_log_file_validation as rule
from rule_cases import TRAIL, UNKNOWN, decided, res, resource_findings, undecided


def findings(**props: object) -> list[str]:
    return resource_findings(rule, res(TRAIL, "trail", **props))


def test_true_passes() -> None:
    assert findings(enableLogFileValidation=True) == []


def test_false_is_caught() -> None:
    assert decided(findings(enableLogFileValidation=False))


def test_unset_uses_the_provider_default() -> None:
    assert (findings() == []) is False


def test_unknown_is_undecided() -> None:
    assert undecided(findings(enableLogFileValidation=UNKNOWN))
