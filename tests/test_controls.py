"""The control index (docs/controls.md) names only what exists: every config key is in the
schema, every plan field resolves on the plan and is filled for the shipped log archive, every
component, pack rule and verify check exists, and the page is generated from the table."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import pkgutil
import typing
from functools import cache
from typing import Any

import pulumi
import pytest

import components
from cloudtrail_logging.controls import CONTROLS, Control, markdown
from cloudtrail_logging.plan.parts import Plan
from cloudtrail_logging.schema import KEYS
from tests.conftest import ROOT
from tests.test_threat_model import archive_plan

PACK_RULES = ROOT / "policies" / "guardrails" / "rules"


@cache
def component_classes() -> set[str]:
    """Every ComponentResource class of the components package."""
    found = set()
    for info in pkgutil.iter_modules(components.__path__):
        module = importlib.import_module(f"components.{info.name}")
        found |= {name for name, value in vars(module).items()
                  if isinstance(value, type) and issubclass(value, pulumi.ComponentResource)
                  and value.__module__ == module.__name__}  # fmt: skip
    return found


@cache
def policy_names() -> set[str]:
    """The `name=` of every pack rule module's POLICY, read from its source."""
    names = set()
    for module in PACK_RULES.glob("ctl_*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            value = node.value if isinstance(node, ast.keyword) and node.arg == "name" else None
            if isinstance(value, ast.Constant) and str(value.value).startswith("ctl-"):
                names.add(value.value)
    return names


@cache
def verify_results() -> set[str]:
    """The names of every `Result(...)` the verify tool reports, wherever it lives."""
    found = set()
    for source in ROOT.glob("**/*.py"):
        if "venv" in source.parts or "tests" in source.parts:
            continue
        for node in ast.walk(ast.parse(source.read_text())):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Result"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                found.add(node.args[0].value)
    return found


def field_type(owner: Any, name: str) -> Any:
    """The type of dataclass field `name` of `owner`, Optional unwrapped."""
    assert dataclasses.is_dataclass(owner), owner
    hints = typing.get_type_hints(owner)
    assert name in hints, f"{owner.__name__} has no field {name}"
    hint = hints[name]
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    optional = type(None) in typing.get_args(hint) and len(args) == 1
    return args[0] if optional else hint


def resolve(plan: Plan, path: str) -> Any:
    value: Any = plan
    for name in path.split("."):
        value = getattr(value, name)
    return value


@pytest.mark.parametrize("control", CONTROLS, ids=[c.id for c in CONTROLS])
def test_every_name_in_a_control_exists(control: Control) -> None:
    keys = {k.name for k in KEYS}
    assert set(control.config) <= keys
    owner: Any = Plan
    for name in control.plan.split(".") if control.plan else []:
        owner = field_type(owner, name)
    assert set(control.components) <= component_classes()
    assert set(control.pack) <= policy_names()
    assert set(control.verify) <= verify_results()
    assert control.components and (control.pack or control.verify)


@pytest.mark.parametrize("control", [c for c in CONTROLS if c.plan], ids=lambda c: c.id)
def test_the_shipped_log_archive_carries_each_planned_control(control: Control) -> None:
    value = resolve(archive_plan("accounts"), control.plan)
    assert value not in (None, (), "", {}), control.plan


def test_the_page_is_generated_from_the_table() -> None:
    assert (ROOT / "docs" / "controls.md").read_text() == markdown()


def test_a_wrong_name_is_caught() -> None:
    assert "ctl-s3-999-nothing" not in policy_names()
    assert "bucket nothing" not in verify_results()
    with pytest.raises(AssertionError):
        field_type(Plan, "bucket_that_is_not")
    assert "NoSuchComponent" not in component_classes() and "LogBucket" in component_classes()


def test_every_claimed_control_of_the_readme_is_indexed() -> None:
    claimed = {"CloudTrail.7", "S3.7", "S3.9", "S3.15", "CloudWatch.16", "CloudWatch.1",
               "CloudWatch.8"}  # fmt: skip
    text = "".join((ROOT / page).read_text() for page in ("README.md", "docs/configuration.md"))
    assert all(c in text for c in claimed)
    assert claimed <= {c.id for c in CONTROLS}
