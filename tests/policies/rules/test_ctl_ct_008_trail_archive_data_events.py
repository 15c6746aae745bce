"""ctl-ct-008: no trail records its own log deliveries (PutObject) as data events; with
`required`, a trail delivering to this stack's bucket records reads of its log files. Also the
advanced-selector evaluator the rule rests on."""

from dataclasses import replace
from typing import Any

import pytest
from guardrails.rules import ctl_ct_008_trail_archive_data_events as rule
from guardrails.support import Res
from literals import BUCKET_NAME, UNKNOWN, archive_selectors
from rule_cases import decided, log_bucket_stack, stack_findings, undecided, with_props

DATA = {"field": "eventCategory", "equals": ["Data"]}
OBJECTS = {"field": "resources.type", "equals": ["AWS::S3::Object"]}
LOG_FILE = (
    f"arn:aws:s3:::{BUCKET_NAME}/AWSLogs/111122223333/CloudTrail/eu-west-1/2025/01/01/x.json.gz"
)


def trail_stack(**props: Any) -> list[Res]:
    return with_props(log_bucket_stack(), "trail", **props)


def selectors(*fields: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"fieldSelectors": [DATA, OBJECTS, *fields]}]


# --- the evaluator ----------------------------------------------------------------------------


def test_evaluator_semantics() -> None:
    put = rule.event(LOG_FILE, read=False)
    get = rule.event(LOG_FILE, read=True)
    assert rule.selects(selectors(), put)
    # field selectors are ANDed, selectors ORed
    reads = selectors({"field": "readOnly", "equals": ["true"]})
    assert not rule.selects(reads, put) and rule.selects(reads, get)
    assert rule.selects([*reads, *selectors({"field": "eventName", "equals": ["PutObject"]})], put)
    # any value of a positive operator; none of a negative one
    assert rule.selects(
        selectors({"field": "eventName", "equals": ["GetObject", "PutObject"]}), put
    )
    assert not rule.selects(selectors({"field": "eventName", "notEquals": ["X", "PutObject"]}), put)
    assert rule.selects(selectors({"field": "resources.ARN", "endsWiths": [".gz", ".x"]}), put)
    assert not rule.selects(selectors({"field": "resources.ARN", "notEndsWiths": [".gz"]}), put)
    prefix = f"arn:aws:s3:::{BUCKET_NAME}/AWSLogs/"
    assert not rule.selects(selectors({"field": "resources.ARN", "notStartsWiths": [prefix]}), put)
    # a field the event lacks matches no positive operator, every negative one
    assert not rule.selects(selectors({"field": "userIdentity.arn", "startsWiths": ["arn:"]}), put)
    assert rule.selects(selectors({"field": "userIdentity.arn", "notStartsWiths": ["arn:"]}), put)
    # management selectors never match data events
    assert not rule.selects(
        [{"fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]}], put
    )


def test_basic_selectors_read_as_advanced() -> None:
    basic = [
        {
            "readWriteType": "ReadOnly",
            "dataResources": [
                {"type": "AWS::S3::Object", "values": [f"arn:aws:s3:::{BUCKET_NAME}/"]}
            ],
        }
    ]
    advanced = rule.from_basic(basic)
    assert rule.selects(advanced, rule.event(LOG_FILE, read=True))
    assert not rule.selects(advanced, rule.event(LOG_FILE, read=False))


def test_partition_comes_from_the_selectors() -> None:
    assert rule.partitions(archive_selectors(partition="aws-cn")) == ("aws-cn",)
    assert {"aws", "aws-cn", "aws-us-gov"} <= set(rule.partitions(selectors()))


# --- the rule ---------------------------------------------------------------------------------


def test_program_selectors_pass_by_default_and_when_required() -> None:
    stack = trail_stack(advancedEventSelectors=archive_selectors())
    assert stack_findings(rule, stack) == []
    assert stack_findings(rule, stack, required=True) == []


def test_no_selectors_or_other_buckets_pass() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []
    other = selectors({"field": "resources.ARN", "startsWiths": ["arn:aws:s3:::another-bucket/"]})
    assert stack_findings(rule, trail_stack(advancedEventSelectors=other)) == []


@pytest.mark.parametrize(
    "fields",
    [
        (),  # every S3 object in the account
        ({"field": "resources.ARN", "startsWiths": [f"arn:aws:s3:::{BUCKET_NAME}/"]},),
        ({"field": "readOnly", "equals": ["false"]},),
        (
            {
                "field": "resources.ARN",
                "startsWiths": [f"arn:aws:s3:::{BUCKET_NAME}/AWSLogs/444455556666/"],
            },
        ),  # one account's folder: tested on that folder
        ({"field": "eventName", "notEquals": ["DeleteObject"]},),
    ],
    ids=["all-objects", "bucket-prefix", "all-writes", "account-folder", "not-delete"],
)
def test_selectors_recording_deliveries_are_caught(fields: tuple[dict[str, Any], ...]) -> None:
    found = stack_findings(rule, trail_stack(advancedEventSelectors=selectors(*fields)))
    assert decided(found) and "every delivery is logged" in found[0][0]


def test_basic_selector_recording_deliveries_is_caught() -> None:
    basic = [{"dataResources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}]
    assert decided(stack_findings(rule, trail_stack(eventSelectors=basic)))
    reads = [{**basic[0], "readWriteType": "ReadOnly"}]
    assert stack_findings(rule, trail_stack(eventSelectors=reads)) == []


def test_key_prefix_decides_which_objects_are_deliveries() -> None:
    outside = selectors(
        {"field": "resources.ARN", "startsWiths": [f"arn:aws:s3:::{BUCKET_NAME}/uploads/"]}
    )
    assert stack_findings(rule, trail_stack(advancedEventSelectors=outside)) == []
    under = selectors(
        {"field": "resources.ARN", "startsWiths": [f"arn:aws:s3:::{BUCKET_NAME}/org/AWSLogs/"]}
    )
    assert stack_findings(rule, trail_stack(advancedEventSelectors=under)) == []
    found = stack_findings(rule, trail_stack(advancedEventSelectors=under, s3KeyPrefix="org"))
    assert decided(found)


def test_required_reads_missing_is_caught() -> None:
    management = archive_selectors()[:1]
    found = stack_findings(rule, trail_stack(advancedEventSelectors=management), required=True)
    assert decided(found) and "does not record read data events" in found[0][0]
    assert stack_findings(rule, log_bucket_stack(), required=True)  # no selectors: no data events


def test_required_ignores_trails_delivering_outside_the_stack() -> None:
    stack = [
        replace(r, property_dependencies={}) if r.name == "trail" else r
        for r in trail_stack(s3BucketName="central-bucket-elsewhere")
    ]
    assert stack_findings(rule, stack, required=True) == []


def test_unknown_selectors_are_undecided() -> None:
    assert undecided(stack_findings(rule, trail_stack(advancedEventSelectors=UNKNOWN)))
    partial = selectors({"field": "resources.ARN", "startsWiths": [UNKNOWN]})
    assert undecided(stack_findings(rule, trail_stack(advancedEventSelectors=partial)))


def test_unknown_bucket_name_resolves_through_its_dependency() -> None:
    stack = trail_stack(advancedEventSelectors=archive_selectors(), s3BucketName=UNKNOWN)
    assert stack_findings(rule, stack, required=True) == []
    bad = trail_stack(advancedEventSelectors=selectors(), s3BucketName=UNKNOWN)
    assert decided(stack_findings(rule, bad))


def test_unknown_prefix_is_undecided_only_when_writes_may_hit_it() -> None:
    stack = trail_stack(advancedEventSelectors=archive_selectors(), s3KeyPrefix=UNKNOWN)
    assert stack_findings(rule, stack) == []
    bad = trail_stack(advancedEventSelectors=selectors(), s3KeyPrefix=UNKNOWN)
    assert undecided(stack_findings(rule, bad))
    assert undecided(stack_findings(rule, stack, required=True))
