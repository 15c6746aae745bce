"""ctl-ct-009: Insights selectors name valid types; when required, every trail enables the
configured types."""

import re
from typing import Any

import pytest
from guardrails.rules import ctl_ct_009_trail_insights as rule
from literals import INSIGHTS, TRAIL, UNKNOWN
from rule_cases import res, resource_findings

TRAIL_RES = res(TRAIL, "trail")


def findings(config: dict[str, Any] | None = None, **props: Any) -> list[str]:
    return resource_findings(rule, res(TRAIL, "trail", **props), **(config or {}))


def test_program_shapes_pass() -> None:
    assert findings() == []  # Insights off: fine unless required
    assert findings(insightSelectors=[]) == []
    assert findings(insightSelectors=INSIGHTS) == []
    assert findings({"required": True}, insightSelectors=INSIGHTS) == []


def test_invalid_type_is_caught_even_when_not_required() -> None:
    found = findings(insightSelectors=[{"insightType": "ApiCallRateInsights"}])
    assert found.decided and "ApiCallRateInsights" in found[0]
    [unset] = findings(insightSelectors=[*INSIGHTS[:1], {}])
    assert "insightSelectors[1].insightType is unset" in unset and TRAIL_RES.label in unset


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
    assert found.decided and "must be on" in found[0]


def test_configured_subset_is_enough() -> None:
    config = {"required": True, "insightTypes": ["ApiErrorRateInsight"]}
    assert findings(config, insightSelectors=INSIGHTS[1:]) == []


@pytest.mark.parametrize("required", [False, True])
def test_unknown_selectors_are_undecided(required: bool) -> None:
    found = findings({"required": required}, insightSelectors=UNKNOWN)
    assert found.undecided_on(TRAIL_RES, "insightSelectors")


def test_unknown_type_is_undecided_naming_its_selector() -> None:
    """The selector whose type is unknown is named, and no type is then said to be missing."""
    selectors = [INSIGHTS[0], {"insightType": UNKNOWN}]
    found = findings({"required": True}, insightSelectors=selectors)
    assert found.undecided_on(TRAIL_RES, "insightSelectors[1].insightType", why=False)


def test_remediation_sets_every_valid_type() -> None:
    listed = re.search(r"insight_selectors=\[(.*?)\] ", rule.POLICY.remediation_steps or "")
    assert listed is not None
    items = [re.fullmatch(r"\{insight_type: (\w+)\}", i) for i in listed.group(1).split(", ")]
    assert [m and m.group(1) for m in items] == list(rule.INSIGHT_TYPES)
