"""ctl-s3-024: a CloudTrail bucket's replication has an enabled rule, no delete-marker
replication, SSE-KMS selection with a replica key, and a destination in another Region."""

from dataclasses import replace
from typing import Any

import pytest
from guardrails.rules import ctl_s3_024_log_bucket_replication as rule
from guardrails.support import Res
from literals import (
    ACCOUNT,
    REGION,
    REPLICA_BUCKET_NAME,
    REPLICA_KEY_ARN,
    UNKNOWN,
    replication_rule,
    without,
)
from rule_cases import (
    decided,
    log_bucket_stack,
    replica_bucket,
    replicated_stack,
    replication,
    stack_findings,
    undecided,
    with_props,
)

AES = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]


def with_rule(**overrides: Any) -> list[Res]:
    return [
        *without(replicated_stack(), "logs-replication"),
        replication(replication_rule(**overrides)),
    ]


def test_program_shape_passes_by_default_and_when_required() -> None:
    assert stack_findings(rule, replicated_stack()) == []
    assert stack_findings(rule, replicated_stack(), required=True) == []


def test_no_replication_passes_unless_required() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []
    found = stack_findings(rule, log_bucket_stack(), required=True)
    assert decided(found) and "must be replicated" in found[0][0]


def test_destination_outside_the_stack_passes() -> None:
    other = f"arn:aws:s3:::replica-in-another-account-{ACCOUNT}"
    stack = [
        *log_bucket_stack(),
        replication(
            replication_rule(
                destination={
                    "bucket": other,
                    "encryptionConfiguration": {"replicaKmsKeyId": REPLICA_KEY_ARN},
                }
            )
        ),
    ]
    assert stack_findings(rule, stack, required=True) == []


def test_no_enabled_rule_is_caught() -> None:
    found = stack_findings(rule, with_rule(status="Disabled"))
    assert decided(found) and "no rule with status Enabled" in found[0][0]


def test_delete_marker_replication_is_caught() -> None:
    found = stack_findings(rule, with_rule(deleteMarkerReplication={"status": "Enabled"}))
    assert decided(found) and "delete markers" in found[0][0]


@pytest.mark.parametrize(
    "overrides",
    [
        {"sourceSelectionCriteria": None},
        {"sourceSelectionCriteria": {"sseKmsEncryptedObjects": {"status": "Disabled"}}},
        {"destination": {"bucket": f"arn:aws:s3:::{REPLICA_BUCKET_NAME}"}},
    ],
    ids=["no-selection", "selection-disabled", "no-replica-key"],
)
def test_sse_kms_source_without_kms_replication_is_caught(overrides: dict) -> None:
    assert decided(stack_findings(rule, with_rule(**overrides)))


def test_sse_s3_source_needs_no_kms_settings() -> None:
    stack = with_props(
        with_rule(
            sourceSelectionCriteria=None,
            destination={"bucket": f"arn:aws:s3:::{REPLICA_BUCKET_NAME}"},
        ),
        "logs-sse",
        rules=AES,
    )
    assert stack_findings(rule, stack) == []


def test_same_region_replica_is_caught() -> None:
    stack = [
        *with_props(log_bucket_stack(), "logs", region=REGION),
        *replica_bucket(region=REGION),
        replication(),
    ]
    found = stack_findings(rule, stack)
    assert decided(found) and "same Region" in found[0][0]


def test_regions_not_set_on_both_buckets_are_not_judged() -> None:
    assert stack_findings(rule, replicated_stack(source_region=None)) == []


def test_legacy_inline_replication_is_read() -> None:
    inline_rule = {
        "status": "Enabled",
        "deleteMarkerReplicationStatus": "Enabled",
        "sourceSelectionCriteria": {"sseKmsEncryptedObjects": {"enabled": True}},
        "destination": {
            "bucket": f"arn:aws:s3:::{REPLICA_BUCKET_NAME}",
            "replicaKmsKeyId": REPLICA_KEY_ARN,
        },
    }
    inline = {"role": "arn:aws:iam::111122223333:role/r", "rules": [inline_rule]}
    stack = with_props(log_bucket_stack(), "logs", replicationConfiguration=inline)
    found = stack_findings(rule, stack)
    assert decided(found) and "delete markers" in found[0][0]
    inline_rule["deleteMarkerReplicationStatus"] = "Disabled"
    assert stack_findings(rule, stack, required=True) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": UNKNOWN},
        {"deleteMarkerReplication": {"status": UNKNOWN}},
        {"sourceSelectionCriteria": {"sseKmsEncryptedObjects": {"status": UNKNOWN}}},
    ],
)
def test_unknown_rule_values_are_undecided(overrides: dict) -> None:
    assert undecided(stack_findings(rule, with_rule(**overrides)))


def test_unknown_rules_or_encryption_or_region_are_undecided() -> None:
    assert undecided(
        stack_findings(rule, with_props(replicated_stack(), "logs-replication", rules=UNKNOWN))
    )
    unknown_sse = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": UNKNOWN}}]
    stack = with_props(with_rule(sourceSelectionCriteria=None), "logs-sse", rules=unknown_sse)
    assert undecided(stack_findings(rule, stack))
    stack = with_props(replicated_stack(), "replica", region=UNKNOWN)
    assert undecided(stack_findings(rule, stack))


def test_unknown_destination_resolved_through_its_dependency() -> None:
    same = with_props(replicated_stack(), "replica", region=REGION)
    stack = with_props(
        same,
        "logs-replication",
        rules=[
            replication_rule(
                destination={
                    "bucket": UNKNOWN,
                    "encryptionConfiguration": {"replicaKmsKeyId": UNKNOWN},
                }
            )
        ],
    )
    assert decided(stack_findings(rule, stack))


def test_unknown_replication_bucket_without_dependency_is_undecided_when_required() -> None:
    stray = replace(replication(name="stray"), property_dependencies={})
    stray = replace(stray, props={**stray.props, "bucket": UNKNOWN})
    assert undecided(stack_findings(rule, [*log_bucket_stack(), stray], required=True))
