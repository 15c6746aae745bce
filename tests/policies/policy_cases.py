"""The gRPC tier's cases: a hand-built compliant log-archive stack (CapturedResources, as the
offline preview hands them to the pack) and helpers to mutate it and read the report. The literal
values come from literals.py, shared with the in-process tier."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PACK_DIR = ROOT / "policies"
# The project, for offline/; the pack directory, so that in-process tests import the pack's
# `guardrails` package the way the CLI's runner does.
for path in (ROOT, PACK_DIR):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from literals import (  # noqa: E402
    ACCESS_LOG_BUCKET_NAME,
    ACCOUNT,
    ANY_TRAIL,
    BUCKET,
    BUCKET_NAME,
    BUCKET_POLICY,
    KMS_KEY,
    LOG_GROUP,
    LOGGING,
    OWNERSHIP,
    PAB,
    PUBLIC_ACCESS_BLOCKED,
    QUEUE,
    REGION,
    ROLE,
    SSE,
    TOPIC,
    TRAIL,
    TRAIL_NAME,
    UNKNOWN,
    VERSIONING,
    acl_check,
    deny_bucket_deletion,
    deny_insecure_transport,
    deny_unlisted_accounts,
    deny_writes_not_from_trails,
    document,
    edited,
    guard_statements,
    service_grant,
    statement,
    trail_write,
)

from engine_model.analyzer import PolicyReport  # noqa: E402
from engine_model.model import CapturedResource  # noqa: E402

PROJECT = "cloudtrail-logging"
STACK = "log-archive"


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{type_}::{name}"


def res(type_: str, name: str, inputs: Mapping[str, Any], **kw: Any) -> CapturedResource:
    return CapturedResource(
        urn=urn(type_, name), type=type_, name=name, custom=True, inputs=dict(inputs), **kw
    )


def companion(
    type_: str, name: str, bucket: CapturedResource, *depends_on: str, **inputs: Any
) -> CapturedResource:
    """A resource of `bucket`: its `bucket` input names it, and comes from it."""
    return res(
        type_,
        name,
        {"bucket": bucket.inputs["bucket"], **inputs},
        dependencies=(bucket.urn, *depends_on),
        property_dependencies={"bucket": (bucket.urn,)},
    )


def deny_statements(bucket: str = BUCKET_NAME) -> list[dict[str, Any]]:
    """The explicit Denies a log bucket keeps (ctl-s3-020 derives its accounts from the last)."""
    return [
        *guard_statements(bucket, readers=[]),
        deny_bucket_deletion(bucket),
        deny_writes_not_from_trails(bucket, trails=ANY_TRAIL),
        deny_unlisted_accounts(ACCOUNT, bucket=bucket),
    ]


def compliant_stack() -> list[CapturedResource]:
    """A minimal compliant log-archive stack: key, bucket set, trail, encrypted companions."""
    key = res(KMS_KEY, "trail-key", {"enableKeyRotation": True, "description": "trail logs"})
    bucket = res(BUCKET, "logs", {"bucket": BUCKET_NAME, "forceDestroy": False}, protect=True)
    b = bucket.urn
    sse = {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": UNKNOWN}
    policy = document(acl_check(), trail_write(), deny_insecure_transport(), *deny_statements())
    return [
        key,
        bucket,
        companion(
            SSE,
            "logs-sse",
            bucket,
            key.urn,
            rules=[{"applyServerSideEncryptionByDefault": sse, "bucketKeyEnabled": True}],
        ),
        companion(
            VERSIONING, "logs-versioning", bucket, versioningConfiguration={"status": "Enabled"}
        ),
        companion(PAB, "logs-pab", bucket, **PUBLIC_ACCESS_BLOCKED),
        companion(
            OWNERSHIP, "logs-ownership", bucket, rule={"objectOwnership": "BucketOwnerEnforced"}
        ),
        companion(BUCKET_POLICY, "logs-policy", bucket, policy=policy),
        # Server access logging into a bucket of another stack (ctl-s3-022): this stack cannot
        # see it, so it is accepted; test_integrity_shapes.py covers an in-stack target.
        companion(
            LOGGING,
            "logs-access-logging",
            bucket,
            targetBucket=ACCESS_LOG_BUCKET_NAME,
            targetPrefix="s3-access-logs/",
        ),
        res(
            TRAIL,
            "trail",
            {
                "name": TRAIL_NAME,
                "s3BucketName": BUCKET_NAME,
                "isMultiRegionTrail": True,
                "enableLogFileValidation": True,
                "includeGlobalServiceEvents": True,
                "enableLogging": True,
                "kmsKeyId": UNKNOWN,
            },
            dependencies=(b, urn(BUCKET_POLICY, "logs-policy"), key.urn),
            property_dependencies={"s3BucketName": (b,), "kmsKeyId": (key.urn,)},
        ),
        res(TOPIC, "alerts", {"name": "alerts", "kmsMasterKeyId": UNKNOWN}),
        res(
            "aws:sns/topicPolicy:TopicPolicy",
            "alerts-policy",
            {"arn": UNKNOWN, "policy": document(service_grant("cloudtrail", "sns:Publish"))},
        ),
        res(
            "aws:sqs/queuePolicy:QueuePolicy",
            "events-policy",
            {"queueUrl": UNKNOWN, "policy": document(service_grant("sns", "sqs:SendMessage"))},
        ),
        res(
            "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
            "bus-policy",
            {
                "eventBusName": "alerts",
                "policy": document(
                    statement(
                        Principal="*",
                        Action="events:PutEvents",
                        Resource=f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/alerts",
                        Condition={"StringEquals": {"aws:PrincipalAccount": [ACCOUNT]}},
                    )
                ),
            },
        ),
        res(
            ROLE,
            "delivery-role",
            {
                "name": "cloudtrail-to-logs",
                "assumeRolePolicy": document(service_grant("cloudtrail", "sts:AssumeRole")),
            },
        ),
        res(QUEUE, "events", {"name": "events", "kmsMasterKeyId": "alias/aws/sqs"}),
        res(LOG_GROUP, "trail-logs", {"name": "/cloudtrail/org", "kmsKeyId": UNKNOWN}),
    ]


def with_inputs(
    resources: list[CapturedResource], target: str, /, drop: tuple[str, ...] = (), **inputs: Any
) -> list[CapturedResource]:
    """A copy of `resources` with resource `target`'s inputs updated (and `drop` keys removed)."""
    return edited(resources, target, "inputs", drop, inputs)


def with_policy(resources: list[CapturedResource], *statements: dict[str, Any]) -> list[Any]:
    """The log bucket's policy replaced by `statements` plus the Denies it keeps."""
    return with_inputs(resources, "logs-policy", policy=document(*statements, *deny_statements()))


def violated(report: PolicyReport) -> set[str]:
    return {v.policy_name for v in report.violations}


def undecided(report: PolicyReport) -> set[str]:
    return {v.policy_name for v in report.undecided}


Run = Callable[..., PolicyReport]
