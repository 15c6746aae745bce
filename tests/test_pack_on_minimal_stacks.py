"""Secure and coherent by default: minimal stacks pass the shipped pack's defaults; each
documented choice the pack refuses is admitted by the policy config shipped for it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine_model.analyzer import PolicyPackProcess, PolicyReport
from offline.cli import POLICY_PACK_DIR
from tests.conftest import MEMBER, SECURITY, Stack, archive_config, archive_outputs, member_config

CONFIGS = POLICY_PACK_DIR / "config"
ORG = "o-abcdefghij"
BUS = f"arn:aws:events:us-east-1:{SECURITY}:event-bus/cloudtrail-logging-alerts"
KEY = f"arn:aws:kms:us-east-1:{SECURITY}:key/0f0e0d0c-0b0a-0908-0706-050403020100"


@pytest.fixture(scope="module")
def pack() -> Iterator[PolicyPackProcess]:
    with PolicyPackProcess(POLICY_PACK_DIR) as process:
        yield process


def analyze(pack: PolicyPackProcess, stack: Stack, config: Path | None = None) -> PolicyReport:
    user: Any = json.loads(config.read_text()) if config else None
    return pack.analyze(list(stack.resources), project="cloudtrail-logging", stack="t",
                        config=user)


def mandatory(report: PolicyReport) -> set[str]:
    return {v.policy_name for v in report.violations if v.enforcement_level == "mandatory"}


def test_a_minimal_log_archive_passes(pack: PolicyPackProcess, run_stack) -> None:
    assert mandatory(analyze(pack, run_stack(archive_config()))) == set()


def test_a_minimal_member_passes(pack: PolicyPackProcess, run_stack) -> None:
    stack = run_stack(member_config(), outputs=archive_outputs(kmsKeyArn=KEY))
    assert mandatory(analyze(pack, stack)) == set()


@pytest.mark.parametrize(
    ("overrides", "policy", "only", "config_file"),
    [
        ({"encryption": "sse-s3"}, "ctl-s3-001-bucket-encryption", False, "sse-s3.json"),
        ({"logGroupKms": False}, "ctl-logs-001-log-group-encryption", False,
         "log-group-without-kms.json"),
        ({"accessLogging": False}, "ctl-s3-022-cloudtrail-bucket-access-logging", True,
         "without-access-logging.json"),
    ],
    ids=["sse-s3", "log-group-without-kms", "without-access-logging"],
)
def test_a_choice_is_refused_by_default_and_admitted_by_its_config(
    pack: PolicyPackProcess,
    run_stack,
    overrides: dict[str, Any],
    policy: str,
    only: bool,
    config_file: str,
) -> None:
    """`only`: the refusing policy is the only mandatory finding."""
    stack = run_stack(archive_config(**overrides))
    refused = mandatory(analyze(pack, stack))
    assert policy in refused
    if only:
        assert refused == {policy}
    assert mandatory(analyze(pack, stack, CONFIGS / config_file)) == set()


REQUIRE_INTEGRITY = {
    "ctl-s3-023-log-bucket-object-lock": {"required": True, "mode": "COMPLIANCE",
                                          "minimumRetentionDays": 365},
    "ctl-s3-024-log-bucket-replication": {"required": True},
    "ctl-ct-008-trail-archive-data-events": {"required": True},
    "ctl-ct-009-trail-insights": {"required": True},
}


def test_every_integrity_option_passes_the_pack_that_requires_it(
    pack: PolicyPackProcess, run_stack
) -> None:
    stack = run_stack(archive_config(
        objectLockMode="COMPLIANCE", objectLockRetentionDays=365, replicationRegion="eu-west-1",
        insights=True,
    ))  # fmt: skip
    report = pack.analyze(list(stack.resources), project="cloudtrail-logging", stack="t",
                          config=REQUIRE_INTEGRITY)
    assert [v.message for v in report.violations] == []


@pytest.mark.parametrize(
    ("overrides", "policy"),
    [
        ({"objectLockMode": "GOVERNANCE", "objectLockRetentionDays": 365},
         "ctl-s3-023-log-bucket-object-lock"),  # the pack asks for COMPLIANCE
        ({"objectLockMode": "COMPLIANCE", "objectLockRetentionDays": 30},
         "ctl-s3-023-log-bucket-object-lock"),  # and at least 365 days
        ({"replicationRegion": ""}, "ctl-s3-024-log-bucket-replication"),
        ({"logAccessDataEvents": False}, "ctl-ct-008-trail-archive-data-events"),
        ({"insights": False}, "ctl-ct-009-trail-insights"),
    ],
)  # fmt: skip
def test_a_required_integrity_option_left_out_is_caught(
    pack: PolicyPackProcess, run_stack, overrides: dict[str, Any], policy: str
) -> None:
    values = {"objectLockMode": "COMPLIANCE", "objectLockRetentionDays": 365,
              "replicationRegion": "eu-west-1", "insights": True, **overrides}
    stack = run_stack(archive_config(**values))
    report = pack.analyze(list(stack.resources), project="cloudtrail-logging", stack="t",
                          config=REQUIRE_INTEGRITY)
    assert {v.policy_name for v in report.violations} == {policy}


def test_the_organization_trails_stack_passes(pack: PolicyPackProcess, run_stack) -> None:
    outputs = archive_outputs(organizationId=ORG, managementAccountId=MEMBER, eventBusArn=BUS,
                              kmsKeyArn=KEY)
    alert = {"name": "run", "eventSource": "ec2.amazonaws.com", "eventNames": ["RunInstances"]}
    stack = run_stack(member_config(organizationTrail=True, apiAlerts=[alert]), outputs=outputs)
    assert stack.of_type("aws:cloudformation/stackSet:StackSet")
    assert mandatory(analyze(pack, stack)) == set()
