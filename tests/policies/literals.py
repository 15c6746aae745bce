"""The literal values both tiers of the pack's tests build their cases from, in one home.

The log archive's names, accounts and ARNs; pulumi-aws type tokens; the statements of the archive's
bucket policy; the program's trail selectors, replication and lifecycle rules, as the pack sees
them (camelCase inputs). `policy_cases.py` builds the gRPC tier's CapturedResources from these,
`rules/rule_cases.py` and `rules/archive_cases.py` the in-process tier's `Res`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

# The engine's unknown sentinel for strings: a value not known at preview.
UNKNOWN = UNKNOWN_STRING_VALUE

ACCOUNT = "111122223333"
MEMBER = "444455556666"
OUTSIDER = "999999999999"
ORG = "o-abc123def4"
REGION = "eu-west-1"
REPLICA_REGION = "eu-central-1"
BUCKET_NAME = f"org-cloudtrail-logs-{ACCOUNT}"
ACCESS_LOG_BUCKET_NAME = f"org-cloudtrail-access-logs-{ACCOUNT}-{REGION}"
REPLICA_BUCKET_NAME = f"org-cloudtrail-replica-{ACCOUNT}-{REPLICA_REGION}"
REPLICA_KEY_ARN = f"arn:aws:kms:{REPLICA_REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
REPLICATION_ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/org-cloudtrail-log-replication"
TRAIL_NAME = "org-trail"
TRAIL_ARN = f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/{TRAIL_NAME}"
ANY_ACCOUNT_TRAIL = f"arn:aws:cloudtrail:*:*:trail/{TRAIL_NAME}"
ANY_TRAIL = "arn:aws:cloudtrail:*:*:trail/*"
READER = f"arn:aws:iam::{ACCOUNT}:role/log-readers"
ADMINISTRATOR = f"arn:aws:iam::{ACCOUNT}:role/archive-admin"

# pulumi-aws v7 type tokens.
BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
LOGGING = "aws:s3/bucketLogging:BucketLogging"
LOGGING_V2 = "aws:s3/bucketLoggingV2:BucketLoggingV2"
OBJECT_LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
OBJECT_LOCK_V2 = "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
TRAIL = "aws:cloudtrail/trail:Trail"
KMS_KEY = "aws:kms/key:Key"
TOPIC = "aws:sns/topic:Topic"
QUEUE = "aws:sqs/queue:Queue"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
ROLE = "aws:iam/role:Role"

# A BucketPublicAccessBlock's inputs as the program sets them: every setting on.
PUBLIC_ACCESS_BLOCKED = dict.fromkeys(
    ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"), True
)


# --- policy documents -------------------------------------------------------------------------


def statement(effect: str = "Allow", **fields: Any) -> dict[str, Any]:
    return {"Effect": effect, **fields}


def document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _arns(bucket: str) -> list[str]:
    """The bucket and all its objects."""
    return [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]


def cloudtrail_grant(sid: str, action: str, resource: str, **condition: str) -> dict[str, Any]:
    """An Allow to cloudtrail.amazonaws.com, pinned to the trail (StringEquals `condition`)."""
    pinned = {"aws:SourceArn": TRAIL_ARN, **condition}
    return statement(
        Sid=sid,
        Principal={"Service": "cloudtrail.amazonaws.com"},
        Action=action,
        Resource=resource,
        Condition={"StringEquals": pinned},
    )


def acl_check(bucket: str = BUCKET_NAME, **overrides: Any) -> dict[str, Any]:
    resource = f"arn:aws:s3:::{bucket}"
    return cloudtrail_grant("AWSCloudTrailAclCheck", "s3:GetBucketAcl", resource) | overrides


def trail_write(bucket: str = BUCKET_NAME, **overrides: Any) -> dict[str, Any]:
    resource = f"arn:aws:s3:::{bucket}/AWSLogs/{ACCOUNT}/*"
    owner = {"s3:x-amz-acl": "bucket-owner-full-control"}
    return cloudtrail_grant("AWSCloudTrailWrite", "s3:PutObject", resource, **owner) | overrides


def service_grant(service: str, action: str) -> dict[str, Any]:
    """An Allow to `<service>.amazonaws.com`, pinned to this account."""
    return statement(
        Principal={"Service": f"{service}.amazonaws.com"},
        Action=action,
        Resource="*",
        Condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}},
    )


def allow_readers(*principals: str, bucket: str = BUCKET_NAME, **overrides: Any) -> dict[str, Any]:
    return statement(
        Sid="AllowLogReaders",
        Principal={"AWS": list(principals or (READER,))},
        Action=["s3:GetObject", "s3:ListBucket"],
        Resource=_arns(bucket),
    ) | overrides


def deny(
    sid: str, action: str | list[str], resource: str | list[str], **fields: Any
) -> dict[str, Any]:
    """A Deny to everyone."""
    return statement("Deny", Sid=sid, Principal="*", Action=action, Resource=resource, **fields)


def deny_insecure_transport(bucket: str = BUCKET_NAME, **overrides: Any) -> dict[str, Any]:
    condition = {"Bool": {"aws:SecureTransport": "false"}}
    return deny("DenyInsecureTransport", "s3:*", _arns(bucket), Condition=condition) | overrides


def deny_bucket_deletion(bucket: str = BUCKET_NAME, **overrides: Any) -> dict[str, Any]:
    return deny("DenyBucketDeletion", "s3:DeleteBucket", f"arn:aws:s3:::{bucket}") | overrides


def deny_object_deletion(bucket: str = BUCKET_NAME, **overrides: Any) -> dict[str, Any]:
    actions = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention"]
    return deny("DenyObjectDeletion", actions, f"arn:aws:s3:::{bucket}/*") | overrides


def deny_replication_into(bucket: str = BUCKET_NAME, **overrides: Any) -> dict[str, Any]:
    actions = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    return deny("DenyReplicationInto", actions, f"arn:aws:s3:::{bucket}/*") | overrides


ADMINISTRATION = [
    "s3:PutBucket*",
    "s3:DeleteBucketPolicy",
    "s3:PutLifecycleConfiguration",
    "s3:PutEncryptionConfiguration",
    "s3:PutReplicationConfiguration",
]


def deny_administration(bucket: str = BUCKET_NAME, **overrides: Any) -> dict[str, Any]:
    condition = {"ArnNotEquals": {"aws:PrincipalArn": [ADMINISTRATOR]}}
    return deny(
        "DenyAdministrationByOthers", ADMINISTRATION, _arns(bucket), Condition=condition
    ) | overrides


def deny_writes_not_from_trails(
    bucket: str = BUCKET_NAME, trails: str = ANY_ACCOUNT_TRAIL, **overrides: Any
) -> dict[str, Any]:
    condition = {"ArnNotLike": {"aws:SourceArn": trails}}
    return deny(
        "DenyWritesNotFromTrails", "s3:PutObject", f"arn:aws:s3:::{bucket}/*", Condition=condition
    ) | overrides


def deny_reads_by_others(
    *exempt: str, bucket: str = BUCKET_NAME, **overrides: Any
) -> dict[str, Any]:
    """The Deny of reads to all but `exempt` (by default the log readers)."""
    condition = {"ArnNotEquals": {"aws:PrincipalArn": list(exempt or (READER,))}}
    actions = ["s3:GetObject*", "s3:RestoreObject"]
    return deny(
        "DenyReadsByOthers", actions, f"arn:aws:s3:::{bucket}/*", Condition=condition
    ) | overrides


def deny_unlisted_accounts(
    *accounts: str, bucket: str = BUCKET_NAME, **overrides: Any
) -> dict[str, Any]:
    return statement(
        "Deny",
        Sid="DenyCloudTrailFromUnlistedAccounts",
        Principal={"Service": "cloudtrail.amazonaws.com"},
        Action=["s3:GetBucketAcl", "s3:PutObject"],
        Resource=_arns(bucket),
        Condition={"StringNotEquals": {"aws:SourceAccount": list(accounts or (ACCOUNT,))}},
    ) | overrides


def guard_statements(
    bucket: str = BUCKET_NAME, readers: list[str] | None = None, *, replica: bool = False
) -> list[dict[str, Any]]:
    """The insider guard every archive bucket keeps: no deletion, no replication into it (but
    into a `replica`), administration by a named administrator only, and (`readers` not None)
    reads by the readers only (by nobody when `readers` is empty)."""
    statements = [deny_object_deletion(bucket)]
    if not replica:
        statements.append(deny_replication_into(bucket))
    statements.append(deny_administration(bucket))
    if readers is not None:
        reads = deny_reads_by_others(*readers, bucket=bucket)
        if not readers:
            del reads["Condition"]
        statements.append(reads)
    return statements


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
        deny_replication_into(),
        deny_administration(),
        allow_readers(),
        deny_reads_by_others(),
    ]


# --- what the program sets on the trail and the archive ----------------------------------------


def archive_selectors(bucket: str = BUCKET_NAME, partition: str = "aws") -> list[dict[str, Any]]:
    """The program's advanced event selectors: management events, reads and non-delivery
    changes of the archive's objects."""
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


def network_selector(source: str, *, denied_only: bool = True) -> dict[str, Any]:
    """The program's network activity selector for one event source (camelCase inputs)."""
    fields: list[dict[str, Any]] = [
        {"field": "eventCategory", "equals": ["NetworkActivity"]},
        {"field": "eventSource", "equals": [source]},
    ]
    if denied_only:
        fields.append({"field": "errorCode", "equals": ["VpceAccessDenied"]})
    return {"name": f"{source} calls", "fieldSelectors": fields}


def expiry_rule(rule_id: str) -> dict[str, Any]:
    """The program's lifecycle rule for a log or access-log bucket: a year, then 90 days."""
    return {
        "id": rule_id,
        "status": "Enabled",
        "filter": {"prefix": ""},
        "expiration": {"days": 365},
        "noncurrentVersionExpiration": {"noncurrentDays": 90},
    }


def replication_rule(replica_key: str = REPLICA_KEY_ARN, **overrides: Any) -> dict[str, Any]:
    """The program's replication rule (SSE-KMS source, replica key, no delete markers)."""
    rule: dict[str, Any] = {
        "id": "replicate-cloudtrail-logs",
        "status": "Enabled",
        "filter": {"prefix": "AWSLogs/"},
        "deleteMarkerReplication": {"status": "Disabled"},
        "sourceSelectionCriteria": {"sseKmsEncryptedObjects": {"status": "Enabled"}},
        "destination": {
            "bucket": f"arn:aws:s3:::{REPLICA_BUCKET_NAME}",
            "encryptionConfiguration": {"replicaKmsKeyId": replica_key},
        },
    }
    return rule | overrides


# --- editing a stack, of either tier ------------------------------------------------------------

def edited(
    resources: list[Any], name: str, field: str, drop: tuple[str, ...], values: dict[str, Any]
) -> list[Any]:
    """A copy of `resources` with resource `name`'s `field` (its inputs or props) updated with
    `values`, and its `drop` keys removed."""
    out = []
    for r in resources:
        if r.name == name:
            new = {k: v for k, v in getattr(r, field).items() if k not in drop}
            new.update(values)
            r = replace(r, **{field: new})
        out.append(r)
    return out


def without(resources: list[Any], *names: str) -> list[Any]:
    return [r for r in resources if r.name not in names]
