"""The pack's layout: the file is the rule. Each module under guardrails/rules/ is named after the
one policy it defines, and imports the shared support modules, never another rule."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import Any

import pytest
from guardrails import ALL_POLICIES, families
from guardrails import cloudtrail_grants as grants
from guardrails.declare import Compliance
from policy_cases import PACK_DIR
from pulumi_policy import Severity

PACKAGE = PACK_DIR / "guardrails"
RULES = sorted(p for p in (PACKAGE / "rules").glob("*.py") if p.name != "__init__.py")
SUPPORT = sorted(p for p in PACKAGE.glob("*.py") if p.name != "__init__.py")


def _imported_modules(path: Path) -> set[str]:
    """Every module the file imports, as dotted names (`from a import b` yields a and a.b)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def test_every_policy_has_one_rule_module_named_after_it() -> None:
    assert [p.stem for p in RULES] == sorted(p.name.replace("-", "_") for p in ALL_POLICIES)


def test_each_rule_module_has_a_test_module_mirroring_its_name() -> None:
    tests = sorted(p.stem for p in (Path(__file__).parent / "rules").glob("test_*.py"))
    assert tests == [f"test_{p.stem}" for p in RULES]


@pytest.mark.parametrize("path", RULES, ids=[p.stem for p in RULES])
def test_rule_module_defines_the_policy_it_is_named_after(path: Path) -> None:
    module = importlib.import_module(f"guardrails.rules.{path.stem}")
    assert module.POLICY.name.replace("-", "_") == path.stem
    assert callable(module.check)
    assert not hasattr(module, "POLICIES")  # one rule per module


@pytest.mark.parametrize("path", RULES, ids=[p.stem for p in RULES])
def test_no_rule_imports_another_rule(path: Path) -> None:
    imported = _imported_modules(path)
    assert not [m for m in imported if m.startswith(".")], "relative import"
    assert not [m for m in imported if m == "guardrails.rules" or m.startswith("guardrails.rules.")]


@pytest.mark.parametrize("path", SUPPORT, ids=[p.stem for p in SUPPORT])
def test_support_modules_import_no_rule(path: Path) -> None:
    imported = _imported_modules(path)
    assert not [m for m in imported if m.startswith(("guardrails.rules", "."))]


def test_the_readme_table_lists_every_policy_in_the_packs_order() -> None:
    rows = (PACK_DIR / "README.md").read_text().splitlines()
    listed = [row.split("|")[1].strip() for row in rows if row.startswith("| ctl-")]
    assert listed == [p.name for p in ALL_POLICIES]


@pytest.mark.parametrize("path", [*SUPPORT, *RULES], ids=[p.stem for p in [*SUPPORT, *RULES]])
def test_cannot_be_judged_messages_come_from_support_only(path: Path) -> None:
    """One wording for "cannot be judged at preview": support.undecided / undecided_because /
    maybe_log_bucket make every such message, so no other module spells or prefixes it."""
    if path.name == "support.py":
        return
    text = path.read_text()
    assert "cannot be judged" not in text
    assert "UNDECIDED_PREFIX" not in text


@pytest.mark.parametrize(
    ("make", "own"),
    [
        (lambda **f: families.trail_setting_rule("isMultiRegionTrail", default=False, **f),
         {"remediation": "Set it."}),
        (lambda **f: grants.grant_rule("s3:GetBucketAcl", grant="the grant",
                                       own_problems=lambda _: [], **f),
         {"config": {}}),
        (lambda **f: grants.grant_rule("s3:GetBucketAcl", grant="the grant",
                                       own_problems=lambda _: [], **f),
         {"compliance": Compliance()}),
    ],
    ids=["trail setting: remediation", "CloudTrail grant: config", "CloudTrail grant: compliance"],
)
def test_a_family_refuses_a_field_it_sets_itself(make: Any, own: dict[str, Any]) -> None:
    fields = {"name": "ctl-x-000-example", "description": "An example.", "severity": Severity.LOW}
    make(**fields)  # the family's fields left to it: a rule
    with pytest.raises(TypeError, match=f"ctl-x-000-example: {next(iter(own))} is set by"):
        make(**fields, **own)
