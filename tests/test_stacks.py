"""Whole stacks in preview mode: the shipped stack files, and the properties that matter."""

from __future__ import annotations

import json

import pulumi
import pytest

from engine_model.model import UNKNOWN, any_nested
from engine_model.program import ProgramError, preview_stack
from tests.conftest import MEMBER, SECURITY, Stack, archive_config, archive_outputs, member_config

BUCKET = "aws:s3/bucket:Bucket"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
TRAIL = "aws:cloudtrail/trail:Trail"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
BUCKET_SUBRESOURCES = [
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketVersioning:BucketVersioning",
    SSE,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    POLICY,
]


@pytest.fixture(scope="module")
def security() -> Stack:
    return Stack(preview_stack("security"))


@pytest.fixture(scope="module")
def dev() -> Stack:
    return Stack(preview_stack("dev"))


def contains_unknown(value: object) -> bool:
    return any_nested(value, lambda v: v == UNKNOWN)


def test_security_stack_bucket_is_private_versioned_and_protected(security: Stack) -> None:
    bucket = security.one(BUCKET)
    assert bucket.inputs["bucket"] == f"cloudtrail-logging-{SECURITY}-us-east-1"
    assert bucket.inputs.get("forceDestroy") is not True
    assert bucket.protect and bucket.retain_on_delete
    pab = security.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs
    assert all(pab[k] is True for k in ("blockPublicAcls", "blockPublicPolicy",
                                        "ignorePublicAcls", "restrictPublicBuckets"))
    ownership = security.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls")
    assert ownership.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    versioning = security.one("aws:s3/bucketVersioning:BucketVersioning")
    assert versioning.inputs["versioningConfiguration"]["status"] == "Enabled"


def test_every_bucket_subresource_names_the_bucket_known_at_preview(security: Stack) -> None:
    bucket = security.one(BUCKET)
    for type_ in BUCKET_SUBRESOURCES:
        resource = security.one(type_)
        assert resource.inputs["bucket"] == bucket.inputs["bucket"], type_
        assert bucket.urn in resource.property_dependencies["bucket"], type_


def test_policy_documents_are_known_at_preview(security: Stack, dev: Stack) -> None:
    for stack in (security, dev):
        for resource in stack.resources:
            for key in ("policy",):
                if key in resource.inputs and resource.type != "aws:kms/key:Key":
                    assert not contains_unknown(resource.inputs[key]), resource.name
        for key in stack.of_type("aws:kms/key:Key"):
            assert not contains_unknown(key.inputs["policy"])
            assert key.inputs["enableKeyRotation"] is True
            assert key.protect


def test_sse_kms_uses_the_log_key_with_bucket_key(security: Stack) -> None:
    rule = security.one(SSE).inputs["rules"][0]
    assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
    assert rule["bucketKeyEnabled"] is True
    log_key = security.named("log-key-key")
    assert log_key.urn in security.one(SSE).property_dependencies["rules"]


def test_bucket_policy_admits_cloudtrail_only_under_awslogs(security: Stack) -> None:
    statements = {s["Sid"]: s for s in security.policy(POLICY)["Statement"]}
    arn = f"arn:aws:s3:::cloudtrail-logging-{SECURITY}-us-east-1"
    write = statements["AWSCloudTrailWrite"]
    assert write["Resource"] == f"{arn}/AWSLogs/${{aws:SourceAccount}}/*"
    assert write["Condition"]["StringEquals"] == {"s3:x-amz-acl": "bucket-owner-full-control"}
    assert write["Condition"]["ArnLike"]["aws:SourceArn"] == (
        "arn:aws:cloudtrail:*:*:trail/cloudtrail-logging"
    )
    assert statements["AWSCloudTrailAclCheck"]["Resource"] == arn
    deny = statements["DenyCloudTrailFromUnlistedAccounts"]
    assert deny["Condition"]["StringNotEquals"]["aws:SourceAccount"] == [MEMBER, SECURITY]
    tls = statements["DenyInsecureTransport"]
    assert tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert set(tls["Resource"]) == {arn, f"{arn}/*"}


def test_trail_settings_and_dependencies(security: Stack) -> None:
    trail = security.one(TRAIL)
    inputs = trail.inputs
    assert inputs["name"] == "cloudtrail-logging"
    assert inputs["isMultiRegionTrail"] is True
    assert inputs["includeGlobalServiceEvents"] is True
    assert inputs["enableLogFileValidation"] is True
    assert inputs["s3BucketName"] == security.one(BUCKET).inputs["bucket"]
    # Without the policy first, CreateTrail fails with InsufficientS3BucketPolicyException.
    assert security.one(POLICY).urn in trail.dependencies
    assert security.named("log-key-key").urn in trail.dependencies
    assert inputs["kmsKeyId"] == UNKNOWN  # the key's ARN, computed; the dependency is known
    topic_policy = security.named("account-notifications-topic-policy")
    assert topic_policy.urn in trail.dependencies
    assert inputs["snsTopicName"] == "cloudtrail-logging-log-delivery"


def test_trail_topic_admits_only_this_trail(security: Stack) -> None:
    policy = json.loads(security.named("account-notifications-topic-policy").inputs["policy"])
    grant = next(s for s in policy["Statement"] if s["Effect"] == "Allow")
    assert grant["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert grant["Condition"]["ArnLike"]["aws:SourceArn"] == (
        f"arn:aws:cloudtrail:*:{SECURITY}:trail/cloudtrail-logging"
    )
    assert grant["Condition"]["StringEquals"]["aws:SourceAccount"] == SECURITY


def test_bucket_notifications_fan_out_through_one_topic(security: Stack) -> None:
    notification = security.one("aws:s3/bucketNotification:BucketNotification")
    assert notification.inputs["bucket"] == security.one(BUCKET).inputs["bucket"]
    assert [t["events"] for t in notification.inputs["topics"]] == [["s3:ObjectCreated:*"]]
    assert notification.inputs["topics"][0]["filterPrefix"] == "AWSLogs/"
    topic_policy = security.named("log-objects-fanout-topic-policy")
    assert topic_policy.urn in notification.dependencies
    grant = json.loads(topic_policy.inputs["policy"])["Statement"][1]
    assert grant["Principal"] == {"Service": "s3.amazonaws.com"}
    assert grant["Condition"]["ArnLike"]["aws:SourceArn"] == security.policy(POLICY)[
        "Statement"][0]["Resource"][0]
    for queue in security.of_type("aws:sqs/queue:Queue"):
        assert "kmsMasterKeyId" in queue.inputs
    for topic in security.of_type("aws:sns/topic:Topic"):
        assert "kmsMasterKeyId" in topic.inputs


def test_dev_trail_delivers_cross_account_with_the_central_key(dev: Stack) -> None:
    trail = dev.one(TRAIL)
    assert trail.inputs["s3BucketName"] == f"cloudtrail-logging-{SECURITY}-us-east-1"
    assert trail.inputs["kmsKeyId"].startswith(f"arn:aws:kms:us-east-1:{SECURITY}:key/")
    assert trail.inputs["isMultiRegionTrail"] is True
    assert dev.of_type(BUCKET) == []
    # The archive's outputs are read through the engine's builtin invoke, not a resource.
    assert dev.of_type("pulumi:pulumi:StackReference") == []


@pytest.mark.parametrize("encryption", ["sse-s3", "sse-kms"])
def test_encryption_choice(run_stack, encryption: str) -> None:
    stack = run_stack(archive_config(encryption=encryption))
    rule = stack.one(SSE).inputs["rules"][0]
    expected = "aws:kms" if encryption == "sse-kms" else "AES256"
    assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == expected
    assert ("kmsKeyId" in stack.one(TRAIL).inputs) == (encryption == "sse-kms")
    log_keys = [k for k in stack.of_type("aws:kms/key:Key") if k.name == "log-key-key"]
    assert len(log_keys) == (1 if encryption == "sse-kms" else 0)


def test_lifecycle_moves_to_glacier_then_expires(run_stack) -> None:
    stack = run_stack(archive_config(glacierTransitionDays=30, expirationDays=400))
    rule = stack.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs[
        "rules"][0]
    assert rule["transitions"] == [{"days": 30, "storageClass": "DEEP_ARCHIVE"}]
    assert rule["expiration"] == {"days": 400}
    assert rule["status"] == "Enabled"


@pytest.mark.parametrize("target", ["sqs", "lambda"])
def test_single_direct_bucket_notification_target(run_stack, target: str) -> None:
    extra = {"bucketNotificationLambdaArn": f"arn:aws:lambda:us-east-1:{SECURITY}:function:f"}
    stack = run_stack(archive_config(bucketNotificationTargets=[target],
                                     **(extra if target == "lambda" else {})))
    notification = stack.one("aws:s3/bucketNotification:BucketNotification")
    key = {"sqs": "queues", "lambda": "lambdaFunctions"}[target]
    assert len(notification.inputs[key]) == 1
    if target == "lambda":
        permission = stack.one("aws:lambda/permission:Permission").inputs
        assert permission["principal"] == "s3.amazonaws.com"
        assert permission["sourceAccount"] == SECURITY
        assert permission["sourceArn"] == f"arn:aws:s3:::cloudtrail-logging-{SECURITY}-us-east-1"
    else:
        policy = json.loads(stack.named("log-objects-queue-policy").inputs["policy"])
        assert policy["Statement"][1]["Principal"] == {"Service": "s3.amazonaws.com"}


def test_member_with_explicit_destination(run_stack) -> None:
    stack = run_stack(member_config(centralBucketName="central-logs", centralAccountId=SECURITY))
    assert stack.one(TRAIL).inputs["s3BucketName"] == "central-logs"
    assert stack.of_type("pulumi:pulumi:StackReference") == []


@pytest.mark.parametrize(
    ("outputs", "message"),
    [
        (archive_outputs(memberAccounts=["333333333333"]), "output memberAccounts"),
        (archive_outputs(logBucketName=None), "output logBucketName"),
        (archive_outputs(kmsKeyArn="alias/x"), "output kmsKeyArn"),
        (archive_outputs(trailName="other-trail"), "cloudtrail-logging:trailName"),
        ({}, "run `pulumi up` on it first"),
    ],
)
def test_bad_stack_reference_outputs_stop_before_any_resource(
    run_stack, outputs: dict, message: str
) -> None:
    with pytest.raises(ProgramError) as caught:
        run_stack(member_config(), outputs=outputs)
    assert isinstance(caught.value.cause, pulumi.RunError)
    assert message in str(caught.value)
    assert caught.value.registered == ()
