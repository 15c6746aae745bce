"""What the archive's trail records besides management events: data events on the archive
itself (who read or deleted a log object) and CloudTrail Insights, as pulumi-aws Trail inputs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cloudtrail_logging.aws.arns import bucket_arn


def archive_event_selectors(*, partition: str, bucket: str) -> list[dict[str, Any]]:
    """Advanced event selectors (pulumi-aws `advanced_event_selectors` shape) for the trail of the
    account that owns the archive: all management events, and who reads or changes log objects.

    - Advanced selectors replace basic ones on a trail, so management events need their own
      selector (CloudTrail API Reference, PutEventSelectors).
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
    objects = f"{bucket_arn(partition, bucket)}/"
    data_on_archive: list[dict[str, Any]] = [
        {"field": "eventCategory", "equals": ["Data"]},
        {"field": "resources.type", "equals": ["AWS::S3::Object"]},
    ]
    return [
        {
            "name": "Management events",
            "field_selectors": [{"field": "eventCategory", "equals": ["Management"]}],
        },
        {
            "name": "Reads of archived logs",
            "field_selectors": [
                *data_on_archive,
                {"field": "readOnly", "equals": ["true"]},
                {"field": "resources.ARN", "starts_withs": [objects]},
            ],
        },
        {
            "name": "Changes to archived logs other than deliveries",
            "field_selectors": [
                *data_on_archive,
                {"field": "readOnly", "equals": ["false"]},
                {"field": "eventName", "not_equals": ["PutObject"]},
                {"field": "resources.ARN", "starts_withs": [objects]},
            ],
        },
    ]


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
    """
    if not enabled:
        return []
    return [{"insight_type": "ApiCallRateInsight"}, {"insight_type": "ApiErrorRateInsight"}]
