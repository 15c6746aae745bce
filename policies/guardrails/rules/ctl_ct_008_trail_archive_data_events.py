"""ctl-ct-008: a trail does not record its own log deliveries as data events; optionally, it records
who reads its log archive.

CloudTrail User Guide, "Logging data events"
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html),
note under the Amazon S3 examples: using the same bucket for a trail's log files and for its S3
data events makes the trail log a data event each time log files are delivered. A trail
whose selectors record write (PutObject) data events on the objects of its own delivery bucket,
under `[s3KeyPrefix/]AWSLogs/`, is therefore a violation: each delivery is logged and delivered
again, which feeds itself and is billed per event.

The selectors are evaluated, not pattern-matched (CloudTrail API Reference, "AdvancedEventSelector"
and "AdvancedFieldSelector",
https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html):
an event is recorded when any selector matches it; a selector matches when all its field
selectors do; within a field selector, `equals` / `startsWiths` / `endsWiths` match when any of
their values does and `notEquals` / `notStartsWiths` / `notEndsWiths` when none does; a field
the event does not have matches no positive operator. Basic `eventSelectors` are read as the
advanced selectors they stand for (data resources of type AWS::S3::Object: ARN prefixes, with
`readWriteType` as `readOnly`; CloudTrail User Guide, "Logging data events", basic selectors).

The deliveries tested are events {eventCategory Data, eventSource s3.amazonaws.com,
resources.type AWS::S3::Object, readOnly "false", eventName PutObject, resources.ARN
arn:<partition>:s3:::<bucket>/<prefix>AWSLogs/...}: a log file, a digest file and an
organization trail's log file of a sample account, plus every ARN the selectors themselves name
under that root (so a selector naming one account's folder is tested on that folder). The
partition is the one the selectors' ARNs use, any of the pack's partitions when they use none.
Fields the event does not carry (userIdentity.arn, ...) are absent.

With `required`, a trail that delivers to a bucket of this stack must also record read data
events (readOnly "true", GetObject) on every such log object: who read the evidence (CIS AWS
Foundations 3.9 asks for object-level read events; this asks for them on the archive).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import Severity

from guardrails.declare import Compliance, required_option, stack_policy
from guardrails.stack import StackView
from guardrails.support import (
    PARTITIONS,
    TRAIL_TYPE,
    Res,
    is_unknown,
    lookup,
    undecided,
    unknown_property,
)

S3_OBJECT = "AWS::S3::Object"
ARN_FIELD = "resources.ARN"
# Positive operators and their negations (AdvancedFieldSelector).
_OPERATORS = {
    "equals": ("notEquals", lambda value, pattern: value == pattern),
    "startsWiths": ("notStartsWiths", lambda value, pattern: value.startswith(pattern)),
    "endsWiths": ("notEndsWiths", lambda value, pattern: value.endswith(pattern)),
}
_PARTITION = re.compile(r"^arn:([^:*?]+):")

SAMPLE_ACCOUNT = "111122223333"
SAMPLE_ORG = "o-exampleorgid"
# Object keys CloudTrail writes under AWSLogs/ (CloudTrail User Guide, "Finding your CloudTrail
# log files" and "CloudTrail digest file structure").
SAMPLE_KEYS = (
    f"{SAMPLE_ACCOUNT}/CloudTrail/us-east-1/2025/01/01/"
    f"{SAMPLE_ACCOUNT}_CloudTrail_us-east-1_20250101T0000Z_Ab12Cd34Ef56Gh78.json.gz",
    f"{SAMPLE_ACCOUNT}/CloudTrail-Digest/us-east-1/2025/01/01/"
    f"{SAMPLE_ACCOUNT}_CloudTrail-Digest_us-east-1_trail_us-east-1_20250101T000000Z.json.gz",
    f"{SAMPLE_ORG}/{SAMPLE_ACCOUNT}/CloudTrail/us-east-1/2025/01/01/"
    f"{SAMPLE_ACCOUNT}_CloudTrail_us-east-1_20250101T0000Z_Ab12Cd34Ef56Gh78.json.gz",
)
# Stand-ins for a bucket name or key prefix unknown at preview.
_UNKNOWN_BUCKET = "bucket-unknown-at-preview"
_UNKNOWN_PREFIX = "prefix-unknown-at-preview/"


# --- the evaluator ------------------------------------------------------------------------------


def _values(field_selector: Mapping[str, Any], op: str) -> list[str]:
    value = field_selector.get(op)
    return [str(v) for v in value] if isinstance(value, list) else []


def field_matches(field_selector: Mapping[str, Any], event: Mapping[str, str]) -> bool:
    """Whether one advanced field selector matches the event (field name -> value)."""
    value = event.get(str(field_selector.get("field")))
    for positive, (negative, test) in _OPERATORS.items():
        wanted = _values(field_selector, positive)
        if wanted and (value is None or not any(test(value, w) for w in wanted)):
            return False
        refused = _values(field_selector, negative)
        if refused and value is not None and any(test(value, r) for r in refused):
            return False
    return True


def selector_matches(selector: Mapping[str, Any], event: Mapping[str, str]) -> bool:
    """An advanced selector matches when every one of its field selectors does."""
    fields = selector.get("fieldSelectors")
    return all(
        field_matches(f, event)
        for f in (fields if isinstance(fields, list) else [])
        if isinstance(f, Mapping)
    )


def selects(selectors: Iterable[Mapping[str, Any]], event: Mapping[str, str]) -> bool:
    """Whether advanced event selectors record the event: any selector matching is enough."""
    return any(selector_matches(s, event) for s in selectors)


def from_basic(selectors: Iterable[Any]) -> list[dict[str, Any]]:
    """The advanced selectors equivalent to basic selectors' S3 object data resources."""
    read_only = {"ReadOnly": ["true"], "WriteOnly": ["false"]}
    out: list[dict[str, Any]] = []
    for selector in selectors:
        kind = lookup(selector, "readWriteType")
        for data in lookup(selector, "dataResources") or []:
            if lookup(data, "type") != S3_OBJECT:
                continue
            values = [str(v) for v in lookup(data, "values") or []]
            if not values:
                continue
            fields: list[dict[str, Any]] = [
                {"field": "eventCategory", "equals": ["Data"]},
                {"field": "resources.type", "equals": [S3_OBJECT]},
                {"field": ARN_FIELD, "startsWiths": values},  # basic values are ARN prefixes
            ]
            if kind in read_only:
                fields.append({"field": "readOnly", "equals": read_only[kind]})
            out.append({"fieldSelectors": fields})
    return out


def selectors_of(trail: Res) -> list[dict[str, Any]] | str:
    """The trail's selectors in advanced form, or the path of an unknown value in them."""
    unknown = unknown_property(trail, "advancedEventSelectors", "eventSelectors")
    if unknown is not None:
        return unknown
    advanced = lookup(trail.props, "advancedEventSelectors")
    if isinstance(advanced, list) and advanced:
        return [s for s in advanced if isinstance(s, dict)]
    basic = lookup(trail.props, "eventSelectors")
    return from_basic(basic) if isinstance(basic, list) else []


def _named_arns(selectors: list[dict[str, Any]]) -> list[str]:
    """ARN values the selectors name in resources.ARN (any operator)."""
    found = []
    for selector in selectors:
        for field in selector.get("fieldSelectors") or []:
            if isinstance(field, Mapping) and field.get("field") == ARN_FIELD:
                for positive, (negative, _test) in _OPERATORS.items():
                    found += _values(field, positive) + _values(field, negative)
    return found


def partitions(selectors: list[dict[str, Any]]) -> tuple[str, ...]:
    """The partitions the selectors' ARNs name; every partition when they name none."""
    named = {m.group(1) for v in _named_arns(selectors) if (m := _PARTITION.match(v))}
    return tuple(sorted(named)) or PARTITIONS


def delivery_arns(selectors: list[dict[str, Any]], bucket: str, key_root: str) -> list[str]:
    """Object ARNs of log files CloudTrail delivers to `bucket` under `key_root`AWSLogs/."""
    named = _named_arns(selectors)
    arns = []
    for partition in partitions(selectors):
        root = f"arn:{partition}:s3:::{bucket}/{key_root}AWSLogs/"
        arns += [root + key for key in SAMPLE_KEYS]
        for value in named:
            if value.startswith(root):
                arns += [value, value + "sample.json.gz"]
    return arns


def event(arn: str, *, read: bool) -> dict[str, str]:
    """An S3 object data event on `arn`: GetObject (read) or PutObject (a delivery)."""
    return {
        "eventCategory": "Data",
        "eventSource": "s3.amazonaws.com",
        "resources.type": S3_OBJECT,
        "readOnly": "true" if read else "false",
        "eventName": "GetObject" if read else "PutObject",
        ARN_FIELD: arn,
    }


# --- the rule -----------------------------------------------------------------------------------


def _delivery(view: StackView, trail: Res) -> tuple[list[str] | None, str | None, list[Res] | None]:
    """(bucket names, key root, in-stack buckets): None where unknown at preview."""
    name = lookup(trail.props, "s3BucketName")
    linked = view.targets(trail, "s3BucketName")
    names: list[str] | None
    if isinstance(name, str) and not is_unknown(name):
        names = [name]
    else:
        found = [view.bucket_name(b) for b in linked or ()]
        ok = bool(found) and all(isinstance(n, str) and not is_unknown(n) for n in found)
        names = [str(n) for n in found] if ok else None
    prefix = lookup(trail.props, "s3KeyPrefix")
    key_root: str | None
    if is_unknown(prefix):
        key_root = None
    else:
        key_root = f"{prefix.strip('/')}/" if isinstance(prefix, str) and prefix.strip("/") else ""
    return names, key_root, linked


def _check_trail(view: StackView, trail: Res, required: bool, report: Any) -> None:
    selectors = selectors_of(trail)
    if isinstance(selectors, str):
        report(
            undecided(trail.label, selectors, "which data events it records depends on it"),
            trail.urn,
        )
        return
    names, key_root, linked = _delivery(view, trail)
    if names is None or key_root is None:
        what = "s3BucketName" if names is None else "s3KeyPrefix"
        # Stand-ins for the unknown name or prefix, and every ARN the selectors name: a hit may
        # be on its own bucket.
        stand_ins = delivery_arns(selectors, _UNKNOWN_BUCKET, _UNKNOWN_PREFIX)
        stand_ins += [a for v in _named_arns(selectors) for a in (v, v + "AWSLogs/x.json.gz")]
        if any(selects(selectors, event(a, read=False)) for a in stand_ins):
            report(
                undecided(
                    trail.label,
                    what,
                    "its selectors record S3 PutObject data events, which may include its own "
                    "log deliveries",
                ),
                trail.urn,
            )
        if required and linked != []:  # it may deliver to a bucket of this stack
            report(
                undecided(
                    trail.label,
                    what,
                    "whether it records reads of the log objects it delivers to this stack's "
                    "bucket depends on it",
                ),
                trail.urn,
            )
        return
    for name in names:
        arns = delivery_arns(selectors, name, key_root)
        # CloudTrail User Guide, "Logging data events": a trail logging data events on its own
        # bucket logs a data event for each log file delivery.
        hits = [a for a in arns if selects(selectors, event(a, read=False))]
        if hits:
            report(
                f"{trail.label}: its data-event selectors record PutObject on the log files it "
                f"delivers to its own bucket ({hits[0]}), so every delivery is logged as a data "
                "event ('Logging data events'). Exclude the deliveries, e.g. eventName "
                "notEquals PutObject or resources.ARN notStartsWith the AWSLogs/ root.",
                trail.urn,
            )
        # CloudTrail User Guide, "Logging data events": S3 object reads (GetObject) are data events,
        # recorded only when a selector covers them (readOnly true on the bucket's objects).
        if required and linked:
            missed = [a for a in arns if not selects(selectors, event(a, read=True))]
            if missed:
                report(
                    f"{trail.label}: it delivers to {linked[0].label} of this stack but does not "
                    f"record read data events (GetObject) on its log objects ({missed[0]}); add "
                    "a selector: eventCategory Data, resources.type AWS::S3::Object, readOnly "
                    f"true, resources.ARN startsWith arn:<partition>:s3:::{name}/.",
                    trail.urn,
                )


def check(resources: list[Res], cfg: dict[str, Any], report: Any) -> None:
    view = StackView(resources)
    for trail in view.of_type(TRAIL_TYPE):
        _check_trail(view, trail, bool(cfg["required"]), report)


POLICY = stack_policy(
    name="ctl-ct-008-trail-archive-data-events",
    description=(
        "No trail's data-event selectors record PutObject on the log files it delivers to its own "
        "bucket; optionally, a trail delivering to a bucket of this stack records reads "
        "(GetObject) of its log files."
    ),
    check=check,
    severity=Severity.MEDIUM,
    config={
        "required": required_option(
            "Require a trail delivering to a bucket of this stack to record read data events "
            "(GetObject) on that bucket's log objects."
        ),
    },
    remediation=(
        "Select data events on the log bucket with resources.ARN startsWith "
        "arn:<partition>:s3:::<bucket>/ and, for writes, eventName notEquals PutObject; add a "
        "readOnly true selector for reads."
    ),
    compliance=Compliance(
        reference=(
            "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/"
            "logging-data-events-with-cloudtrail.html"
        )
    ),
)
