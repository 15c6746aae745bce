"""Reading IAM resource and trust policies: parsing, statement normalisation and matching.

Wildcard and ARN semantics live in `guardrails.arn` (one home, pinned by a shared table of
cases). Policy elements follow the IAM User Guide's "IAM JSON policy element reference"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from guardrails import arn
from guardrails.support import (
    MISSING,
    Report,
    Res,
    ResourceCheck,
    lookup,
    undecided,
    unknown_property,
)

CLOUDTRAIL_SERVICE = "cloudtrail.amazonaws.com"

# Condition operators that only match when the key is present and equal/like the value.
_POSITIVE_OPERATORS = frozenset(
    {"stringequals", "stringlike", "stringequalsignorecase", "arnequals", "arnlike"}
)
# Negated operators: true when the key is absent or differs ("...IfExists" forms behave alike
# for an absent key), so a Deny using them applies to everything not listed.
_NEGATED_OPERATORS = frozenset({"stringnotequals", "stringnotlike", "arnnotequals", "arnnotlike"})
ACCOUNT_RE = re.compile(r"^\d{12}$")
# Organization ids: "o-" then 10 to 32 lower-case letters or digits (AWS Organizations API
# Reference, "Organization", Id pattern ^o-[a-z0-9]{10,32}$).
ORG_ID_RE = re.compile(r"^o-[a-z0-9]{10,32}$")
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

    @property
    def denies(self) -> bool:
        return self.effect == "Deny"

    @property
    def condition_keys(self) -> set[str]:
        return {key for block in self.conditions.values() for key in block}


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


def _statement(index: int, item: Any) -> Statement:
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
    return Statement(
        index=index,
        sid=str(item.get("Sid", "")),
        effect=str(item.get("Effect", "")),
        principal=item.get("NotPrincipal", item.get("Principal")),
        not_principal="NotPrincipal" in item,
        actions=tuple(str(a) for a in as_tuple(item.get("NotAction", item.get("Action")))),
        not_action="NotAction" in item,
        resources=tuple(str(r) for r in as_tuple(item.get("NotResource", item.get("Resource")))),
        not_resource="NotResource" in item,
        conditions=conditions,
    )


def _parse(document: Any) -> tuple[Statement, ...]:
    if not isinstance(document, dict):
        raise PolicyDocumentError("policy is not a JSON object")
    raw = document.get("Statement")
    if raw is None:
        raise PolicyDocumentError("policy has no Statement")
    return tuple(_statement(index, item) for index, item in enumerate(as_tuple(raw)))


@lru_cache(maxsize=1024)
def _parse_text(text: str) -> tuple[Statement, ...]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PolicyDocumentError(f"policy is not valid JSON: {exc.msg}") from exc
    return _parse(document)


def parse_policy(document: Any) -> list[Statement]:
    """The statements of a policy given as a JSON string or an already-decoded dict.

    JSON strings are parsed once per process (stack policies read the same document often).
    """
    if isinstance(document, str):
        return list(_parse_text(document))
    return list(_parse(document))


def action_allowed(stmt: Statement, action: str) -> bool:
    """Whether the statement's Action / NotAction covers `action` (case-insensitive)."""
    hit = any(arn.glob_match(a, action, ignore_case=True) for a in stmt.actions)
    return not hit if stmt.not_action else hit


def _resource_hit(pattern: str, target: str, variables_match: bool) -> bool:
    if _POLICY_VARIABLE_RE.search(pattern):
        # A policy variable's value is not known here: either assume it may match (a grant that
        # might reach the target) or that it may not (a Deny that cannot be relied upon).
        if not variables_match:
            return False
        pattern = _POLICY_VARIABLE_RE.sub("*", pattern)
    return arn.resource_match(pattern, target)


def resource_covered(stmt: Statement, target: str, *, variables_match: bool = True) -> bool:
    """Whether the statement's Resource / NotResource covers the ARN `target`.

    `target` may itself end in `/*` ("every object"): the Resource element's `*` then matches
    that literal star, so only patterns covering every object cover it.
    """
    hit = any(_resource_hit(r, target, variables_match) for r in stmt.resources)
    if stmt.not_resource:
        # NotResource with a variable: unknown exemption, so only a sure miss counts as covered.
        return not any(_resource_hit(r, target, True) for r in stmt.resources)
    return hit


def principal_values(stmt: Statement, kind: str) -> tuple[str, ...]:
    principal = stmt.principal
    if isinstance(principal, dict):
        return tuple(str(v) for v in as_tuple(principal.get(kind)))
    return ()


def is_public_principal(stmt: Statement) -> bool:
    """`"*"`, any principal type listing `"*"`, or an AWS principal with a wildcard.

    AWS accepts no wildcard inside a principal ARN ("IAM JSON policy elements: Principal": "You
    cannot use a wildcard to match part of a principal name or ARN"), so one is treated as the
    everyone it would try to express. An Allow with NotPrincipal admits everyone else.
    """
    if stmt.not_principal:
        return True
    principal = stmt.principal
    if principal == "*":
        return True
    if isinstance(principal, dict):
        for kind, values in principal.items():
            for value in as_tuple(values):
                text = str(value)
                if text == "*" or (kind == "AWS" and ("*" in text or "?" in text)):
                    return True
    return False


def services(stmt: Statement) -> set[str]:
    """The service principals the statement names (lower case)."""
    if stmt.not_principal:
        return set()
    return {s.lower() for s in principal_values(stmt, "Service")}


def grants_service(stmt: Statement, service: str = CLOUDTRAIL_SERVICE) -> bool:
    return stmt.allows and service in services(stmt)


def _operator_base(operator: str) -> tuple[str, bool, str]:
    """(base operator lower case, ifexists, set qualifier lower case or "")."""
    op = operator.lower()
    qualifier = ""
    for q in ("foranyvalue:", "forallvalues:"):
        if op.startswith(q):
            qualifier, op = q[:-1], op[len(q) :]
    if_exists = op.endswith("ifexists")
    return op.removesuffix("ifexists"), if_exists, qualifier


def positive_conditions(stmt: Statement, key: str) -> list[tuple[str, tuple[str, ...]]]:
    """(operator, values) pairs testing `key` with an operator that requires the key to match.

    `...IfExists` and `ForAllValues:` operators pass when the key is absent, so they never
    restrict a request and are not returned.
    """
    out = []
    for operator, block in stmt.conditions.items():
        base, if_exists, qualifier = _operator_base(operator)
        if if_exists or qualifier == "forallvalues":
            continue
        if base in _POSITIVE_OPERATORS and key.lower() in block:
            out.append((operator, block[key.lower()]))
    return out


def negated_conditions(stmt: Statement, key: str) -> list[tuple[str, tuple[str, ...]]]:
    """(operator, values) pairs testing `key` with a negated operator (not set-qualified)."""
    out = []
    for operator, block in stmt.conditions.items():
        base, _if_exists, qualifier = _operator_base(operator)
        if not qualifier and base in _NEGATED_OPERATORS and key.lower() in block:
            out.append((operator, block[key.lower()]))
    return out


def account_of_arn(value: str) -> str | None:
    """The literal 12-digit account segment of an ARN, or None (absent, wildcard, variable)."""
    parts = arn.components(value)
    if parts is None or not ACCOUNT_RE.match(parts[4]):
        return None
    return parts[4]


def _fixed_arn(value: str) -> bool:
    """An ARN naming one account, or one resource with no wildcard at all (an S3 bucket)."""
    if account_of_arn(value) is not None:
        return True
    return arn.components(value) is not None and not arn.has_wildcard(value)


def _org_path(value: str) -> bool:
    org, sep, _rest = value.partition("/")
    return bool(sep) and ORG_ID_RE.match(org) is not None


# Condition keys that pin the caller to an organization or account, each with the test a value
# must pass to count: a fixed value, never a wildcard or policy variable. AWS Config's
# *-no-public-access rules (e.g. "kms-key-policy-no-public-access") state the same: "To be
# considered non-public, a ... policy must grant access only to fixed values. This means values
# that don't contain a wildcard or ... Variables." Keys from the IAM User Guide, "AWS global
# condition context keys"; kms:CallerAccount from the KMS Developer Guide, "AWS KMS condition
# keys". aws:ResourceAccount is not here: it names the resource's owner, not the caller.
SCOPING_KEYS: dict[str, Callable[[str], bool]] = {
    "aws:principalorgid": lambda v: ORG_ID_RE.match(v) is not None,
    "aws:sourceorgid": lambda v: ORG_ID_RE.match(v) is not None,
    "aws:principalorgpaths": _org_path,
    "aws:sourceorgpaths": _org_path,
    "aws:principalaccount": lambda v: ACCOUNT_RE.match(v) is not None,
    "aws:sourceaccount": lambda v: ACCOUNT_RE.match(v) is not None,
    "aws:sourceowner": lambda v: ACCOUNT_RE.match(v) is not None,
    "kms:calleraccount": lambda v: ACCOUNT_RE.match(v) is not None,
    "aws:principalarn": lambda v: account_of_arn(v) is not None,
    "aws:sourcearn": _fixed_arn,
}


def scoping_condition(stmt: Statement) -> str | None:
    """The first condition key that pins the statement to an organization or account."""
    for key, test in SCOPING_KEYS.items():
        for _operator, values in positive_conditions(stmt, key):
            if values and all(test(v) for v in values):
                return key
    return None


def public_grant_problems(statements: Iterable[Statement]) -> list[str]:
    """Why Allow statements admit everyone: a public principal with no fixed scoping condition."""
    problems = []
    for stmt in statements:
        if not stmt.allows or not is_public_principal(stmt):
            continue
        if stmt.not_principal:
            problems.append(f"{stmt.label} allows with NotPrincipal (admits everyone else)")
        elif scoping_condition(stmt) is None:
            problems.append(
                f"{stmt.label} allows a public principal without a condition that pins it to an "
                "organization or account with a fixed value (aws:PrincipalOrgID, "
                "aws:PrincipalAccount, aws:SourceAccount, aws:SourceOrgID, aws:SourceArn, "
                "aws:PrincipalArn or kms:CallerAccount; no wildcard, no policy variable)"
            )
    return problems


def public_grants_check(prop: str = "policy", document: str = "") -> ResourceCheck:
    """The check of the rules that keep a resource policy from admitting everyone: every Allow of
    the document in `prop` that admits a public principal without a fixed-value scope is
    reported (`public_grant_problems`), each finding prefixed with `document` ("trust policy ")."""

    def check(res: Res, _cfg: dict[str, Any], report: Report) -> None:
        for problem in public_grant_problems(read_policy(res, report, prop) or []):
            report(f"{res.label}: {document}{problem}.")

    return check


def is_trail_arn(value: str) -> bool:
    """A CloudTrail trail ARN (pattern): service cloudtrail, resource `trail/...`."""
    parts = arn.components(value)
    return parts is not None and parts[2] == "cloudtrail" and parts[5].startswith("trail/")


def trail_arn_values(stmt: Statement) -> list[str] | None:
    """The aws:SourceArn values when every one names a trail in a specific account.

    None when the statement has no positive aws:SourceArn condition; [] when it has one but
    some value is not a specific-account CloudTrail trail ARN.
    """
    pairs = positive_conditions(stmt, "aws:SourceArn")
    if not pairs:
        return None
    values = [v for _op, vals in pairs for v in vals]
    if all(is_trail_arn(v) and account_of_arn(v) is not None for v in values):
        return values
    return []


def names_trails(stmt: Statement) -> bool:
    """Every aws:SourceArn value is a CloudTrail trail ARN, whatever its account segment."""
    values = [v for _op, vals in positive_conditions(stmt, "aws:SourceArn") for v in vals]
    return bool(values) and all(is_trail_arn(v) for v in values)


def accounts_pinned_by_deny(
    statements: list[Statement],
    action: str,
    service: str = CLOUDTRAIL_SERVICE,
    *,
    grant: Statement | None,
) -> list[str] | None:
    """Accounts an explicit Deny restricts `service`'s `action` to, if such a Deny exists.

    The Deny must cover the action, name the service (or `*`) as principal, carry no other
    condition than `StringNotEquals aws:SourceAccount` with 12-digit ids, and cover every
    resource of `grant` (a Deny on other resources pins nothing of it; a grant by NotResource is
    never covered): then no Allow can admit any other account there. `grant` None asks only for
    the accounts such a Deny names, wherever it applies.
    """
    if grant is not None and grant.not_resource:
        return None
    for stmt in statements:
        if not stmt.denies or stmt.not_principal or stmt.not_action:
            continue
        if grant is not None and not all(
            resource_covered(stmt, r, variables_match=False) for r in grant.resources
        ):
            continue
        if service not in services(stmt) and "*" not in principal_values(stmt, "AWS") \
                and stmt.principal != "*":
            continue
        if not any(arn.glob_match(a, action, ignore_case=True) for a in stmt.actions):
            continue
        if list(stmt.conditions) != ["StringNotEquals"]:
            continue
        block = stmt.conditions["StringNotEquals"]
        accounts = block.get("aws:sourceaccount", ())
        if list(block) == ["aws:sourceaccount"] and accounts and all(
            ACCOUNT_RE.match(a) for a in accounts
        ):
            return list(accounts)
    return None


def source_accounts(stmt: Statement) -> list[str] | None:
    """aws:SourceAccount values when all are 12-digit ids; None when absent, [] when invalid."""
    pairs = positive_conditions(stmt, "aws:SourceAccount")
    if not pairs:
        return None
    values = [v for _op, vals in pairs for v in vals]
    return values if values and all(ACCOUNT_RE.match(v) for v in values) else []


@dataclass(frozen=True)
class Callers:
    """Whom an Allow statement admits: accounts and organizations, or anyone."""

    accounts: frozenset[str] = frozenset()
    orgs: frozenset[str] = frozenset()
    anyone: bool = False
    why: str = ""


def _condition_values(stmt: Statement, key: str) -> list[str]:
    return [v for _op, vals in positive_conditions(stmt, key) for v in vals]


def _accounts_from_conditions(stmt: Statement, keys: tuple[str, ...]) -> set[str] | None:
    """Accounts named by fixed values of account-valued keys; None when there are none."""
    found: set[str] = set()
    for key in keys:
        for value in _condition_values(stmt, key):
            account = value if ACCOUNT_RE.match(value) else account_of_arn(value)
            if account is None:
                return None  # a wildcard or variable: not a fixed set of accounts
            found.add(account)
    return found or None


def admitted_callers(stmt: Statement, statements: list[Statement]) -> Callers:
    """The accounts / organizations an Allow statement admits (see the callers' docstrings).

    * AWS principals name their accounts (a 12-digit id or the account segment of an ARN); a
      public one is narrowed by aws:PrincipalAccount / aws:PrincipalArn / aws:SourceAccount, or
      by aws:PrincipalOrgID to an organization.
    * Service principals act for the accounts of aws:SourceAccount / aws:SourceOwner /
      aws:SourceArn, or the organization of aws:SourceOrgID; without them, an explicit Deny that
      pins the service to listed accounts (`accounts_pinned_by_deny`) bounds them.
    """
    if stmt.not_principal:
        return Callers(anyone=True, why="NotPrincipal")
    if is_public_principal(stmt):
        accounts = _accounts_from_conditions(
            stmt, ("aws:principalaccount", "aws:principalarn", "aws:sourceaccount")
        )
        if accounts:
            return Callers(accounts=frozenset(accounts))
        orgs = [v for v in _condition_values(stmt, "aws:principalorgid") if ORG_ID_RE.match(v)]
        if orgs:
            return Callers(orgs=frozenset(orgs))
        return Callers(anyone=True, why="public principal without account condition")
    found: set[str] = set()
    orgs_found: set[str] = set()
    for value in principal_values(stmt, "AWS"):
        account = value if ACCOUNT_RE.match(value) else account_of_arn(value)
        if account is None:
            return Callers(anyone=True, why=f"principal '{value}' names no account")
        found.add(account)
    if services(stmt):
        accounts = _accounts_from_conditions(
            stmt, ("aws:sourceaccount", "aws:sourceowner", "aws:sourcearn")
        )
        orgs = [v for v in _condition_values(stmt, "aws:sourceorgid") if ORG_ID_RE.match(v)]
        if accounts:
            found |= accounts
        elif orgs:
            orgs_found |= set(orgs)
        else:
            pinned: set[str] = set()
            for service in services(stmt):
                for action in stmt.actions:
                    deny = accounts_pinned_by_deny(statements, action, service, grant=stmt)
                    if deny is None:
                        return Callers(
                            anyone=True,
                            why=f"service {service} for any account (no aws:SourceAccount / "
                            "aws:SourceArn account and no explicit account Deny)",
                        )
                    pinned |= set(deny)
            found |= pinned
    other = [k for k in ("Federated", "CanonicalUser") if principal_values(stmt, k)]
    if other:
        return Callers(anyone=True, why=f"{other[0]} principal")
    return Callers(accounts=frozenset(found), orgs=frozenset(orgs_found))


def denies_insecure_transport(stmt: Statement) -> bool:
    """A Deny on everyone whose condition is `Bool aws:SecureTransport false`."""
    if not stmt.denies or stmt.not_principal or not is_public_principal(stmt):
        return False
    for operator, block in stmt.conditions.items():
        if operator.lower() in ("bool", "boolifexists"):
            values = block.get("aws:securetransport", ())
            if values and all(v.lower() == "false" for v in values):
                return True
    return False


def s3_arn_parts(value: str) -> tuple[str, str, str | None] | None:
    """(partition, bucket, key-or-None) of an S3 ARN pattern, or None if not an S3 ARN."""
    parts = arn.components(value)
    if parts is None or parts[2] != "s3" or parts[3] or parts[4]:
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
    unknown = unknown_property(owner, prop)
    if unknown is not None:
        report(undecided(owner.label, unknown))
        return None
    try:
        return parse_policy(document)
    except PolicyDocumentError as exc:
        report(f"{owner.label}: {exc}.")
        return None
