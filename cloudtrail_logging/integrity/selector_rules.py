"""What CloudTrail accepts in a trail's advanced event selectors, checked before anything is
registered (PutEventSelectors would refuse the rest with InvalidEventSelectorsException).

CloudTrail API Reference, "AdvancedEventSelector" and "AdvancedFieldSelector"
(https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedEventSelector.html):

* every selector names its `eventCategory`, with Equals only (so do `readOnly` and
  `resources.type`: "This is the only valid operator that you can use with the readOnly,
  eventCategory, and resources.type fields");
* each category has its own fields: management events `eventCategory`, `eventSource`,
  `readOnly`; data events also `eventName`, `eventType`, `resources.ARN`, `resources.type`
  (required), `sessionCredentialFromConsole`, `userIdentity.arn`; network activity events
  `eventSource` (required, Equals only, one source), `eventName`, `errorCode` (only
  `VpceAccessDenied`), `vpcEndpointId` and, on trails, `userIdentity.arn`;
* an operator holds 1 or more values of 1 to 2,048 characters and a selector name at most 1,000
  (botocore's CloudTrail model: Operator, OperatorValue, SelectorName).

Selectors are in the pulumi-aws shape (`field_selectors`, `equals`, `not_equals`, ...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from cloudtrail_logging.integrity.network_activity import (
    NETWORK_ACTIVITY,
    NETWORK_ACTIVITY_SOURCES,
    VPCE_ACCESS_DENIED,
)

OPERATORS: Final = (
    "equals", "not_equals", "starts_withs", "not_starts_withs", "ends_withs", "not_ends_withs",
)  # fmt: skip
_EQUALS_ONLY = frozenset({"eventCategory", "readOnly", "resources.type"})
FIELDS: Final[Mapping[str, frozenset[str]]] = {
    "Management": frozenset({"eventCategory", "eventSource", "readOnly"}),
    "Data": frozenset({
        "eventCategory", "eventName", "eventSource", "eventType", "resources.ARN",
        "resources.type", "readOnly", "sessionCredentialFromConsole", "userIdentity.arn",
    }),
    NETWORK_ACTIVITY: frozenset({
        "eventCategory", "eventSource", "eventName", "errorCode", "vpcEndpointId",
        "userIdentity.arn",
    }),
}  # fmt: skip
REQUIRED: Final[Mapping[str, frozenset[str]]] = {
    "Management": frozenset(),
    "Data": frozenset({"resources.type"}),
    NETWORK_ACTIVITY: frozenset({"eventSource"}),
}
MAX_VALUE_CHARS = 2048
MAX_NAME_CHARS = 1000


def _operators(field_selector: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {op: list(field_selector[op]) for op in OPERATORS if field_selector.get(op)}


def selector_problems(selectors: Sequence[Mapping[str, Any]]) -> list[str]:
    """What CloudTrail would refuse in `selectors`, one phrase each ("selector 2: ...")."""
    problems: list[str] = []
    for index, selector in enumerate(selectors):
        where = f"selector {index} ({selector.get('name', '')!r})"
        if len(str(selector.get("name", ""))) > MAX_NAME_CHARS:
            problems.append(f"{where}: a name of at most {MAX_NAME_CHARS} characters")
        fields = {str(f.get("field")): f for f in selector.get("field_selectors") or []}
        category = _operators(fields.get("eventCategory", {}))
        kinds = category.get("equals", [])
        if list(category) != ["equals"] or len(kinds) != 1 or kinds[0] not in FIELDS:
            problems.append(f"{where}: eventCategory Equals one of {', '.join(FIELDS)}")
            continue
        kind = kinds[0]
        for name in sorted(set(fields) - FIELDS[kind]):
            problems.append(f"{where}: no field {name} for {kind} events")
        for name in sorted(REQUIRED[kind] - set(fields)):
            problems.append(f"{where}: a {name} field, required for {kind} events")
        for name, field_selector in fields.items():
            problems += _field_problems(where, kind, name, _operators(field_selector))
    return problems


def _field_problems(where: str, kind: str, name: str, operators: dict[str, list[Any]]) -> list[str]:
    problems: list[str] = []
    if not operators:
        problems.append(f"{where}: field {name} with at least one operator")
    values = [v for listed in operators.values() for v in listed]
    if any(not isinstance(v, str) or not 1 <= len(v) <= MAX_VALUE_CHARS for v in values):
        problems.append(f"{where}: {name} values of 1 to {MAX_VALUE_CHARS} characters")
    equals_only = name in _EQUALS_ONLY or (kind == NETWORK_ACTIVITY and name == "eventSource")
    if equals_only and set(operators) - {"equals"}:
        problems.append(f"{where}: {name} with the Equals operator only")
    if name == "errorCode" and values != [VPCE_ACCESS_DENIED]:
        problems.append(f"{where}: errorCode Equals {VPCE_ACCESS_DENIED}, its only valid value")
    if kind == NETWORK_ACTIVITY and name == "eventSource" and (
        len(values) != 1 or values[0] not in NETWORK_ACTIVITY_SOURCES
    ):
        problems.append(
            f"{where}: eventSource Equals one of {', '.join(NETWORK_ACTIVITY_SOURCES)} (one "
            "selector per source)"
        )
    return problems
