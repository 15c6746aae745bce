"""ctl-ct-010: a trail's network activity selectors are valid; when required, every trail records
the chosen event sources' calls through VPC endpoints (at least those an endpoint policy denied).

CloudTrail User Guide, "Logging network activity events"
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html)
and the CloudTrail API Reference, "AdvancedEventSelector": a selector of network activity events
has `eventCategory` Equals `NetworkActivity` and `eventSource` Equals one source, both with
Equals only; it may add `eventName`, `errorCode` (whose only valid value is `VpceAccessDenied`)
and `vpcEndpointId` (and, on trails, `userIdentity.arn`). The sources the guide lists are
CloudTrail, EC2, KMS and Secrets Manager. PutEventSelectors refuses anything else, so a mistake
fails the deployment.

Network activity events are billed like data events, so they are opt-in: with `required` false
the rule only checks the selectors a trail has. With `required` true, every trail must record,
for each source in `eventSources`, every call a VPC endpoint policy denied: a selector of that
source with no other narrowing than `errorCode` `VpceAccessDenied`.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from guardrails.declare import Compliance, required_option, resource_policy, subset_option
from guardrails.support import TRAIL_TYPE, Res, lookup, undecided, unknown_property

NETWORK_ACTIVITY = "NetworkActivity"
VPCE_ACCESS_DENIED = "VpceAccessDenied"
# CloudTrail User Guide, "Logging network activity events": the services it lists.
EVENT_SOURCES = (
    "cloudtrail.amazonaws.com",
    "ec2.amazonaws.com",
    "kms.amazonaws.com",
    "secretsmanager.amazonaws.com",
)
FIELDS = frozenset(
    {"eventCategory", "eventSource", "eventName", "errorCode", "vpcEndpointId", "userIdentity.arn"}
)
_OPERATORS = ("equals", "notEquals", "startsWiths", "notStartsWiths", "endsWiths", "notEndsWiths")


def _operators(field_selector: Any) -> dict[str, list[str]]:
    found = {op: lookup(field_selector, op) for op in _OPERATORS}
    return {op: [str(v) for v in vs] for op, vs in found.items() if isinstance(vs, list) and vs}


def _network_selector(selector: Any) -> dict[str, dict[str, list[str]]] | None:
    """The selector's fields and operators when it selects network activity events."""
    fields = {
        str(lookup(f, "field")): _operators(f)
        for f in lookup(selector, "fieldSelectors") or []
        if isinstance(f, dict)
    }
    if fields.get("eventCategory", {}).get("equals") != [NETWORK_ACTIVITY]:
        return None
    return fields


def _problems(fields: dict[str, dict[str, list[str]]]) -> list[str]:
    problems = [f"has the field {name}, which network activity events do not support"
                for name in sorted(set(fields) - FIELDS)]  # fmt: skip
    for name in ("eventCategory", "eventSource"):
        if set(fields.get(name, {})) - {"equals"}:
            problems.append(f"uses an operator other than Equals on {name}")
    sources = fields.get("eventSource", {}).get("equals", [])
    if len(sources) != 1 or sources[0] not in EVENT_SOURCES:
        problems.append(
            f"names eventSource {sources or 'nowhere'}; a selector names exactly one of "
            f"{', '.join(EVENT_SOURCES)}"
        )
    codes = [v for vs in fields.get("errorCode", {}).values() for v in vs]
    if "errorCode" in fields and codes != [VPCE_ACCESS_DENIED]:
        problems.append(f"filters errorCode on {codes}; its only valid value is VpceAccessDenied")
    return problems


def _records_denied_calls(fields: dict[str, dict[str, list[str]]]) -> str | None:
    """The source whose denied calls the selector records in full, or None."""
    narrowing = set(fields) - {"eventCategory", "eventSource", "errorCode"}
    error = fields.get("errorCode")
    if narrowing or (error is not None and error != {"equals": [VPCE_ACCESS_DENIED]}):
        return None
    sources = fields.get("eventSource", {}).get("equals", [])
    return sources[0] if len(sources) == 1 else None


def check(res: Res, cfg: dict[str, Any], report: Any) -> None:
    unknown = unknown_property(res, "advancedEventSelectors")
    if unknown is not None:
        report(undecided(res.label, unknown, "which network activity events it logs depends on it"))
        return
    recorded: set[str] = set()
    for index, selector in enumerate(lookup(res.props, "advancedEventSelectors") or []):
        fields = _network_selector(selector)
        if fields is None:
            continue
        for problem in _problems(fields):
            report(f"{res.label}: advancedEventSelectors[{index}] {problem}.")
        source = _records_denied_calls(fields)
        if source is not None:
            recorded.add(source)
    if not cfg["required"]:
        return
    missing = [s for s in cfg["eventSources"] if s not in recorded]
    if missing:
        report(
            f"{res.label}: it does not record the calls VPC endpoint policies deny for "
            f"{', '.join(missing)} (add a selector per source: eventCategory NetworkActivity, "
            "eventSource, errorCode VpceAccessDenied)."
        )


POLICY = resource_policy(
    name="ctl-ct-010-trail-network-activity-events",
    description=(
        "A trail's network activity event selectors are valid; when required, every trail "
        "records the calls VPC endpoint policies deny for the configured event sources."
    ),
    types=(TRAIL_TYPE,),
    check=check,
    severity=Severity.LOW,
    config={
        "required": required_option(
            "Require every trail to record network activity events (at least errorCode "
            "VpceAccessDenied) for each source in eventSources."
        ),
        "eventSources": subset_option(
            EVENT_SOURCES, "The event sources a trail must record when required."
        ),
    },
    remediation=(
        "Set networkActivityEventSources on the stack: one advanced event selector per source, "
        "eventCategory NetworkActivity, eventSource <source>, errorCode VpceAccessDenied."
    ),
    compliance=Compliance(
        reference=(
            "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/"
            "logging-network-events-with-cloudtrail.html"
        )
    ),
)
