"""One schema, three consumers: the program, Pulumi.yaml and the README agree."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from cloudtrail_logging import outputs, schema
from cloudtrail_logging.aws import patterns

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("sync_contract", ROOT / "scripts/sync_contract.py")
assert spec is not None and spec.loader is not None
sync_contract = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sync_contract)


def test_pulumi_yaml_declares_exactly_the_schema() -> None:
    project = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())
    assert project["config"] == schema.pulumi_yaml_config()


def test_generated_files_are_up_to_date() -> None:
    text = (ROOT / "Pulumi.yaml").read_text()
    assert sync_contract.pulumi_yaml(text) == text, "Pulumi.yaml is stale: run sync_contract.py"
    for page in sync_contract.MARKERS:
        text = page.read_text()
        assert sync_contract.filled(page, text) == text, f"{page.name} is stale: sync_contract.py"


def test_the_configuration_page_names_every_key_and_output() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text()
    for key in schema.KEYS:
        assert f"| `{key.name}` |" in text
    for output in outputs.OUTPUTS:
        assert f"| `{output.name}` |" in text


def test_only_role_is_required() -> None:
    """Any other required key would stop every stack of the other role in the CLI."""
    assert [k.name for k in schema.KEYS if k.required] == ["role"]


@pytest.mark.parametrize("key", [k for k in schema.KEYS if not k.required], ids=lambda k: k.name)
def test_every_default_is_valid_for_its_own_declaration(key: schema.ConfigKey) -> None:
    value, problem = schema.decode(key, key.default)
    assert problem is None
    assert schema.item_problems(key, value) == []


@pytest.mark.parametrize(
    ("name", "raw", "problem"),
    [
        ("glacierTransitionDays", "soon", True),
        ("glacierTransitionDays", "30", False),
        ("logGroupKms", "yes", True),
        ("logGroupKms", "false", False),
        ("memberAccounts", '["111111111111"]', False),
        ("memberAccounts", "111111111111", True),
    ],
)
def test_decode_takes_the_strings_the_cli_passes(name: str, raw: str, problem: bool) -> None:
    assert (schema.decode(schema.BY_NAME[name], raw)[1] is not None) is problem


def test_every_documented_pack_refusal_names_a_shipped_policy_config() -> None:
    for key in schema.KEYS:
        if key.pack_note:
            shipped = [p for p in key.pack_note.split("`") if p.startswith("policies/config/")]
            assert shipped and all((ROOT / p).is_file() for p in shipped), key.name


def test_values_are_checked_against_the_json_schema_their_declaration_makes() -> None:
    key = schema.BY_NAME["memberAccounts"]
    assert schema.value_schema(key) == {
        "type": "array", "items": {"type": "string", "pattern": f"^(?:{patterns.ACCOUNT_ID})\\Z"}}
    assert schema.item_problems(key, ["111111111111", "222222222222"]) == []
    # A trailing newline is no full match (a `$` anchor would let it through), a number is no
    # string, and a repeated account is named where it repeats.
    assert schema.item_problems(key, ["111111111111", "111111111111\n", 5, "111111111111"]) == [
        ("memberAccounts[1]", "12-digit account ids"),
        ("memberAccounts[2]", "12-digit account ids"),
        ("memberAccounts[3]", "12-digit account ids, each listed once"),
    ]
    mode = schema.BY_NAME["objectLockMode"]
    assert schema.value_schema(mode) == {"type": "string", "enum": ["GOVERNANCE", "COMPLIANCE"]}
    assert schema.item_problems(mode, "governance") == [("objectLockMode", mode.form)]
    assert schema.item_problems(mode, "GOVERNANCE") == []


DAY_KEYS = ("glacierTransitionDays", "expirationDays", "noncurrentExpirationDays",
            "accessLogRetentionDays", "objectLockRetentionDays")  # fmt: skip


@pytest.mark.parametrize("name", DAY_KEYS)
def test_day_counts_stop_at_a_hundred_years(name: str) -> None:
    """Object Lock's longest retention is 100 years (S3 User Guide, "How S3 Object Lock
    works"); the other day counts share the bound."""
    key = next(k for k in schema.KEYS if k.name == name)
    assert schema.decode(key, "36500") == (36500, None)
    assert schema.decode(key, "36501") == (None, key.form)
