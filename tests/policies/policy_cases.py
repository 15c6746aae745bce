"""Hand-built resource graphs for the policy tests: a compliant CloudTrail log bucket set and
helpers to mutate it."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from offline.analyzer import PolicyReport  # noqa: E402
from offline.model import UNKNOWN, CapturedResource  # noqa: E402

PACK_DIR = ROOT / "policies"
PROJECT = "cloudtrail-logging"
STACK = "log-archive"
BUCKET_NAME = "org-cloudtrail-logs-111122223333"
TRAIL_NAME = "org-trail"
ACCOUNT = "111122223333"
REGION = "eu-west-1"
ACCESS_LOG_BUCKET_NAME = f"org-cloudtrail-access-logs-{ACCOUNT}-{REGION}"


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{type_}::{name}"


def res(type_: str, name: str, inputs: Mapping[str, Any], **kw: Any) -> CapturedResource:
    return CapturedResource(
        urn=urn(type_, name), type=type_, name=name, custom=True, inputs=dict(inputs), **kw
    )


BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
TRAIL = "aws:cloudtrail/trail:Trail"
KMS_KEY = "aws:kms/key:Key"
TOPIC = "aws:sns/topic:Topic"
QUEUE = "aws:sqs/queue:Queue"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
LOGGING = "aws:s3/bucketLogging:BucketLogging"

TRAIL_ARN = f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/{TRAIL_NAME}"


def acl_statement(bucket: str = BUCKET_NAME, **overrides: Any) -> dict[str, Any]:
    stmt = {
        "Sid": "AWSCloudTrailAclCheck",
        "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": "s3:GetBucketAcl",
        "Resource": f"arn:aws:s3:::{bucket}",
        "Condition": {"StringEquals": {"aws:SourceArn": TRAIL_ARN}},
    }
    stmt.update(overrides)
    return stmt


def write_statement(bucket: str = BUCKET_NAME, **overrides: Any) -> dict[str, Any]:
    stmt = {
        "Sid": "AWSCloudTrailWrite",
        "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::{bucket}/AWSLogs/{ACCOUNT}/*",
        "Condition": {
            "StringEquals": {
                "aws:SourceArn": TRAIL_ARN,
                "s3:x-amz-acl": "bucket-owner-full-control",
            }
        },
    }
    stmt.update(overrides)
    return stmt


def tls_statement(bucket: str = BUCKET_NAME, **overrides: Any) -> dict[str, Any]:
    stmt = {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    stmt.update(overrides)
    return stmt


ADMINISTRATOR = f"arn:aws:iam::{ACCOUNT}:role/archive-admin"
ADMINISTRATION = [
    "s3:PutBucket*",
    "s3:DeleteBucketPolicy",
    "s3:PutLifecycleConfiguration",
    "s3:PutEncryptionConfiguration",
    "s3:PutReplicationConfiguration",
]


def guard_statements(
    bucket: str = BUCKET_NAME, readers: list[str] | None = None
) -> list[dict[str, Any]]:
    """The insider guard every archive bucket keeps: no deletion, administration by a named
    administrator only, and (`readers` not None) reads by the readers only."""
    statements: list[dict[str, Any]] = [
        {
            "Sid": "DenyObjectDeletion",
            "Effect": "Deny",
            "Principal": "*",
            "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention"],
            "Resource": f"arn:aws:s3:::{bucket}/*",
        },
        {
            "Sid": "DenyAdministrationByOthers",
            "Effect": "Deny",
            "Principal": "*",
            "Action": ADMINISTRATION,
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
            "Condition": {"ArnNotEquals": {"aws:PrincipalArn": [ADMINISTRATOR]}},
        },
    ]
    if readers is not None:
        deny: dict[str, Any] = {
            "Sid": "DenyReadsByOthers",
            "Effect": "Deny",
            "Principal": "*",
            "Action": ["s3:GetObject*", "s3:RestoreObject"],
            "Resource": f"arn:aws:s3:::{bucket}/*",
        }
        if readers:
            deny["Condition"] = {"ArnNotEquals": {"aws:PrincipalArn": readers}}
        statements.append(deny)
    return statements


def deny_bucket_deletion(bucket: str = BUCKET_NAME) -> dict[str, Any]:
    return {
        "Sid": "DenyBucketDeletion",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:DeleteBucket",
        "Resource": f"arn:aws:s3:::{bucket}",
    }


def deny_statements(bucket: str = BUCKET_NAME) -> list[dict[str, Any]]:
    """The explicit Denies a log bucket keeps (ctl-s3-020 derives its accounts from the last)."""
    return [
        *guard_statements(bucket, readers=[]),
        deny_bucket_deletion(bucket),
        {
            "Sid": "DenyWritesNotFromTrails",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": f"arn:aws:s3:::{bucket}/*",
            "Condition": {"ArnNotLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:*:trail/*"}},
        },
        {
            "Sid": "DenyCloudTrailFromUnlistedAccounts",
            "Effect": "Deny",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": ["s3:GetBucketAcl", "s3:PutObject"],
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
            "Condition": {"StringNotEquals": {"aws:SourceAccount": [ACCOUNT]}},
        },
    ]


def service_grant(service: str, action: str) -> dict[str, Any]:
    """An Allow to `<service>.amazonaws.com`, pinned to this account."""
    return {
        "Effect": "Allow",
        "Principal": {"Service": f"{service}.amazonaws.com"},
        "Action": action,
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
    }


def policy_json(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def compliant_stack() -> list[CapturedResource]:
    """A minimal compliant log-archive stack: key, bucket set, trail, encrypted companions."""
    key = res(KMS_KEY, "trail-key", {"enableKeyRotation": True, "description": "trail logs"})
    bucket = res(BUCKET, "logs", {"bucket": BUCKET_NAME, "forceDestroy": False}, protect=True)
    b = bucket.urn
    deps = {"bucket": (b,)}
    return [
        key,
        bucket,
        res(
            SSE,
            "logs-sse",
            {
                "bucket": BUCKET_NAME,
                "rules": [
                    {
                        "applyServerSideEncryptionByDefault": {
                            "sseAlgorithm": "aws:kms",
                            "kmsMasterKeyId": UNKNOWN,
                        },
                        "bucketKeyEnabled": True,
                    }
                ],
            },
            dependencies=(b, key.urn),
            property_dependencies=deps,
        ),
        res(
            VERSIONING,
            "logs-versioning",
            {"bucket": BUCKET_NAME, "versioningConfiguration": {"status": "Enabled"}},
            dependencies=(b,),
            property_dependencies=deps,
        ),
        res(
            PAB,
            "logs-pab",
            {
                "bucket": BUCKET_NAME,
                "blockPublicAcls": True,
                "blockPublicPolicy": True,
                "ignorePublicAcls": True,
                "restrictPublicBuckets": True,
            },
            dependencies=(b,),
            property_dependencies=deps,
        ),
        res(
            OWNERSHIP,
            "logs-ownership",
            {"bucket": BUCKET_NAME, "rule": {"objectOwnership": "BucketOwnerEnforced"}},
            dependencies=(b,),
            property_dependencies=deps,
        ),
        res(
            BUCKET_POLICY,
            "logs-policy",
            {
                "bucket": BUCKET_NAME,
                "policy": policy_json(
                    acl_statement(), write_statement(), tls_statement(), *deny_statements()
                ),
            },
            dependencies=(b,),
            property_dependencies=deps,
        ),
        # Server access logging into a bucket of another stack (ctl-s3-022): this stack cannot
        # see it, so it is accepted; test_integrity_shapes.py covers an in-stack target.
        res(
            LOGGING,
            "logs-access-logging",
            {
                "bucket": BUCKET_NAME,
                "targetBucket": ACCESS_LOG_BUCKET_NAME,
                "targetPrefix": "s3-access-logs/",
            },
            dependencies=(b,),
            property_dependencies=deps,
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
            {"arn": UNKNOWN, "policy": policy_json(service_grant("cloudtrail", "sns:Publish"))},
        ),
        res(
            "aws:sqs/queuePolicy:QueuePolicy",
            "events-policy",
            {"queueUrl": UNKNOWN, "policy": policy_json(service_grant("sns", "sqs:SendMessage"))},
        ),
        res(
            "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
            "bus-policy",
            {
                "eventBusName": "alerts",
                "policy": policy_json(
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "events:PutEvents",
                        "Resource": f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/alerts",
                        "Condition": {"StringEquals": {"aws:PrincipalAccount": [ACCOUNT]}},
                    }
                ),
            },
        ),
        res(
            "aws:iam/role:Role",
            "delivery-role",
            {
                "name": "cloudtrail-to-logs",
                "assumeRolePolicy": policy_json(service_grant("cloudtrail", "sts:AssumeRole")),
            },
        ),
        res(QUEUE, "events", {"name": "events", "kmsMasterKeyId": "alias/aws/sqs"}),
        res(LOG_GROUP, "trail-logs", {"name": "/cloudtrail/org", "kmsKeyId": UNKNOWN}),
    ]


def find(resources: list[CapturedResource], name: str) -> CapturedResource:
    return next(r for r in resources if r.name == name)


def with_inputs(
    resources: list[CapturedResource], target: str, /, drop: tuple[str, ...] = (), **inputs: Any
) -> list[CapturedResource]:
    """A copy of `resources` with resource `target`'s inputs updated (and `drop` keys removed)."""
    out = []
    for r in resources:
        if r.name == target:
            new = {k: v for k, v in r.inputs.items() if k not in drop}
            new.update(inputs)
            r = replace(r, inputs=new)
        out.append(r)
    return out


def without(resources: list[CapturedResource], *names: str) -> list[CapturedResource]:
    return [r for r in resources if r.name not in names]


def with_policy(resources: list[CapturedResource], *statements: dict[str, Any]) -> list[Any]:
    """The log bucket's policy replaced by `statements` plus the Denies it keeps."""
    return with_inputs(
        resources, "logs-policy", policy=policy_json(*statements, *deny_statements())
    )


def violated(report: PolicyReport) -> set[str]:
    return {v.policy_name for v in report.violations}


def undecided(report: PolicyReport) -> set[str]:
    return {v.policy_name for v in report.undecided}


Run = Callable[..., PolicyReport]


def archive_selectors(bucket: str, partition: str = "aws") -> list[dict[str, Any]]:
    """The program's advanced event selectors: management events, reads and non-delivery
    changes of the archive's objects (camelCase, as the pack sees them)."""
    objects = f"arn:{partition}:s3:::{bucket}/"
    data = [
        {"field": "eventCategory", "equals": ["Data"]},
        {"field": "resources.type", "equals": ["AWS::S3::Object"]},
    ]
    return [
        {
            "name": "Management events",
            "fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}],
        },
        {
            "name": "Reads of archived logs",
            "fieldSelectors": [
                *data,
                {"field": "readOnly", "equals": ["true"]},
                {"field": "resources.ARN", "startsWiths": [objects]},
            ],
        },
        {
            "name": "Changes to archived logs other than deliveries",
            "fieldSelectors": [
                *data,
                {"field": "readOnly", "equals": ["false"]},
                {"field": "eventName", "notEquals": ["PutObject"]},
                {"field": "resources.ARN", "startsWiths": [objects]},
            ],
        },
    ]


INSIGHTS = [{"insightType": "ApiCallRateInsight"}, {"insightType": "ApiErrorRateInsight"}]
