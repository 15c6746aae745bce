"""Values unknown at preview never make a rule pass silently, nor fall back to the SDK's
advisory "can't run policy" note."""

from __future__ import annotations

from dataclasses import replace

import pytest
from literals import UNKNOWN
from policy_cases import Run, compliant_stack, undecided, violated, with_inputs

# (resource, input set to UNKNOWN, policies that must report "cannot be judged")
NEEDED: list[tuple[str, str, set[str]]] = [
    (
        "logs-policy",
        "policy",
        {
            "ctl-s3-002-bucket-policy-tls-only",
            "ctl-s3-003-bucket-policy-no-public-principal",
            "ctl-s3-004-cloudtrail-write-scoped",
            "ctl-s3-005-cloudtrail-acl-check-scoped",
            "ctl-s3-020-log-bucket-grants-in-organization",
            "ctl-s3-021-log-bucket-policy-keeps-denies",
            "ctl-ct-006-trail-bucket-admits-trail",
        },
    ),
    ("logs-sse", "rules", {"ctl-s3-001-bucket-encryption"}),
    ("logs-pab", "blockPublicAcls", {"ctl-s3-006-public-access-block-complete"}),
    ("logs-versioning", "versioningConfiguration", {"ctl-s3-009-log-bucket-versioning"}),
    ("logs-ownership", "rule", {"ctl-s3-008-bucket-ownership-enforced"}),
    ("logs", "forceDestroy", {"ctl-s3-011-bucket-no-force-destroy"}),
    (
        "logs",
        "bucket",
        {"ctl-s3-002-bucket-policy-tls-only", "ctl-ct-006-trail-bucket-admits-trail"},
    ),
    ("trail", "isMultiRegionTrail", {"ctl-ct-001-trail-multi-region"}),
    ("trail", "enableLogFileValidation", {"ctl-ct-002-trail-log-file-validation"}),
    ("trail", "includeGlobalServiceEvents", {"ctl-ct-003-trail-global-service-events"}),
    ("trail", "enableLogging", {"ctl-ct-004-trail-logging-enabled"}),
    ("trail", "name", {"ctl-ct-006-trail-bucket-admits-trail"}),
    ("trail", "s3KeyPrefix", {"ctl-ct-006-trail-bucket-admits-trail"}),
    ("trail", "eventSelectors", {"ctl-ct-007-trail-records-all-management-events"}),
    (
        "trail",
        "advancedEventSelectors",
        {"ctl-ct-007-trail-records-all-management-events", "ctl-ct-008-trail-archive-data-events"},
    ),
    ("logs-access-logging", "targetBucket", {"ctl-s3-022-cloudtrail-bucket-access-logging"}),
    ("trail-key", "policy", {"ctl-kms-002-key-policy-not-public"}),
    ("alerts-policy", "policy", {"ctl-sns-002-topic-policy-not-public"}),
    ("events-policy", "policy", {"ctl-sqs-002-queue-policy-not-public"}),
    ("bus-policy", "policy", {"ctl-events-001-bus-policy-not-public"}),
    ("delivery-role", "assumeRolePolicy", {"ctl-iam-001-role-trust-not-public"}),
    ("trail-key", "enableKeyRotation", {"ctl-kms-001-key-rotation"}),
    ("trail-key", "customerMasterKeySpec", {"ctl-kms-001-key-rotation"}),
]


@pytest.mark.parametrize(
    ("resource", "prop", "expected"), NEEDED, ids=[f"{r}.{p}" for r, p, _ in NEEDED]
)
def test_unknown_needed_value_is_reported(
    run: Run, resource: str, prop: str, expected: set[str]
) -> None:
    report = run(with_inputs(compliant_stack(), resource, **{prop: UNKNOWN}))
    assert expected <= undecided(report), [(v.policy_name, v.detail) for v in report.violations]
    for v in report.undecided:
        assert v.enforcement_level == "mandatory"
        assert v.detail.startswith("cannot be judged at preview"), v.detail
        assert "can't run policy" not in v.message
    assert report.mandatory_count >= len(expected)
    assert not report.passed


def test_unknown_sse_algorithm_passes_when_kms_not_required(run: Run) -> None:
    stack = with_inputs(
        compliant_stack(),
        "logs-sse",
        rules=[{"applyServerSideEncryptionByDefault": {"sseAlgorithm": UNKNOWN}}],
    )
    config = {"ctl-s3-001-bucket-encryption": {"requireKmsForCloudTrailBuckets": False}}
    assert run(stack, config).violations == ()  # any algorithm S3 accepts encrypts
    assert undecided(run(stack)) == {"ctl-s3-001-bucket-encryption"}


def test_unknown_queue_sse_flag_is_reported(run: Run) -> None:
    stack = with_inputs(
        compliant_stack(), "events", drop=("kmsMasterKeyId",), sqsManagedSseEnabled=UNKNOWN
    )
    assert undecided(run(stack)) == {"ctl-sqs-001-queue-encryption"}


def test_companion_with_unknown_bucket_and_no_dependency_is_reported(run: Run) -> None:
    stack = [
        replace(r, inputs={**r.inputs, "bucket": UNKNOWN}, property_dependencies={})
        if r.name == "logs-pab"
        else r
        for r in compliant_stack()
    ]
    report = run(stack)
    assert undecided(report) == {"ctl-s3-007-bucket-has-public-access-block"}


def test_unknown_trail_bucket_without_dependency_is_reported(run: Run) -> None:
    stack = [
        replace(r, inputs={**r.inputs, "s3BucketName": UNKNOWN}, property_dependencies={})
        if r.name == "trail"
        else r
        for r in compliant_stack()
    ]
    assert undecided(run(stack)) == {"ctl-ct-006-trail-bucket-admits-trail"}


def test_presence_of_unknown_key_ids_is_enough(run: Run) -> None:
    report = run(compliant_stack())  # trail/topic/log group KMS ids are UNKNOWN in the baseline
    assert report.violations == ()


def test_no_unknown_input_ever_falls_back_to_the_sdk_note(run: Run) -> None:
    """Blank out every input of every resource, one at a time: never a silent SDK advisory."""
    base = compliant_stack()
    for resource in base:
        for prop in resource.inputs:
            report = run(with_inputs(base, resource.name, **{prop: UNKNOWN}))
            for v in report.violations:
                assert "can't run policy" not in v.message, (resource.name, prop, v.message)
                assert v.enforcement_level == "mandatory"
            if report.violations:
                assert violated(report) == undecided(report), (resource.name, prop)
