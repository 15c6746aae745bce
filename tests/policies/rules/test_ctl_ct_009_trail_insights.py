"""ctl-ct-009: Insights selectors name valid types; when required, every trail enables the
configured types."""

from typing import Any

import pytest
from guardrails.rules import ctl_ct_009_trail_insights as rule
from literals import INSIGHTS, TRAIL, UNKNOWN
from rule_cases import decided, res, resource_findings, undecided


def findings(config: dict[str, Any] | None = None, **props: Any) -> list[str]:
    return resource_findings(rule, res(TRAIL, "trail", **props), **(config or {}))


def test_program_shapes_pass() -> None:
    assert findings() == []  # Insights off: fine unless required
    assert findings(insightSelectors=[]) == []
    assert findings(insightSelectors=INSIGHTS) == []
    assert findings({"required": True}, insightSelectors=INSIGHTS) == []


def test_invalid_type_is_caught_even_when_not_required() -> None:
    found = findings(insightSelectors=[{"insightType": "ApiCallRateInsights"}])
    assert decided(found) and "ApiCallRateInsights" in found[0]
    assert decided(findings(insightSelectors=[{}]))


@pytest.mark.parametrize(
    ("selectors", "config"),
    [
        (None, {"required": True}),
        ([], {"required": True}),
        (INSIGHTS[:1], {"required": True}),
        (INSIGHTS[1:], {"required": True, "insightTypes": ["ApiCallRateInsight"]}),
    ],
    ids=["unset", "empty", "error-rate-missing", "call-rate-missing"],
)
def test_required_types_missing_are_caught(selectors: Any, config: dict[str, Any]) -> None:
    props = {} if selectors is None else {"insightSelectors": selectors}
    found = findings(config, **props)
    assert decided(found) and "must be on" in found[0]


def test_configured_subset_is_enough() -> None:
    config = {"required": True, "insightTypes": ["ApiErrorRateInsight"]}
    assert findings(config, insightSelectors=INSIGHTS[1:]) == []


def test_unknown_selectors_are_undecided() -> None:
    assert undecided(findings({"required": True}, insightSelectors=UNKNOWN))
    assert undecided(findings(insightSelectors=UNKNOWN))
    assert undecided(findings({"required": True}, insightSelectors=[{"insightType": UNKNOWN}]))
