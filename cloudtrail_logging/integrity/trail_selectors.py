"""What a trail records besides management events: data events on the archive itself (who read
or deleted a log object), on an existing archive next to an existing organization trail, and
CloudTrail Insights, as pulumi-aws Trail inputs. Network activity events: `network_activity`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cloudtrail_logging.aws.arns import bucket_arn


def management_selector() -> dict[str, Any]:
    """Every read and write management event: advanced selectors replace basic ones on a trail,
    so management events need their own selector next to any other (CloudTrail API Reference,
    PutEventSelectors)."""
    return {
        "name": "Management events",
        "field_selectors": [{"field": "eventCategory", "equals": ["Management"]}],
    }


def archive_event_selectors(*, partition: str, bucket: str) -> list[dict[str, Any]]:
    """Advanced event selectors (pulumi-aws `advanced_event_selectors` shape) for the trail of the
    account that owns the archive: all management events, and who reads or changes log objects
    (`archive_data_selectors`)."""
    return [management_selector(), *archive_data_selectors(partition=partition, bucket=bucket)]


def _s3_object_events(read_only: bool, *buckets: str, partition: str) -> list[dict[str, Any]]:
    """Field selectors: S3 object data events, reads or writes, on the objects of `buckets`."""
    return [
        {"field": "eventCategory", "equals": ["Data"]},
        {"field": "resources.type", "equals": ["AWS::S3::Object"]},
        {"field": "readOnly", "equals": ["true" if read_only else "false"]},
        {"field": "resources.ARN",
         "starts_withs": [f"{bucket_arn(partition, b)}/" for b in buckets]},
    ]  # fmt: skip


def archive_data_selectors(*, partition: str, bucket: str) -> list[dict[str, Any]]:
    """Who reads or changes the objects of `bucket`, the bucket this trail delivers to.

    - The trail's own deliveries are PutObject calls; "Using the same Amazon S3 bucket causes
      your trail ... to log a data event each time log files are delivered" (CloudTrail User
      Guide, "Logging data events", note under "Examples of logging data events for Amazon S3
      objects"). Writes are therefore selected with eventName NotEquals PutObject; the bucket
      policy already denies every PutObject that is not a trail delivery.
    - Fields are those a trail supports for data events: eventCategory, resources.type,
      readOnly, eventName, resources.ARN (CloudTrail API Reference, AdvancedFieldSelector);
      userIdentity.arn is for event data stores only.
    - resources.ARN StartsWith `arn:...:s3:::bucket/` is the documented way to capture every
      event of one bucket; it also covers DeleteObjects, which CloudTrail logs only for a
      bucket with an empty prefix (S3 User Guide, "Amazon S3 object-level actions tracked by
      CloudTrail logging").
    - The bucket owner's trail records these events whichever account calls (same guide).

    Cost: data events are $0.10 per 100,000 (AWS CloudTrail pricing). With deliveries excluded
    the cost follows only reads and changes of the archive: a SIEM fetching each log file once
    adds about one GetObject (and often one HeadObject) per file.
    """
    writes = _s3_object_events(False, bucket, partition=partition)
    return [
        {
            "name": "Reads of archived logs",
            "field_selectors": _s3_object_events(True, bucket, partition=partition),
        },
        {
            "name": "Changes to archived logs other than deliveries",
            "field_selectors": [*writes[:3], {"field": "eventName", "not_equals": ["PutObject"]},
                                writes[3]],
        },
    ]  # fmt: skip


def existing_archive_selectors(
    *, partition: str, existing_bucket: str, own_bucket: str
) -> list[dict[str, Any]]:
    """The selectors of a trail of data events only, next to an existing organization trail that
    records the account's management events (`landing_zone`): who reads, writes or deletes the
    objects of the existing archive bucket, and who reads or changes this trail's own bucket.

    No management selector: the existing trail records them, and a second copy is billed. Every
    write to the existing bucket is recorded, its deliveries included: they come from the
    organization trail (and AWS Config), not from this trail, so nothing feeds itself; an
    overwrite by anyone else is a PutObject too. This trail's own deliveries are left out as in
    `archive_data_selectors`.
    """
    own = archive_data_selectors(partition=partition, bucket=own_bucket)
    return [
        {
            "name": "Reads of archived logs",
            "field_selectors": _s3_object_events(True, existing_bucket, own_bucket,
                                                 partition=partition),
        },
        {
            "name": "Writes and deletions in the existing archive",
            "field_selectors": _s3_object_events(False, existing_bucket, partition=partition),
        },
        own[1],
    ]  # fmt: skip


def selects(selectors: Sequence[Mapping[str, Any]], event: Mapping[str, str]) -> bool:
    """Whether advanced event selectors record `event` (field name -> value).

    Selectors are ORed; a selector's field selectors are ANDed. Within a field selector, the
    positive operators match when any value matches, the negative ones when none does, and a
    field absent from the event matches no positive operator (AdvancedFieldSelector).
    """
    return any(_selector_matches(s, event) for s in selectors)


_OPERATORS: dict[str, Callable[[str, str], bool]] = {
    "equals": lambda value, pattern: value == pattern,
    "starts_withs": lambda value, pattern: value.startswith(pattern),
    "ends_withs": lambda value, pattern: value.endswith(pattern),
}


def _selector_matches(selector: Mapping[str, Any], event: Mapping[str, str]) -> bool:
    for field_selector in selector["field_selectors"]:
        value = event.get(field_selector["field"])
        for operator, test in _OPERATORS.items():
            if operator in field_selector and (
                value is None or not any(test(value, p) for p in field_selector[operator])
            ):
                return False
            negated = f"not_{operator}"
            if (
                negated in field_selector
                and value is not None
                and any(test(value, p) for p in field_selector[negated])
            ):
                return False
    return True


def insight_selectors(enabled: bool) -> list[dict[str, str]]:
    """`insight_selectors` of `aws.cloudtrail.Trail` (pulumi-aws v7 shape).

    API call rate needs write management events, API error rate read or write ones (CloudTrail
    User Guide, "Working with CloudTrail Insights"); the management selector above records both.
    Charged per event analyzed, write events twice when both types are on ("Costs for Insights
    events"), so it is off unless asked for.

    Insights on data events needs `EventCategories` ["Data"] in each selector (CloudTrail API
    Reference, InsightSelector: without it "the specified Insights types are enabled on
    management API calls"); pulumi-aws 7.51.1's `TrailInsightSelector` takes `insight_type`
    only, so these selectors analyze management events only, on every trail
    (tests/test_landing_zone.py fails once the provider gains the field).
    """
    if not enabled:
        return []
    return [{"insight_type": "ApiCallRateInsight"}, {"insight_type": "ApiErrorRateInsight"}]
