"""ctl-ct-007: a trail's event selectors keep every read and write management event.

The mission is to record every API call. CloudTrail's rules (CloudTrail API Reference,
"EventSelector" and "AdvancedEventSelector"; User Guide, "Logging management events"):

* A trail without selectors logs all read and write management events.
* An event is logged when it matches any selector. A basic selector includes management events
  unless `includeManagementEvents` is false, logs `readWriteType` (default `All`) and drops
  the sources in `excludeManagementEventSources`.
* An advanced selector matches when all its field selectors match; management events are the
  ones whose `eventCategory` is `Management`, filtered further by `readOnly` and `eventSource`.
  Selectors for data events do not change which management events are logged, so they may sit
  alongside.

The trail must log read and write management events from every source. A source may be left
out only when listed in `allowExcludedEventSources`; IAM, AWS KMS and STS never may (what those
services do is exactly what the log exists to show). Each failure names what is dropped.

An organization that already has an organization trail (AWS Control Tower's, say) records every
account's management events there, and a second copy is billed (AWS CloudTrail pricing); a trail
of data or network activity events only is then the right shape.
`allowTrailsWithoutManagementEvents` (`policies/config/existing-organization-trail.json`) admits
a trail that logs no management event at all; one that logs some and drops others is refused
either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pulumi_policy import Severity

from guardrails.declare import Compliance, boolean_option, resource_policy
from guardrails.support import MISSING, TRAIL_TYPE, Res, lookup, undecided, unknown_property

NEVER_EXCLUDED = frozenset({"iam.amazonaws.com", "kms.amazonaws.com", "sts.amazonaws.com"})
_OPERATORS = ("equals", "notEquals", "startsWiths", "notStartsWiths", "endsWiths", "notEndsWiths")


@dataclass(frozen=True)
class Sources:
    """A set of event sources: every source but `names` (`all_but`) or only `names`."""

    all_but: bool
    names: frozenset[str]

    def union(self, other: Sources) -> Sources:
        if self.all_but and other.all_but:
            return Sources(True, self.names & other.names)
        if self.all_but:
            return Sources(True, self.names - other.names)
        if other.all_but:
            return Sources(True, other.names - self.names)
        return Sources(False, self.names | other.names)

    def intersect(self, other: Sources) -> Sources:
        if self.all_but and other.all_but:
            return Sources(True, self.names | other.names)
        if self.all_but:
            return Sources(False, other.names - self.names)
        if other.all_but:
            return Sources(False, self.names - other.names)
        return Sources(False, self.names & other.names)

    def describe(self) -> str:
        if self.all_but:
            return ", ".join(sorted(self.names))
        kept = ", ".join(sorted(self.names)) or "none"
        return f"every source except {kept}"


ALL = Sources(True, frozenset())
NONE = Sources(False, frozenset())


def _values(selector: Any, op: str) -> list[str]:
    value = lookup(selector, op)
    return [str(v) for v in value] if isinstance(value, list) else []


def _field_passes(selector: Any, value: str) -> bool:
    """Whether `value` satisfies every operator of one advanced field selector."""
    tests = {
        "equals": lambda vs: value in vs,
        "notEquals": lambda vs: value not in vs,
        "startsWiths": lambda vs: any(value.startswith(v) for v in vs),
        "notStartsWiths": lambda vs: not any(value.startswith(v) for v in vs),
        "endsWiths": lambda vs: any(value.endswith(v) for v in vs),
        "notEndsWiths": lambda vs: not any(value.endswith(v) for v in vs),
    }
    return all(test(_values(selector, op)) for op, test in tests.items() if _values(selector, op))


def _source_filter(selector: Any) -> Sources:
    """The sources an `eventSource` field selector keeps (prefix/suffix tests: none for sure)."""
    kept = ALL
    for op in _OPERATORS:
        values = frozenset(_values(selector, op))
        if not values:
            continue
        if op == "equals":
            kept = kept.intersect(Sources(False, values))
        elif op == "notEquals":
            kept = kept.intersect(Sources(True, values))
        else:
            kept = NONE  # a pattern over source names: which sources it keeps is not fixed
    return kept


def _advanced(selectors: list[Any]) -> tuple[Sources, Sources, list[str]]:
    """(sources whose read events are logged, same for writes, notes)."""
    reads, writes, notes = NONE, NONE, []
    for selector in selectors:
        fields = {str(lookup(f, "field")): f for f in lookup(selector, "fieldSelectors") or []}
        category = fields.get("eventCategory")
        if category is None or not _field_passes(category, "Management"):
            continue  # data, network activity or insight events: management ones unaffected
        sources = _source_filter(fields["eventSource"]) if "eventSource" in fields else ALL
        other = sorted(set(fields) - {"eventCategory", "readOnly", "eventSource"})
        strange = sorted(
            {k for f in fields.values() if isinstance(f, dict) for k in f} - {"field", *_OPERATORS}
        )
        if other or strange:
            what = ", ".join(other + strange)
            notes.append(f"a management selector uses {what}, which this rule does not read")
            sources = NONE
        read_only = fields.get("readOnly")
        if read_only is None or _field_passes(read_only, "true"):
            reads = reads.union(sources)
        if read_only is None or _field_passes(read_only, "false"):
            writes = writes.union(sources)
    return reads, writes, notes


def _basic(selectors: list[Any]) -> tuple[Sources, Sources, list[str]]:
    reads, writes = NONE, NONE
    for selector in selectors:
        if lookup(selector, "includeManagementEvents") is False:
            continue
        kind = lookup(selector, "readWriteType")
        kind = "All" if kind is MISSING else kind
        excluded = lookup(selector, "excludeManagementEventSources") or []
        sources = Sources(True, frozenset(str(s) for s in excluded))
        if kind in ("All", "ReadOnly"):
            reads = reads.union(sources)
        if kind in ("All", "WriteOnly"):
            writes = writes.union(sources)
    return reads, writes, []


def coverage(trail: Res) -> tuple[Sources, Sources, list[str]] | str:
    """(read sources, write sources, notes) the trail logs, or the unknown property's path."""
    unknown = unknown_property(trail, "advancedEventSelectors", "eventSelectors")
    if unknown is not None:
        return unknown
    advanced = lookup(trail.props, "advancedEventSelectors")
    basic = lookup(trail.props, "eventSelectors")
    if isinstance(advanced, list) and advanced:
        return _advanced(advanced)
    if isinstance(basic, list) and basic:
        return _basic(basic)
    return ALL, ALL, []  # no selectors: all read and write management events


def check(res: Res, cfg: dict[str, Any], report: Any) -> None:
    found = coverage(res)
    if isinstance(found, str):
        report(undecided(res.label, found, "which management events it logs depends on it"))
        return
    reads, writes, notes = found
    if cfg["allowTrailsWithoutManagementEvents"] and reads == NONE and writes == NONE:
        return  # management events are an existing organization trail's
    allowed = frozenset(cfg["allowExcludedEventSources"]) - NEVER_EXCLUDED
    why = f" ({'; '.join(notes)})" if notes else ""
    for kind, sources in (("read", reads), ("write", writes)):
        if sources == NONE:
            report(f"{res.label}: its event selectors log no {kind} management events{why}.")
        elif not sources.all_but or not sources.names <= allowed:
            dropped = sources.names - allowed if sources.all_but else sources.names
            shown = Sources(sources.all_but, dropped).describe()
            report(
                f"{res.label}: its event selectors drop {kind} management events from "
                f"{shown}{why}."
            )


POLICY = resource_policy(
    name="ctl-ct-007-trail-records-all-management-events",
    description=(
        "Every trail's event selectors (basic or advanced) log all read and write management "
        "events from every event source; data-event selectors may be added alongside."
    ),
    types=(TRAIL_TYPE,),
    check=check,
    severity=Severity.HIGH,
    config={
        "allowExcludedEventSources": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": (
                "Event sources (e.g. rdsdata.amazonaws.com) whose management events may be "
                "excluded. iam, kms and sts.amazonaws.com are never accepted."
            ),
        },
        "allowTrailsWithoutManagementEvents": boolean_option(
            False,
            "Admit a trail that logs no management event at all (data or network activity "
            "events only): an existing organization trail records them.",
        ),
    },
    remediation=(
        "Remove management-event filters: no excludeManagementEventSources, readWriteType All "
        "(basic); an advanced selector with only eventCategory = Management."
    ),
    compliance=Compliance(cis=("3.1",), security_hub=("CloudTrail.1",)),
)
