"""Replication of the archive to another Region, optionally another account (Security Hub
S3.7), as plain data: names, how the keys fit together, the role, the replica's bucket and key
policies and the replication rule. Every document is known at preview.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cloudtrail_logging.archive.bucket_policy import allow_log_readers, deny_insecure_transport
from cloudtrail_logging.archive.guard import (
    archive_guard,
    deny_object_deletion,
    deny_reads_by_others,
)
from cloudtrail_logging.aws import S3_SERVICE, Policy
from cloudtrail_logging.aws.arns import bucket_arn, logs_prefix
from cloudtrail_logging.aws.kms import named_key_administration, readers_decrypt
from cloudtrail_logging.aws.trust import service_trust_policy

REPLICATION_RULE_ID = "replicate-cloudtrail-logs"


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
    return service_trust_policy("AllowS3AssumeReplicationRole", S3_SERVICE)


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
        condition = {"StringLike": dict(context)}
        statements.append(readers_decrypt("AllowReplicaReadersDecrypt", reader_arns, condition))
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
            partition,
            bucket,
            administrator_arns=administrator_arns,
            reader_arns=reader_arns,
            replica=True,
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
