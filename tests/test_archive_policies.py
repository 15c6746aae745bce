"""The log archive's bucket and key policies, evaluated as AWS would, at 10 and 1,000 accounts."""

from __future__ import annotations

import json

import pytest

from cloudtrail_logging.bucket_policy import S3_POLICY_LIMIT_BYTES, log_bucket_policy
from cloudtrail_logging.key_policy import KMS_POLICY_LIMIT_BYTES, log_key_policy
from offline.policy_eval import Decision, Principal, Request, evaluate
from offline.policy_lint import lint

SECURITY = "222222222222"
FOREIGN = "999999999999"
BUCKET = "org-logs"
TRAIL = "org-trail"
READER = f"arn:aws:iam::{SECURITY}:role/log-readers"
CLOUDTRAIL = Principal.service("cloudtrail.amazonaws.com")


def members(count: int) -> list[str]:
    return [f"{100000000000 + i * 7919:012d}" for i in range(count)]


@pytest.fixture(params=[10, 1000], ids=["10-accounts", "1000-accounts"])
def archive(request: pytest.FixtureRequest) -> dict:
    accounts = [SECURITY, *members(request.param)]
    return {
        "accounts": accounts,
        "bucket": log_bucket_policy(
            partition="aws", bucket=BUCKET, writer_accounts=accounts, trail_name=TRAIL,
            reader_arns=[READER],
        ),
        "key": log_key_policy(
            partition="aws", key_account=SECURITY, writer_accounts=accounts, trail_name=TRAIL,
            reader_arns=[READER],
        ),
    }


def delivery(account: str, *, key_account: str | None = None, trail_account: str | None = None,
             trail: str = TRAIL, tls: bool = True, acl: str = "bucket-owner-full-control"
             ) -> Request:
    """CloudTrail delivering a log file for `account`'s trail."""
    source_arn = f"arn:aws:cloudtrail:eu-west-1:{trail_account or account}:trail/{trail}"
    key = f"AWSLogs/{key_account or account}/CloudTrail/eu-west-1/2026/11/21/x.json.gz"
    return Request(
        CLOUDTRAIL, "s3:PutObject", f"arn:aws:s3:::{BUCKET}/{key}",
        {"aws:SourceAccount": account, "aws:SourceArn": source_arn,
         "aws:SecureTransport": "true" if tls else "false", "s3:x-amz-acl": acl},
    )


def test_policies_fit_the_aws_limits(archive: dict) -> None:
    assert len(json.dumps(archive["bucket"], separators=(",", ":"))) < S3_POLICY_LIMIT_BYTES
    assert len(json.dumps(archive["key"], separators=(",", ":"))) < KMS_POLICY_LIMIT_BYTES


def test_policies_are_valid_iam_grammar(archive: dict) -> None:
    assert lint(archive["bucket"]) == []
    assert lint(archive["key"], key_policy=True) == []


def test_every_listed_trail_may_deliver_into_its_own_prefix(archive: dict) -> None:
    for account in (archive["accounts"][0], archive["accounts"][1], archive["accounts"][-1]):
        assert evaluate(archive["bucket"], delivery(account)) is Decision.ALLOW
        acl_check = Request(
            CLOUDTRAIL, "s3:GetBucketAcl", f"arn:aws:s3:::{BUCKET}",
            {"aws:SourceAccount": account, "aws:SecureTransport": "true",
             "aws:SourceArn": f"arn:aws:cloudtrail:us-east-1:{account}:trail/{TRAIL}"},
        )
        assert evaluate(archive["bucket"], acl_check) is Decision.ALLOW


def test_a_foreign_account_is_refused(archive: dict) -> None:
    assert evaluate(archive["bucket"], delivery(FOREIGN)) is Decision.EXPLICIT_DENY


def test_no_account_writes_into_another_accounts_prefix(archive: dict) -> None:
    first, second = archive["accounts"][1], archive["accounts"][-1]
    decision = evaluate(archive["bucket"], delivery(first, key_account=second))
    assert decision is not Decision.ALLOW


def test_a_listed_account_cannot_deliver_for_another_trail_name(archive: dict) -> None:
    member = archive["accounts"][1]
    assert evaluate(archive["bucket"], delivery(member, trail="rogue")) is not Decision.ALLOW


def test_non_tls_and_a_missing_owner_acl_are_refused(archive: dict) -> None:
    member = archive["accounts"][1]
    assert evaluate(archive["bucket"], delivery(member, tls=False)) is Decision.EXPLICIT_DENY
    assert evaluate(archive["bucket"], delivery(member, acl="private")) is not Decision.ALLOW


@pytest.mark.parametrize(
    "principal",
    [Principal.anonymous(), Principal.aws(f"arn:aws:iam::{SECURITY}:role/admin"),
     Principal.aws(FOREIGN)],
    ids=["anonymous", "own-admin", "foreign-account"],
)
def test_nobody_else_writes_at_all(archive: dict, principal: Principal) -> None:
    member = archive["accounts"][1]
    request = Request(
        principal, "s3:PutObject", f"arn:aws:s3:::{BUCKET}/AWSLogs/{member}/CloudTrail/x.json.gz",
        {"aws:SecureTransport": "true", "s3:x-amz-acl": "bucket-owner-full-control"},
    )
    assert evaluate(archive["bucket"], request) is Decision.EXPLICIT_DENY


def test_only_named_readers_read_logs(archive: dict) -> None:
    obj = f"arn:aws:s3:::{BUCKET}/AWSLogs/{SECURITY}/CloudTrail/x.json.gz"
    context = {"aws:SecureTransport": "true"}
    assert evaluate(archive["bucket"], Request(Principal.aws(READER), "s3:GetObject", obj,
                                               context)) is Decision.ALLOW
    other = Principal.aws(f"arn:aws:iam::{SECURITY}:role/developer")
    assert evaluate(archive["bucket"], Request(other, "s3:GetObject", obj, context)) is (
        Decision.EXPLICIT_DENY
    )


def test_the_bucket_cannot_be_deleted_through_the_policy(archive: dict) -> None:
    admin = Principal.aws(f"arn:aws:iam::{SECURITY}:role/admin")
    request = Request(admin, "s3:DeleteBucket", f"arn:aws:s3:::{BUCKET}",
                      {"aws:SecureTransport": "true"})
    assert evaluate(archive["bucket"], request) is Decision.EXPLICIT_DENY


def kms_request(account: str, action: str = "kms:GenerateDataKey", trail: str = TRAIL,
                principal: Principal = CLOUDTRAIL) -> Request:
    trail_arn = f"arn:aws:cloudtrail:eu-west-1:{account}:trail/{trail}"
    return Request(
        principal, action, f"arn:aws:kms:us-east-1:{SECURITY}:key/k",
        {"aws:SourceAccount": account, "aws:SourceArn": trail_arn,
         "kms:EncryptionContext:aws:cloudtrail:arn": trail_arn,
         "kms:CallerAccount": SECURITY},
    )


def test_key_lets_listed_trails_encrypt_and_describe(archive: dict) -> None:
    member = archive["accounts"][-1]
    assert evaluate(archive["key"], kms_request(member)) is Decision.ALLOW
    assert evaluate(archive["key"], kms_request(member, "kms:DescribeKey")) is Decision.ALLOW


def test_key_refuses_foreign_trails_and_other_trail_names(archive: dict) -> None:
    assert evaluate(archive["key"], kms_request(FOREIGN)) is Decision.EXPLICIT_DENY
    member = archive["accounts"][1]
    assert evaluate(archive["key"], kms_request(member, trail="rogue")) is not Decision.ALLOW


def test_key_lets_only_named_readers_decrypt(archive: dict) -> None:
    reader = kms_request(SECURITY, "kms:Decrypt", principal=Principal.aws(READER))
    assert evaluate(archive["key"], reader) is Decision.ALLOW
    other = Principal.aws(f"arn:aws:iam::{SECURITY}:role/developer")
    assert evaluate(archive["key"], kms_request(SECURITY, "kms:Decrypt", principal=other)) is (
        Decision.IMPLICIT_DENY
    )
    root = Principal.aws(f"arn:aws:iam::{SECURITY}:root")
    assert evaluate(archive["key"], kms_request(SECURITY, "kms:Decrypt", principal=root)) is (
        Decision.IMPLICIT_DENY
    )
