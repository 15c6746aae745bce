"""Every policy carries compliance metadata in pulumi_policy's own fields, has its own in-process
test module, and the pack reads properties through public pulumi_policy API only."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import re
from typing import Any

import jsonschema
import pytest
from guardrails import ALL_POLICIES
from guardrails.declare import CIS_TAG, SECURITY_HUB_TAG
from guardrails.rules import ctl_ct_001_trail_multi_region, ctl_s3_023_log_bucket_object_lock
from guardrails.support import plain
from policy_cases import PACK_DIR
from pulumi_policy import EnforcementLevel, Policy
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

RULE_TESTS = PACK_DIR.parent / "tests" / "policies" / "rules"
NAMES = [p.name for p in ALL_POLICIES]


def test_policy_names_are_unique_and_stable_in_form() -> None:
    assert len(NAMES) == len(set(NAMES))
    assert all(re.fullmatch(r"ctl-[a-z0-9]+-\d{3}-[a-z0-9-]+", n) for n in NAMES)


@pytest.mark.parametrize("policy", ALL_POLICIES, ids=NAMES)
def test_policy_carries_compliance_metadata(policy: Policy) -> None:
    assert policy.severity is not None
    assert policy.enforcement_level == EnforcementLevel.MANDATORY
    assert policy.remediation_steps
    assert policy.url and policy.url.startswith("https://")
    assert policy.tags and "cloudtrail-logging" in policy.tags
    controls = [t for t in policy.tags if t.startswith((f"{CIS_TAG}:", f"{SECURITY_HUB_TAG}:"))]
    cis = [t.split(":", 1)[1] for t in policy.tags if t.startswith(f"{CIS_TAG}:")]
    if cis:
        assert policy.framework is not None
        assert policy.framework.name == "CIS AWS Foundations Benchmark"
        assert policy.framework.version == "3.0.0"
        assert policy.framework.reference == ", ".join(cis)
        assert (
            policy.framework.specification
            == "https://www.cisecurity.org/benchmark/amazon_web_services"
        )
    else:
        assert policy.framework is None
    # A rule no control covers says where its requirement is stated instead.
    assert controls or "docs.aws.amazon.com" in policy.url or "pulumi.com" in policy.url


# A page of the AWS or Pulumi documentation: lower-case page names, an optional anchor.
DOC_PAGE = re.compile(
    r"https://(docs\.aws\.amazon\.com|www\.pulumi\.com)/[A-Za-z0-9/_-]+/"
    r"([a-z0-9_-]+\.html(#[a-z0-9-]+)?)?"
)


# Where the project names the guides it follows.
CITING = [
    PACK_DIR.parent / "cloudtrail_logging" / "sources.py",
    PACK_DIR / "guardrails" / "declare.py",
]


@pytest.mark.parametrize("policy", ALL_POLICIES, ids=NAMES)
def test_reference_is_a_documentation_page(policy: Policy) -> None:
    """The page a violation links to is one of the AWS or Pulumi documentation, as written
    there, in a guide the project cites."""
    url = policy.url or ""
    assert DOC_PAGE.fullmatch(url), url
    guide = url.rsplit("/", 1)[0] + "/"
    assert any(guide in path.read_text() for path in CITING), guide


def _sdk_parameters(cls: type) -> set[str]:
    return set(inspect.signature(cls).parameters)


@pytest.mark.parametrize("policy", ALL_POLICIES, ids=NAMES)
def test_remediation_names_real_sdk_arguments(policy: Policy) -> None:
    """A remediation is a sentence; the pulumi_aws classes it names exist, and the arguments
    (`name=value`) and input keys (`{'key': ...}`) it gives them are theirs, values written as
    Python where they are quoted."""
    text = policy.remediation_steps or ""
    assert re.match(r"[A-Z][a-z]", text) and text.endswith("."), text
    modules = re.findall(r"\baws\.([a-z0-9_]+)\.([A-Za-z0-9]+)\b", text)
    # A resource class's arguments are those of its `<Class>Args`.
    classes = [getattr(importlib.import_module(f"pulumi_aws.{m}"), f"{n}Args") for m, n in modules]
    if not classes:
        return
    arguments = set().union(*map(_sdk_parameters, classes))
    inputs = {  # the input types of the classes' modules
        param
        for cls in classes
        for member in vars(importlib.import_module(cls.__module__.rsplit(".", 1)[0])).values()
        if isinstance(member, type) and member.__name__.endswith("Args")
        for param in _sdk_parameters(member)
    }
    for name, value in re.findall(r"\b([A-Za-z_]\w*)=(\{[^}]*\}|\[[^\]]*\]|'[^']*'|\w+)", text):
        assert name in arguments, name
        keys = re.findall(r"[{,]\s*'?([A-Za-z_]\w*)'?:", value)
        assert set(keys) <= inputs, keys
        if "'" in value:
            ast.literal_eval(value)


@pytest.mark.parametrize("name", NAMES)
def test_each_policy_has_its_own_rule_test_module(name: str) -> None:
    assert (RULE_TESTS / f"test_{name.replace('-', '_')}.py").is_file()


def test_plain_reads_the_sdk_proxy_through_its_public_interface() -> None:
    props = {
        "policy": UNKNOWN_STRING_VALUE,
        "rules": [{"sseAlgorithm": UNKNOWN_STRING_VALUE}, {"sseAlgorithm": "aws:kms"}],
        "tags": {"a": "b"},
        "n": 3,
    }
    assert plain(unknown_checking_proxy(props)) == props


def test_pack_never_reaches_into_the_proxys_private_state() -> None:
    for source in (PACK_DIR / "guardrails").rglob("*.py"):
        assert "__target" not in source.read_text(), source


def test_pack_requirements_are_exact_pins() -> None:
    lines = [
        line.strip()
        for line in (PACK_DIR / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines and all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][\w.]*", line) for line in lines)
    names = {line.split("==")[0].lower().replace("_", "-") for line in lines}
    assert {"pulumi", "pulumi-policy", "grpcio", "protobuf"} <= names


def _documented_controls() -> dict[str, tuple[list[str], list[str]]]:
    """Policy name -> (CIS recommendations, Security Hub controls) from the README table's last
    column, `<cis, ...> / <security hub, ...>` with `—` for none."""
    rows = (PACK_DIR / "README.md").read_text().splitlines()
    found = {}
    for row in rows:
        if not row.startswith("| ctl-"):
            continue
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        cis, _, hub = cells[-1].partition(" / ")

        def ids(text: str) -> list[str]:
            return [] if text.strip() in ("", "—") else [t.strip() for t in text.split(",")]

        found[cells[0]] = (ids(cis), ids(hub))
    return found


@pytest.mark.parametrize("policy", ALL_POLICIES, ids=NAMES)
def test_policy_tags_the_controls_its_readme_row_names(policy: Policy) -> None:
    """The CIS and Security Hub controls a rule reports (its tags, shown with every violation)
    are the ones policies/README.md documents for it."""
    cis, hub = _documented_controls()[policy.name]
    tags = policy.tags or []
    assert [t.split(":", 1)[1] for t in tags if t.startswith(f"{CIS_TAG}:")] == cis
    assert [t.split(":", 1)[1] for t in tags if t.startswith(f"{SECURITY_HUB_TAG}:")] == hub


SCHEMA_KEYWORDS = frozenset({"type", "items", "enum", "default", "description", "minimum",
                             "maximum", "minItems", "uniqueItems", "pattern",
                             "multipleOf"})  # fmt: skip


@pytest.mark.parametrize("policy", ALL_POLICIES, ids=NAMES)
def test_each_config_property_is_a_json_schema_its_default_satisfies(policy: Policy) -> None:
    """What the engine validates a pack config against: every property of a known type, with
    only JSON Schema keywords (a misspelt one is silently ignored), described, and its default
    valid (so a config that leaves it out behaves as documented)."""
    schema = policy.config_schema
    for name, prop in (schema.properties if schema else {}).items():
        assert set(prop) <= SCHEMA_KEYWORDS, name
        assert prop["type"] in ("boolean", "string", "integer", "number", "array"), name
        assert isinstance(prop.get("description"), str) and prop["description"].strip(), name
        if prop["type"] == "array":
            assert prop["items"]["type"] in ("string", "integer"), name
            assert set(prop["items"]) <= SCHEMA_KEYWORDS, name
        jsonschema.validate(prop["default"], prop)


def schema_defaults(policy: Policy) -> dict[str, Any]:
    schema = policy.config_schema
    return {k: v.get("default") for k, v in (schema.properties if schema else {}).items()}


def test_a_rules_defaults_are_its_config_schema_defaults() -> None:
    assert schema_defaults(ctl_ct_001_trail_multi_region.POLICY) == {}
    assert schema_defaults(ctl_s3_023_log_bucket_object_lock.POLICY) == {
        "required": False,
        "mode": "any",
        "minimumRetentionDays": 1,
    }


def test_the_example_config_is_valid_against_each_policys_schema() -> None:
    """policies/policy-config.example.json, which the README offers to copy, sets only
    properties the policies declare, each to a value their schema accepts."""
    example = json.loads((PACK_DIR / "policy-config.example.json").read_text())
    by_name = {p.name: p for p in ALL_POLICIES}
    assert set(example) <= set(by_name)
    for name, setting in example.items():
        if isinstance(setting, str):
            setting = {"enforcementLevel": setting}
        assert setting.pop("enforcementLevel") in {level.value for level in EnforcementLevel}
        schema = by_name[name].config_schema
        properties = schema.properties if schema else {}
        for key, value in setting.items():
            jsonschema.validate(value, properties[key])
