"""ctl-ct-010: network activity selectors are valid; when required, every trail records the denied
calls of the configured event sources."""

from typing import Any

import pytest
from guardrails.rules import ctl_ct_010_trail_network_activity_events as rule
from literals import TRAIL, UNKNOWN, archive_selectors, network_selector
from rule_cases import decided, res, resource_findings, undecided

SOURCES = list(rule.EVENT_SOURCES)


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
        ([], "nowhere"),
        ([{"field": "eventSource", "equals": ["ec2.amazonaws.com"]},
          {"field": "errorCode", "equals": ["AccessDenied"]}], "VpceAccessDenied"),
        ([{"field": "eventSource", "equals": ["ec2.amazonaws.com"]},
          {"field": "readOnly", "equals": ["true"]}], "readOnly"),
    ],
    ids=["unlisted-source", "two-sources", "starts-with", "no-source", "error-code", "read-only"],
)  # fmt: skip
def test_invalid_selectors_are_caught_even_when_not_required(
    fields: list[dict[str, Any]], named: str
) -> None:
    category = {"field": "eventCategory", "equals": ["NetworkActivity"]}
    found = selectors({"fieldSelectors": [category, *fields]})
    assert decided(found) and any(named in f for f in found), found


def test_required_sources_missing_are_caught() -> None:
    found = findings({"required": True}, advancedEventSelectors=[network_selector(SOURCES[0])])
    assert decided(found) and all(s in found[0] for s in SOURCES[1:])
    assert decided(findings({"required": True}))


def test_a_narrowed_selector_does_not_count_as_recording_the_denied_calls() -> None:
    narrowed = network_selector("kms.amazonaws.com")
    narrowed["fieldSelectors"].append({"field": "eventName", "equals": ["Decrypt"]})
    config = {"required": True, "eventSources": ["kms.amazonaws.com"]}
    assert decided(findings(config, advancedEventSelectors=[narrowed]))
    assert findings(config, advancedEventSelectors=[network_selector("kms.amazonaws.com")]) == []


def test_unknown_selectors_are_undecided() -> None:
    assert undecided(findings(advancedEventSelectors=UNKNOWN))
    unknown_fields = [{"fieldSelectors": UNKNOWN}]
    assert undecided(findings({"required": True}, advancedEventSelectors=unknown_fields))


def test_the_rule_and_the_program_agree_on_what_cloudtrail_accepts() -> None:
    """One list of sources and fields, written twice (the pack imports nothing of the
    program's): the program's selectors pass the rule, and both lists are the same."""
    from cloudtrail_logging.integrity import network_activity, selector_rules

    assert rule.EVENT_SOURCES == network_activity.NETWORK_ACTIVITY_SOURCES
    assert selector_rules.FIELDS["NetworkActivity"] == rule.FIELDS
