"""Log integrity and evidence of access, as plain data (issue 14).

- Server access logging of the log bucket into a dedicated bucket (CIS AWS Foundations v1.2.0
  2.6 / v1.4.0 3.6, Security Hub CloudTrail.7).
- S3 Object Lock on the archive (Security Hub S3.15).
- Replication of the archive to another Region, optionally another account (Security Hub S3.7).
- CloudTrail data events on the archive itself: who read or deleted a log object.
- CloudTrail Insights selectors.

Every document here is built from names and config, so it is known at preview.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cloudtrail_logging.bucket_policy import allow_log_readers, deny_insecure_transport
from cloudtrail_logging.guard import archive_guard, deny_object_deletion, deny_reads_by_others
from cloudtrail_logging.key_policy import named_key_administration
from cloudtrail_logging.naming import bucket_arn, logs_prefix

Policy = dict[str, Any]

LOGGING_SERVICE = "logging.s3.amazonaws.com"
S3_SERVICE = "s3.amazonaws.com"
ACCESS_LOG_PREFIX = "s3-access-logs/"
OBJECT_LOCK_MODES = ("GOVERNANCE", "COMPLIANCE")
REPLICATION_RULE_ID = "replicate-cloudtrail-logs"


# --- names ------------------------------------------------------------------------------------


def access_log_bucket_name(name_prefix: str, account_id: str, region: str) -> str:
    """The server-access-log bucket: same account and Region as the log bucket (S3 requires it)."""
    return f"{name_prefix}-access-logs-{account_id}-{region}"


def replica_bucket_name(name_prefix: str, account_id: str, region: str) -> str:
    """The replica bucket this stack creates when the replica stays in this account."""
    return f"{name_prefix}-replica-{account_id}-{region}"


def replication_role_name(name_prefix: str) -> str:
    return f"{name_prefix}-log-replication"


def s3_via_service(region: str) -> str:
    """The `kms:ViaService` value for S3 in `region`, as the S3 replication examples write it."""
    return f"s3.{region}.amazonaws.com"


def any_key_in(partition: str, region: str, account_id: str) -> str:
    """Every KMS key of one account and Region, for IAM policies that cannot name a new key.

    A new key's ARN is unknown until it exists; naming it would make the policy unknown at
    preview. The key policies name the replication role, so the role can use only keys whose
    policy admits it, and the documented ViaService and encryption-context conditions pin each
    use to S3 on one bucket.
    """
    return f"arn:{partition}:kms:{region}:{account_id}:key/*"


# --- lifecycle --------------------------------------------------------------------------------


def expiry_lifecycle_rule(
    rule_id: str, expire_after_days: int, noncurrent_expire_after_days: int
) -> dict[str, Any]:
    """A lifecycle rule that expires current objects (0 = never) and noncurrent versions.

    `aws.s3.BucketLifecycleConfiguration` rule shape (pulumi-aws v7).
    """
    if expire_after_days < 0 or noncurrent_expire_after_days < 1:
        raise ValueError("expiry days must be >= 0 (current) and >= 1 (noncurrent)")
    rule: dict[str, Any] = {
        "id": rule_id,
        "status": "Enabled",
        "filter": {"prefix": ""},
        "noncurrent_version_expiration": {"noncurrent_days": noncurrent_expire_after_days},
        "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
    }
    if expire_after_days:
        rule["expiration"] = {"days": expire_after_days}
    return rule


# --- server access logging --------------------------------------------------------------------


def access_log_bucket_policy(
    *,
    partition: str,
    bucket: str,
    source_bucket: str,
    source_account: str,
    administrator_arns: Sequence[str],
    target_prefix: str = ACCESS_LOG_PREFIX,
) -> Policy:
    """Bucket policy of the server-access-log bucket: S3 log delivery for one source bucket only;
    nobody deletes a record and only the archive administrators reconfigure it (`guard`).

    Log delivery has to be granted by bucket policy: the bucket enforces object ownership, so
    ACL grants to the log delivery group are impossible (S3 User Guide, "Enabling Amazon S3
    server access logging", https://docs.aws.amazon.com/AmazonS3/latest/userguide/
    enable-server-access-logging.html, "Permissions for log delivery").
    """
    arn = bucket_arn(partition, bucket)
    source_arn = bucket_arn(partition, source_bucket)
    return {
        "Version": "2012-10-17",
        "Statement": [
            # S3 User Guide, "Security best practices for Amazon S3": deny requests not over TLS.
            # AWS's own log buckets pair this with service deliveries (Control Tower User
            # Guide, "Amazon S3 bucket policy in the audit account", AllowSSLRequestsOnly).
            deny_insecure_transport(partition, bucket),
            # Verbatim form of "Grant permissions to the logging service principal by using a
            # bucket policy" (same page): PutObject under the target prefix, confused-deputy
            # conditions aws:SourceArn (ArnLike, the source bucket) and aws:SourceAccount.
            {
                "Sid": "S3ServerAccessLogsPolicy",
                "Effect": "Allow",
                "Principal": {"Service": LOGGING_SERVICE},
                "Action": ["s3:PutObject"],
                "Resource": f"{arn}/{target_prefix}*",
                "Condition": {
                    "ArnLike": {"aws:SourceArn": source_arn},
                    "StringEquals": {"aws:SourceAccount": source_account},
                },
            },
            # Nobody else writes here, so access records cannot be forged. The same page warns
            # that Deny statements must not block delivery: deliveries carry aws:SourceArn equal
            # to the source bucket (the Allow above requires it), so this never matches them.
            {
                "Sid": "DenyWritesNotFromLogDelivery",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": f"{arn}/*",
                "Condition": {"ArnNotLike": {"aws:SourceArn": source_arn}},
            },
            {
                "Sid": "DenyBucketDeletion",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:DeleteBucket",
                "Resource": arn,
            },
            # The evidence of who read the logs: kept like the logs (reads stay with IAM: the
            # records name requests, they hold no log content).
            *archive_guard(
                partition, bucket, administrator_arns=administrator_arns, reader_arns=None
            ),
        ],
    }


def access_log_target(target_prefix: str = ACCESS_LOG_PREFIX) -> dict[str, Any]:
    """`aws.s3.BucketLogging` target settings: a prefix, and date-partitioned keys.

    Partitioned keys (`[prefix][account]/[region]/[bucket]/YYYY/MM/DD/...`, S3 User Guide,
    "Logging requests with server access logging") let Athena prune by date.
    """
    return {
        "target_prefix": target_prefix,
        "target_object_key_format": {"partitioned_prefix": {"partition_date_source": "EventTime"}},
    }


# --- Object Lock ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectLock:
    """Default retention of the archive (S3 User Guide, "How S3 Object Lock works").

    GOVERNANCE: principals with s3:BypassGovernanceRetention can still delete or shorten.
    COMPLIANCE: nobody, the root user included, can delete a version or shorten its retention
    until it ends; choose it only when the retention period is certain.
    """

    mode: str
    retention_days: int


def object_lock_problems(
    mode: str | None, retention_days: int | None, expiration_days: int
) -> list[tuple[str, str]]:
    """(config key, expected form) for each problem of an Object Lock setting (empty when fine).

    `mode` is GOVERNANCE, COMPLIANCE or None (the schema checks the spelling); `expiration_days`
    is the archive's lifecycle expiry of current objects (0 = never).
    """
    if mode is None:
        if retention_days:
            return [("objectLockMode", "GOVERNANCE or COMPLIANCE, because objectLockRetentionDays "
                     "is set")]  # fmt: skip
        return []
    if not retention_days or retention_days < 1:
        # "Bucket default settings require both a mode and a period" (How S3 Object Lock works).
        return [("objectLockRetentionDays", f"a number of days >= 1 for objectLockMode {mode}")]
    if expiration_days and retention_days > expiration_days:
        # Lifecycle still places delete markers on locked objects, but "protected object
        # versions remain safe from being deleted ... by a lifecycle configuration" (S3 User
        # Guide, "Managing Object Lock", delete markers and lifecycles): the logs would vanish
        # from view at expiry yet be kept, and billed, until the lock ends.
        return [
            (
                "objectLockRetentionDays",
                f"at most expirationDays ({expiration_days}): lifecycle cannot delete locked "
                "versions",
            )
        ]
    return []


def object_lock_configuration(lock: ObjectLock) -> dict[str, Any]:
    """Arguments of `aws.s3.BucketObjectLockConfiguration` (pulumi-aws v7) for `lock`.

    A new bucket may be created with `object_lock_enabled=True`; an existing one (the archive
    of a running stack) gets Object Lock from this resource once versioning is on: "To enable
    Object Lock for an existing bucket, you must first enable versioning on the bucket and then
    enable Object Lock" (pulumi-aws `BucketObjectLockConfiguration`; S3 User Guide, "Configuring
    S3 Object Lock"). Versioning then cannot be suspended. `object_lock_enabled="Enabled"` is
    what PutObjectLockConfiguration sends.
    """
    return {
        "object_lock_enabled": "Enabled",
        "rule": {"default_retention": {"mode": lock.mode, "days": lock.retention_days}},
    }


# --- replication ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplicaTarget:
    """Where the archive is replicated to.

    `account_id` None means this account: the stack creates the replica bucket and its key.
    Otherwise the bucket and key (`kms_key_arn`, in `region`) belong to that account, which
    applies the documents this module produces for it.
    """

    region: str
    bucket: str
    account_id: str | None = None
    kms_key_arn: str | None = None

    @property
    def cross_account(self) -> bool:
        return self.account_id is not None


def replication_problems(
    *,
    archive_region: str,
    replication_region: str,
    replication_account_id: str | None,
    replication_bucket: str | None,
    replication_kms_key_arn: str | None,
    own_account_id: str,
) -> list[tuple[str, str]]:
    """(config key, expected form) for each problem of the replication keys (empty when fine).

    Forms (region names, account ids, ARNs) are the schema's to check; this checks how the
    keys fit together.
    """
    problems: list[tuple[str, str]] = []
    if replication_region == archive_region:
        # Security Hub S3.7 asks for cross-Region replication; a same-Region copy shares the
        # archive's regional failure modes.
        expected = f"a Region other than the archive's ({archive_region})"
        problems.append(("replicationRegion", expected))
    if replication_account_id is None or replication_account_id == own_account_id:
        if replication_kms_key_arn is not None:
            problems.append(
                (
                    "replicationKmsKeyArn",
                    "no value unless replicationAccountId names another account: this stack "
                    "creates the replica's key in this account",
                )
            )
        return problems
    if not replication_bucket:
        expected = "the other account's bucket name, because replicationAccountId is set"
        problems.append(("replicationBucket", expected))
    key_prefix = f":kms:{replication_region}:{replication_account_id}:key/"
    if replication_kms_key_arn is None or key_prefix not in replication_kms_key_arn:
        # "The KMS key must have been created in the same AWS Region as the destination
        # buckets" (S3 User Guide, "Replicating encrypted objects").
        problems.append(
            (
                "replicationKmsKeyArn",
                f"a key ARN of account {replication_account_id} in {replication_region}",
            )
        )
    return problems


def replication_trust_policy() -> Policy:
    """Trust policy of the replication role: exactly the S3 User Guide's form.

    "Setting up permissions for live replication", https://docs.aws.amazon.com/AmazonS3/latest/
    userguide/setting-repl-config-perm-overview.html. The guide shows no condition for S3
    replication, and a confused-deputy condition it doesn't document could stop replication
    without any error, so none is added.
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowS3AssumeReplicationRole",
                "Effect": "Allow",
                "Principal": {"Service": S3_SERVICE},
                "Action": "sts:AssumeRole",
            }
        ],
    }


def _s3_context(partition: str, bucket: str) -> list[str]:
    # With an S3 Bucket Key the encryption context is the bucket ARN, without it the object ARN
    # ("Replicating encrypted objects", S3 Bucket Keys and replication): both forms, one bucket.
    arn = bucket_arn(partition, bucket)
    return [arn, f"{arn}/*"]


def replication_role_policy(
    *,
    partition: str,
    account_id: str,
    source_bucket: str,
    source_region: str,
    key_prefix: str | None,
    source_sse_kms: bool,
    target: ReplicaTarget,
    object_lock: bool = False,
) -> Policy:
    """Least-privilege permissions of the replication role.

    The S3 User Guide's access policy ("Setting up permissions for live replication"), scoped
    to the replicated prefix, without s3:ReplicateDelete: delete markers are not replicated
    (DeleteMarkerReplication Disabled), so the role never needs it. KMS statements follow
    "Replicating encrypted objects" (kms:Decrypt on the source key, kms:Encrypt on the replica
    key, each under kms:ViaService and kms:EncryptionContext:aws:s3:arn), plus kms:Decrypt on
    the replica key, which the same page requires when the replica uses an S3 Bucket Key.
    """
    source = bucket_arn(partition, source_bucket)
    destination = bucket_arn(partition, target.bucket)
    replicated = f"{source}/{logs_prefix(key_prefix)}*"
    source_reads = [
        "s3:GetObjectVersionForReplication",
        "s3:GetObjectVersionAcl",
        "s3:GetObjectVersionTagging",
    ]
    if object_lock:
        # S3 User Guide, "Using S3 Object Lock with replication": two more permissions on the
        # source so retention settings travel with the replicas.
        source_reads += ["s3:GetObjectRetention", "s3:GetObjectLegalHold"]
    replica_writes = ["s3:ReplicateObject", "s3:ReplicateTags"]
    if target.cross_account:
        # "Changing the replica owner": the owner override needs this permission on the role.
        replica_writes.append("s3:ObjectOwnerOverrideToBucketOwner")
    statements: list[dict[str, Any]] = [
        {
            "Sid": "SourceBucket",
            "Effect": "Allow",
            "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
            "Resource": [source],
        },
        {
            "Sid": "SourceObjects",
            "Effect": "Allow",
            "Action": source_reads,
            "Resource": [replicated],
        },
        {
            "Sid": "ReplicaObjects",
            "Effect": "Allow",
            "Action": replica_writes,
            "Resource": f"{destination}/*",
        },
    ]
    if source_sse_kms:
        statements += [
            {
                "Sid": "DecryptSourceObjects",
                "Effect": "Allow",
                "Action": ["kms:Decrypt"],
                "Resource": [any_key_in(partition, source_region, account_id)],
                "Condition": {
                    "StringLike": {
                        "kms:ViaService": s3_via_service(source_region),
                        "kms:EncryptionContext:aws:s3:arn": _s3_context(partition, source_bucket),
                    }
                },
            },
            {
                "Sid": "EncryptReplicas",
                "Effect": "Allow",
                "Action": ["kms:Encrypt", "kms:Decrypt"],
                "Resource": [
                    target.kms_key_arn
                    or any_key_in(partition, target.region, target.account_id or account_id)
                ],
                "Condition": {
                    "StringLike": {
                        "kms:ViaService": s3_via_service(target.region),
                        "kms:EncryptionContext:aws:s3:arn": _s3_context(partition, target.bucket),
                    }
                },
            },
        ]
    return {"Version": "2012-10-17", "Statement": statements}


def replication_source_key_statement(
    *, partition: str, role_arn: str, source_bucket: str, source_region: str
) -> dict[str, Any]:
    """The statement the log key's policy needs so the replication role can read SSE-KMS logs.

    The log key policy grants use to no IAM policy (administration without use), so the role's
    kms:Decrypt takes effect only if the key policy names the role ("Replicating encrypted
    objects": the key owner must grant these permissions).
    """
    return {
        "Sid": "AllowReplicationDecrypt",
        "Effect": "Allow",
        "Principal": {"AWS": role_arn},
        "Action": "kms:Decrypt",
        "Resource": "*",
        "Condition": {
            "StringLike": {
                "kms:ViaService": s3_via_service(source_region),
                "kms:EncryptionContext:aws:s3:arn": _s3_context(partition, source_bucket),
            }
        },
    }


def replica_key_statements(
    *,
    partition: str,
    role_arn: str,
    replica_bucket: str,
    replica_region: str,
    reader_arns: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Key-policy statements of the replica key: the replication role encrypts replicas, and the
    log readers decrypt them through S3 for that bucket only.

    For a replica in another account, that account adds these to its key's policy. The S3
    guide's console procedure ("Granting additional permissions for cross-account scenarios")
    adds the whole source account as a key user; naming the role, with the same conditions as
    the role policy, grants the same replication with less.
    """
    context = {
        "kms:ViaService": s3_via_service(replica_region),
        "kms:EncryptionContext:aws:s3:arn": _s3_context(partition, replica_bucket),
    }
    statements: list[dict[str, Any]] = [
        {
            "Sid": "AllowReplicationEncrypt",
            "Effect": "Allow",
            "Principal": {"AWS": role_arn},
            "Action": ["kms:Encrypt", "kms:Decrypt"],
            "Resource": "*",
            "Condition": {"StringLike": dict(context)},
        }
    ]
    if reader_arns:
        statements.append(
            {
                "Sid": "AllowReplicaReadersDecrypt",
                "Effect": "Allow",
                "Principal": {"AWS": sorted(set(reader_arns))},
                "Action": "kms:Decrypt",
                "Resource": "*",
                "Condition": {"StringLike": dict(context)},
            }
        )
    return statements


def replica_key_policy(
    *,
    partition: str,
    administrator_arns: Sequence[str],
    role_arn: str,
    replica_bucket: str,
    replica_region: str,
    reader_arns: Sequence[str] = (),
) -> Policy:
    """Key policy of the replica's own key (a key in the replica's Region, this account):
    administered by the named archive administrators only, like the log key."""
    statements = [
        named_key_administration(administrator_arns),
        *replica_key_statements(
            partition=partition,
            role_arn=role_arn,
            replica_bucket=replica_bucket,
            replica_region=replica_region,
            reader_arns=reader_arns,
        ),
    ]
    return {"Version": "2012-10-17", "Statement": statements}


def replica_bucket_policy(
    *,
    partition: str,
    bucket: str,
    role_arn: str,
    reader_arns: Sequence[str],
    administrator_arns: Sequence[str] | None,
) -> Policy:
    """Bucket policy of the replica: only the replication role writes, and only replicas; nobody
    deletes one, and only the log readers read it (`guard`).

    `administrator_arns` None means the replica is in another account (the archive's named
    administrators are not that account's): the Allow statements are then those of "Granting
    permissions when the source and destination buckets are owned by different AWS accounts"
    and "Changing the replica owner" (S3 User Guide), less s3:ReplicateDelete (no delete markers
    are replicated) and s3:PutBucketVersioning (which would let the source account suspend
    versioning of the evidence copy; replication only needs to read it), and that account keeps
    its own administration (the organization's service control policy covers the bucket).
    """
    arn = bucket_arn(partition, bucket)
    cross_account = administrator_arns is None
    statements: list[dict[str, Any]] = [deny_insecure_transport(partition, bucket)]
    if cross_account:
        statements += [
            {
                "Sid": "ReplicationObjects",
                "Effect": "Allow",
                "Principal": {"AWS": role_arn},
                # The guide grants the owner override to the source account; the role is the
                # only principal of that account that replicates.
                "Action": ["s3:ReplicateObject", "s3:ObjectOwnerOverrideToBucketOwner"],
                "Resource": f"{arn}/*",
            },
            {
                "Sid": "ReplicationBucket",
                "Effect": "Allow",
                "Principal": {"AWS": role_arn},
                "Action": ["s3:List*", "s3:GetBucketVersioning"],
                "Resource": arn,
            },
        ]
    if reader_arns:
        statements.append(allow_log_readers(partition, bucket, reader_arns))
    statements += [
        # Belt and braces with DeleteMarkerReplication Disabled: a later configuration change
        # in the source account still cannot hide replicas behind delete markers.
        {
            "Sid": "DenyReplicatedDeletes",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:ReplicateDelete",
            "Resource": f"{arn}/*",
        },
        {
            "Sid": "DenyReplicationByOthers",
            "Effect": "Deny",
            "Principal": "*",
            "Action": ["s3:ReplicateObject", "s3:ReplicateTags"],
            "Resource": f"{arn}/*",
            "Condition": {"ArnNotEquals": {"aws:PrincipalArn": role_arn}},
        },
        # Replicas arrive through s3:ReplicateObject; an ordinary upload is never legitimate.
        {
            "Sid": "DenyDirectWrites",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": f"{arn}/*",
        },
        {
            "Sid": "DenyBucketDeletion",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:DeleteBucket",
            "Resource": arn,
        },
    ]
    if administrator_arns is None:
        statements += [
            deny_object_deletion(partition, bucket),
            deny_reads_by_others(partition, bucket, reader_arns),
        ]
    else:
        statements += archive_guard(
            partition, bucket, administrator_arns=administrator_arns, reader_arns=reader_arns
        )
    return {"Version": "2012-10-17", "Statement": statements}


def replication_rule(
    *,
    partition: str,
    key_prefix: str | None,
    source_sse_kms: bool,
    target: ReplicaTarget,
    replica_kms_key_arn: Any,
) -> dict[str, Any]:
    """The rule of `aws.s3.BucketReplicationConfig` (pulumi-aws v7 `rules` item).

    `replica_kms_key_arn` may be an Output (this stack's new key). Filtered (V2) rule so that
    DeleteMarkerReplication can be set: Disabled keeps deletions in the archive from reaching
    the evidence copy. SSE-KMS log files replicate only with SseKmsEncryptedObjects Enabled and
    a ReplicaKmsKeyID ("Replicating encrypted objects"); digest files are SSE-S3 (CloudTrail
    User Guide, "Encrypting CloudTrail log files with AWS KMS keys") and replicate as they are.
    """
    destination: dict[str, Any] = {"bucket": bucket_arn(partition, target.bucket)}
    rule: dict[str, Any] = {
        "id": REPLICATION_RULE_ID,
        "status": "Enabled",
        "filter": {"prefix": logs_prefix(key_prefix)},
        "delete_marker_replication": {"status": "Disabled"},
        "destination": destination,
    }
    if source_sse_kms:
        rule["source_selection_criteria"] = {"sse_kms_encrypted_objects": {"status": "Enabled"}}
        destination["encryption_configuration"] = {"replica_kms_key_id": replica_kms_key_arn}
    if target.cross_account:
        # "Changing the replica owner": AccessControlTranslation Owner=Destination plus Account.
        # A destination that enforces bucket-owner ownership gets the same result without it,
        # but this stack cannot see the other account's setting.
        destination["access_control_translation"] = {"owner": "Destination"}
        destination["account"] = target.account_id
    return rule


# --- data events on the archive ---------------------------------------------------------------


def archive_event_selectors(*, partition: str, bucket: str) -> list[dict[str, Any]]:
    """Advanced event selectors (pulumi-aws `advanced_event_selectors` shape) for the trail of the
    account that owns the archive: all management events, and who reads or changes log objects.

    - Advanced selectors replace basic ones on a trail, so management events need their own
      selector (CloudTrail API Reference, PutEventSelectors).
    - The trail's own deliveries are PutObject calls; "Using the same Amazon S3 bucket causes
      your trail ... to log a data event each time log files are delivered" (CloudTrail User
      Guide, "Logging data events", note under "Examples of logging data events for Amazon S3
      objects"). Writes are therefore selected with eventName NotEquals PutObject; the bucket
      policy already denies every PutObject that is not a trail delivery.
    - Fields are those a trail supports for data events: eventCategory, resources.type,
      readOnly, eventName, resources.ARN (CloudTrail API Reference, AdvancedFieldSelector);
      userIdentity.arn is for event data stores only.
    - resources.ARN StartsWith `arn:...:s3:::bucket/` is the documented way to capture every
      event of one bucket; it also covers DeleteObjects, which CloudTrail logs only for a
      bucket with an empty prefix (S3 User Guide, "Amazon S3 object-level actions tracked by
      CloudTrail logging").
    - The bucket owner's trail records these events whichever account calls (same guide).

    Cost: data events are $0.10 per 100,000 (AWS CloudTrail pricing). With deliveries excluded
    the cost follows only reads and changes of the archive: a SIEM fetching each log file once
    adds about one GetObject (and often one HeadObject) per file.
    """
    objects = f"{bucket_arn(partition, bucket)}/"
    data_on_archive: list[dict[str, Any]] = [
        {"field": "eventCategory", "equals": ["Data"]},
        {"field": "resources.type", "equals": ["AWS::S3::Object"]},
    ]
    return [
        {
            "name": "Management events",
            "field_selectors": [{"field": "eventCategory", "equals": ["Management"]}],
        },
        {
            "name": "Reads of archived logs",
            "field_selectors": [
                *data_on_archive,
                {"field": "readOnly", "equals": ["true"]},
                {"field": "resources.ARN", "starts_withs": [objects]},
            ],
        },
        {
            "name": "Changes to archived logs other than deliveries",
            "field_selectors": [
                *data_on_archive,
                {"field": "readOnly", "equals": ["false"]},
                {"field": "eventName", "not_equals": ["PutObject"]},
                {"field": "resources.ARN", "starts_withs": [objects]},
            ],
        },
    ]


def selects(selectors: Sequence[Mapping[str, Any]], event: Mapping[str, str]) -> bool:
    """Whether advanced event selectors record `event` (field name -> value).

    Selectors are ORed; a selector's field selectors are ANDed. Within a field selector, the
    positive operators match when any value matches, the negative ones when none does, and a
    field absent from the event matches no positive operator (AdvancedFieldSelector).
    """
    return any(_selector_matches(s, event) for s in selectors)


_OPERATORS: dict[str, Callable[[str, str], bool]] = {
    "equals": lambda value, pattern: value == pattern,
    "starts_withs": lambda value, pattern: value.startswith(pattern),
    "ends_withs": lambda value, pattern: value.endswith(pattern),
}


def _selector_matches(selector: Mapping[str, Any], event: Mapping[str, str]) -> bool:
    for field_selector in selector["field_selectors"]:
        value = event.get(field_selector["field"])
        for operator, test in _OPERATORS.items():
            if operator in field_selector and (
                value is None or not any(test(value, p) for p in field_selector[operator])
            ):
                return False
            negated = f"not_{operator}"
            if (
                negated in field_selector
                and value is not None
                and any(test(value, p) for p in field_selector[negated])
            ):
                return False
    return True


# --- Insights ---------------------------------------------------------------------------------


def insight_selectors(enabled: bool) -> list[dict[str, str]]:
    """`insight_selectors` of `aws.cloudtrail.Trail` (pulumi-aws v7 shape).

    API call rate needs write management events, API error rate read or write ones (CloudTrail
    User Guide, "Working with CloudTrail Insights"); the management selector above records both.
    Charged per event analyzed, write events twice when both types are on ("Costs for Insights
    events"), so it is off unless asked for.
    """
    if not enabled:
        return []
    return [{"insight_type": "ApiCallRateInsight"}, {"insight_type": "ApiErrorRateInsight"}]
