"""End to end over gRPC, as the CLI drives the pack: a few violating and compliant stacks.

Each rule's own cases live in tests/policies/rules/ (in-process, one module per rule); these
prove the wiring: type filters, config from Configure, nested inputs through the protobuf
Struct, stack-policy URNs, and the enforcement level of what comes back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from guardrails import ALL_POLICIES
from literals import (
    ACCOUNT,
    BUCKET,
    BUCKET_NAME,
    acl_check,
    deny_insecure_transport,
    document,
    trail_write,
    without,
)
from policy_cases import (
    CapturedResource,
    Run,
    compliant_stack,
    res,
    violated,
    with_inputs,
    with_policy,
)

Stack = list[CapturedResource]
Mutation = Callable[[Stack], Stack]
OUTSIDER = "999999999999"


def _public_key_policy(s: Stack) -> Stack:
    statement = {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}
    return with_inputs(s, "trail-key", policy=document(statement))


def _kms_excluded(s: Stack) -> Stack:
    selectors = [
        {
            "fieldSelectors": [
                {"field": "eventCategory", "equals": ["Management"]},
                {"field": "eventSource", "notEquals": ["kms.amazonaws.com"]},
            ]
        }
    ]
    return with_inputs(s, "trail", advancedEventSelectors=selectors)


def _outside_grant(s: Stack) -> Stack:
    grant = {
        "Sid": "Outsider",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{OUTSIDER}:root"},
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET_NAME}/*",
    }
    reads_by_others = {
        "Sid": "DenyReadsByOthers",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET_NAME}/*",
        "Condition": {"ArnNotEquals": {"aws:PrincipalArn": grant["Principal"]["AWS"]}},
    }
    return with_policy(
        s, acl_check(), trail_write(), deny_insecure_transport(), grant, reads_by_others
    )


def _deletion_deny_removed(s: Stack) -> Stack:
    current = json.loads(next(r for r in s if r.name == "logs-policy").inputs["policy"])
    kept = [x for x in current["Statement"] if x.get("Sid") != "DenyBucketDeletion"]
    return with_inputs(s, "logs-policy", policy=document(*kept))


# (case id, mutation, policy expected to be violated, mandatory)
VIOLATIONS: list[tuple[str, Mutation, str]] = [
    (
        "single-region",
        lambda s: with_inputs(s, "trail", isMultiRegionTrail=False),
        "ctl-ct-001-trail-multi-region",
    ),
    (
        "no-tls-deny",
        lambda s: with_policy(s, acl_check(), trail_write()),
        "ctl-s3-002-bucket-policy-tls-only",
    ),
    ("public-key-policy", _public_key_policy, "ctl-kms-002-key-policy-not-public"),
    ("kms-events-excluded", _kms_excluded, "ctl-ct-007-trail-records-all-management-events"),
    ("grant-to-outsider", _outside_grant, "ctl-s3-020-log-bucket-grants-in-organization"),
    ("deletion-deny-removed", _deletion_deny_removed, "ctl-s3-021-log-bucket-policy-keeps-denies"),
    ("unversioned", lambda s: without(s, "logs-versioning"), "ctl-s3-009-log-bucket-versioning"),
]

# (case id, mutation, config or None): still compliant.
COMPLIANT: list[tuple[str, Mutation, dict[str, Any] | None]] = [
    ("baseline", lambda s: s, None),
    (
        "bucket-v2-legacy-inline-shapes",
        lambda s: [
            replace(
                r,
                type="aws:s3/bucketV2:BucketV2",
                urn=r.urn.replace(BUCKET, "aws:s3/bucketV2:BucketV2"),
            )
            if r.name == "logs"
            else r
            for r in with_inputs(
                without(s, "logs-sse", "logs-versioning"),
                "logs",
                serverSideEncryptionConfigurations=[
                    {
                        "rules": [
                            {"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": "aws:kms"}]}
                        ]
                    }
                ],
                versionings=[{"enabled": True}],
            )
        ],
        None,
    ),
    (
        "outsider-allowed-by-config",
        _outside_grant,
        {"ctl-s3-020-log-bucket-grants-in-organization": {"allowedAccounts": [ACCOUNT, OUTSIDER]}},
    ),
    (
        "deletion-deny-not-required",
        _deletion_deny_removed,
        {
            "ctl-s3-021-log-bucket-policy-keeps-denies": {
                "requiredDenies": ["writesNotFromTrails", "readsByOthers"]
            }
        },
    ),
]


@pytest.mark.parametrize(("case", "mutate", "policy"), VIOLATIONS, ids=[c[0] for c in VIOLATIONS])
def test_violation_is_caught(run: Run, case: str, mutate: Mutation, policy: str) -> None:
    report = run(mutate(compliant_stack()))
    hits = [v for v in report.violations if v.policy_name == policy]
    assert hits, [(v.policy_name, v.detail) for v in report.violations]
    assert all(v.enforcement_level == "mandatory" and not v.undecided for v in hits)
    assert all(v.resource_name for v in hits)  # every finding names a resource


@pytest.mark.parametrize(("case", "mutate", "config"), COMPLIANT, ids=[c[0] for c in COMPLIANT])
def test_compliant_case_passes(
    run: Run, case: str, mutate: Mutation, config: dict[str, Any] | None
) -> None:
    report = run(mutate(compliant_stack()), config)
    assert report.violations == (), [(v.policy_name, v.detail) for v in report.violations]


def test_pack_serves_every_policy_of_the_package(pack: Any) -> None:
    assert list(pack.info().policies) == [p.name for p in ALL_POLICIES]


def test_non_cloudtrail_bucket_versioning_when_all_buckets_in_scope(run: Run) -> None:
    stack = [*compliant_stack(), res(BUCKET, "scratch", {"bucket": "scratch-bucket"})]
    config = {"ctl-s3-009-log-bucket-versioning": {"appliesTo": "allBuckets"}}
    assert "ctl-s3-009-log-bucket-versioning" not in violated(run(stack))
    hits = {(v.policy_name, v.resource_name) for v in run(stack, config).violations}
    assert ("ctl-s3-009-log-bucket-versioning", "scratch") in hits


def test_resource_violation_names_the_resource_and_carries_metadata(run: Run) -> None:
    report = run(with_inputs(compliant_stack(), "trail", isMultiRegionTrail=False))
    (v,) = report.violations
    assert (v.resource_type, v.resource_name) == ("aws:cloudtrail/trail:Trail", "trail")
    assert v.severity == "high"
    assert "isMultiRegionTrail" in v.detail
    assert v.compliance == (
        "CIS AWS Foundations Benchmark v3.0.0: 3.1",
        "AWS Security Hub: CloudTrail.1",
    )
    assert v.remediation.startswith("Set isMultiRegionTrail")
    assert v.url.endswith("cloudtrail-controls.html#cloudtrail-1")
