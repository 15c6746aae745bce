"""End to end over gRPC: the log-integrity resources the program creates (an SSE-S3 access-log
bucket with BucketLogging, Object Lock, cross-Region replication with its own key, data-event
selectors on the archive, Insights) pass the whole pack, with the defaults and with every
`required` switch on; a few edits of them are caught by the rule that owns them."""

from __future__ import annotations

from typing import Any

import pytest
from literals import (
    ACCESS_LOG_BUCKET_NAME,
    ACCOUNT,
    BUCKET,
    BUCKET_NAME,
    BUCKET_POLICY,
    INSIGHTS,
    KMS_KEY,
    LIFECYCLE,
    LOGGING,
    OBJECT_LOCK,
    OWNERSHIP,
    PAB,
    PUBLIC_ACCESS_BLOCKED,
    REGION,
    REPLICA_BUCKET_NAME,
    REPLICA_REGION,
    REPLICATION,
    REPLICATION_ROLE_ARN,
    ROLE,
    SSE,
    UNKNOWN,
    VERSIONING,
    archive_selectors,
    deny_bucket_deletion,
    deny_insecure_transport,
    document,
    expiry_rule,
    guard_statements,
    replication_rule,
    without,
)
from policy_cases import (
    CapturedResource,
    Run,
    companion,
    compliant_stack,
    res,
    violated,
    with_inputs,
)

Stack = list[CapturedResource]

REQUIRED: dict[str, Any] = {
    "ctl-s3-023-log-bucket-object-lock": {
        "required": True,
        "mode": "GOVERNANCE",
        "minimumRetentionDays": 30,
    },
    "ctl-s3-024-log-bucket-replication": {"required": True},
    "ctl-ct-008-trail-archive-data-events": {"required": True},
    "ctl-ct-009-trail-insights": {"required": True},
}


def _private_bucket(name: str, bucket: str, algorithm: str, **bucket_inputs: Any) -> Stack:
    """A bucket with the pack's baseline companions: encryption, versioning, PAB, ownership."""
    node = res(
        BUCKET, name, {"bucket": bucket, "forceDestroy": False, **bucket_inputs}, protect=True
    )
    region = {k: v for k, v in bucket_inputs.items() if k == "region"}
    sse: dict[str, Any] = {"sseAlgorithm": algorithm}
    if algorithm == "aws:kms":
        sse["kmsMasterKeyId"] = UNKNOWN
    return [
        node,
        companion(
            SSE, f"{name}-sse", node, **region, rules=[{"applyServerSideEncryptionByDefault": sse}]
        ),
        companion(
            VERSIONING,
            f"{name}-versioning",
            node,
            **region,
            versioningConfiguration={"status": "Enabled"},
        ),
        companion(PAB, f"{name}-pab", node, **region, **PUBLIC_ACCESS_BLOCKED),
        companion(
            OWNERSHIP,
            f"{name}-ownership",
            node,
            **region,
            rule={"objectOwnership": "BucketOwnerEnforced"},
        ),
    ]


def integrity_stack() -> Stack:
    """compliant_stack plus what the program adds for log integrity, in the program's shapes."""
    base = with_inputs(without(compliant_stack(), "logs-access-logging"), "logs", region=REGION)
    logs = f"urn:pulumi:log-archive::cloudtrail-logging::{BUCKET}::logs"
    access_log = _private_bucket("access-logs", ACCESS_LOG_BUCKET_NAME, "AES256")
    access_deps = {"bucket": (access_log[0].urn,)}
    delivery = {
        "Sid": "S3ServerAccessLogsPolicy",
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": ["s3:PutObject"],
        "Resource": f"arn:aws:s3:::{ACCESS_LOG_BUCKET_NAME}/s3-access-logs/*",
        "Condition": {
            "ArnLike": {"aws:SourceArn": f"arn:aws:s3:::{BUCKET_NAME}"},
            "StringEquals": {"aws:SourceAccount": ACCOUNT},
        },
    }
    replica = _private_bucket("replica", REPLICA_BUCKET_NAME, "aws:kms", region=REPLICA_REGION)
    replica_key = res(
        KMS_KEY,
        "replica-key",
        {"region": REPLICA_REGION, "enableKeyRotation": True, "description": "replica"},
        protect=True,
    )
    return [
        *base,
        *access_log,
        res(
            LIFECYCLE,
            "access-logs-lifecycle",
            {"bucket": ACCESS_LOG_BUCKET_NAME, "rules": [expiry_rule("expire-access-logs")]},
            property_dependencies=access_deps,
        ),
        res(
            BUCKET_POLICY,
            "access-logs-policy",
            {
                "bucket": ACCESS_LOG_BUCKET_NAME,
                "policy": document(
                    deny_insecure_transport(ACCESS_LOG_BUCKET_NAME),
                    delivery,
                    deny_bucket_deletion(ACCESS_LOG_BUCKET_NAME),
                    *guard_statements(ACCESS_LOG_BUCKET_NAME),
                ),
            },
            property_dependencies=access_deps,
        ),
        res(
            LOGGING,
            "access-logs-source-logging",
            {
                "bucket": BUCKET_NAME,
                "targetBucket": ACCESS_LOG_BUCKET_NAME,
                "targetPrefix": "s3-access-logs/",
                "targetObjectKeyFormat": {
                    "partitionedPrefix": {"partitionDateSource": "EventTime"}
                },
            },
            property_dependencies={"bucket": (logs,), "targetBucket": (access_log[0].urn,)},
        ),
        res(
            OBJECT_LOCK,
            "logs-object-lock",
            {
                "bucket": BUCKET_NAME,
                "objectLockEnabled": "Enabled",
                "rule": {"defaultRetention": {"mode": "GOVERNANCE", "days": 90}},
            },
            property_dependencies={"bucket": (logs,)},
        ),
        res(
            LIFECYCLE,
            "logs-lifecycle",
            {"bucket": BUCKET_NAME, "rules": [expiry_rule("expire-logs")]},
            property_dependencies={"bucket": (logs,)},
        ),
        *replica,
        replica_key,
        res(
            BUCKET_POLICY,
            "replica-policy",
            {
                "bucket": REPLICA_BUCKET_NAME,
                "region": REPLICA_REGION,
                "policy": document(
                    deny_insecure_transport(REPLICA_BUCKET_NAME),
                    deny_bucket_deletion(REPLICA_BUCKET_NAME),
                    *guard_statements(REPLICA_BUCKET_NAME, readers=[], replica=True),
                ),
            },
            property_dependencies={"bucket": (replica[0].urn,)},
        ),
        res(
            ROLE,
            "replication-role",
            {
                "name": "org-cloudtrail-log-replication",
                "assumeRolePolicy": document(
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "s3.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ),
            },
        ),
        res(
            REPLICATION,
            "replication",
            {
                "bucket": BUCKET_NAME,
                "role": REPLICATION_ROLE_ARN,
                "rules": [replication_rule(replica_key=UNKNOWN)],
            },
            property_dependencies={"bucket": (logs,), "rules": (replica_key.urn,)},
        ),
    ]


def with_trail_selectors(stack: Stack) -> Stack:
    selectors, insights = archive_selectors(BUCKET_NAME), INSIGHTS
    return with_inputs(stack, "trail", advancedEventSelectors=selectors, insightSelectors=insights)


@pytest.fixture
def stack() -> Stack:
    return with_trail_selectors(integrity_stack())


def test_integrity_shapes_pass_the_whole_pack(run: Run, stack: Stack) -> None:
    report = run(stack)
    assert report.violations == (), [(v.policy_name, v.detail) for v in report.violations]


def test_integrity_shapes_pass_with_every_switch_required(run: Run, stack: Stack) -> None:
    report = run(stack, REQUIRED)
    assert report.violations == (), [(v.policy_name, v.detail) for v in report.violations]


def test_required_switches_catch_a_plain_stack(run: Run) -> None:
    report = run(compliant_stack(), REQUIRED)
    assert set(REQUIRED) <= violated(report)


@pytest.mark.parametrize(
    ("resource", "inputs", "policy"),
    [
        (
            "access-logs-sse",
            {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]},
            "ctl-s3-022-cloudtrail-bucket-access-logging",
        ),
        (
            "access-logs-source-logging",
            {"targetBucket": BUCKET_NAME},
            "ctl-s3-022-cloudtrail-bucket-access-logging",
        ),
        (
            "logs-lifecycle",
            {"rules": [{"id": "x", "status": "Enabled", "expiration": {"days": 30}}]},
            "ctl-s3-023-log-bucket-object-lock",
        ),
        ("logs-object-lock", {"rule": None}, "ctl-s3-023-log-bucket-object-lock"),
        ("replica", {"region": REGION}, "ctl-s3-024-log-bucket-replication"),
        (
            "trail",
            {
                "advancedEventSelectors": [
                    {"fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]},
                    {
                        "fieldSelectors": [
                            {"field": "eventCategory", "equals": ["Data"]},
                            {"field": "resources.type", "equals": ["AWS::S3::Object"]},
                        ]
                    },
                ]
            },
            "ctl-ct-008-trail-archive-data-events",
        ),
        (
            "trail",
            {"insightSelectors": [{"insightType": "ApiCallRate"}]},
            "ctl-ct-009-trail-insights",
        ),
    ],
    ids=[
        "access-log-kms",
        "logs-to-itself",
        "lifecycle-under-lock",
        "lock-without-retention",
        "same-region-replica",
        "deliveries-recorded",
        "bad-insight-type",
    ],
)
def test_edits_are_caught(
    run: Run, stack: Stack, resource: str, inputs: dict[str, Any], policy: str
) -> None:
    report = run(with_inputs(stack, resource, **inputs))
    hits = [v for v in report.violations if v.policy_name == policy]
    assert hits, [(v.policy_name, v.detail) for v in report.violations]
    assert all(v.enforcement_level == "mandatory" and not v.undecided for v in hits)
