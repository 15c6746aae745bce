"""Typed access to the stack's config through the schema's declarations, recording every problem
once, and the keys every role reads the same way: account, Region, names, notification fan-out."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from cloudtrail_logging import schema
from cloudtrail_logging.aws import names as aws_names
from cloudtrail_logging.aws import patterns, regions
from cloudtrail_logging.aws.provider_config import closest_provider_key, provider_config_keys
from cloudtrail_logging.schema import NAMESPACE, Role
from cloudtrail_logging.settings.roles import Fanout

PROVIDER_NAMESPACE = "aws"
ACCOUNT, REGION = "aws:allowedAccountIds", "aws:region"  # the provider keys others derive from
# What a secret reads as where its secrets provider is not at hand: the engine's blinding crypter
# (pulumi/pulumi sdk/go/common/resource/config/crypt.go), as an offline preview passes it.
BLINDED_SECRET = "[secret]"


class ConfigError(ValueError):
    """One or more config values are wrong; each problem is one line naming its key."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


_UNSET = object()


class Reader:
    """Typed access to the stack's config through the schema; records every problem once.

    Each key is validated once (`get` remembers its answer); a key whose value was refused is
    `rejected`, and the checks that derive from it are skipped (`ok`), so one mistake is one line.
    """

    def __init__(self, values: Mapping[str, Any], secret_keys: Iterable[str] = ()) -> None:
        self.blinded = {
            key.partition(":")[2] for key in secret_keys
            if key.startswith(f"{NAMESPACE}:") and values.get(key) == BLINDED_SECRET
        }
        """Secret keys whose value only stands in for the secret (an offline preview)."""
        self.project: dict[str, Any] = {}
        self.aws: dict[str, Any] = {}
        self.problems: list[str] = []
        self.rejected: set[str] = set()
        self._read: dict[str, Any] = {}
        for full, value in values.items():
            namespace, _, key = full.partition(":")
            if namespace == NAMESPACE:
                self.project[key] = value
            elif namespace == PROVIDER_NAMESPACE:
                self._check_provider_key(key)
                self.aws[key] = value
            else:
                self._check_namespace(full, namespace, key)

    def _check_provider_key(self, key: str) -> None:
        """The aws provider refuses a key it does not have; a misspelt key it does have is then
        missing, which this one line explains (so that key is `rejected`, not reported again)."""
        if key in provider_config_keys():
            return
        close = closest_provider_key(key)
        hint = f"; did you mean {PROVIDER_NAMESPACE}:{close}?" if close else ""
        self.problems.append(f"{PROVIDER_NAMESPACE}:{key}: not a setting of the aws provider{hint}")
        if close:
            self.reject(f"{PROVIDER_NAMESPACE}:{close}")

    def _check_namespace(self, full: str, namespace: str, key: str) -> None:
        """A namespace close to the project's, or a transposition of `aws`, is a typo the CLI
        would pass through and nothing would read. (`awsx`, `aws-native` are real packages.)"""
        close = difflib.get_close_matches(namespace, [NAMESPACE], 1, 0.75)
        if sorted(namespace) == sorted(PROVIDER_NAMESPACE):
            close = [PROVIDER_NAMESPACE]
        if close:
            self.problems.append(
                f"{full}: expected the namespace {close[0]}; did you mean {close[0]}:{key}?"
            )

    def fail(self, where: str, expected: str, got: Any = _UNSET) -> None:
        shown = "" if got is _UNSET else f" (got {json.dumps(got)})"
        self.reject(re.split(r"[\[.]", where, maxsplit=1)[0])
        line = f"{NAMESPACE}:{where}: expected {expected}{shown}"
        if line not in self.problems:
            self.problems.append(line)

    def reject(self, name: str) -> None:
        """`name` (a project key, or `aws:<key>`) holds a refused value."""
        self.rejected.add(name)

    def ok(self, *names: str) -> bool:
        """None of these keys was refused: checks that derive from them may run."""
        return not self.rejected.intersection(names)

    def get(self, name: str) -> Any:
        """The key's value, its declared default when unset, or the default after a problem;
        validated on the first read only."""
        if name not in self._read:
            self._read[name] = self._decode(name)
        return self._read[name]

    def _decode(self, name: str) -> Any:
        key = schema.BY_NAME[name]
        raw = self.project.get(name, _UNSET)
        if raw is _UNSET or raw is None:
            return key.default
        if name in self.blinded:  # nothing to judge: the value itself is not at hand
            return raw if key.type == "string" else key.default
        value, problem = schema.decode(key, raw)
        if problem is not None:
            self.fail(name, problem, raw)
            return key.default
        bad = schema.item_problems(key, value)
        for where, expected in bad:
            item = value if where == name else value[int(where.rsplit("[", 1)[1][:-1])]
            self.fail(where, expected, item)
        return key.default if bad else value

    def is_set(self, name: str) -> bool:
        """True when the stack sets the key to something other than its declared default."""
        key = schema.BY_NAME[name]
        raw = self.project.get(name, _UNSET)
        if raw is _UNSET:
            return False
        value, problem = schema.decode(key, raw)
        return problem is not None or value != key.default

    def written(self, name: str) -> Any:
        """The key's value as the stack file holds it (the CLI hands every value over as a
        string: `true`, `731` and lists are shown decoded), for a problem line's `got`."""
        raw = self.project[name]
        value, problem = schema.decode(schema.BY_NAME[name], raw)
        return raw if problem is not None else value

    def optional(self, name: str) -> str | None:
        value = self.get(name)
        return value or None

    def check_keys(self, role: Role) -> None:
        """Unknown keys are typos; another role's key is refused unless it holds its default."""
        for name in sorted(self.project):
            key = schema.BY_NAME.get(name)
            if key is None:
                close = difflib.get_close_matches(name, list(schema.BY_NAME), 1)
                hint = f"did you mean {close[0]}? " if close else ""
                self.problems.append(
                    f"{NAMESPACE}:{name}: not a setting of this project; {hint}see the README's "
                    "configuration tables"
                )
            elif role not in key.roles and self.is_set(name):
                owner = " or ".join(key.roles)
                self.fail(
                    name,
                    f"no value on a {role} stack: it is a {owner} setting",
                    self.written(name),
                )


def read_account(cfg: Reader) -> str:
    """The stack's account; a refused value is `rejected`, so nothing is compared with it."""
    raw = cfg.aws.get("allowedAccountIds")
    try:
        accounts = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError:
        accounts = None
    if (
        isinstance(accounts, list)
        and len(accounts) == 1
        and re.fullmatch(patterns.ACCOUNT_ID, str(accounts[0]))
    ):
        return str(accounts[0])
    if cfg.ok("aws:allowedAccountIds"):  # else a misspelt key already explained it
        cfg.problems.append(
            "aws:allowedAccountIds: expected exactly one 12-digit account id, the stack's own "
            f"account (got {json.dumps(raw if accounts is None else accounts)})"
        )
    cfg.reject("aws:allowedAccountIds")
    return "000000000000"


def read_region(cfg: Reader) -> str:
    region = cfg.aws.get("region")
    if isinstance(region, str) and regions.is_region(region):
        return region
    if cfg.ok("aws:region"):
        cfg.problems.append(
            f"aws:region: expected an AWS region name such as us-east-1 (got {json.dumps(region)})"
        )
    cfg.reject("aws:region")
    return "us-east-1"


def checked_name(cfg: Reader, key: str, kind: str, value: str) -> str | None:
    problem = aws_names.check_name(kind, value)
    if problem is not None:
        cfg.fail(key, f"{schema.BY_NAME[key].form}: {problem}", value)
        return None
    return value


def read_fanout(cfg: Reader, prefix: str) -> Fanout:
    targets_key, lambda_key = f"{prefix}Targets", f"{prefix}LambdaArn"
    targets = tuple(cfg.get(targets_key))
    lambda_arn = cfg.optional(lambda_key)
    if "lambda" in targets and lambda_arn is None:
        cfg.fail(lambda_key, f"a Lambda function ARN, because {targets_key} lists lambda")
    if lambda_arn is not None and "lambda" not in targets:
        cfg.fail(targets_key, f"a list including lambda, because {lambda_key} is set")
    return Fanout(targets=targets, lambda_arn=lambda_arn)


def lambda_in_partition(cfg: Reader, key: str, partition: str) -> str | None:
    arn = cfg.optional(key)
    if arn is not None and cfg.ok(REGION) and (
        arn.split(":")[1] != partition or arn.split(":")[3] not in regions.regions_of(partition)
    ):
        cfg.fail(key, f"a Lambda function ARN in an existing {partition} region", arn)
        return None
    return arn
