"""Log integrity at preview: access logging, Object Lock, replication, data events and Insights, as
the log-archive (and member) stacks register them, and the config errors that stop them."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest

from cloudtrail_logging.integrity.access_logging import access_log_bucket_policy
from cloudtrail_logging.integrity.replication import replica_bucket_policy, replica_key_statements
from cloudtrail_logging.integrity.trail_selectors import archive_event_selectors, selects
from engine_model.mocks import DEPLOYER_ROLE
from engine_model.program import ProgramError
from tests.conftest import MEMBER, SECURITY, archive_config, archive_outputs, member_config

LOG_BUCKET = f"cloudtrail-logging-{SECURITY}-us-east-1"
ACCESS_BUCKET = f"cloudtrail-logging-access-logs-{SECURITY}-us-east-1"
REPLICA = f"cloudtrail-logging-replica-{SECURITY}-eu-west-1"
ROLE = f"arn:aws:iam::{SECURITY}:role/cloudtrail-logging-log-replication"
DEPLOYER = f"arn:aws:iam::{SECURITY}:role/{DEPLOYER_ROLE}"
OTHER = "333333333333"
OTHER_KEY = f"arn:aws:kms:eu-west-1:{OTHER}:key/0a1b2c3d-0000-4000-8000-000000000000"
LOGGING = "aws:s3/bucketLogging:BucketLogging"
OBJECT_LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
TRAIL = "aws:cloudtrail/trail:Trail"


def refused(run_stack: Any, values: dict[str, Any]) -> list[str]:
    """The problems of a config the program refuses before registering anything."""
    with pytest.raises(ProgramError) as caught:
        run_stack(values)
    assert isinstance(caught.value.cause, pulumi.RunError)
    assert caught.value.registered == ()
    return str(caught.value.cause).splitlines()


# --- server access logging (default on) --------------------------------------------------------


def test_the_log_bucket_is_access_logged_into_its_own_private_bucket(run_stack) -> None:
    stack = run_stack(archive_config())
    bucket = stack.named("access-logs-bucket")
    assert bucket.inputs["bucket"] == ACCESS_BUCKET
    assert bucket.protect and bucket.retain_on_delete and bucket.inputs["forceDestroy"] is False
    [sse] = stack.named("access-logs-encryption").inputs["rules"]
    # SSE-S3: S3 does not deliver server access logs to a bucket whose default is SSE-KMS.
    assert sse["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}
    assert stack.named("access-logs-versioning").inputs["versioningConfiguration"] == {
        "status": "Enabled"
    }
    assert stack.named("access-logs-ownership").inputs["rule"] == {
        "objectOwnership": "BucketOwnerEnforced"
    }
    block = stack.named("access-logs-public-access-block").inputs
    assert all(block[k] is True for k in ("blockPublicAcls", "blockPublicPolicy",
                                          "ignorePublicAcls", "restrictPublicBuckets"))  # fmt: skip
    [rule] = stack.named("access-logs-lifecycle").inputs["rules"]
    assert rule["expiration"] == {"days": 2557}
    assert json.loads(stack.named("access-logs-policy").inputs["policy"]) == (
        access_log_bucket_policy(
            partition="aws", bucket=ACCESS_BUCKET, source_bucket=LOG_BUCKET,
            source_account=SECURITY, administrator_arns=[DEPLOYER],
        )
    )
    logging = stack.one(LOGGING)
    assert logging.inputs["bucket"] == LOG_BUCKET
    assert logging.inputs["targetBucket"] == ACCESS_BUCKET
    assert logging.inputs["targetPrefix"] == "s3-access-logs/"
    # Logging starts once delivery is allowed, and it names the log bucket through its output.
    assert {stack.named("access-logs-policy").urn, stack.named("log-archive-bucket").urn} <= set(
        logging.dependencies
    )
    assert stack.result.outputs["accessLogBucketName"] == ACCESS_BUCKET


def test_access_logging_can_be_switched_off_or_renamed(run_stack) -> None:
    off = run_stack(archive_config(accessLogging=False))
    assert off.of_type(LOGGING) == []
    assert not [r for r in off.resources if r.name.startswith("access-logs")]
    assert off.result.outputs["accessLogBucketName"] == ""
    renamed = run_stack(
        archive_config(accessLogBucketName="my-access-logs", accessLogRetentionDays=0)
    )
    assert renamed.one(LOGGING).inputs["targetBucket"] == "my-access-logs"
    assert "expiration" not in renamed.named("access-logs-lifecycle").inputs["rules"][0]


# --- Object Lock (default off) -----------------------------------------------------------------


def test_no_object_lock_by_default(run_stack) -> None:
    stack = run_stack(archive_config())
    assert stack.of_type(OBJECT_LOCK) == []
    assert stack.result.outputs["objectLockMode"] == ""


@pytest.mark.parametrize("mode", ["GOVERNANCE", "COMPLIANCE"])
def test_object_lock_sets_a_default_retention_after_versioning(run_stack, mode: str) -> None:
    stack = run_stack(archive_config(objectLockMode=mode, objectLockRetentionDays=400))
    lock = stack.one(OBJECT_LOCK)
    assert lock.inputs["bucket"] == LOG_BUCKET
    assert lock.inputs["objectLockEnabled"] == "Enabled"
    assert lock.inputs["rule"] == {"defaultRetention": {"mode": mode, "days": 400}}
    assert stack.named("log-archive-versioning").urn in lock.dependencies
    assert lock.protect  # dropping the lock is never a side effect of a config edit
    # Never the bucket's creation-time flag: on a running archive it would force a replacement.
    assert "objectLockEnabled" not in stack.named("log-archive-bucket").inputs
    assert stack.result.outputs["objectLockMode"] == mode
    assert stack.result.outputs["objectLockRetentionDays"] == 400


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"objectLockMode": "COMPLIANCE"},
         "cloudtrail-logging:objectLockRetentionDays: expected a number of days >= 1"),
        ({"objectLockRetentionDays": 30},
         "cloudtrail-logging:objectLockMode: expected GOVERNANCE or COMPLIANCE"),
        ({"objectLockMode": "governance", "objectLockRetentionDays": 30},
         "cloudtrail-logging:objectLockMode: expected one of GOVERNANCE, COMPLIANCE"),
        ({"objectLockMode": "COMPLIANCE", "objectLockRetentionDays": 3000},
         "cloudtrail-logging:objectLockRetentionDays: expected at most expirationDays (2557)"),
    ],
)  # fmt: skip
def test_a_bad_object_lock_is_refused(run_stack, overrides: dict[str, Any], expected: str) -> None:
    problems = refused(run_stack, archive_config(**overrides))
    assert any(p.startswith(expected) for p in problems), problems


def test_a_lock_longer_than_expiry_is_fine_when_logs_never_expire(run_stack) -> None:
    config = archive_config(objectLockMode="COMPLIANCE", objectLockRetentionDays=3000)
    stack = run_stack({**config, "expirationDays": 0})
    assert stack.one(OBJECT_LOCK).inputs["rule"]["defaultRetention"]["days"] == 3000


# --- replication (default off) -----------------------------------------------------------------


def test_replication_to_this_account_builds_the_replica_with_its_own_key(run_stack) -> None:
    stack = run_stack(archive_config(replicationRegion="eu-west-1"))
    bucket = stack.named("replica-bucket")
    assert bucket.inputs["bucket"] == REPLICA and bucket.inputs["region"] == "eu-west-1"
    assert bucket.protect and bucket.retain_on_delete
    key = stack.named("replica-key")
    assert key.inputs["region"] == "eu-west-1" and key.protect
    [sse] = stack.named("replica-encryption").inputs["rules"]
    assert sse["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
    # The replica ages like the archive.
    [rule] = stack.named("replica-lifecycle").inputs["rules"]
    assert rule["transitions"] == [{"days": 90, "storageClass": "DEEP_ARCHIVE"}]
    assert rule["expiration"] == {"days": 2557}
    replication = stack.one(REPLICATION)
    assert replication.inputs["bucket"] == LOG_BUCKET
    [rule] = replication.inputs["rules"]
    assert rule["deleteMarkerReplication"] == {"status": "Disabled"}
    assert rule["sourceSelectionCriteria"] == {"sseKmsEncryptedObjects": {"status": "Enabled"}}
    assert rule["destination"]["bucket"] == f"arn:aws:s3:::{REPLICA}"
    needed = {"log-archive-versioning", "replica-versioning", "replica-role-policy"}
    names = {r.urn: r.name for r in stack.resources}
    assert needed <= {names[u] for u in replication.dependencies}
    assert any(names[u] == "log-key-key" or names[u].startswith("log-key") for u in
               replication.dependencies)  # fmt: skip
    outputs = stack.result.outputs
    assert (outputs["replicaBucketName"], outputs["replicaRegion"]) == (REPLICA, "eu-west-1")
    assert outputs["replicaAccountId"] == SECURITY and outputs["replicationRoleArn"] == ROLE
    assert outputs["replicaBucketPolicy"] == ""


def test_the_log_key_admits_the_replication_role_to_decrypt_logs_only(run_stack) -> None:
    plain = run_stack(archive_config())
    replicated = run_stack(archive_config(replicationRegion="eu-west-1"))

    def log_key_statements(stack: Any) -> dict[str, Any]:
        key = next(r for r in stack.of_type("aws:kms/key:Key") if "logs in the central" in
                   r.inputs["description"])  # fmt: skip
        return {s["Sid"]: s for s in json.loads(key.inputs["policy"])["Statement"]}

    assert "AllowReplicationDecrypt" not in log_key_statements(plain)
    statement = log_key_statements(replicated)["AllowReplicationDecrypt"]
    assert statement["Principal"] == {"AWS": ROLE}
    assert statement["Action"] == "kms:Decrypt"
    assert statement["Condition"]["StringLike"]["kms:ViaService"] == "s3.us-east-1.amazonaws.com"


def test_object_lock_reaches_the_replica(run_stack) -> None:
    stack = run_stack(
        archive_config(
            replicationRegion="eu-west-1", objectLockMode="COMPLIANCE", objectLockRetentionDays=365
        )
    )
    locks = {r.name: r for r in stack.of_type(OBJECT_LOCK)}
    assert set(locks) == {"log-archive-object-lock", "replica-object-lock"}
    assert locks["replica-object-lock"].inputs["region"] == "eu-west-1"
    role_policy = json.loads(stack.named("replica-role-policy").inputs["policy"])
    actions = {a for s in role_policy["Statement"] for a in s["Action"]}
    assert {"s3:GetObjectRetention", "s3:GetObjectLegalHold"} <= actions


def test_replication_to_another_account_exports_its_documents(run_stack) -> None:
    stack = run_stack(
        archive_config(
            replicationRegion="eu-west-1",
            replicationAccountId=OTHER,
            replicationBucket="evidence-copy",
            replicationKmsKeyArn=OTHER_KEY,
        )
    )
    assert not [r for r in stack.resources if r.name in ("replica-bucket", "replica-key")]
    [rule] = stack.one(REPLICATION).inputs["rules"]
    assert rule["destination"]["account"] == OTHER
    assert rule["destination"]["accessControlTranslation"] == {"owner": "Destination"}
    assert rule["destination"]["encryptionConfiguration"] == {"replicaKmsKeyId": OTHER_KEY}
    outputs = stack.result.outputs
    assert outputs["replicaAccountId"] == OTHER
    assert json.loads(outputs["replicaBucketPolicy"]) == replica_bucket_policy(
        partition="aws", bucket="evidence-copy", role_arn=ROLE, reader_arns=[],
        administrator_arns=None,
    )
    assert json.loads(outputs["replicaKeyPolicyStatements"]) == replica_key_statements(
        partition="aws", role_arn=ROLE, replica_bucket="evidence-copy", replica_region="eu-west-1"
    )


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"replicationRegion": "us-east-1"},
         "cloudtrail-logging:replicationRegion: expected a Region other than the archive's"),
        ({"replicationRegion": "cn-north-1"},
         "cloudtrail-logging:replicationRegion: expected a Region of the stack's partition"),
        ({"replicationRegion": "mars-1"},
         "cloudtrail-logging:replicationRegion: expected a Region of the stack's partition"),
        ({"replicationAccountId": OTHER},
         "cloudtrail-logging:replicationAccountId: expected no value unless replicationRegion"),
        ({"replicationRegion": "eu-west-1", "replicationAccountId": OTHER,
          "replicationKmsKeyArn": OTHER_KEY},
         "cloudtrail-logging:replicationBucket: expected the other account's bucket name"),
        ({"replicationRegion": "eu-west-1", "replicationAccountId": OTHER,
          "replicationBucket": "evidence-copy"},
         f"cloudtrail-logging:replicationKmsKeyArn: expected a key ARN of account {OTHER} in "
         "eu-west-1"),
        ({"replicationRegion": "eu-west-1", "replicationKmsKeyArn": OTHER_KEY},
         "cloudtrail-logging:replicationKmsKeyArn: expected no value unless"),
        ({"replicationRegion": "eu-west-1", "replicationBucket": "Not_A_Bucket"},
         "cloudtrail-logging:replicationBucket: expected an S3 bucket name"),
        ({"accessLogBucketName": LOG_BUCKET},
         "cloudtrail-logging:accessLogBucketName: expected a bucket name different from"),
        ({"replicationRegion": "eu-west-1", "replicationBucket": ACCESS_BUCKET},
         "cloudtrail-logging:replicationBucket: expected a bucket name different from"),
        ({"accessLogging": False, "accessLogBucketName": "x-logs"},
         "cloudtrail-logging:accessLogBucketName: expected no value when accessLogging is false"),
    ],
)  # fmt: skip
def test_bad_replication_or_access_log_config_is_refused(
    run_stack, overrides: dict[str, Any], expected: str
) -> None:
    problems = refused(run_stack, archive_config(**overrides))
    assert any(p.startswith(expected) for p in problems), problems


def test_integrity_keys_belong_to_the_log_archive(run_stack) -> None:
    problems = refused(run_stack, member_config(replicationRegion="eu-west-1"))
    assert problems[0].startswith("cloudtrail-logging:replicationRegion: expected no value on a "
                                  "member stack")  # fmt: skip


# --- data events on the archive and Insights ---------------------------------------------------


def test_the_archive_trail_records_who_reads_or_changes_logs(run_stack) -> None:
    trail = run_stack(archive_config()).one(TRAIL)
    expected = archive_event_selectors(partition="aws", bucket=LOG_BUCKET)
    recorded = trail.inputs["advancedEventSelectors"]
    assert [s["name"] for s in recorded] == [s["name"] for s in expected]
    as_plan = [
        {"field_selectors": [
            {"field": f["field"], **{k: v for k, v in (
                ("equals", f.get("equals")), ("starts_withs", f.get("startsWiths")),
                ("not_equals", f.get("notEquals"))) if v}}
            for f in s["fieldSelectors"]]}
        for s in recorded
    ]  # fmt: skip
    data = {"eventCategory": "Data", "resources.type": "AWS::S3::Object"}
    log = f"arn:aws:s3:::{LOG_BUCKET}/AWSLogs/{MEMBER}/CloudTrail/x.json.gz"
    read = {**data, "readOnly": "true", "eventName": "GetObject", "resources.ARN": log}
    delete = {**data, "readOnly": "false", "eventName": "DeleteObject", "resources.ARN": log}
    delivery = {**data, "readOnly": "false", "eventName": "PutObject", "resources.ARN": log}
    assert selects(as_plan, read) and selects(as_plan, delete)
    assert not selects(as_plan, delivery)  # CloudTrail warns this would loop
    assert selects(as_plan, {"eventCategory": "Management", "eventName": "ConsoleLogin"})
    assert "insightSelectors" not in trail.inputs


def test_data_events_off_leaves_the_default_management_events(run_stack) -> None:
    trail = run_stack(archive_config(logAccessDataEvents=False)).one(TRAIL)
    assert "advancedEventSelectors" not in trail.inputs


def test_a_member_trail_records_management_events_only(run_stack) -> None:
    trail = run_stack(member_config(), archive_outputs()).one(TRAIL)
    assert "advancedEventSelectors" not in trail.inputs


@pytest.mark.parametrize("role", ["log-archive", "member"])
def test_insights_when_asked_for(run_stack, role: str) -> None:
    if role == "log-archive":
        stack = run_stack(archive_config(insights=True))
    else:
        stack = run_stack(member_config(insights=True), archive_outputs())
    assert stack.one(TRAIL).inputs["insightSelectors"] == [
        {"insightType": "ApiCallRateInsight"},
        {"insightType": "ApiErrorRateInsight"},
    ]
