"""Tests for tests.support.policy_lint: parliament findings minus its documented false positives."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("parliament")

from tests.support.policy_lint import lint

BUCKET = "arn:aws:s3:::log-archive"
KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
TRAIL = "arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail"
CTX = "kms:EncryptionContext:aws:cloudtrail:arn"


def stmt(**kw: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*", **kw}


def pol(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


CT = {"Service": "cloudtrail.amazonaws.com"}


def put(**kw: Any) -> dict[str, Any]:
    return pol(stmt(Principal=CT, Action="s3:PutObject", Resource="arn:aws:s3:::b/*", **kw))


ACL = {"s3:x-amz-acl": "bucket-owner-full-control"}
BUCKET_POLICY = pol(
    stmt(
        Effect="Deny",
        Sid="DenyInsecureTransport",
        Action="s3:*",
        Resource=[BUCKET, f"{BUCKET}/*"],
        Condition={"Bool": {"aws:SecureTransport": "false"}},
    ),
    stmt(
        Sid="AWSCloudTrailAclCheck",
        Principal=CT,
        Action="s3:GetBucketAcl",
        Resource=BUCKET,
        Condition={"StringEquals": {"aws:SourceArn": TRAIL}},
    ),
    stmt(
        Sid="AWSCloudTrailOrganizationWrite",
        Principal=CT,
        Action="s3:PutObject",
        Resource=f"{BUCKET}/AWSLogs/o-abc123def4/*",
        Condition={"StringEquals": {**ACL, "aws:SourceArn": TRAIL}},
    ),
    stmt(
        Sid="MemberTrailWrite",
        Principal=CT,
        Action="s3:PutObject",
        Resource=f"{BUCKET}/AWSLogs/${{aws:SourceAccount}}/*",
        Condition={"StringEquals": {**ACL, "aws:SourceOrgID": "o-abc123def4"}},
    ),
)
KEY_POLICY = pol(
    stmt(
        Sid="Allow CloudTrail to encrypt logs",
        Principal=CT,
        Action="kms:GenerateDataKey*",
        Resource=KEY,
        Condition={
            "StringLike": {CTX: "arn:aws:cloudtrail:*:111111111111:trail/*"},
            "StringEquals": {"aws:SourceArn": TRAIL},
        },
    ),
    stmt(
        Sid="Allow CloudTrail to describe key", Principal=CT, Action="kms:DescribeKey", Resource=KEY
    ),
    stmt(
        Sid="Allow log readers to decrypt",
        Action="kms:Decrypt",
        Resource=KEY,
        Condition={
            "StringEquals": {"kms:CallerAccount": "222222222222"},
            "StringLike": {CTX: "arn:aws:cloudtrail:*:111111111111:trail/*"},
        },
    ),
)


def test_documented_cloudtrail_policies_are_clean() -> None:
    assert lint(BUCKET_POLICY) == []
    assert lint(KEY_POLICY) == []


def test_sid_with_spaces_reported_only_for_identity_policies() -> None:
    findings = lint(KEY_POLICY, resource_policy=False)
    assert findings and all("INVALID_SID" in f for f in findings)
    assert any("Allow CloudTrail to encrypt logs" in f for f in findings)


def test_newer_global_key_is_not_a_finding() -> None:
    assert lint(put(Condition={"StringEquals": {"aws:SourceOrgPaths": "o-1/r-1/*"}})) == []


@pytest.mark.parametrize(
    ("policy", "issue"),
    [
        (
            put(Condition={"StringEquals": {"aws:SourceOrgIdd": "o-1"}}),
            "UNKNOWN_CONDITION_FOR_ACTION",
        ),
        (
            pol(stmt(Principal=CT, Action="s3:PutObjekt", Resource="arn:aws:s3:::b/*")),
            "UNKNOWN_ACTION",
        ),
        (
            pol(stmt(Principal=CT, Action="s3:PutObject", Resource="arn:aws:s3:::b")),
            "RESOURCE_MISMATCH",
        ),
        (
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]},
            "MALFORMED",
        ),
    ],
    ids=["typo in key", "typo in action", "bucket arn for object action", "no Resource"],
)
def test_real_findings_survive(policy: dict[str, Any], issue: str) -> None:
    findings = lint(policy)
    assert any(f" {issue}: " in f for f in findings), findings


def identity(action: str, resource: str, condition: dict[str, Any]) -> dict[str, Any]:
    return pol({"Effect": "Allow", "Action": action, "Resource": resource,
                "Condition": condition})


def test_a_resource_types_condition_key_is_known_to_its_actions() -> None:
    aliases = {"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/logs"}}
    assert lint(identity("kms:PutKeyPolicy", KEY, aliases), resource_policy=False) == []
    unknown = {"StringEquals": {"kms:NoSuchKey": "x"}}
    assert [f for f in lint(identity("kms:PutKeyPolicy", KEY, unknown), resource_policy=False)
            if "UNKNOWN_CONDITION_FOR_ACTION" in f]
    # A key of another resource type (an S3 bucket's) is still unknown to a KMS action.
    s3_key = {"StringEquals": {"s3:ResourceAccount": "111111111111"}}
    assert lint(identity("kms:PutKeyPolicy", KEY, s3_key), resource_policy=False)


def test_an_array_of_arns_condition_key_is_linted() -> None:
    rule = "arn:aws:events:us-east-1:111111111111:rule/alerts"
    targets = {"ForAllValues:ArnEquals": {
        "events:TargetArn": "arn:aws:sns:us-east-1:111111111111:alerts"}}
    assert lint(identity("events:PutTargets", rule, targets), resource_policy=False) == []
    wrong = {"ForAllValues:NumericEquals": {"events:TargetArn": "1"}}
    assert lint(identity("events:PutTargets", rule, wrong), resource_policy=False)
