"""In-process rule tests: literal resources as the rules see them (`Res`), and runners that call a
rule module's `check` directly with its schema's default config (checkov / pulumi
compliance-policies style: one test module per rule, a passing and a failing literal case)."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

PACK_DIR = Path(__file__).resolve().parents[3] / "policies"
if str(PACK_DIR) not in sys.path:
    sys.path.insert(0, str(PACK_DIR))

import policy_cases  # noqa: E402
from guardrails.support import UNDECIDED_PREFIX, Res, defaults  # noqa: E402

# The engine's unknown sentinel for strings (pulumi_policy.proxy.UNKNOWN_STRING_VALUE).
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

ACCOUNT = "111122223333"
MEMBER = "444455556666"
OUTSIDER = "999999999999"
ORG = "o-abc123def4"
BUCKET_NAME = "org-cloudtrail-logs-111122223333"
TRAIL_NAME = "org-trail"
TRAIL_ARN = f"arn:aws:cloudtrail:eu-west-1:{ACCOUNT}:trail/{TRAIL_NAME}"
ANY_ACCOUNT_TRAIL = f"arn:aws:cloudtrail:*:*:trail/{TRAIL_NAME}"
READER = f"arn:aws:iam::{ACCOUNT}:role/log-readers"

BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
TRAIL = "aws:cloudtrail/trail:Trail"


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:test::cloudtrail-logging::{type_}::{name}"


def res(
    type_: str,
    name: str,
    /,
    protect: bool = False,
    deps: dict[str, list[str]] | None = None,
    **props: Any,
) -> Res:
    return Res(type_, name, urn(type_, name), props, protect, deps or {})


def with_props(
    resources: list[Res], name: str, /, drop: tuple[str, ...] = (), **props: Any
) -> list[Res]:
    """A copy of `resources` with resource `name`'s properties updated (`drop` keys removed)."""
    out = []
    for r in resources:
        if r.name == name:
            new = {k: v for k, v in r.props.items() if k not in drop}
            new.update(props)
            r = replace(r, props=new)
        out.append(r)
    return out


def without(resources: list[Res], *names: str) -> list[Res]:
    return [r for r in resources if r.name not in names]


def resource_findings(module: ModuleType, resource: Res, **config: Any) -> list[str]:
    """Findings of the rule module's `check` on one resource."""
    found: list[str] = []
    module.check(resource, {**defaults(module.POLICY), **config}, found.append)
    return found


def stack_findings(
    module: ModuleType, resources: list[Res], **config: Any
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    module.check(
        resources, {**defaults(module.POLICY), **config}, lambda m, u: found.append((m, u))
    )
    return found


def undecided(messages: list[str] | list[tuple[str, str]]) -> bool:
    """Every finding says the check could not be judged at preview (and there is one)."""
    texts = [m if isinstance(m, str) else m[0] for m in messages]
    return bool(texts) and all(t.startswith(UNDECIDED_PREFIX) for t in texts)


def decided(messages: list[str] | list[tuple[str, str]]) -> bool:
    """There are findings and none of them is an undecided one."""
    texts = [m if isinstance(m, str) else m[0] for m in messages]
    return bool(texts) and not any(t.startswith(UNDECIDED_PREFIX) for t in texts)


# --- policy documents -------------------------------------------------------------------------


def statement(effect: str = "Allow", **fields: Any) -> dict[str, Any]:
    return {"Effect": effect, **fields}


def document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def acl_check(**overrides: Any) -> dict[str, Any]:
    return (
        statement(
            Sid="AWSCloudTrailAclCheck",
            Principal={"Service": "cloudtrail.amazonaws.com"},
            Action="s3:GetBucketAcl",
            Resource=f"arn:aws:s3:::{BUCKET_NAME}",
            Condition={"StringEquals": {"aws:SourceArn": TRAIL_ARN}},
        )
        | overrides
    )


def trail_write(**overrides: Any) -> dict[str, Any]:
    return (
        statement(
            Sid="AWSCloudTrailWrite",
            Principal={"Service": "cloudtrail.amazonaws.com"},
            Action="s3:PutObject",
            Resource=f"arn:aws:s3:::{BUCKET_NAME}/AWSLogs/{ACCOUNT}/*",
            Condition={
                "StringEquals": {
                    "aws:SourceArn": TRAIL_ARN,
                    "s3:x-amz-acl": "bucket-owner-full-control",
                }
            },
        )
        | overrides
    )


def deny_insecure_transport(**overrides: Any) -> dict[str, Any]:
    return (
        statement(
            "Deny",
            Sid="DenyInsecureTransport",
            Principal="*",
            Action="s3:*",
            Resource=[f"arn:aws:s3:::{BUCKET_NAME}", f"arn:aws:s3:::{BUCKET_NAME}/*"],
            Condition={"Bool": {"aws:SecureTransport": "false"}},
        )
        | overrides
    )


def deny_bucket_deletion(**overrides: Any) -> dict[str, Any]:
    return (
        statement(
            "Deny",
            Sid="DenyBucketDeletion",
            Principal="*",
            Action="s3:DeleteBucket",
            Resource=f"arn:aws:s3:::{BUCKET_NAME}",
        )
        | overrides
    )


def deny_writes_not_from_trails(**overrides: Any) -> dict[str, Any]:
    return (
        statement(
            "Deny",
            Sid="DenyWritesNotFromTrails",
            Principal="*",
            Action="s3:PutObject",
            Resource=f"arn:aws:s3:::{BUCKET_NAME}/*",
            Condition={"ArnNotLike": {"aws:SourceArn": ANY_ACCOUNT_TRAIL}},
        )
        | overrides
    )


def deny_unlisted_accounts(*accounts: str, **overrides: Any) -> dict[str, Any]:
    return (
        statement(
            "Deny",
            Sid="DenyCloudTrailFromUnlistedAccounts",
            Principal={"Service": "cloudtrail.amazonaws.com"},
            Action=["s3:GetBucketAcl", "s3:PutObject"],
            Resource=[f"arn:aws:s3:::{BUCKET_NAME}", f"arn:aws:s3:::{BUCKET_NAME}/*"],
            Condition={"StringNotEquals": {"aws:SourceAccount": list(accounts or (ACCOUNT,))}},
        )
        | overrides
    )


def allow_readers(*principals: str, **overrides: Any) -> dict[str, Any]:
    return (
        statement(
            Sid="AllowLogReaders",
            Principal={"AWS": list(principals or (READER,))},
            Action=["s3:GetObject", "s3:ListBucket"],
            Resource=[f"arn:aws:s3:::{BUCKET_NAME}", f"arn:aws:s3:::{BUCKET_NAME}/*"],
        )
        | overrides
    )


def deny_reads_by_others(*exempt: str, **overrides: Any) -> dict[str, Any]:
    return (
        statement(
            "Deny",
            Sid="DenyReadsByOthers",
            Principal="*",
            Action=["s3:GetObject*", "s3:RestoreObject"],
            Resource=f"arn:aws:s3:::{BUCKET_NAME}/*",
            Condition={"ArnNotEquals": {"aws:PrincipalArn": list(exempt or (READER,))}},
        )
        | overrides
    )


def deny_object_deletion(bucket: str = BUCKET_NAME, **overrides: Any) -> dict[str, Any]:
    return policy_cases.guard_statements(bucket)[0] | overrides


def deny_administration(bucket: str = BUCKET_NAME, **overrides: Any) -> dict[str, Any]:
    return policy_cases.guard_statements(bucket)[1] | overrides


ADMINISTRATOR = policy_cases.ADMINISTRATOR


def log_archive_statements() -> list[dict[str, Any]]:
    """The log-archive bucket policy's design: every statement the rules expect."""
    return [
        deny_insecure_transport(),
        acl_check(),
        trail_write(),
        deny_unlisted_accounts(ACCOUNT, MEMBER),
        deny_writes_not_from_trails(),
        deny_bucket_deletion(),
        deny_object_deletion(),
        deny_administration(),
        allow_readers(),
        deny_reads_by_others(),
    ]


def log_bucket_stack(*statements: dict[str, Any]) -> list[Res]:
    """A compliant CloudTrail log bucket with its companions and the trail writing to it."""
    bucket = res(BUCKET, "logs", protect=True, bucket=BUCKET_NAME, forceDestroy=False)
    deps = {"bucket": [bucket.urn]}
    return [
        bucket,
        res(
            SSE,
            "logs-sse",
            deps=deps,
            bucket=BUCKET_NAME,
            rules=[{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}],
        ),
        res(
            VERSIONING,
            "logs-versioning",
            deps=deps,
            bucket=BUCKET_NAME,
            versioningConfiguration={"status": "Enabled"},
        ),
        res(
            PAB,
            "logs-pab",
            deps=deps,
            bucket=BUCKET_NAME,
            blockPublicAcls=True,
            blockPublicPolicy=True,
            ignorePublicAcls=True,
            restrictPublicBuckets=True,
        ),
        res(
            OWNERSHIP,
            "logs-ownership",
            deps=deps,
            bucket=BUCKET_NAME,
            rule={"objectOwnership": "BucketOwnerEnforced"},
        ),
        res(
            BUCKET_POLICY,
            "logs-policy",
            deps=deps,
            bucket=BUCKET_NAME,
            policy=document(*(statements or log_archive_statements())),
        ),
        res(
            TRAIL,
            "trail",
            deps={"s3BucketName": [bucket.urn]},
            name=TRAIL_NAME,
            s3BucketName=BUCKET_NAME,
            isMultiRegionTrail=True,
            enableLogFileValidation=True,
            includeGlobalServiceEvents=True,
            enableLogging=True,
            kmsKeyId=UNKNOWN,
        ),
    ]


# --- log integrity: access logging, Object Lock, replication, data events, Insights -------------

LOGGING = "aws:s3/bucketLogging:BucketLogging"
LOGGING_V2 = "aws:s3/bucketLoggingV2:BucketLoggingV2"
OBJECT_LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
OBJECT_LOCK_V2 = "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
REGION = "eu-west-1"
REPLICA_REGION = "eu-central-1"
ACCESS_LOG_BUCKET_NAME = f"org-cloudtrail-access-logs-{ACCOUNT}-{REGION}"
REPLICA_BUCKET_NAME = f"org-cloudtrail-replica-{ACCOUNT}-{REPLICA_REGION}"
REPLICA_KEY_ARN = f"arn:aws:kms:{REPLICA_REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def access_log_bucket(name: str = "access-logs") -> list[Res]:
    """The program's server-access-log bucket: SSE-S3, versioned, private, lifecycled."""
    bucket = res(BUCKET, name, protect=True, bucket=ACCESS_LOG_BUCKET_NAME, forceDestroy=False)
    deps = {"bucket": [bucket.urn]}
    return [
        bucket,
        res(
            SSE,
            f"{name}-sse",
            deps=deps,
            bucket=ACCESS_LOG_BUCKET_NAME,
            rules=[{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}],
        ),
        res(
            VERSIONING,
            f"{name}-versioning",
            deps=deps,
            bucket=ACCESS_LOG_BUCKET_NAME,
            versioningConfiguration={"status": "Enabled"},
        ),
        res(
            LIFECYCLE,
            f"{name}-lifecycle",
            deps=deps,
            bucket=ACCESS_LOG_BUCKET_NAME,
            rules=[
                {
                    "id": "expire-access-logs",
                    "status": "Enabled",
                    "filter": {"prefix": ""},
                    "expiration": {"days": 365},
                    "noncurrentVersionExpiration": {"noncurrentDays": 90},
                }
            ],
        ),
    ]


def bucket_logging(name: str = "logs-access-logging", **overrides: Any) -> Res:
    """aws.s3.BucketLogging of the log bucket into the access-log bucket (program's shape)."""
    logs, target = urn(BUCKET, "logs"), urn(BUCKET, "access-logs")
    props: dict[str, Any] = {
        "bucket": BUCKET_NAME,
        "targetBucket": ACCESS_LOG_BUCKET_NAME,
        "targetPrefix": "s3-access-logs/",
        "targetObjectKeyFormat": {"partitionedPrefix": {"partitionDateSource": "EventTime"}},
    }
    props.update(overrides)
    return res(LOGGING, name, deps={"bucket": [logs], "targetBucket": [target]}, **props)


def access_logged_stack() -> list[Res]:
    """log_bucket_stack with server access logging into its own SSE-S3 access-log bucket."""
    return [*log_bucket_stack(), *access_log_bucket(), bucket_logging()]


def object_lock(
    name: str = "logs-object-lock", mode: str = "GOVERNANCE", days: int = 30, **overrides: Any
) -> Res:
    """aws.s3.BucketObjectLockConfiguration of the log bucket (program's shape)."""
    props: dict[str, Any] = {
        "bucket": BUCKET_NAME,
        "objectLockEnabled": "Enabled",
        "rule": {"defaultRetention": {"mode": mode, "days": days}},
    }
    props.update(overrides)
    return res(OBJECT_LOCK, name, deps={"bucket": [urn(BUCKET, "logs")]}, **props)


def log_lifecycle(days: float, name: str = "logs-lifecycle") -> Res:
    return res(
        LIFECYCLE,
        name,
        deps={"bucket": [urn(BUCKET, "logs")]},
        bucket=BUCKET_NAME,
        rules=[{"id": "expire-logs", "status": "Enabled", "expiration": {"days": days}}],
    )


def replication_rule(**overrides: Any) -> dict[str, Any]:
    """The program's replication rule (SSE-KMS source, replica key, no delete markers)."""
    rule: dict[str, Any] = {
        "id": "replicate-cloudtrail-logs",
        "status": "Enabled",
        "filter": {"prefix": "AWSLogs/"},
        "deleteMarkerReplication": {"status": "Disabled"},
        "sourceSelectionCriteria": {"sseKmsEncryptedObjects": {"status": "Enabled"}},
        "destination": {
            "bucket": f"arn:aws:s3:::{REPLICA_BUCKET_NAME}",
            "encryptionConfiguration": {"replicaKmsKeyId": REPLICA_KEY_ARN},
        },
    }
    rule.update(overrides)
    return rule


def replication(*rules: dict[str, Any], name: str = "logs-replication") -> Res:
    return res(
        REPLICATION,
        name,
        deps={"bucket": [urn(BUCKET, "logs")], "rules": [urn(BUCKET, "replica")]},
        bucket=BUCKET_NAME,
        role=f"arn:aws:iam::{ACCOUNT}:role/org-cloudtrail-log-replication",
        rules=list(rules or (replication_rule(),)),
    )


def replica_bucket(region: str = REPLICA_REGION) -> list[Res]:
    """The replica bucket the program creates in another Region, with its own KMS key."""
    bucket = res(
        BUCKET,
        "replica",
        protect=True,
        bucket=REPLICA_BUCKET_NAME,
        region=region,
        forceDestroy=False,
    )
    return [
        bucket,
        res(
            SSE,
            "replica-sse",
            deps={"bucket": [bucket.urn]},
            bucket=REPLICA_BUCKET_NAME,
            region=region,
            rules=[
                {
                    "applyServerSideEncryptionByDefault": {
                        "sseAlgorithm": "aws:kms",
                        "kmsMasterKeyId": UNKNOWN,
                    },
                    "bucketKeyEnabled": True,
                }
            ],
        ),
    ]


def replicated_stack(source_region: str | None = REGION) -> list[Res]:
    """log_bucket_stack (log bucket in `source_region`) replicated to the replica bucket."""
    stack = log_bucket_stack()
    if source_region is not None:
        stack = with_props(stack, "logs", region=source_region)
    return [*stack, *replica_bucket(), replication()]


def archive_selectors(bucket: str = BUCKET_NAME, partition: str = "aws") -> list[dict[str, Any]]:
    """The program's advanced event selectors for `bucket` (policy_cases.archive_selectors)."""
    return policy_cases.archive_selectors(bucket, partition)


INSIGHTS = policy_cases.INSIGHTS
