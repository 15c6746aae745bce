"""ctl-ct-001-trail-multi-region: the trail's isMultiRegionTrail is true
(provider default when unset: False)."""

from guardrails.rules import ctl_ct_001_trail_multi_region as rule
from rule_cases import TRAIL, UNKNOWN, decided, res, resource_findings, undecided


def findings(**props: object) -> list[str]:
    return resource_findings(rule, res(TRAIL, "trail", **props))


def test_true_passes() -> None:
    assert findings(isMultiRegionTrail=True) == []


def test_false_is_caught() -> None:
    assert decided(findings(isMultiRegionTrail=False))


def test_unset_uses_the_provider_default() -> None:
    assert (findings() == []) is False


def test_unknown_is_undecided() -> None:
    assert undecided(findings(isMultiRegionTrail=UNKNOWN))
