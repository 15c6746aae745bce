"""ctl-ct-008: no trail records its own log deliveries (PutObject) as data events; with
`required`, a trail delivering to this stack's bucket records reads of its log files. Also the
advanced-selector evaluator the rule rests on."""

import re
from dataclasses import replace
from typing import Any

import pytest
from archive_cases import log_bucket_stack
from guardrails.rules import ctl_ct_008_trail_archive_data_events as rule
from guardrails.support import PARTITIONS, Res
from literals import BUCKET_NAME, UNKNOWN, archive_selectors
from rule_cases import named, stack_findings, with_props

DATA = {"field": "eventCategory", "equals": ["Data"]}
OBJECTS = {"field": "resources.type", "equals": ["AWS::S3::Object"]}
ROOT = f"arn:aws:s3:::{BUCKET_NAME}/AWSLogs/"
LOG_FILE = f"{ROOT}111122223333/CloudTrail/eu-west-1/2025/01/01/x.json.gz"
OTHER_ACCOUNT = f"{ROOT}444455556666/"  # another account's folder of the archive


def trail_stack(**props: Any) -> list[Res]:
    return with_props(log_bucket_stack(), "trail", **props)


def outside_stack(**props: Any) -> list[Res]:
    """trail_stack whose trail's bucket comes from no resource of this stack."""
    return [
        replace(r, property_dependencies={}) if r.name == "trail" else r
        for r in trail_stack(**props)
    ]


TRAIL = named(log_bucket_stack(), "trail")
LOGS = named(log_bucket_stack(), "logs")


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
    assert not rule.selects(selectors({"field": "resources.ARN", "endsWiths": [".x"]}), put)
    assert not rule.selects(selectors({"field": "resources.ARN", "notEndsWiths": [".gz"]}), put)
    prefix = f"arn:aws:s3:::{BUCKET_NAME}/AWSLogs/"
    assert not rule.selects(selectors({"field": "resources.ARN", "notStartsWiths": [prefix]}), put)
    # a field the event lacks matches no positive operator, every negative one
    assert not rule.selects(selectors({"field": "userIdentity.arn", "startsWiths": ["arn:"]}), put)
    assert rule.selects(selectors({"field": "userIdentity.arn", "notStartsWiths": ["arn:"]}), put)
    # a selector without field selectors matches every event
    assert rule.selects([{"name": "no field selectors"}], put)
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


def test_basic_selectors_keep_to_the_s3_objects_they_name() -> None:
    basic = [
        {"dataResources": [{"type": "AWS::S3::Object", "values": [f"arn:aws:s3:::{BUCKET_NAME}/"]}]}
    ]
    advanced = rule.from_basic(basic)
    put = rule.event(LOG_FILE, read=False)
    assert rule.selects(advanced, put)
    assert not rule.selects(advanced, {**put, "eventCategory": "Management"})
    assert not rule.selects(advanced, {**put, "resources.type": "AWS::Lambda::Function"})
    assert not rule.selects(advanced, rule.event("arn:aws:s3:::another-bucket/x", read=False))


def test_partition_comes_from_the_selectors_arns() -> None:
    assert rule.partitions(archive_selectors(partition="aws-cn")) == ("aws-cn",)
    assert set(rule.partitions(selectors())) == set(PARTITIONS)
    excluded = selectors({"field": "resources.ARN", "notStartsWiths": ["arn:aws-cn:s3:::x/"]})
    assert rule.partitions(excluded) == ("aws-cn",)
    # the ARN of who acted names no partition of the objects
    caller = selectors({"field": "userIdentity.arn", "equals": ["arn:aws-cn:iam::1:root"]})
    assert set(rule.partitions(caller)) == set(PARTITIONS)


def test_sample_deliveries_follow_cloudtrails_object_keys() -> None:
    """A log file, a digest file and an organization trail's log file, keyed as CloudTrail keys
    them: [o-<org id>/]<account>/CloudTrail[-Digest]/<region>/<yyyy/mm/dd>/<account>_..."""
    key = re.compile(
        r"(o-[a-z0-9]{10,32}/)?(\d{12})/CloudTrail(-Digest|)/([a-z]{2}-[a-z]+-\d)/\d{4}/\d\d/\d\d/"
        r"\2_CloudTrail\3_\4_.+\.json\.gz"
    )
    found = [key.fullmatch(k) for k in rule.SAMPLE_KEYS]
    assert all(found)
    kinds = {(bool(m.group(1)), bool(m.group(3))) for m in found if m}
    assert kinds == {(False, False), (False, True), (True, False)}


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
        ({"field": "eventSource", "equals": ["s3.amazonaws.com"]},),
        (
            {
                "field": "resources.ARN",
                "startsWiths": [f"arn:aws:s3:::{BUCKET_NAME}/", "arn:aws-cn:s3:::another-bucket/"],
            },
        ),  # each partition's deliveries are tested
        ({"field": "resources.ARN", "notStartsWiths": [OTHER_ACCOUNT]},),
        ({"field": "resources.ARN", "startsWiths": [OTHER_ACCOUNT], "endsWiths": [".json.gz"]},),
    ],
    ids=[
        "all-objects",
        "bucket-prefix",
        "all-writes",
        "account-folder",
        "not-delete",
        "s3-source",
        "two-partitions",
        "all-but-one-account",
        "one-accounts-log-files",
    ],
)
def test_selectors_recording_deliveries_are_caught(fields: tuple[dict[str, Any], ...]) -> None:
    found = stack_findings(rule, trail_stack(advancedEventSelectors=selectors(*fields)))
    assert found.decided_on(TRAIL, ROOT) and "every delivery is logged" in found[0][0]


def test_finding_names_the_delivery_recorded() -> None:
    one = f"{OTHER_ACCOUNT}CloudTrail/us-east-1/2025/01/01/one.json.gz"
    found = stack_findings(
        rule,
        trail_stack(advancedEventSelectors=selectors({"field": "resources.ARN", "equals": [one]})),
    )
    assert len(found) == 1 and found.decided_on(TRAIL, one)


def test_basic_selector_recording_deliveries_is_caught() -> None:
    basic = [{"dataResources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}]
    assert stack_findings(rule, trail_stack(eventSelectors=basic)).decided
    reads = [{**basic[0], "readWriteType": "ReadOnly"}]
    assert stack_findings(rule, trail_stack(eventSelectors=reads)) == []


@pytest.mark.parametrize(
    "prefix, root", [("org", "org/"), ("/org/", "org/"), ("X", "X/"), ("/", "")]
)
def test_key_prefix_is_read_without_its_slashes(prefix: str, root: str) -> None:
    under = selectors(
        {"field": "resources.ARN", "startsWiths": [f"arn:aws:s3:::{BUCKET_NAME}/{root}AWSLogs/"]}
    )
    stack = trail_stack(advancedEventSelectors=under, s3KeyPrefix=prefix)
    assert stack_findings(rule, stack).decided_on(TRAIL)


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
    assert found.decided


def test_required_reads_missing_is_caught() -> None:
    management = archive_selectors()[:1]
    found = stack_findings(rule, trail_stack(advancedEventSelectors=management), required=True)
    assert found.decided_on(TRAIL, LOGS.label) and "does not record read data" in found[0][0]
    assert stack_findings(rule, log_bucket_stack(), required=True)  # no selectors: no data events


def test_required_finding_names_the_read_not_recorded() -> None:
    one = f"{OTHER_ACCOUNT}CloudTrail/us-east-1/2025/01/01/one.json.gz"
    reads = selectors(
        {"field": "readOnly", "equals": ["true"]},
        {
            "field": "resources.ARN",
            "startsWiths": [f"arn:aws:s3:::{BUCKET_NAME}/"],
            "notEquals": [one],
        },
    )
    found = stack_findings(rule, trail_stack(advancedEventSelectors=reads), required=True)
    assert len(found) == 1 and found.decided_on(TRAIL, LOGS.label, one)


def test_required_reads_recorded_by_event_name_pass() -> None:
    reads = selectors({"field": "eventName", "equals": ["GetObject"]})
    assert stack_findings(rule, trail_stack(advancedEventSelectors=reads), required=True) == []


@pytest.mark.parametrize(
    "kind, writes, reads",
    [("WriteOnly", True, False), ("ReadOnly", False, True), ("All", True, True)],
)
def test_basic_read_write_type_decides_what_is_recorded(
    kind: str, writes: bool, reads: bool
) -> None:
    basic = [
        {
            "readWriteType": kind,
            "dataResources": [
                {"type": "AWS::Lambda::Function", "values": ["arn:aws:lambda"]},  # not S3
                {"type": "AWS::S3::Object", "values": []},  # names nothing
                {"type": "AWS::S3::Object", "values": [f"arn:aws:s3:::{BUCKET_NAME}/"]},
            ],
        }
    ]
    # the provider reads back no advanced selectors as an empty list
    stack = trail_stack(advancedEventSelectors=[], eventSelectors=basic)
    found = stack_findings(rule, stack, required=True)
    missed = [m for m, _ in found if LOGS.label in m]  # reads not recorded on the log bucket
    assert len(found) == writes + (not reads) and bool(missed) is not reads
    assert all(u == TRAIL.urn for _, u in found)


def test_required_ignores_trails_delivering_outside_the_stack() -> None:
    stack = outside_stack(s3BucketName="central-bucket-elsewhere")
    assert stack_findings(rule, stack, required=True) == []


def test_trail_delivering_outside_the_stack_is_judged_on_its_bucket() -> None:
    elsewhere = "arn:aws:s3:::central-bucket-elsewhere/AWSLogs/"
    stack = outside_stack(
        s3BucketName="central-bucket-elsewhere", advancedEventSelectors=selectors()
    )
    assert stack_findings(rule, stack, required=True).decided_on(TRAIL, elsewhere)


@pytest.mark.parametrize(
    "props, prop",
    [
        ({"advancedEventSelectors": UNKNOWN}, "advancedEventSelectors"),
        (
            {
                "advancedEventSelectors": selectors(
                    {"field": "resources.ARN", "startsWiths": [UNKNOWN]}
                )
            },
            "advancedEventSelectors[0].fieldSelectors[2].startsWiths[0]",
        ),
        ({"eventSelectors": UNKNOWN}, "eventSelectors"),
    ],
    ids=["advanced", "one-value", "basic"],
)
def test_unknown_selectors_are_undecided(props: dict[str, Any], prop: str) -> None:
    assert stack_findings(rule, trail_stack(**props)).undecided_on(TRAIL, prop)


def test_unknown_bucket_name_resolves_through_its_dependency() -> None:
    stack = trail_stack(advancedEventSelectors=archive_selectors(), s3BucketName=UNKNOWN)
    assert stack_findings(rule, stack, required=True) == []
    bad = trail_stack(advancedEventSelectors=selectors(), s3BucketName=UNKNOWN)
    assert stack_findings(rule, bad).decided


def test_unknown_prefix_is_undecided_only_when_writes_may_hit_it() -> None:
    stack = trail_stack(advancedEventSelectors=archive_selectors(), s3KeyPrefix=UNKNOWN)
    assert stack_findings(rule, stack) == []
    log_files = selectors(
        {
            "field": "resources.ARN",
            "startsWiths": [f"arn:aws:s3:::{BUCKET_NAME}/"],
            "endsWiths": [".json.gz"],
        }
    )
    bad = trail_stack(advancedEventSelectors=log_files, s3KeyPrefix=UNKNOWN)
    assert stack_findings(rule, bad).undecided_on(TRAIL, "s3KeyPrefix")
    assert stack_findings(rule, stack, required=True).undecided_on(TRAIL, "s3KeyPrefix")


@pytest.mark.parametrize("linked", [False, True], ids=["no-dependency", "unnamed-bucket"])
def test_unknown_bucket_name_is_undecided(linked: bool) -> None:
    """s3BucketName unknown, and no dependency, or one on a bucket whose name is unknown too."""
    stack = trail_stack(s3BucketName=UNKNOWN, advancedEventSelectors=selectors())
    stack = (
        with_props(stack, "logs", bucket=UNKNOWN)
        if linked
        else outside_stack(s3BucketName=UNKNOWN, advancedEventSelectors=selectors())
    )
    assert stack_findings(rule, stack).undecided_on(TRAIL, "s3BucketName")
    reads = with_props(stack, "trail", advancedEventSelectors=archive_selectors())
    assert stack_findings(rule, reads, required=True).undecided_on(TRAIL, "s3BucketName")
