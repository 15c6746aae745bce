"""ctl-ct-007: event selectors keep every read and write management event, from every source."""

import pytest
from guardrails.rules import ctl_ct_007_trail_records_all_management_events as rule
from literals import TRAIL, UNKNOWN, archive_selectors
from rule_cases import res, resource_findings

MANAGEMENT = {"field": "eventCategory", "equals": ["Management"]}
S3_DATA = {
    "name": "s3 data",
    "fieldSelectors": [
        {"field": "eventCategory", "equals": ["Data"]},
        {"field": "resources.type", "equals": ["AWS::S3::Object"]},
    ],
}


def findings(**props: object) -> list[str]:
    return resource_findings(rule, res(TRAIL, "trail", **props), **{})


def advanced(*selectors: dict[str, object]) -> list[str]:
    return findings(advancedEventSelectors=list(selectors))


def basic(*selectors: dict[str, object]) -> list[str]:
    return findings(eventSelectors=list(selectors))


def test_no_selectors_logs_everything() -> None:
    assert findings() == []


def test_basic_all_with_data_resources_passes() -> None:
    data = {"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}
    assert (
        basic({"readWriteType": "All", "includeManagementEvents": True, "dataResources": [data]})
        == []
    )
    assert basic({}) == []  # defaults: All, management events included


def test_data_selector_alongside_management_passes() -> None:
    assert advanced({"fieldSelectors": [MANAGEMENT]}, S3_DATA) == []


def test_program_archive_selectors_pass() -> None:
    """Management events plus data-event selectors on the archive's objects (reads, and
    changes other than PutObject) keep every management event."""
    assert advanced(*archive_selectors()) == []
    # Without the management selector the data selectors alone log no management event.
    assert advanced(*archive_selectors()[1:]).decided


def test_read_and_write_split_across_selectors_passes() -> None:
    reads = {"fieldSelectors": [MANAGEMENT, {"field": "readOnly", "equals": ["true"]}]}
    writes = {"fieldSelectors": [MANAGEMENT, {"field": "readOnly", "equals": ["false"]}]}
    assert advanced(reads, writes) == []
    assert basic({"readWriteType": "ReadOnly"}, {"readWriteType": "WriteOnly"}) == []


@pytest.mark.parametrize(
    "selectors",
    [
        [
            {
                "includeManagementEvents": False,
                "dataResources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}],
            }
        ],
        [{"readWriteType": "WriteOnly"}],
        [{"readWriteType": "All", "excludeManagementEventSources": ["kms.amazonaws.com"]}],
    ],
)
def test_basic_selectors_dropping_management_events_are_caught(selectors: list[object]) -> None:
    assert findings(eventSelectors=selectors).decided


@pytest.mark.parametrize(
    "selectors",
    [
        [S3_DATA],
        [{"fieldSelectors": [MANAGEMENT, {"field": "readOnly", "equals": ["true"]}]}],
        [
            {
                "fieldSelectors": [
                    MANAGEMENT,
                    {"field": "eventSource", "notEquals": ["kms.amazonaws.com"]},
                ]
            }
        ],
        [
            {
                "fieldSelectors": [
                    MANAGEMENT,
                    {
                        "field": "eventSource",
                        "notEquals": ["iam.amazonaws.com", "sts.amazonaws.com"],
                    },
                ]
            }
        ],
        [
            {
                "fieldSelectors": [
                    MANAGEMENT,
                    {"field": "eventSource", "equals": ["ec2.amazonaws.com"]},
                ]
            }
        ],
        [{"fieldSelectors": [MANAGEMENT, {"field": "eventSource", "startsWiths": ["ec2"]}]}],
    ],
)
def test_advanced_selectors_dropping_management_events_are_caught(selectors: list[object]) -> None:
    assert findings(advancedEventSelectors=selectors).decided


def test_findings_name_what_is_dropped() -> None:
    kms = {
        "fieldSelectors": [MANAGEMENT, {"field": "eventSource", "notEquals": ["kms.amazonaws.com"]}]
    }
    assert all("kms.amazonaws.com" in f for f in advanced(kms))


def test_union_across_selectors_restores_an_excluded_source() -> None:
    no_kms = {
        "fieldSelectors": [MANAGEMENT, {"field": "eventSource", "notEquals": ["kms.amazonaws.com"]}]
    }
    only_kms = {
        "fieldSelectors": [MANAGEMENT, {"field": "eventSource", "equals": ["kms.amazonaws.com"]}]
    }
    assert advanced(no_kms, only_kms) == []


def test_allowed_exclusions_never_include_iam_kms_sts() -> None:
    rds = [{"excludeManagementEventSources": ["rdsdata.amazonaws.com"]}]
    trail = res(TRAIL, "trail", eventSelectors=rds)
    assert resource_findings(rule, trail, allowExcludedEventSources=["rdsdata.amazonaws.com"]) == []
    kms = res(
        TRAIL, "trail", eventSelectors=[{"excludeManagementEventSources": ["kms.amazonaws.com"]}]
    )
    assert resource_findings(rule, kms, allowExcludedEventSources=["kms.amazonaws.com"]).decided


def test_unknown_selectors_are_undecided() -> None:
    assert findings(eventSelectors=UNKNOWN).undecided
    assert findings(advancedEventSelectors=[{"fieldSelectors": UNKNOWN}]).undecided
    assert basic({"readWriteType": UNKNOWN}).undecided


def test_a_trail_without_management_events_is_admitted_only_by_its_option() -> None:
    """Next to an existing organization trail: data (and network activity) events only."""
    data_only = res(TRAIL, "trail", advancedEventSelectors=archive_selectors()[1:])
    assert resource_findings(rule, data_only).decided
    assert resource_findings(rule, data_only, allowTrailsWithoutManagementEvents=True) == []
    partial = res(TRAIL, "trail", advancedEventSelectors=[
        {"fieldSelectors": [MANAGEMENT, {"field": "readOnly", "equals": ["true"]}]}
    ])  # fmt: skip
    assert resource_findings(rule, partial, allowTrailsWithoutManagementEvents=True).decided


@pytest.mark.parametrize(
    ("read_only", "missing"),
    [
        ({"equals": ["true"]}, "write"),
        ({"equals": ["false"]}, "read"),
        ({"notEquals": ["true"]}, "read"),
        ({"notEquals": ["false"]}, "write"),
    ],
    ids=["reads-only", "writes-only", "not-reads", "not-writes"],
)
def test_a_one_sided_advanced_selector_is_caught_for_the_side_it_drops(
    read_only: dict[str, object], missing: str
) -> None:
    """A selector of only read (or only write) management events logs none of the other side,
    and the finding says which."""
    found = advanced({"fieldSelectors": [MANAGEMENT, {"field": "readOnly", **read_only}]})
    assert len(found) == 1 and f"log no {missing} management events" in found[0]


@pytest.mark.parametrize("source", ["iam.amazonaws.com", "kms.amazonaws.com", "sts.amazonaws.com"])
def test_iam_kms_and_sts_may_never_be_left_out_even_when_allowed(source: str) -> None:
    trail = res(TRAIL, "trail", eventSelectors=[{"excludeManagementEventSources": [source]}])
    found = resource_findings(rule, trail, allowExcludedEventSources=[source])
    assert found.decided and all(source in f for f in found)


OPERATOR_IDS = ("starts-with", "ends-with", "not-equals", "not-starts-with", "not-ends-with")
_BOTH_SIDES = ["read management events.", "write management events."]


@pytest.mark.parametrize(
    ("category", "missing"),
    [
        ({"startsWiths": ["Manage"]}, []),
        ({"endsWiths": ["ment"]}, []),
        ({"notEquals": ["Data"]}, []),
        ({"notStartsWiths": ["Data"]}, []),
        ({"notEndsWiths": ["Activity"]}, []),
        ({"startsWiths": ["Data"]}, _BOTH_SIDES),
        ({"endsWiths": ["Activity"]}, _BOTH_SIDES),
        ({"notEquals": ["Management"]}, _BOTH_SIDES),
        ({"notStartsWiths": ["Manage"]}, _BOTH_SIDES),
        ({"notEndsWiths": ["ment"]}, _BOTH_SIDES),
    ],
    ids=[
        *(f"{op}-counts" for op in OPERATOR_IDS),
        *(f"{op}-leaves-management-events-out" for op in OPERATOR_IDS),
    ],
)
def test_an_operator_on_the_event_category_counts_only_when_it_matches_management_events(
    category: dict[str, object], missing: list[str]
) -> None:
    """An operator that matches management events counts; one that leaves them out logs none."""
    found = advanced({"fieldSelectors": [{"field": "eventCategory", **category}]})
    assert sorted(f.split(" log no ")[-1] for f in found) == missing


@pytest.mark.parametrize("op", ["startsWiths", "notStartsWiths", "endsWiths", "notEndsWiths"])
def test_a_pattern_over_event_sources_keeps_no_source_for_sure(op: str) -> None:
    selector = {"fieldSelectors": [MANAGEMENT, {"field": "eventSource", op: ["ec2"]}]}
    found = advanced(selector)
    assert len(found) == 2 and all("log no" in f for f in found)


def test_selectors_of_named_sources_only_add_up_to_those_sources() -> None:
    def only(source: str) -> dict[str, object]:
        return {"fieldSelectors": [MANAGEMENT, {"field": "eventSource", "equals": [source]}]}

    ec2, s3 = only("ec2.amazonaws.com"), only("s3.amazonaws.com")
    found = advanced(ec2, s3)
    assert len(found) == 2
    assert all("every source except ec2.amazonaws.com, s3.amazonaws.com" in f for f in found)


def test_two_exclusions_together_drop_only_what_both_drop() -> None:
    def without(*sources: str) -> dict[str, object]:
        excluded = {"field": "eventSource", "notEquals": list(sources)}
        return {"fieldSelectors": [MANAGEMENT, excluded]}

    found = advanced(without("kms.amazonaws.com", "rds.amazonaws.com"),
                     without("kms.amazonaws.com", "ec2.amazonaws.com"))  # fmt: skip
    assert len(found) == 2
    assert all(f.endswith("drop read management events from kms.amazonaws.com.")
               or f.endswith("drop write management events from kms.amazonaws.com.")
               for f in found)  # fmt: skip


def test_named_sources_less_exclusions_keep_only_the_rest() -> None:
    selector = {"fieldSelectors": [MANAGEMENT, {
        "field": "eventSource",
        "equals": ["ec2.amazonaws.com", "kms.amazonaws.com"],
        "notEquals": ["kms.amazonaws.com"],
    }]}  # fmt: skip
    found = advanced(selector)
    assert len(found) == 2 and all("every source except ec2.amazonaws.com" in f for f in found)


def test_a_management_selector_with_fields_the_rule_does_not_read_is_named() -> None:
    """Such a selector counts for nothing, and the finding says why (it once said only "log no
    read management events", hiding the field that made the rule give up)."""
    selector = {
        "fieldSelectors": [MANAGEMENT, {"field": "resources.type", "equals": ["AWS::S3::Object"]}]
    }
    found = advanced(selector)
    assert len(found) == 2
    assert all("uses resources.type, which this rule does not read" in f for f in found)
    odd = {"fieldSelectors": [{**MANAGEMENT, "notIn": ["x"]}]}
    assert all("uses notIn" in f for f in advanced(odd))


def test_data_selectors_before_the_management_one_do_not_stop_the_search() -> None:
    assert advanced(S3_DATA, S3_DATA, {"fieldSelectors": [MANAGEMENT]}) == []
    assert basic({"includeManagementEvents": False}, {"readWriteType": "All"}) == []


def test_an_unknown_selector_list_is_undecided_naming_it() -> None:
    found = findings(advancedEventSelectors=UNKNOWN)
    assert found.undecided and "advancedEventSelectors" in found[0]
    assert "which management events it logs depends on it" in found[0]


def test_empty_selector_lists_log_everything() -> None:
    assert findings(advancedEventSelectors=[], eventSelectors=[]) == []
    assert findings(advancedEventSelectors=[], eventSelectors=[{"readWriteType": "WriteOnly"}])


def test_an_unknown_is_undecided_for_the_trail_that_has_it() -> None:
    found = findings(eventSelectors=UNKNOWN)
    assert found.undecided and found[0].count("Trail 'trail'") == 1


def test_allowed_exclusions_are_left_out_of_what_a_finding_names() -> None:
    both = [{"excludeManagementEventSources": ["rds.amazonaws.com", "kms.amazonaws.com"]}]
    trail = res(TRAIL, "trail", eventSelectors=both)
    found = resource_findings(rule, trail, allowExcludedEventSources=["rds.amazonaws.com"])
    assert len(found) == 2
    assert all("kms.amazonaws.com" in f and "rds.amazonaws.com" not in f for f in found)
    only_ec2 = {
        "fieldSelectors": [MANAGEMENT, {"field": "eventSource", "equals": ["ec2.amazonaws.com"]}]
    }
    trail = res(TRAIL, "trail", advancedEventSelectors=[only_ec2])
    found = resource_findings(rule, trail, allowExcludedEventSources=["ec2.amazonaws.com"])
    assert len(found) == 2 and all("every source except ec2.amazonaws.com" in f for f in found)
