"""Evaluate one IAM resource-based policy (bucket, key, topic, queue policy) for one request.

No maintained library does this with conditions: `parliament` and `policy_sentry` lint or
generate, `policyuniverse` parses, and `principalmapper` (unmaintained since 2022) matches
resources case-insensitively and treats a missing key under `StringNotLike` as false. So this
module implements the documented rules of the IAM user guide, and only those:

* explicit Deny wins, then any Allow, else implicit deny;
* `Principal` / `NotPrincipal` (`"*"`, `{"AWS": ...}`, `{"Service": ...}`, `{"Federated": ...}`,
  `{"CanonicalUser": ...}`), `Action` / `NotAction` (case-insensitive wildcards), `Resource` /
  `NotResource` (case-sensitive wildcards; `*` and `?` stay inside one ARN segment unless the
  `*` ends the segment or is in the resource part). These ARN semantics, and ArnLike's
  component-by-component matching, are the policy pack's too (policies/guardrails/arn.py): both
  pass the one table of cases in tests/policies/arn_cases.json (`resource_matches`,
  `arn_like_matches`);
* policy variables `${key}`, `${key, 'default'}`, `${*}`, `${?}`, `${$}` in `Resource`,
  `NotResource` and String/ARN condition values (policy language version 2012-10-17 only). A
  variable whose key is absent or multivalued has no value: that resource matches nothing and
  that condition value is never equal or like anything;
* condition operators String*, Arn*, Bool, Null, Numeric*, Date*, IpAddress, NotIpAddress,
  BinaryEquals, each with `...IfExists` (not Null) and the `ForAnyValue:` / `ForAllValues:` set
  operators; a missing key makes positive operators false and negated operators true.

It does not model what lies outside one policy document: identity policies, SCPs/RCPs,
permission boundaries, session policies, the cross-account rule that needs both sides, S3 ACLs or
Block Public Access. `evaluate_all` only combines several resource policies with deny-wins.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from functools import lru_cache
from types import EllipsisType
from typing import Any

__all__ = [
    "Decision",
    "PolicyError",
    "Principal",
    "Request",
    "arn_like_matches",
    "evaluate",
    "evaluate_all",
    "matching_statements",
    "resource_matches",
]

VARIABLES_VERSION = "2012-10-17"
_ACCOUNT_RE = re.compile(r"^\d{12}$")
_ROOT_RE = re.compile(r"^arn:[\w-]+:iam::(\d{12}):root$")
_ROLE_RE = re.compile(r"^arn:([\w-]+):iam::(\d{12}):role/(?:.*/)?([^/]+)$")
_SESSION_RE = re.compile(r"^arn:([\w-]+):sts::(\d{12}):assumed-role/([^/]+)/[^/]+$")
_VAR_RE = re.compile(r"\$\{([^}]*)\}")
_DEFAULT_RE = re.compile(r"^\s*([^,]+?)\s*,\s*'(.*)'\s*$")
_SPECIAL = {"*": "*", "?": "?", "$": "$"}


class PolicyError(ValueError):
    """The policy document is not something AWS would accept or evaluate."""


class Decision(Enum):
    """Outcome of evaluating a request."""

    ALLOW = "allow"
    EXPLICIT_DENY = "explicit_deny"
    IMPLICIT_DENY = "implicit_deny"


@dataclass(frozen=True)
class Principal:
    """Who makes the request: `kind` is AWS, Service, Federated, CanonicalUser or Anonymous."""

    kind: str
    id: str = ""

    @classmethod
    def aws(cls, arn_or_account: str) -> Principal:
        """An IAM user, role, role session or root; a bare account ID means that account's root."""
        if _ACCOUNT_RE.match(arn_or_account):
            arn_or_account = f"arn:aws:iam::{arn_or_account}:root"
        if not arn_or_account.startswith("arn:"):
            raise ValueError(f"not an account ID or ARN: {arn_or_account!r}")
        return cls("AWS", arn_or_account)

    @classmethod
    def service(cls, name: str) -> Principal:
        """An AWS service principal such as `cloudtrail.amazonaws.com`."""
        return cls("Service", name)

    @classmethod
    def federated(cls, provider: str) -> Principal:
        """A web-identity or SAML federated principal."""
        return cls("Federated", provider)

    @classmethod
    def canonical_user(cls, canonical_id: str) -> Principal:
        """An S3 canonical user ID."""
        return cls("CanonicalUser", canonical_id)

    @classmethod
    def anonymous(cls) -> Principal:
        """An unsigned request."""
        return cls("Anonymous")

    @property
    def account(self) -> str | None:
        """The 12-digit account of an AWS principal, else None."""
        if self.kind != "AWS":
            return None
        parts = self.id.split(":")
        return parts[4] if len(parts) > 4 and _ACCOUNT_RE.match(parts[4]) else None


Context = Mapping[str, "str | bool | int | Sequence[str]"]


@dataclass(frozen=True)
class Request:
    """One authorization request against a resource policy.

    `context` holds condition keys (names are case-insensitive; values are a string or a list of
    strings; bools and ints are stringified). Unless `derive_principal_keys` is False, keys that
    AWS sets from the principal and that the caller did not give are added:
    `aws:PrincipalIsAWSService` and `aws:PrincipalServiceName` for services,
    `aws:PrincipalIsAWSService`, `aws:PrincipalArn` and `aws:PrincipalAccount` for AWS principals.
    """

    principal: Principal
    action: str
    resource: str
    context: Context = field(default_factory=dict)
    derive_principal_keys: bool = True

    def keys(self) -> dict[str, tuple[str, ...]]:
        """The request context as lower-cased key -> tuple of string values."""
        out: dict[str, tuple[str, ...]] = {}
        if self.derive_principal_keys:
            p = self.principal
            if p.kind == "Service":
                out["aws:principalisawsservice"] = ("true",)
                out["aws:principalservicename"] = (p.id,)
            elif p.kind == "AWS":
                out["aws:principalisawsservice"] = ("false",)
                out["aws:principalarn"] = (_session_to_role_arn(p.id),)
                if p.account:
                    out["aws:principalaccount"] = (p.account,)
        for key, value in self.context.items():
            out[key.lower()] = _as_strings(value)
        return out


def _as_strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, bool):
        return ("true" if value else "false",)
    if isinstance(value, str | int | float):
        return (str(value),)
    return tuple("true" if v is True else "false" if v is False else str(v) for v in value)


def _listify(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _session_to_role_arn(arn: str) -> str:
    """aws:PrincipalArn of a role session is the role's ARN (path unknown here, so none)."""
    m = _SESSION_RE.match(arn)
    return f"arn:{m[1]}:iam::{m[2]}:role/{m[3]}" if m else arn


# --------------------------------------------------------------------------- policy variables

# A pattern is a tuple of pieces: a str is literal text, None is `*`, Ellipsis is `?`.
Piece = str | None | EllipsisType
Pieces = tuple[Piece, ...]
# A request's condition keys: lower-cased name -> values.
Keys = Mapping[str, tuple[str, ...]]


class _NoValue(Exception):
    """A policy variable referenced a key that has no single value in the request."""


def _pieces(text: str, keys: Mapping[str, tuple[str, ...]] | None, wildcards: bool) -> Pieces:
    """Split `text` into literal and wildcard pieces, substituting variables when `keys` is set."""
    out: list[Piece] = []
    pos = 0
    matches = _VAR_RE.finditer(text) if keys is not None else ()
    for m in matches:
        out.extend(_wild_pieces(text[pos : m.start()], wildcards))
        out.append(_resolve(m[1], keys))  # type: ignore[arg-type]
        pos = m.end()
    out.extend(_wild_pieces(text[pos:], wildcards))
    return tuple(out)


def _wild_pieces(text: str, wildcards: bool) -> list[Piece]:
    if not wildcards:
        return [text] if text else []
    out: list[Piece] = []
    for part in re.split(r"([*?])", text):
        if part == "*":
            out.append(None)
        elif part == "?":
            out.append(...)
        elif part:
            out.append(part)
    return out


def _resolve(expr: str, keys: Mapping[str, tuple[str, ...]]) -> str:
    if expr in _SPECIAL:
        return _SPECIAL[expr]
    default: str | None = None
    m = _DEFAULT_RE.match(expr)
    if m:
        expr, default = m[1], m[2]
    values = keys.get(expr.strip().lower(), ())
    if len(values) == 1:
        return values[0]
    if default is not None:
        return default
    raise _NoValue(expr)


def _regex(pieces: Pieces, arn_segments: bool, ignore_case: bool = False) -> re.Pattern[str]:
    """Compile pieces; with `arn_segments`, wildcards before the resource part stay in a segment."""
    out: list[str] = []
    colons = 0
    for i, piece in enumerate(pieces):
        if isinstance(piece, str):
            out.append(re.escape(piece))
            colons += piece.count(":")
            continue
        in_prefix = arn_segments and colons < 5
        if piece is None:
            nxt = pieces[i + 1] if i + 1 < len(pieces) else ""
            ends_segment = nxt == "" or (isinstance(nxt, str) and nxt.startswith(":"))
            out.append("[^:]*" if in_prefix and not ends_segment else ".*")
        else:
            out.append("[^:]" if in_prefix else ".")
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile("".join(out), flags)


@lru_cache(maxsize=4096)
def _glob(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    return _regex(_pieces(pattern, None, True), False, ignore_case)


# --------------------------------------------------------------------------- statement elements


def _match_principal(spec: Any, who: Principal) -> bool:
    if spec == "*":
        return True
    if not isinstance(spec, dict):
        raise PolicyError(f"Principal must be '*' or a map, not {spec!r}")
    for kind, values in spec.items():
        for value in _listify(values):
            if kind == "AWS" and value == "*":
                return True  # documented as equivalent to "Principal": "*"
            if kind != who.kind:
                continue
            if kind == "AWS" and _aws_principal_matches(value, who):
                return True
            if kind != "AWS" and value == who.id:
                return True
    return False


def _aws_principal_matches(value: str, who: Principal) -> bool:
    if _ACCOUNT_RE.match(value):
        return who.account == value
    root = _ROOT_RE.match(value)
    if root:
        return who.account == root[1]
    if value == who.id:
        return True
    role, session = _ROLE_RE.match(value), _SESSION_RE.match(who.id)
    return bool(role and session and role.group(1, 2, 3) == session.group(1, 2, 3))


def _match_action(patterns: Any, action: str) -> bool:
    return any(_glob(p, True).fullmatch(action) for p in _listify(patterns))


def _match_resource(patterns: Any, resource: str, keys: Keys | None) -> bool:
    for pattern in _listify(patterns):
        if pattern == "*":
            return True
        try:
            pieces = _pieces(pattern, keys, True)
        except _NoValue:
            continue  # a resource with an unresolvable variable matches no resource
        if _regex(pieces, True).fullmatch(resource):
            return True
    return False


def resource_matches(pattern: str, arn: str) -> bool:
    """Whether a `Resource` element value (without policy variables) covers `arn`."""
    return _match_resource(pattern, arn, None)


def arn_like_matches(pattern: str, arn: str) -> bool:
    """Whether `ArnLike` / `ArnEquals` with `pattern` (without policy variables) matches `arn`."""
    return _arn_like(_pieces(pattern, None, True), arn)


# --------------------------------------------------------------------------- conditions

_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
    "NumericNotEquals": "NumericEquals",
    "DateNotEquals": "DateEquals",
    "NotIpAddress": "IpAddress",
}
_VARIABLE_OPS = {"StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike"}
_NUMERIC = {
    "Equals": lambda a, b: a == b,
    "LessThan": lambda a, b: a < b,
    "LessThanEquals": lambda a, b: a <= b,
    "GreaterThan": lambda a, b: a > b,
    "GreaterThanEquals": lambda a, b: a >= b,
}
_POSITIVE = (
    _VARIABLE_OPS
    | {"Bool", "IpAddress", "BinaryEquals"}
    | {f"Numeric{k}" for k in _NUMERIC}
    | {f"Date{k}" for k in _NUMERIC}
)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _date(text: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(text), UTC)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _arn_like(pieces: Pieces, value: str) -> bool:
    """ArnLike: each of the six colon-separated components matched on its own."""
    if value.count(":") < 5:
        return False
    segments: list[list[Piece]] = [[]]
    for piece in pieces:
        if not isinstance(piece, str):
            segments[-1].append(piece)
            continue
        for j, chunk in enumerate(piece.split(":")):
            if j and len(segments) < 6:
                segments.append([])
            elif j:
                segments[-1].append(":")
            if chunk:
                segments[-1].append(chunk)
    if len(segments) != 6:
        return False
    return all(
        _regex(tuple(seg), False).fullmatch(part)
        for seg, part in zip(segments, value.split(":", 5), strict=True)
    )


def _value_matches(op: str, policy_value: Any, value: str, keys: Keys | None) -> bool:
    """One positive operator applied to one request value and one policy value."""
    text = _as_strings(policy_value)[0]
    if op in _VARIABLE_OPS:
        try:
            pieces = _pieces(text, keys, op in {"StringLike", "ArnEquals", "ArnLike"})
        except _NoValue:
            return False  # a variable with no value is never equal or like anything
        # Without wildcards every piece is literal text.
        literal = "".join(p for p in pieces if isinstance(p, str))
        if op == "StringEquals":
            return literal == value
        if op == "StringEqualsIgnoreCase":
            return literal.lower() == value.lower()
        if op == "StringLike":
            return bool(_regex(pieces, False).fullmatch(value))
        return _arn_like(pieces, value)
    if op == "Bool":
        return text.lower() == value.lower()
    if op == "BinaryEquals":
        try:
            return base64.b64decode(text, validate=True) == base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return False
    if op == "IpAddress":
        try:
            net = ipaddress.ip_network(text, strict=False)
            return ipaddress.ip_address(value) in net
        except ValueError:
            return False
    kind, compare = ("Numeric", _number) if op.startswith("Numeric") else ("Date", _date)
    left, right = compare(value), compare(text)
    if left is None or right is None:
        return False
    return bool(_NUMERIC[op[len(kind) :]](left, right))


def _parse_operator(name: str) -> tuple[str | None, str, bool, bool]:
    """-> (set qualifier, positive base operator, negated, if_exists)."""
    qualifier = None
    for q in ("ForAnyValue:", "ForAllValues:"):
        if name.startswith(q):
            qualifier, name = q[:-1], name[len(q) :]
    if_exists = name.endswith("IfExists") and name != "IfExists"
    if if_exists:
        name = name[: -len("IfExists")]
    if name == "Null":
        if if_exists:
            raise PolicyError("Null has no IfExists form")
        return qualifier, name, False, False
    negated = name in _NEGATED
    base = _NEGATED.get(name, name)
    if base not in _POSITIVE:
        raise PolicyError(f"unknown condition operator {name!r}")
    return qualifier, base, negated, if_exists


def _condition_holds(
    op_name: str, key: str, policy_values: Any, keys: Keys, vars_on: bool
) -> bool:
    qualifier, base, negated, if_exists = _parse_operator(op_name)
    wanted = _listify(policy_values)
    present = keys.get(key.lower())
    if base == "Null":
        is_null = present is None or len(present) == 0
        return any(str(v).lower() == ("true" if is_null else "false") for v in wanted)
    var_keys = keys if vars_on else None

    def one(value: str) -> bool:
        hit = any(_value_matches(base, w, value, var_keys) for w in wanted)
        return not hit if negated else hit

    if qualifier and present:
        present = tuple(v for v in present if v != "")  # "" is a null data set for set operators
    if not present:
        if if_exists or qualifier == "ForAllValues":
            return True
        return negated and qualifier is None
    if qualifier == "ForAnyValue":
        return any(one(v) for v in present)
    if qualifier == "ForAllValues":
        return all(one(v) for v in present)
    hit = any(_value_matches(base, w, v, var_keys) for v in present for w in wanted)
    return not hit if negated else hit


def _conditions_hold(block: Any, keys: Keys, vars_on: bool) -> bool:
    if not isinstance(block, dict):
        raise PolicyError(f"Condition must be a map, not {block!r}")
    for op_name, pairs in block.items():
        if not isinstance(pairs, dict):
            raise PolicyError(f"Condition {op_name!r} must map keys to values")
        for key, values in pairs.items():
            if not _condition_holds(op_name, key, values, keys, vars_on):
                return False
    return True


# --------------------------------------------------------------------------- evaluation


def _statements(policy: Mapping[str, Any]) -> list[dict[str, Any]]:
    statements = policy.get("Statement")
    if statements is None:
        raise PolicyError("policy has no Statement")
    return [dict(s) for s in _listify(statements)]


def _one_of(stmt: Mapping[str, Any], a: str, b: str) -> tuple[Any, bool]:
    """-> (value, is_negated_form); exactly one of the two elements must be present."""
    if (a in stmt) == (b in stmt):
        raise PolicyError(f"statement {stmt.get('Sid', '')!r} needs exactly one of {a}/{b}")
    return (stmt[b], True) if b in stmt else (stmt[a], False)


def _statement_applies(
    stmt: Mapping[str, Any], request: Request, keys: Keys, vars_on: bool
) -> bool:
    if stmt.get("Effect") not in ("Allow", "Deny"):
        raise PolicyError(f"statement {stmt.get('Sid', '')!r} has Effect {stmt.get('Effect')!r}")
    principals, not_principal = _one_of(stmt, "Principal", "NotPrincipal")
    actions, not_action = _one_of(stmt, "Action", "NotAction")
    resources, not_resource = _one_of(stmt, "Resource", "NotResource")
    if _match_principal(principals, request.principal) == not_principal:
        return False
    if _match_action(actions, request.action) == not_action:
        return False
    if _match_resource(resources, request.resource, keys if vars_on else None) == not_resource:
        return False
    return "Condition" not in stmt or _conditions_hold(stmt["Condition"], keys, vars_on)


def matching_statements(policy: Mapping[str, Any], request: Request) -> list[tuple[str, str]]:
    """(Effect, Sid or statement index) of every statement that applies to the request."""
    keys = request.keys()
    vars_on = policy.get("Version") == VARIABLES_VERSION
    return [
        (stmt["Effect"], str(stmt.get("Sid", i)))
        for i, stmt in enumerate(_statements(policy))
        if _statement_applies(stmt, request, keys, vars_on)
    ]


def _decide(effects: Iterable[str]) -> Decision:
    effects = set(effects)
    if "Deny" in effects:
        return Decision.EXPLICIT_DENY
    return Decision.ALLOW if "Allow" in effects else Decision.IMPLICIT_DENY


def evaluate(policy: Mapping[str, Any], request: Request) -> Decision:
    """Decide a request against one resource policy: explicit deny, then allow, else implicit."""
    return _decide(effect for effect, _ in matching_statements(policy, request))


def evaluate_all(policies: Sequence[Mapping[str, Any]], request: Request) -> Decision:
    """Decide a request against several resource policies taken together (deny wins)."""
    return _decide(e for p in policies for e, _ in matching_statements(p, request))
