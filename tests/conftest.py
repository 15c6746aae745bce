"""Shared fixtures: run the program offline, in preview mode, from plain config dicts."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cloudtrail_logging.settings import Settings, parse_settings  # noqa: E402
from engine_model.mocks import DEPLOYER_ROLE, World  # noqa: E402
from engine_model.model import CapturedResource, PreviewResult  # noqa: E402
from engine_model.program import run_program  # noqa: E402
from engine_model.stack_files import StackConfig, _as_config_string  # noqa: E402
from tests.support.tiers import WHOLE_STACK  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the whole-stack tier (tests/support/tiers.py) `stack`; the fast tier is the rest."""
    for item in items:
        if item.path.relative_to(ROOT).as_posix() in WHOLE_STACK:
            item.add_marker(pytest.mark.stack)


SECURITY = "222222222222"
MEMBER = "111111111111"


def deployer_of(values: dict[str, Any]) -> Callable[[], str]:
    """The deploying principal an offline run reports for a stack of these values: a session of
    the offline deployer role in the stack's account (engine_model/mocks.py)."""

    def deployer() -> str:
        accounts = values.get("aws:allowedAccountIds") or ["000000000000"]
        account = str(accounts[0]) if isinstance(accounts, list) else "000000000000"
        return f"arn:aws:iam::{account}:role/{DEPLOYER_ROLE}"

    return deployer


def parse_config(values: dict[str, Any]) -> Settings:
    """Settings from short config keys, deployed by the offline deployer role."""
    return parse_settings(stack_config(values).values, deployer=deployer_of(values))


def stack_config(values: dict[str, Any], stack: str = "test") -> StackConfig:
    """A StackConfig from short keys (project namespace) and `aws:` keys."""
    full = {
        (k if ":" in k else f"cloudtrail-logging:{k}"): _as_config_string(v)
        for k, v in values.items()
    }
    return StackConfig(project="cloudtrail-logging", stack=stack, values=full)


def archive_config(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "aws:region": "us-east-1",
        "aws:allowedAccountIds": [SECURITY],
        "role": "log-archive",
        "memberAccounts": [MEMBER],
    }
    base.update(overrides)
    return base


def archive_outputs(**overrides: Any) -> dict[str, Any]:
    outputs = {
        "logBucketName": f"cloudtrail-logging-{SECURITY}-us-east-1",
        "logArchiveAccountId": SECURITY,
        "trailName": "cloudtrail-logging",
        "s3KeyPrefix": "",
        "kmsKeyArn": "",
        "memberAccounts": [MEMBER],
        "partition": "aws",
        "archiveAdministrators": [f"arn:aws:iam::{SECURITY}:role/{DEPLOYER_ROLE}"],
        "namePrefix": "cloudtrail-logging",
        "logReaders": [],
    }
    outputs.update(overrides)
    return outputs


def member_config(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "aws:region": "eu-west-1",
        "aws:allowedAccountIds": [MEMBER],
        "role": "member",
    }
    base.update(overrides)
    return base


class Stack:
    """Query helpers over one offline preview."""

    def __init__(self, result: PreviewResult) -> None:
        self.result = result
        self.resources = result.resources

    def of_type(self, type_: str) -> list[CapturedResource]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str) -> CapturedResource:
        """The resource of this type; among several buckets' settings, the log archive's own
        (`log-archive-…`: the access-log and replica buckets have the same kinds)."""
        found = self.of_type(type_)
        if len(found) > 1:
            found = [r for r in found if r.name.startswith("log-archive-")]
        assert len(found) == 1, f"expected one {type_}, found {[r.name for r in found]}"
        return found[0]

    def named(self, name: str) -> CapturedResource:
        return next(r for r in self.resources if r.name == name)

    def policy(self, type_: str, key: str = "policy") -> dict[str, Any]:
        return json.loads(self.one(type_).inputs[key])


@pytest.fixture
def run_stack() -> Callable[..., Stack]:
    def run(
        values: dict[str, Any],
        outputs: dict[str, Any] | None = None,
        caller: str | None = None,
        management: str | None = None,
        roles: dict[str, str | None] | None = None,
        log_groups: dict[str, int | None] | None = None,
        delegated_administrators: list[str] | None = None,
    ) -> Stack:
        """The offline preview of `values`, a member reading `outputs` from its archive, deployed
        by `caller` (default: a session of the offline deployer role), in an organization whose
        management account is `management` (default: the stack's own), whose roles have the
        trust policies `roles` (by name; None: no such role), whose log groups keep `log_groups`
        days (None: no such group) and whose StackSets delegated administrators are
        `delegated_administrators` (default: the stack's account unless it is the management
        account)."""
        resolver = (lambda _name: outputs) if outputs is not None else None
        return Stack(
            run_program(
                stack_config(values),
                world=World(
                    stack_outputs=resolver,
                    caller_arn=caller,
                    management_account_id=management,
                    role_trusts=roles,
                    log_groups=log_groups,
                    delegated_administrators=delegated_administrators,
                ),
            )
        )

    return run
