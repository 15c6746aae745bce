"""Policy config handling, pack isolation from the program, the report format."""

from __future__ import annotations

import ast
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from guardrails import ALL_POLICIES
from policy_cases import (
    PACK_DIR,
    PROJECT,
    STACK,
    Run,
    compliant_stack,
    with_inputs,
)

from engine_model.analyzer import (
    AnalyzerError,
    PolicyConfigError,
    PolicyPackProcess,
    analyze,
    load_policy_config,
)
from offline.policy_report import format_json, format_text

FORBIDDEN = {"cloudtrail_logging", "components", "offline", "tests", "__main__"}


@pytest.mark.parametrize(
    ("config", "needle"),
    [
        (
            {"ctl-s3-001-bucket-encryption": {"requireKmsForCloudTrailBuckets": "yes"}},
            "ctl-s3-001-bucket-encryption.requireKmsForCloudTrailBuckets: expected boolean",
        ),
        (
            {"ctl-s3-009-log-bucket-versioning": {"appliesTo": "someBuckets"}},
            "ctl-s3-009-log-bucket-versioning.appliesTo: expected one of",
        ),
        (
            {"ctl-ct-001-trail-multi-region": {"requireEverything": True}},
            "ctl-ct-001-trail-multi-region.requireEverything: not a config property",
        ),
        (
            {"ctl-ct-001-trail-multi-region": {"enforcementLevel": "fatal"}},
            "ctl-ct-001-trail-multi-region.enforcementLevel: expected one of",
        ),
        ({"ctl-no-such-policy": "advisory"}, "ctl-no-such-policy: no such policy"),
        ({"ctl-ct-001-trail-multi-region": 3}, "ctl-ct-001-trail-multi-region: expected"),
        (
            {"ctl-s3-020-log-bucket-grants-in-organization": {"allowedAccounts": ["12345"]}},
            "ctl-s3-020-log-bucket-grants-in-organization.allowedAccounts[0]: must match",
        ),
        (
            {"ctl-s3-020-log-bucket-grants-in-organization": {"organizationId": "o-*"}},
            "ctl-s3-020-log-bucket-grants-in-organization.organizationId: must match",
        ),
        (
            {"ctl-s3-021-log-bucket-policy-keeps-denies": {"requiredDenies": ["nothing"]}},
            "ctl-s3-021-log-bucket-policy-keeps-denies.requiredDenies[0]: expected one of",
        ),
    ],
)
def test_bad_policy_config_is_refused_naming_policy_and_key(
    run: Run, config: dict[str, Any], needle: str
) -> None:
    with pytest.raises(PolicyConfigError) as excinfo:
        run(compliant_stack(), config)
    assert needle in str(excinfo.value)


def test_enforcement_level_override_and_all(run: Run) -> None:
    stack = with_inputs(compliant_stack(), "trail", isMultiRegionTrail=False)
    report = run(stack, {"ctl-ct-001-trail-multi-region": "advisory"})
    assert [v.enforcement_level for v in report.violations] == ["advisory"]
    assert report.mandatory_count == 0 and report.passed
    assert run(stack, {"all": "disabled"}).violations == ()
    assert run(stack).mandatory_count == 1  # Configure again restores the defaults


def test_effective_config_carries_schema_defaults(run: Run) -> None:
    report = run(compliant_stack())
    assert report.config["ctl-s3-001-bucket-encryption"] == {
        "enforcementLevel": "mandatory",
        "requireKmsForCloudTrailBuckets": True,
    }


def test_example_config_is_valid_and_analyze_runs_end_to_end() -> None:
    example = PACK_DIR / "policy-config.example.json"
    assert load_policy_config(example)
    report = analyze(
        compliant_stack(), project=PROJECT, stack=STACK, pack_dir=PACK_DIR, config_file=example
    )
    assert report.passed and report.violations == ()
    assert report.pack_name == "cloudtrail-logging-guardrails"
    assert report.pack_version == "0.1.0"


def test_unreadable_config_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "policy.json"
    bad.write_text("{nope")
    with pytest.raises(PolicyConfigError, match="cannot read policy pack config"):
        load_policy_config(bad)


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                roots.add(".")  # relative imports break under runpy.run_path
            elif node.module:
                roots.add(node.module.split(".")[0])
    return roots


def test_pack_sources_import_only_sdk_stdlib_and_itself() -> None:
    allowed = set(sys.stdlib_module_names) | {"pulumi", "pulumi_policy", "guardrails"}
    sources = [p for p in PACK_DIR.rglob("*.py") if "venv" not in p.parts]
    assert sources
    for source in sources:
        roots = _imported_roots(source)
        assert not roots & FORBIDDEN, (source, roots & FORBIDDEN)
        assert roots <= allowed, (source, roots - allowed)


def test_pack_runs_from_a_copy_outside_the_project(tmp_path: Path) -> None:
    copy = tmp_path / "pack"
    shutil.copytree(PACK_DIR, copy, ignore=shutil.ignore_patterns("venv", "__pycache__"))
    with PolicyPackProcess(copy) as pack:
        info = pack.info()
        assert info.name == "cloudtrail-logging-guardrails"
        assert list(info.policies) == [p.name for p in ALL_POLICIES]
        assert all(p.severity for p in info.policies.values())
        assert pack.analyze(compliant_stack(), project=PROJECT, stack=STACK).passed


def test_a_broken_pack_fails_with_its_error(tmp_path: Path) -> None:
    (tmp_path / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (tmp_path / "__main__.py").write_text("raise SystemExit('boom: pack is broken')\n")
    with pytest.raises(AnalyzerError, match="failed to start"):
        PolicyPackProcess(tmp_path, startup_timeout=20).start()
    with pytest.raises(AnalyzerError, match="not a policy pack"):
        PolicyPackProcess(tmp_path / "missing").start()


def test_text_report_matches_cli_layout(run: Run) -> None:
    assert "✅ cloudtrail-logging-guardrails@v0.1.0" in format_text(run(compliant_stack()))
    report = run(with_inputs(compliant_stack(), "trail", isMultiRegionTrail=False))
    lines = format_text(report).splitlines()
    assert lines[0] == "Policies:"
    assert lines[1] == "    ❌ cloudtrail-logging-guardrails@v0.1.0"
    assert lines[2] == (
        "        - [mandatory]  ctl-ct-001-trail-multi-region  (aws:cloudtrail/trail:Trail: trail)"
    )
    assert lines[3].startswith("          Every CloudTrail trail is multi-region")
    assert "isMultiRegionTrail" in lines[4]
    # Then what the CLI does not print: the policy's own metadata.
    assert lines[5] == (
        "          severity: high | CIS AWS Foundations Benchmark v3.0.0: 3.1 | "
        "AWS Security Hub: CloudTrail.1"
    )
    assert lines[6] == (
        "          remediation: Set isMultiRegionTrail to true on the aws.cloudtrail.Trail."
    )
    assert lines[7].startswith("          see: https://docs.aws.amazon.com/securityhub/")
    data = json.loads(format_json(report))
    assert data["mandatoryCount"] == 1 and data["passed"] is False
    assert data["violations"][0]["resourceName"] == "trail"
    assert data["violations"][0]["severity"] == "high"
    assert data["violations"][0]["compliance"][1] == "AWS Security Hub: CloudTrail.1"
    assert data["violations"][0]["remediation"]
