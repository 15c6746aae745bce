"""ctl-ct-001-trail-multi-region: the trail's isMultiRegionTrail is true
(provider default when unset: False)."""

from guardrails import cloudtrail_trail_settings as rule
from rule_cases import TRAIL, UNKNOWN, decided, res, resource_findings, undecided

POLICY = "ctl-ct-001-trail-multi-region"


def findings(**props: object) -> list[str]:
    return resource_findings(rule, res(TRAIL, "trail", **props), policy=POLICY)


def test_true_passes() -> None:
    assert findings(isMultiRegionTrail=True) == []


def test_false_is_caught() -> None:
    assert decided(findings(isMultiRegionTrail=False))


def test_unset_uses_the_provider_default() -> None:
    assert (findings() == []) is False


def test_unknown_is_undecided() -> None:
    assert undecided(findings(isMultiRegionTrail=UNKNOWN))
