"""ctl-ct-010: network activity selectors are valid; when required, every trail records the denied
calls of the configured event sources."""

from typing import Any

import pytest
from guardrails.rules import ctl_ct_010_trail_network_activity_events as rule
from literals import TRAIL, UNKNOWN, archive_selectors, network_selector
from rule_cases import res, resource_findings

SOURCES = list(rule.EVENT_SOURCES)
TRAIL_RES = res(TRAIL, "trail")
CATEGORY = {"field": "eventCategory", "equals": ["NetworkActivity"]}
EC2 = {"field": "eventSource", "equals": ["ec2.amazonaws.com"]}


def findings(config: dict[str, Any] | None = None, **props: Any) -> list[str]:
    return resource_findings(rule, res(TRAIL, "trail", **props), **(config or {}))


def selectors(*extra: dict[str, Any]) -> list[str]:
    return findings(advancedEventSelectors=[*archive_selectors(), *extra])


def test_program_shapes_pass() -> None:
    assert findings() == []  # no selectors: no network activity, fine unless required
    assert selectors(*(network_selector(s) for s in SOURCES)) == []
    assert selectors(network_selector("kms.amazonaws.com", denied_only=False)) == []
    every = {"advancedEventSelectors": [network_selector(s) for s in SOURCES]}
    assert findings({"required": True}, **every) == []


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ([{"field": "eventSource", "equals": ["s3.amazonaws.com"]}], "s3.amazonaws.com"),
        ([{"field": "eventSource", "equals": ["ec2.amazonaws.com", "kms.amazonaws.com"]}],
         "exactly one"),
        ([{"field": "eventSource", "startsWiths": ["ec2"]}], "other than Equals"),
        *(([{**EC2, op: ["x"]}], "other than Equals on eventSource")
          for op in ("notEquals", "notStartsWiths", "endsWiths", "notEndsWiths")),
        ([EC2, {**CATEGORY, "notEquals": ["Data"]}], "other than Equals on eventCategory"),
        ([], "nowhere"),
        ([{"field": "eventSource", "equals": ["ec2.amazonaws.com"]},
          {"field": "errorCode", "equals": ["AccessDenied"]}], "VpceAccessDenied"),
        ([{"field": "eventSource", "equals": ["ec2.amazonaws.com"]},
          {"field": "readOnly", "equals": ["true"]}], "readOnly"),
    ],
    ids=["unlisted-source", "two-sources", "starts-with", "not-equals", "not-starts-with",
         "ends-with", "not-ends-with", "category-not-equals", "no-source", "error-code",
         "read-only"],
)  # fmt: skip
def test_invalid_selectors_are_caught_even_when_not_required(
    fields: list[dict[str, Any]], named: str
) -> None:
    found = selectors({"fieldSelectors": [CATEGORY, *fields]})
    assert found.decided and any(named in f for f in found), found


def test_operators_read_back_as_empty_lists_are_unset() -> None:
    empty = {op: [] for op in ("notEquals", "startsWiths", "notStartsWiths", "endsWiths")}
    selector = {"fieldSelectors": [{**CATEGORY, **empty}, {**EC2, **empty}]}
    assert selectors(selector) == []


def test_selectors_of_other_events_are_not_judged() -> None:
    """A selector without eventCategory (not a network activity one) is not read as one."""
    assert selectors({"fieldSelectors": [EC2]}) == []


def test_required_sources_missing_are_caught() -> None:
    found = findings({"required": True}, advancedEventSelectors=[network_selector(SOURCES[0])])
    assert found.decided and all(s in found[0] for s in SOURCES[1:])
    assert findings({"required": True}).decided


def test_a_narrowed_selector_does_not_count_as_recording_the_denied_calls() -> None:
    narrowed = network_selector("kms.amazonaws.com")
    narrowed["fieldSelectors"].append({"field": "eventName", "equals": ["Decrypt"]})
    config = {"required": True, "eventSources": ["kms.amazonaws.com"]}
    assert findings(config, advancedEventSelectors=[narrowed]).decided
    assert findings(config, advancedEventSelectors=[network_selector("kms.amazonaws.com")]) == []


@pytest.mark.parametrize(
    "selectors, path",
    [(UNKNOWN, "advancedEventSelectors"),
     ([{"fieldSelectors": UNKNOWN}], "advancedEventSelectors[0].fieldSelectors")],
    ids=["all", "one-selector"],
)  # fmt: skip
def test_unknown_selectors_are_undecided(selectors: Any, path: str) -> None:
    found = findings({"required": True}, advancedEventSelectors=selectors)
    assert found.undecided_on(TRAIL_RES, path)


KMS_ONLY = {"required": True, "eventSources": ["kms.amazonaws.com"]}


def test_a_selector_of_every_call_records_the_denied_ones() -> None:
    every = network_selector("kms.amazonaws.com", denied_only=False)
    assert findings(KMS_ONLY, advancedEventSelectors=[every]) == []


def test_a_selector_of_other_errors_does_not_record_the_denied_calls() -> None:
    other = network_selector("kms.amazonaws.com", denied_only=False)
    other["fieldSelectors"].append({"field": "errorCode", "notEquals": ["VpceAccessDenied"]})
    found = findings(KMS_ONLY, advancedEventSelectors=[other])
    assert len(found) == 1 and "kms.amazonaws.com" in found[0] and TRAIL_RES.label in found[0]


def test_the_rule_and_the_program_agree_on_what_cloudtrail_accepts() -> None:
    """One list of sources and fields, written twice (the pack imports nothing of the
    program's): the program's selectors pass the rule, and both lists are the same."""
    from cloudtrail_logging.integrity import network_activity, selector_rules

    assert rule.EVENT_SOURCES == network_activity.NETWORK_ACTIVITY_SOURCES
    assert selector_rules.FIELDS["NetworkActivity"] == rule.FIELDS
