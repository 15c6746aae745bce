"""ctl-ct-004-trail-logging-enabled: the trail's enableLogging is true
(provider default when unset: True)."""

from guardrails.rules import ctl_ct_004_trail_logging_enabled as rule
from rule_cases import TRAIL, UNKNOWN, decided, res, resource_findings, undecided


def findings(**props: object) -> list[str]:
    return resource_findings(rule, res(TRAIL, "trail", **props))


def test_true_passes() -> None:
    assert findings(enableLogging=True) == []


def test_false_is_caught() -> None:
    assert decided(findings(enableLogging=False))


def test_unset_uses_the_provider_default() -> None:
    assert (findings() == []) is True


def test_unknown_is_undecided() -> None:
    assert undecided(findings(enableLogging=UNKNOWN))
