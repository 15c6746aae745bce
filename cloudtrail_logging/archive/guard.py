"""What every bucket of the archive denies to the archive account's own administrators.

The log bucket, its access-log bucket and its replica each carry the same Deny statements, built
here once. An explicit Deny in a bucket policy overrides every Allow, including the
AdministratorAccess of the bucket's own account ("Policy evaluation logic"), so these are what
keep an administrator of the archive account who is not a named archive administrator from
erasing, reading or reconfiguring the evidence:

* `DenyObjectDeletion` (everyone, no exception): no delete marker (s3:DeleteObject), no removal of
  a version (s3:DeleteObjectVersion), no bypass of a GOVERNANCE lock
  (s3:BypassGovernanceRetention). Without delete markers, the lifecycle's noncurrent-version
  expiration never applies to a log before its own expiry: "Delete markers are not WORM-protected"
  (S3 User Guide, Object Lock considerations), so Object Lock alone would not prevent it. Only
  the lifecycle (which is no request and so no policy applies to it) removes logs, at expiry.
* `DenyReplicationInto` (everyone; not on the replica, which takes replicas from its role only):
  s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags. A same-account source bucket needs no
  grant from the destination ("Setting up permissions for live replication": the destination's
  bucket policy matters only across accounts), so without it any administrator could replicate a
  delete marker or a forged version over a log and let the noncurrent-version expiration remove
  the original.
* `DenyAdministrationByOthers` (everyone but the named archive administrators): every bucket
  configuration write, bucket-policy deletion included, and object retention or legal-hold
  changes. The IAM actions behind the configuration APIs, their Delete* twins included, are
  listed in "Required permissions for Amazon S3 API operations" (e.g. DeleteBucketLifecycle is
  s3:PutLifecycleConfiguration, DeletePublicAccessBlock s3:PutBucketPublicAccessBlock).
* `DenyReadsByOthers` (everyone but the log readers and the replication role): every object read
  action. A GetObject request with a versionId is authorized by s3:GetObjectVersion, not
  s3:GetObject (GetObject API reference), so the statement covers `s3:GetObject*`; S3 Select,
  HeadObject and CopyObject's source are s3:GetObject; RestoreObject is listed too.

What they do not cover, by design (README, threat model): the root user of the bucket's account
may always read, change and delete a bucket policy ("Bucket owner root principals can only be
blocked from performing these API actions by VPC endpoint policies and AWS Organizations
policies", DeleteBucketPolicy API reference), and an IAM administrator can take over a named
role; the organization's service control policy (`service_control_policy.py`) closes both.
"""

from __future__ import annotations

from collections.abc import Sequence

from cloudtrail_logging.aws import Statement
from cloudtrail_logging.aws.arns import bucket_arn

# Each action the statement names is an IAM action of the S3 service authorization reference
# (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
OBJECT_DELETION_ACTIONS = (
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:BypassGovernanceRetention",
)
BUCKET_ADMINISTRATION_ACTIONS = (
    # PutBucketPolicy, PutBucketVersioning, PutBucketLogging, PutBucketObjectLockConfiguration,
    # PutBucketPublicAccessBlock, PutBucketOwnershipControls, PutBucketNotification,
    # PutBucketAcl, PutBucketTagging, ...: every PutBucket* action.
    "s3:PutBucket*",
    "s3:DeleteBucketPolicy",
    "s3:PutLifecycleConfiguration",
    "s3:PutEncryptionConfiguration",
    "s3:PutReplicationConfiguration",
    "s3:PutInventoryConfiguration",
    "s3:PutObjectRetention",
    "s3:PutObjectLegalHold",
)
OBJECT_READ_ACTIONS = ("s3:GetObject*", "s3:RestoreObject")
# What S3 replication does to a destination, with the role's own credentials ("Setting up
# permissions for live replication"): into the log and access-log buckets, nothing may
# replicate, or a source bucket of anyone's making could overwrite or delete-mark their logs.
REPLICATION_ACTIONS = (
    "s3:ReplicateObject",
    "s3:ReplicateDelete",
    "s3:ReplicateTags",
    "s3:ObjectOwnerOverrideToBucketOwner",
)


def _deny_on_objects(sid: str, actions: Sequence[str], partition: str, bucket: str) -> Statement:
    """Nobody does `actions` on the bucket's objects, whatever else allows it."""
    return {
        "Sid": sid,
        "Effect": "Deny",
        "Principal": "*",
        "Action": list(actions),
        "Resource": f"{bucket_arn(partition, bucket)}/*",
    }


def deny_object_deletion(partition: str, bucket: str) -> Statement:
    """Nobody deletes an object version or places a delete marker, whatever else allows it."""
    return _deny_on_objects("DenyObjectDeletion", OBJECT_DELETION_ACTIONS, partition, bucket)


def deny_replication_into(partition: str, bucket: str) -> Statement:
    """Nothing is replicated into the bucket: its objects are written by their service only."""
    return _deny_on_objects("DenyReplicationInto", REPLICATION_ACTIONS, partition, bucket)


def deny_administration_by_others(
    partition: str, bucket: str, administrator_arns: Sequence[str]
) -> Statement:
    """Only `administrator_arns` change the bucket's configuration (aws:PrincipalArn: for a
    role session, the role's ARN, path included; "AWS global condition context keys")."""
    if not administrator_arns:
        raise ValueError("administrator_arns must name at least one principal")
    arn = bucket_arn(partition, bucket)
    return {
        "Sid": "DenyAdministrationByOthers",
        "Effect": "Deny",
        "Principal": "*",
        "Action": list(BUCKET_ADMINISTRATION_ACTIONS),
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"ArnNotEquals": {"aws:PrincipalArn": sorted(set(administrator_arns))}},
    }


def deny_reads_by_others(partition: str, bucket: str, reader_arns: Sequence[str]) -> Statement:
    """Only `reader_arns` read objects; with none, nobody does."""
    statement: Statement = {
        "Sid": "DenyReadsByOthers",
        "Effect": "Deny",
        "Principal": "*",
        "Action": list(OBJECT_READ_ACTIONS),
        "Resource": f"{bucket_arn(partition, bucket)}/*",
    }
    if reader_arns:
        statement["Condition"] = {"ArnNotEquals": {"aws:PrincipalArn": sorted(set(reader_arns))}}
    return statement


def archive_guard(
    partition: str,
    bucket: str,
    *,
    administrator_arns: Sequence[str],
    reader_arns: Sequence[str] | None,
    replica: bool = False,
) -> list[Statement]:
    """The statements every archive bucket carries; `reader_arns` None leaves reads to IAM
    (the access-log bucket, whose records say who touched the logs but hold none). A replica
    (`replica`) admits its replication role instead of refusing all replication."""
    statements = [deny_object_deletion(partition, bucket)]
    if not replica:
        statements.append(deny_replication_into(partition, bucket))
    statements.append(deny_administration_by_others(partition, bucket, administrator_arns))
    if reader_arns is not None:
        statements.append(deny_reads_by_others(partition, bucket, reader_arns))
    return statements
