"""Reading IAM / bucket policy documents: parsing, statement normalisation and matching."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from guardrails.support import MISSING, first_unknown, lookup, undecided

CLOUDTRAIL_SERVICE = "cloudtrail.amazonaws.com"

# Condition operators that only match when the key is present and equal/like the value.
_POSITIVE_OPERATORS = frozenset(
    {"stringequals", "stringlike", "stringequalsignorecase", "arnequals", "arnlike"}
)
_ACCOUNT_RE = re.compile(r"^\d{12}$")
_POLICY_VARIABLE_RE = re.compile(r"\$\{[^}]*\}")


class PolicyDocumentError(ValueError):
    """The policy document is not valid JSON or not a policy."""


@dataclass(frozen=True)
class Statement:
    """One statement, with every list-or-string field normalised to a tuple."""

    index: int
    sid: str
    effect: str
    principal: Any
    not_principal: bool
    actions: tuple[str, ...]
    not_action: bool
    resources: tuple[str, ...]
    not_resource: bool
    # operator (as written) -> condition key (lower case) -> values (as strings)
    conditions: dict[str, dict[str, tuple[str, ...]]]

    @property
    def label(self) -> str:
        return f"statement {self.index}" + (f" (Sid '{self.sid}')" if self.sid else "")

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"


def as_tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return (value,)


def _cond_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_policy(document: Any) -> list[Statement]:
    """The statements of a policy given as a JSON string or an already-decoded dict."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except json.JSONDecodeError as exc:
            raise PolicyDocumentError(f"policy is not valid JSON: {exc.msg}") from exc
    if not isinstance(document, dict):
        raise PolicyDocumentError("policy is not a JSON object")
    raw = document.get("Statement")
    if raw is None:
        raise PolicyDocumentError("policy has no Statement")
    statements = []
    for index, item in enumerate(as_tuple(raw)):
        if not isinstance(item, dict):
            raise PolicyDocumentError(f"statement {index} is not an object")
        conditions: dict[str, dict[str, tuple[str, ...]]] = {}
        for operator, block in (item.get("Condition") or {}).items():
            if not isinstance(block, dict):
                raise PolicyDocumentError(f"statement {index}: condition {operator} is malformed")
            conditions[str(operator)] = {
                str(k).lower(): tuple(_cond_value(v) for v in as_tuple(vals))
                for k, vals in block.items()
            }
        statements.append(
            Statement(
                index=index,
                sid=str(item.get("Sid", "")),
                effect=str(item.get("Effect", "")),
                principal=item.get("NotPrincipal", item.get("Principal")),
                not_principal="NotPrincipal" in item,
                actions=tuple(str(a) for a in as_tuple(item.get("NotAction", item.get("Action")))),
                not_action="NotAction" in item,
                resources=tuple(
                    str(r) for r in as_tuple(item.get("NotResource", item.get("Resource")))
                ),
                not_resource="NotResource" in item,
                conditions=conditions,
            )
        )
    return statements


@lru_cache(maxsize=512)
def _glob_regex(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    parts = []
    for chunk in re.split(r"(\*|\?)", pattern):
        parts.append(".*" if chunk == "*" else "." if chunk == "?" else re.escape(chunk))
    return re.compile("^" + "".join(parts) + "$", re.IGNORECASE if ignore_case else 0)


def glob_match(pattern: str, text: str, *, ignore_case: bool = False) -> bool:
    """IAM-style wildcard match (`*`, `?`); policy variables match anything."""
    pattern = _POLICY_VARIABLE_RE.sub("*", pattern)
    return bool(_glob_regex(pattern, ignore_case).match(text))


def action_allowed(stmt: Statement, action: str) -> bool:
    """Whether the statement's Action / NotAction covers `action`."""
    hit = any(glob_match(a, action, ignore_case=True) for a in stmt.actions)
    return not hit if stmt.not_action else hit


def resource_covered(stmt: Statement, arn: str) -> bool:
    """Whether the statement's Resource / NotResource covers the literal ARN `arn`."""
    hit = any(glob_match(r, arn) for r in stmt.resources)
    return not hit if stmt.not_resource else hit


def _principal_values(principal: Any, kind: str) -> tuple[str, ...]:
    if isinstance(principal, dict):
        return tuple(str(v) for v in as_tuple(principal.get(kind)))
    return ()


def is_public_principal(stmt: Statement) -> bool:
    """`"*"`, or any principal type listing `"*"`; an Allow with NotPrincipal is public too."""
    if stmt.not_principal:
        return True
    principal = stmt.principal
    if principal == "*":
        return True
    if isinstance(principal, dict):
        return any("*" in (str(v) for v in as_tuple(vals)) for vals in principal.values())
    return False


def services(stmt: Statement) -> set[str]:
    """The service principals the statement names (lower case)."""
    if stmt.not_principal:
        return set()
    return {s.lower() for s in _principal_values(stmt.principal, "Service")}


def grants_service(stmt: Statement, service: str = CLOUDTRAIL_SERVICE) -> bool:
    return stmt.allows and service in services(stmt)


def positive_conditions(stmt: Statement, key: str) -> list[tuple[str, tuple[str, ...]]]:
    """(operator, values) pairs testing `key` with an operator that requires the key to match.

    `...IfExists` and `ForAllValues:` operators pass when the key is absent, so they never
    restrict a request and are not returned.
    """
    out = []
    for operator, block in stmt.conditions.items():
        op = operator.lower()
        if op.endswith("ifexists") or op.startswith("forallvalues:"):
            continue
        op = op.removeprefix("foranyvalue:")
        if op in _POSITIVE_OPERATORS and key.lower() in block:
            out.append((operator, block[key.lower()]))
    return out


def _specific_account_arn(value: str) -> bool:
    parts = value.split(":", 5)
    return len(parts) == 6 and parts[0] == "arn" and bool(_ACCOUNT_RE.match(parts[4]))


def _not_wildcard(value: str) -> bool:
    stripped = _POLICY_VARIABLE_RE.sub("*", value).replace("*", "").replace("?", "")
    return bool(stripped.strip("/"))


# Condition keys that pin a request to an organization or account, with a value test.
_SCOPING_KEYS = {
    "aws:principalorgid": _not_wildcard,
    "aws:sourceorgid": _not_wildcard,
    "aws:principalorgpaths": _not_wildcard,
    "aws:sourceorgpaths": _not_wildcard,
    "aws:principalaccount": lambda v: bool(_ACCOUNT_RE.match(v)),
    "aws:sourceaccount": lambda v: bool(_ACCOUNT_RE.match(v)),
    "aws:resourceaccount": lambda v: bool(_ACCOUNT_RE.match(v)),
    "aws:sourceowner": lambda v: bool(_ACCOUNT_RE.match(v)),
    "aws:principalarn": _specific_account_arn,
    "aws:sourcearn": _specific_account_arn,
}


def scoping_condition(stmt: Statement) -> str | None:
    """The first condition key that limits the statement to an organization or account."""
    for key, test in _SCOPING_KEYS.items():
        for _operator, values in positive_conditions(stmt, key):
            if values and all(test(v) for v in values):
                return key
    return None


def trail_arn_values(stmt: Statement) -> list[str] | None:
    """The aws:SourceArn values when every one names a trail in a specific account.

    None when the statement has no positive aws:SourceArn condition; [] when it has one but
    some value is not a specific-account CloudTrail trail ARN.
    """
    pairs = positive_conditions(stmt, "aws:SourceArn")
    if not pairs:
        return None
    values = [v for _op, vals in pairs for v in vals]
    for value in values:
        parts = value.split(":", 5)
        if not (
            _specific_account_arn(value)
            and parts[2] == "cloudtrail"
            and parts[5].startswith("trail/")
        ):
            return []
    return values


def names_trails(stmt: Statement) -> bool:
    """Every aws:SourceArn value is a CloudTrail trail ARN, whatever its account segment."""
    pairs = positive_conditions(stmt, "aws:SourceArn")
    values = [v for _op, vals in pairs for v in vals]
    return bool(values) and all(
        len(parts := v.split(":", 5)) == 6 and parts[2] == "cloudtrail"
        and parts[5].startswith("trail/")
        for v in values
    )


def accounts_pinned_by_deny(
    statements: list[Statement], action: str, service: str = CLOUDTRAIL_SERVICE
) -> list[str] | None:
    """Accounts an explicit Deny restricts `service`'s `action` to, if such a Deny exists.

    The Deny must cover the action, name the service (or `*`) as principal, apply to every
    resource it names without other conditions, and test only `StringNotEquals
    aws:SourceAccount` with 12-digit ids: then no Allow can admit any other account.
    """
    for stmt in statements:
        if stmt.allows or stmt.not_principal or stmt.not_action:
            continue
        if service not in services(stmt) and "*" not in _principal_values(stmt.principal, "AWS") \
                and stmt.principal != "*":
            continue
        if not any(glob_match(a, action, ignore_case=True) for a in stmt.actions):
            continue
        if list(stmt.conditions) != ["StringNotEquals"]:
            continue
        block = stmt.conditions["StringNotEquals"]
        accounts = block.get("aws:sourceaccount", ())
        if list(block) == ["aws:sourceaccount"] and accounts and all(
            _ACCOUNT_RE.match(a) for a in accounts
        ):
            return list(accounts)
    return None


def source_accounts(stmt: Statement) -> list[str] | None:
    """aws:SourceAccount values when all are 12-digit ids; None when absent, [] when invalid."""
    pairs = positive_conditions(stmt, "aws:SourceAccount")
    if not pairs:
        return None
    values = [v for _op, vals in pairs for v in vals]
    return values if values and all(_ACCOUNT_RE.match(v) for v in values) else []


def denies_insecure_transport(stmt: Statement) -> bool:
    """A Deny on everyone whose condition is `Bool aws:SecureTransport false`."""
    if stmt.effect != "Deny" or stmt.not_principal or not is_public_principal(stmt):
        return False
    for operator, block in stmt.conditions.items():
        if operator.lower() in ("bool", "boolifexists"):
            values = block.get("aws:securetransport", ())
            if values and all(v.lower() == "false" for v in values):
                return True
    return False


def s3_arn_parts(arn: str) -> tuple[str, str, str | None] | None:
    """(partition, bucket, key-or-None) of an S3 ARN pattern, or None if not an S3 ARN."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "s3" or parts[3] or parts[4]:
        return None
    bucket, sep, key = parts[5].partition("/")
    return parts[1], bucket, (key if sep else None)


def read_policy(owner: Any, report: Any, prop: str = "policy") -> list[Statement] | None:
    """The statements of `owner.props[prop]`, reporting an unknown or invalid document.

    `owner` is a `support.Res`; `report(message)` is called for a problem. Returns None when the
    document is absent, unknown or invalid (after reporting the latter two).
    """
    document = lookup(owner.props, prop)
    if document is MISSING or document == "":
        return None
    unknown_at = first_unknown(document)
    if unknown_at is not None:
        report(undecided(owner.label, prop if unknown_at == "<value>" else f"{prop}.{unknown_at}"))
        return None
    try:
        return parse_policy(document)
    except PolicyDocumentError as exc:
        report(f"{owner.label}: {exc}.")
        return None
