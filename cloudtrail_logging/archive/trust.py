"""Who can become an archive administrator or a log reader: the trust policies of the roles the
archive names.

The bucket and key policies name roles by ARN (`aws:PrincipalArn`), so whoever may assume a named
role holds its powers. A role whose trust policy admits its own account ("Principal":
{"AWS": "arn:aws:iam::<account>:root"}) lets every principal of that account that an IAM policy
allows sts:AssumeRole assume it (IAM User Guide, "IAM JSON policy elements: Principal", AWS
account principals), which AdministratorAccess does: every administrator of the archive account
would be an archive administrator, and the denies would stop nobody. The same holds for `*`, for
an IAM user (an account administrator mints its access keys), for another role of the account
that is not itself named, or a session of one (an administrator rewrites its trust policy,
assumes it, and from it the named role), and for an AWS service (whoever can change the
service's resources in the account, a function's code or a build's commands, acts as the role).
The preview reads each named role of the archive account (iam:GetRole) and refuses those.
Actions are matched as IAM matches them: case-insensitively, with wildcards, and `NotAction`.

What is left trusted, and documented: roles of other accounts a trust names by ARN, and identity
providers (IAM Identity Center's SAML provider, an OIDC provider), which the guardrail policy
keeps anyone but the archive administrators from changing.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import unquote

_ACCOUNT = re.compile(r"\d{12}")
_ROOT = re.compile(r"arn:[\w-]+:iam::(\d{12}):root")
_IAM_ARN = re.compile(r"arn:[\w-]+:iam::(\d{12}):(user|role)/(.+)")
_SESSION_ARN = re.compile(r"arn:[\w-]+:sts::(\d{12}):assumed-role/([^/]+)/.+")
ASSUME_ROLE = "sts:assumerole"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _matches(pattern: str, action: str) -> bool:
    """IAM's action matching: case-insensitive, `*` and `?` wildcards."""
    return fnmatch.fnmatchcase(action, pattern.lower())


def _assumes(statement: Mapping[str, Any]) -> bool:
    if "NotAction" in statement:
        excluded = [str(a) for a in _as_list(statement["NotAction"])]
        return not any(_matches(a, ASSUME_ROLE) for a in excluded)
    return any(_matches(str(a), ASSUME_ROLE) for a in _as_list(statement.get("Action", [])))


def _role_name(arn: str) -> str:
    """A role ARN's name, its path left out (what iam:GetRole takes)."""
    return arn.rsplit("/", 1)[1]


def trust_problems(
    trust_policy: str, *, account_id: str, trusted_arns: Iterable[str]
) -> list[str]:
    """Why a role with `trust_policy` could be assumed by someone the archive does not name: a
    principal of `account_id` other than `trusted_arns` (compared by name, since a trust policy
    names a role without its path), `*`, or a whole account. Empty when it cannot."""
    try:
        document = json.loads(unquote(trust_policy) if trust_policy.startswith("%7B") else
                              trust_policy)  # fmt: skip
    except ValueError:
        return ["its trust policy is not JSON"]
    trusted = {_role_name(arn) for arn in trusted_arns}
    problems: list[str] = []
    statements = _as_list(document.get("Statement", []) if isinstance(document, dict) else [])
    for statement in statements:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        if not _assumes(statement):
            continue
        if "NotPrincipal" in statement:
            problems.append("its trust policy allows sts:AssumeRole with NotPrincipal")
            continue
        principal = statement.get("Principal")
        values = [principal] if principal == "*" else _as_list(
            principal.get("AWS", []) if isinstance(principal, dict) else []
        )  # fmt: skip
        for value in map(str, values):
            problems += _principal_problem(value, account_id, trusted)
        services = principal.get("Service", []) if isinstance(principal, dict) else []
        for service in map(str, _as_list(services)):
            problems.append(f"its trust policy admits the service {service}: whoever can change "
                            "that service's resources in the account acts as the role")  # fmt: skip
    return problems


def _principal_problem(value: str, account_id: str, trusted: set[str]) -> list[str]:
    if value == "*":
        return ['its trust policy admits any principal ("*")']
    root = _ROOT.fullmatch(value)
    if _ACCOUNT.fullmatch(value) or root:
        account = root[1] if root else value
        return [f"its trust policy admits every principal of account {account} that an IAM "
                f"policy allows ({value})"]  # fmt: skip
    session = _SESSION_ARN.fullmatch(value)
    if session is not None:  # a session of a role: judged as that role
        value = f"arn:aws:iam::{session[1]}:role/{session[2]}"
    named = _IAM_ARN.fullmatch(value)
    if named is None or named[1] != account_id:
        return []  # another account's role or user, named by ARN: trusted as documented
    if named[2] == "user":
        return [f"its trust policy admits an IAM user of this account, whose access keys an "
                f"administrator can create ({value})"]  # fmt: skip
    if _role_name(value) not in trusted:
        return [f"its trust policy admits a role that is not named itself, which an "
                f"administrator can take over ({value})"]  # fmt: skip
    return []


RoleTrust = Callable[[str], str | None]
"""The trust policy of a role of this account by name (iam:GetRole), None when there is none."""


def archive_role_problems(
    *,
    account_id: str,
    administrator_arns: Sequence[str],
    reader_arns: Sequence[str],
    defaulted: bool,
    trust_of: RoleTrust,
) -> list[str]:
    """One line per named role of the archive account that does not exist or that someone the
    archive does not name could assume. Administrators may be assumed from administrators;
    readers from readers and administrators."""
    lines: list[str] = []
    checks = [("archiveAdministrators", administrator_arns, administrator_arns),
              ("logReaders", reader_arns, [*administrator_arns, *reader_arns])]  # fmt: skip
    for key, arns, trusted in checks:
        for index, arn in enumerate(arns):
            named = _IAM_ARN.fullmatch(arn)
            if named is None or named[1] != account_id or named[2] != "role":
                continue
            where = key if defaulted and key == "archiveAdministrators" else f"{key}[{index}]"
            trust = trust_of(_role_name(arn))
            if trust is None:
                lines.append(f"cloudtrail-logging:{where}: expected an existing role of account "
                             f"{account_id} whose trust policy the preview can read "
                             f"(iam:GetRole found none: got {json.dumps(arn)})")  # fmt: skip
                continue
            for problem in trust_problems(trust, account_id=account_id, trusted_arns=trusted):
                lines.append(f"cloudtrail-logging:{where}: expected a role only named principals "
                             f"can assume, but {problem} (got {json.dumps(arn)})")  # fmt: skip
    return lines
