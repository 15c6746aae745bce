"""Every policy: a compliant case that passes and violating cases it catches, via gRPC."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from policy_cases import (
    ACCOUNT,
    BUCKET,
    BUCKET_NAME,
    BUCKET_POLICY,
    PAB,
    SSE,
    UNKNOWN,
    CapturedResource,
    Run,
    acl_statement,
    compliant_stack,
    policy_json,
    res,
    tls_statement,
    violated,
    with_inputs,
    with_policy,
    without,
    write_statement,
)

Stack = list[CapturedResource]
SSE_V2 = (
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
)
VERSIONING_V2 = "aws:s3/bucketVersioningV2:BucketVersioningV2"
Mutation = Callable[[Stack], Stack]

ALL_POLICY_NAMES = {
    "ctl-s3-001-bucket-encryption",
    "ctl-s3-002-bucket-policy-tls-only",
    "ctl-s3-003-bucket-policy-no-public-principal",
    "ctl-s3-004-cloudtrail-write-scoped",
    "ctl-s3-005-cloudtrail-acl-check-scoped",
    "ctl-s3-006-public-access-block-complete",
    "ctl-s3-007-bucket-has-public-access-block",
    "ctl-s3-008-bucket-ownership-enforced",
    "ctl-s3-009-log-bucket-versioning",
    "ctl-s3-010-log-bucket-protected",
    "ctl-s3-011-bucket-no-force-destroy",
    "ctl-ct-001-trail-multi-region",
    "ctl-ct-002-trail-log-file-validation",
    "ctl-ct-003-trail-global-service-events",
    "ctl-ct-004-trail-logging-enabled",
    "ctl-ct-005-trail-kms-encryption",
    "ctl-ct-006-trail-bucket-admits-trail",
    "ctl-kms-001-key-rotation",
    "ctl-sns-001-topic-encryption",
    "ctl-sqs-001-queue-encryption",
    "ctl-logs-001-log-group-encryption",
}


def _public_read(**extra: Any) -> dict[str, Any]:
    stmt = {
        "Sid": "Read",
        "Effect": "Allow",
        "Principal": {"AWS": "*"},
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET_NAME}/*",
    }
    stmt.update(extra)
    return stmt


def _sse(algorithm: Any) -> Mutation:
    rules = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": algorithm}}]
    return lambda s: with_inputs(s, "logs-sse", rules=rules)


def _plain_bucket(name: str = "scratch", **inputs: Any) -> Mutation:
    """Add a second, non-CloudTrail bucket with everything but versioning/protect."""
    bucket_name = f"{name}-bucket"

    def mutate(s: Stack) -> Stack:
        b = res(BUCKET, name, {"bucket": bucket_name, **inputs})
        pab = {k: True for k in ("blockPublicAcls", "blockPublicPolicy")}
        pab |= {k: True for k in ("ignorePublicAcls", "restrictPublicBuckets")}
        return [
            *s,
            b,
            res(SSE, f"{name}-sse", {"bucket": bucket_name, "rules": _aes()}),
            res(PAB, f"{name}-pab", {"bucket": bucket_name, **pab}),
            res(
                "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                f"{name}-own",
                {"bucket": bucket_name, "rule": {"objectOwnership": "BucketOwnerEnforced"}},
            ),
            res(
                BUCKET_POLICY,
                f"{name}-policy",
                {"bucket": bucket_name, "policy": policy_json(tls_statement(bucket_name))},
            ),
        ]

    return mutate


def _aes() -> list[dict[str, Any]]:
    return [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]


# (case id, mutation, policy expected to be violated)
VIOLATIONS: list[tuple[str, Mutation, str]] = [
    ("no-sse", lambda s: without(s, "logs-sse"), "ctl-s3-001-bucket-encryption"),
    ("aes-on-trail-bucket", _sse("AES256"), "ctl-s3-001-bucket-encryption"),
    (
        "policy-grant-makes-cloudtrail-bucket",
        lambda s: with_inputs(without(s, "trail"), "logs-sse", rules=_aes()),
        "ctl-s3-001-bucket-encryption",
    ),
    (
        "no-tls-deny",
        lambda s: with_policy(s, acl_statement(), write_statement()),
        "ctl-s3-002-bucket-policy-tls-only",
    ),
    (
        "tls-deny-objects-only",
        lambda s: with_policy(
            s,
            acl_statement(),
            write_statement(),
            tls_statement(Resource=f"arn:aws:s3:::{BUCKET_NAME}/*"),
        ),
        "ctl-s3-002-bucket-policy-tls-only",
    ),
    (
        "tls-deny-some-actions",
        lambda s: with_policy(
            s, acl_statement(), write_statement(), tls_statement(Action="s3:Get*")
        ),
        "ctl-s3-002-bucket-policy-tls-only",
    ),
    ("no-bucket-policy", lambda s: without(s, "logs-policy"), "ctl-s3-002-bucket-policy-tls-only"),
    (
        "invalid-policy-json",
        lambda s: with_inputs(s, "logs-policy", policy="{not json"),
        "ctl-s3-002-bucket-policy-tls-only",
    ),
    (
        "public-read",
        lambda s: with_policy(
            s, acl_statement(), write_statement(), tls_statement(), _public_read()
        ),
        "ctl-s3-003-bucket-policy-no-public-principal",
    ),
    (
        "public-read-ifexists-org",
        lambda s: with_policy(
            s,
            acl_statement(),
            write_statement(),
            tls_statement(),
            _public_read(Condition={"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-abc"}}),
        ),
        "ctl-s3-003-bucket-policy-no-public-principal",
    ),
    (
        "public-star-principal-wildcard-org",
        lambda s: with_policy(
            s,
            acl_statement(),
            write_statement(),
            tls_statement(),
            _public_read(Principal="*", Condition={"StringLike": {"aws:PrincipalOrgID": "*"}}),
        ),
        "ctl-s3-003-bucket-policy-no-public-principal",
    ),
    (
        "allow-not-principal",
        lambda s: with_policy(
            s,
            acl_statement(),
            write_statement(),
            tls_statement(),
            {
                "Effect": "Allow",
                "NotPrincipal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET_NAME}/*",
            },
        ),
        "ctl-s3-003-bucket-policy-no-public-principal",
    ),
    (
        "inline-bucket-policy-public",
        lambda s: with_inputs(s, "logs", policy=policy_json(_public_read())),
        "ctl-s3-003-bucket-policy-no-public-principal",
    ),
    (
        "write-whole-bucket",
        lambda s: with_policy(
            s,
            acl_statement(),
            write_statement(Resource=f"arn:aws:s3:::{BUCKET_NAME}/*"),
            tls_statement(),
        ),
        "ctl-s3-004-cloudtrail-write-scoped",
    ),
    (
        "write-star-resource",
        lambda s: with_policy(s, acl_statement(), write_statement(Resource="*"), tls_statement()),
        "ctl-s3-004-cloudtrail-write-scoped",
    ),
    (
        "write-wildcard-prefix",
        lambda s: with_policy(
            s,
            acl_statement(),
            write_statement(Resource=f"arn:aws:s3:::{BUCKET_NAME}/*/AWSLogs/*"),
            tls_statement(),
        ),
        "ctl-s3-004-cloudtrail-write-scoped",
    ),
    (
        "write-no-conditions",
        lambda s: with_policy(s, acl_statement(), write_statement(Condition={}), tls_statement()),
        "ctl-s3-004-cloudtrail-write-scoped",
    ),
    (
        "write-wildcard-account-source-arn",
        lambda s: with_policy(
            s,
            acl_statement(),
            write_statement(
                Condition={"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:*:trail/*"}}
            ),
            tls_statement(),
        ),
        "ctl-s3-004-cloudtrail-write-scoped",
    ),
    (
        "write-all-s3-actions",
        lambda s: with_policy(s, acl_statement(), write_statement(Action="s3:*"), tls_statement()),
        "ctl-s3-004-cloudtrail-write-scoped",
    ),
    (
        "acl-no-conditions",
        lambda s: with_policy(s, acl_statement(Condition={}), write_statement(), tls_statement()),
        "ctl-s3-005-cloudtrail-acl-check-scoped",
    ),
    (
        "acl-on-objects",
        lambda s: with_policy(
            s,
            acl_statement(Resource=f"arn:aws:s3:::{BUCKET_NAME}/*"),
            write_statement(),
            tls_statement(),
        ),
        "ctl-s3-005-cloudtrail-acl-check-scoped",
    ),
    (
        "pab-incomplete",
        lambda s: with_inputs(s, "logs-pab", blockPublicPolicy=False),
        "ctl-s3-006-public-access-block-complete",
    ),
    (
        "pab-setting-unset",
        lambda s: with_inputs(s, "logs-pab", drop=("restrictPublicBuckets",)),
        "ctl-s3-006-public-access-block-complete",
    ),
    ("no-pab", lambda s: without(s, "logs-pab"), "ctl-s3-007-bucket-has-public-access-block"),
    (
        "no-ownership",
        lambda s: without(s, "logs-ownership"),
        "ctl-s3-008-bucket-ownership-enforced",
    ),
    (
        "ownership-object-writer",
        lambda s: with_inputs(s, "logs-ownership", rule={"objectOwnership": "ObjectWriter"}),
        "ctl-s3-008-bucket-ownership-enforced",
    ),
    ("no-versioning", lambda s: without(s, "logs-versioning"), "ctl-s3-009-log-bucket-versioning"),
    (
        "versioning-suspended",
        lambda s: with_inputs(
            s, "logs-versioning", versioningConfiguration={"status": "Suspended"}
        ),
        "ctl-s3-009-log-bucket-versioning",
    ),
    (
        "unprotected",
        lambda s: [replace(r, protect=False) if r.name == "logs" else r for r in s],
        "ctl-s3-010-log-bucket-protected",
    ),
    (
        "force-destroy",
        lambda s: with_inputs(s, "logs", forceDestroy=True),
        "ctl-s3-011-bucket-no-force-destroy",
    ),
    (
        "single-region",
        lambda s: with_inputs(s, "trail", isMultiRegionTrail=False),
        "ctl-ct-001-trail-multi-region",
    ),
    (
        "multi-region-unset",
        lambda s: with_inputs(s, "trail", drop=("isMultiRegionTrail",)),
        "ctl-ct-001-trail-multi-region",
    ),
    (
        "no-validation",
        lambda s: with_inputs(s, "trail", drop=("enableLogFileValidation",)),
        "ctl-ct-002-trail-log-file-validation",
    ),
    (
        "no-global-events",
        lambda s: with_inputs(s, "trail", includeGlobalServiceEvents=False),
        "ctl-ct-003-trail-global-service-events",
    ),
    (
        "logging-off",
        lambda s: with_inputs(s, "trail", enableLogging=False),
        "ctl-ct-004-trail-logging-enabled",
    ),
    (
        "trail-no-kms",
        lambda s: with_inputs(s, "trail", drop=("kmsKeyId",)),
        "ctl-ct-005-trail-kms-encryption",
    ),
    (
        "trail-kms-empty",
        lambda s: with_inputs(s, "trail", kmsKeyId=""),
        "ctl-ct-005-trail-kms-encryption",
    ),
    (
        "trail-not-named-by-source-arn",
        lambda s: with_inputs(s, "trail", name="another-trail"),
        "ctl-ct-006-trail-bucket-admits-trail",
    ),
    (
        "trail-prefix-outside-grant",
        lambda s: with_inputs(s, "trail", s3KeyPrefix="org"),
        "ctl-ct-006-trail-bucket-admits-trail",
    ),
    (
        "trail-no-acl-grant",
        lambda s: with_policy(s, write_statement(), tls_statement()),
        "ctl-ct-006-trail-bucket-admits-trail",
    ),
    (
        "key-no-rotation",
        lambda s: with_inputs(s, "trail-key", enableKeyRotation=False),
        "ctl-kms-001-key-rotation",
    ),
    (
        "key-rotation-unset",
        lambda s: with_inputs(s, "trail-key", drop=("enableKeyRotation",)),
        "ctl-kms-001-key-rotation",
    ),
    (
        "topic-unencrypted",
        lambda s: with_inputs(s, "alerts", drop=("kmsMasterKeyId",)),
        "ctl-sns-001-topic-encryption",
    ),
    (
        "queue-unencrypted",
        lambda s: with_inputs(s, "events", drop=("kmsMasterKeyId",)),
        "ctl-sqs-001-queue-encryption",
    ),
    (
        "queue-sse-sqs-off",
        lambda s: with_inputs(s, "events", drop=("kmsMasterKeyId",), sqsManagedSseEnabled=False),
        "ctl-sqs-001-queue-encryption",
    ),
    (
        "log-group-unencrypted",
        lambda s: with_inputs(s, "trail-logs", drop=("kmsKeyId",)),
        "ctl-logs-001-log-group-encryption",
    ),
]

# (case id, mutation, config or None): still compliant.
COMPLIANT: list[tuple[str, Mutation, dict[str, Any] | None]] = [
    ("baseline", lambda s: s, None),
    (
        "aes-allowed-by-config",
        _sse("AES256"),
        {"ctl-s3-001-bucket-encryption": {"requireKmsForCloudTrailBuckets": False}},
    ),
    ("dsse", _sse("aws:kms:dsse"), None),
    (
        "legacy-inline-sse-and-versioning",
        lambda s: with_inputs(
            without(s, "logs-sse", "logs-versioning"),
            "logs",
            serverSideEncryptionConfiguration={
                "rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}
            },
            versioning={"enabled": True},
        ),
        None,
    ),
    (
        "bucket-v2-inline-shapes",
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
        "v2-split-resource-tokens",
        lambda s: [
            replace(r, type=SSE_V2)
            if r.name == "logs-sse"
            else replace(r, type=VERSIONING_V2)
            if r.name == "logs-versioning"
            else r
            for r in s
        ],
        None,
    ),
    (
        "public-principal-scoped-to-org",
        lambda s: with_policy(
            s,
            acl_statement(),
            write_statement(),
            tls_statement(),
            _public_read(Condition={"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}),
        ),
        None,
    ),
    (
        "write-policy-variable-after-awslogs",
        lambda s: with_policy(
            s,
            acl_statement(),
            write_statement(
                Resource=f"arn:aws:s3:::{BUCKET_NAME}/AWSLogs/${{aws:SourceAccount}}/*"
            ),
            tls_statement(),
        ),
        None,
    ),
    (
        "source-account-only-and-like-source-arn",
        lambda s: with_policy(
            s,
            acl_statement(Condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}}),
            write_statement(
                Condition={
                    "ArnLike": {"aws:SourceArn": f"arn:aws:cloudtrail:*:{ACCOUNT}:trail/org-*"}
                }
            ),
            tls_statement(),
        ),
        None,
    ),
    (
        "conditions-not-required",
        lambda s: with_policy(
            s, acl_statement(Condition={}), write_statement(Condition={}), tls_statement()
        ),
        {
            "ctl-s3-004-cloudtrail-write-scoped": {"requireSourceConditions": False},
            "ctl-s3-005-cloudtrail-acl-check-scoped": {"requireSourceConditions": False},
        },
    ),
    (
        "trail-prefix-granted",
        lambda s: with_policy(
            with_inputs(s, "trail", s3KeyPrefix="org"),
            acl_statement(),
            write_statement(Resource=f"arn:aws:s3:::{BUCKET_NAME}/org/AWSLogs/{ACCOUNT}/*"),
            tls_statement(),
        ),
        None,
    ),
    (
        "trail-to-bucket-outside-stack",
        lambda s: with_inputs(s, "trail", s3BucketName="central-log-archive-bucket"),
        None,
    ),
    (
        "deny-all-actions-star-resource",
        lambda s: with_policy(
            s, acl_statement(), write_statement(), tls_statement(Action="*", Resource="*")
        ),
        None,
    ),
    ("other-bucket-unversioned-unprotected", _plain_bucket(), None),
    (
        "trail-kms-not-required",
        lambda s: with_inputs(s, "trail", drop=("kmsKeyId",)),
        {"ctl-ct-005-trail-kms-encryption": {"requireTrailKms": False}},
    ),
    (
        "asymmetric-key-needs-no-rotation",
        lambda s: with_inputs(
            s,
            "trail-key",
            drop=("enableKeyRotation",),
            customerMasterKeySpec="RSA_2048",
            keyUsage="SIGN_VERIFY",
        ),
        None,
    ),
    (
        "queue-sse-sqs",
        lambda s: with_inputs(s, "events", drop=("kmsMasterKeyId",), sqsManagedSseEnabled=True),
        None,
    ),
    (
        "log-group-service-managed-allowed",
        lambda s: with_inputs(s, "trail-logs", drop=("kmsKeyId",)),
        {"ctl-logs-001-log-group-encryption": {"allowServiceManaged": True}},
    ),
    (
        "bucket-policy-bucket-unknown-but-linked",
        lambda s: with_inputs(s, "logs-policy", bucket=UNKNOWN),
        None,
    ),
]


# The archive's own design: grants name trails in any account, and one explicit Deny pins the
# accounts (a single account list, so 1,000 accounts fit the 20 KB limit).
_ANY_ACCOUNT_TRAIL = {"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:*:trail/org-trail"}}


def _pinning_deny(**overrides: Any) -> dict[str, Any]:
    stmt: dict[str, Any] = {
        "Sid": "DenyCloudTrailFromUnlistedAccounts",
        "Effect": "Deny",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": ["s3:GetBucketAcl", "s3:PutObject"],
        "Resource": [f"arn:aws:s3:::{BUCKET_NAME}", f"arn:aws:s3:::{BUCKET_NAME}/*"],
        "Condition": {"StringNotEquals": {"aws:SourceAccount": [ACCOUNT, "111111111111"]}},
    }
    stmt.update(overrides)
    return stmt


def _pinned_by(*deny: dict[str, Any]) -> Mutation:
    return lambda s: with_policy(
        s,
        acl_statement(Condition=_ANY_ACCOUNT_TRAIL),
        write_statement(
            Resource=f"arn:aws:s3:::{BUCKET_NAME}/AWSLogs/${{aws:SourceAccount}}/*",
            Condition=_ANY_ACCOUNT_TRAIL,
        ),
        tls_statement(),
        *deny,
    )


COMPLIANT.append(("any-account-trails-pinned-by-deny", _pinned_by(_pinning_deny()), None))
VIOLATIONS += [
    ("any-account-trails-without-deny", _pinned_by(), "ctl-s3-004-cloudtrail-write-scoped"),
    ("any-account-acl-check-without-deny", _pinned_by(),
     "ctl-s3-005-cloudtrail-acl-check-scoped"),
    (
        "pinning-deny-narrowed-by-another-condition",
        _pinned_by(_pinning_deny(Condition={
            "StringNotEquals": {"aws:SourceAccount": [ACCOUNT]},
            "Bool": {"aws:SecureTransport": "false"},
        })),
        "ctl-s3-004-cloudtrail-write-scoped",
    ),
    (
        "pinning-deny-misses-putobject",
        _pinned_by(_pinning_deny(Action="s3:GetBucketAcl")),
        "ctl-s3-004-cloudtrail-write-scoped",
    ),
]


@pytest.mark.parametrize(("case", "mutate", "policy"), VIOLATIONS, ids=[c[0] for c in VIOLATIONS])
def test_violation_is_caught(run: Run, case: str, mutate: Mutation, policy: str) -> None:
    report = run(mutate(compliant_stack()))
    assert policy in violated(report), report.violations
    hits = [v for v in report.violations if v.policy_name == policy]
    assert all(v.enforcement_level == "mandatory" for v in hits)
    assert not any(v.undecided for v in hits), [v.detail for v in hits]
    assert report.mandatory_count >= 1


@pytest.mark.parametrize(("case", "mutate", "config"), COMPLIANT, ids=[c[0] for c in COMPLIANT])
def test_compliant_case_passes(
    run: Run, case: str, mutate: Mutation, config: dict[str, Any] | None
) -> None:
    report = run(mutate(compliant_stack()), config)
    assert report.violations == (), [(v.policy_name, v.detail) for v in report.violations]
    assert report.passed


def test_every_policy_has_a_violating_case(pack: Any) -> None:
    assert set(pack.info().policies) == ALL_POLICY_NAMES
    assert {policy for _c, _m, policy in VIOLATIONS} == ALL_POLICY_NAMES


def test_non_cloudtrail_bucket_versioning_when_all_buckets_in_scope(run: Run) -> None:
    report = run(
        _plain_bucket()(compliant_stack()),
        {
            "ctl-s3-009-log-bucket-versioning": {"appliesTo": "allBuckets"},
            "ctl-s3-010-log-bucket-protected": {"appliesTo": "allBuckets"},
        },
    )
    hits = {(v.policy_name, v.resource_name) for v in report.violations}
    assert hits == {
        ("ctl-s3-009-log-bucket-versioning", "scratch"),
        ("ctl-s3-010-log-bucket-protected", "scratch"),
    }


def test_resource_violation_names_the_resource(run: Run) -> None:
    report = run(with_inputs(compliant_stack(), "trail", isMultiRegionTrail=False))
    (v,) = report.violations
    assert (v.resource_type, v.resource_name) == ("aws:cloudtrail/trail:Trail", "trail")
    assert v.severity == "high"
    assert "isMultiRegionTrail" in v.detail
