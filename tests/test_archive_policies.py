"""The log archive's bucket and key policies, evaluated as AWS would, at 10 and 1,000 accounts."""

from __future__ import annotations

from typing import Any

import pytest

from cloudtrail_logging.archive.bucket_policy import (
    S3_POLICY_LIMIT_BYTES,
    log_bucket_policy,
    max_writer_accounts,
)
from cloudtrail_logging.archive.key_policy import log_key_policy
from cloudtrail_logging.aws.kms import KMS_POLICY_LIMIT_BYTES
from cloudtrail_logging.aws.policy_json import policy_size
from tests.support.policy_eval import Decision, Principal, Request, evaluate
from tests.support.policy_lint import lint

SECURITY = "222222222222"
FOREIGN = "999999999999"
BUCKET = "org-logs"
TRAIL = "org-trail"
ORG = "o-abc123def4"
READER = f"arn:aws:iam::{SECURITY}:role/log-readers"
ADMIN = f"arn:aws:iam::{SECURITY}:role/archive-admin"
CLOUDTRAIL = Principal.service("cloudtrail.amazonaws.com")
KEY = f"arn:aws:kms:us-east-1:{SECURITY}:key/k"


def members(count: int) -> list[str]:
    return [f"{100000000000 + i * 7919:012d}" for i in range(count)]


@pytest.fixture(params=[10, 1000], ids=["10-accounts", "1000-accounts"])
def archive(request: pytest.FixtureRequest) -> dict[str, Any]:
    accounts = [SECURITY, *members(request.param)]
    return {
        "accounts": accounts,
        "bucket": log_bucket_policy(
            partition="aws", bucket=BUCKET, writer_accounts=accounts, trail_name=TRAIL,
            administrator_arns=[ADMIN], reader_arns=[READER],
        ),
        "key": log_key_policy(
            partition="aws", writer_accounts=accounts, trail_name=TRAIL,
            administrator_arns=[ADMIN], reader_arns=[READER],
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


def test_policies_fit_the_aws_limits(archive: dict[str, Any]) -> None:
    assert policy_size(archive["bucket"]) <= S3_POLICY_LIMIT_BYTES
    assert policy_size(archive["key"]) <= KMS_POLICY_LIMIT_BYTES


def test_policies_are_valid_iam_grammar(archive: dict[str, Any]) -> None:
    assert lint(archive["bucket"]) == []
    assert lint(archive["key"], key_policy=True) == []


def test_every_listed_trail_may_deliver_into_its_own_prefix(archive: dict[str, Any]) -> None:
    for account in (archive["accounts"][0], archive["accounts"][1], archive["accounts"][-1]):
        assert evaluate(archive["bucket"], delivery(account)) is Decision.ALLOW
        acl_check = Request(
            CLOUDTRAIL, "s3:GetBucketAcl", f"arn:aws:s3:::{BUCKET}",
            {"aws:SourceAccount": account, "aws:SecureTransport": "true",
             "aws:SourceArn": f"arn:aws:cloudtrail:us-east-1:{account}:trail/{TRAIL}"},
        )
        assert evaluate(archive["bucket"], acl_check) is Decision.ALLOW


def test_a_foreign_account_is_refused(archive: dict[str, Any]) -> None:
    assert evaluate(archive["bucket"], delivery(FOREIGN)) is Decision.EXPLICIT_DENY


def test_no_account_writes_into_another_accounts_prefix(archive: dict[str, Any]) -> None:
    first, second = archive["accounts"][1], archive["accounts"][-1]
    decision = evaluate(archive["bucket"], delivery(first, key_account=second))
    assert decision is not Decision.ALLOW


def test_an_unresolved_source_account_variable_admits_nothing(archive: dict[str, Any]) -> None:
    """As IAM documents it: a variable with no value makes the resource match nothing."""
    member = archive["accounts"][1]
    request = delivery(member)
    without = Request(request.principal, request.action, request.resource,
                      {k: v for k, v in request.context.items() if k != "aws:SourceAccount"})
    assert evaluate(archive["bucket"], without) is not Decision.ALLOW


def test_a_listed_account_cannot_deliver_for_another_trail_name(archive: dict[str, Any]) -> None:
    member = archive["accounts"][1]
    assert evaluate(archive["bucket"], delivery(member, trail="rogue")) is not Decision.ALLOW


def test_non_tls_and_a_missing_owner_acl_are_refused(archive: dict[str, Any]) -> None:
    member = archive["accounts"][1]
    assert evaluate(archive["bucket"], delivery(member, tls=False)) is Decision.EXPLICIT_DENY
    assert evaluate(archive["bucket"], delivery(member, acl="private")) is not Decision.ALLOW


@pytest.mark.parametrize(
    "principal",
    [Principal.anonymous(), Principal.aws(f"arn:aws:iam::{SECURITY}:role/admin"),
     Principal.aws(FOREIGN)],
    ids=["anonymous", "own-admin", "foreign-account"],
)
def test_nobody_else_writes_at_all(archive: dict[str, Any], principal: Principal) -> None:
    member = archive["accounts"][1]
    request = Request(
        principal, "s3:PutObject", f"arn:aws:s3:::{BUCKET}/AWSLogs/{member}/CloudTrail/x.json.gz",
        {"aws:SecureTransport": "true", "s3:x-amz-acl": "bucket-owner-full-control"},
    )
    assert evaluate(archive["bucket"], request) is Decision.EXPLICIT_DENY


def test_only_named_readers_read_logs(archive: dict[str, Any]) -> None:
    obj = f"arn:aws:s3:::{BUCKET}/AWSLogs/{SECURITY}/CloudTrail/x.json.gz"
    context = {"aws:SecureTransport": "true"}
    assert evaluate(archive["bucket"], Request(Principal.aws(READER), "s3:GetObject", obj,
                                               context)) is Decision.ALLOW
    other = Principal.aws(f"arn:aws:iam::{SECURITY}:role/developer")
    assert evaluate(archive["bucket"], Request(other, "s3:GetObject", obj, context)) is (
        Decision.EXPLICIT_DENY
    )


def test_the_bucket_cannot_be_deleted_through_the_policy(archive: dict[str, Any]) -> None:
    admin = Principal.aws(f"arn:aws:iam::{SECURITY}:role/admin")
    request = Request(admin, "s3:DeleteBucket", f"arn:aws:s3:::{BUCKET}",
                      {"aws:SecureTransport": "true"})
    assert evaluate(archive["bucket"], request) is Decision.EXPLICIT_DENY


# --- the documented per-account form ----------------------------------------------------------


def per_account_policy(accounts: list[str], **kwargs: Any) -> dict[str, Any]:
    return log_bucket_policy(partition="aws", bucket=BUCKET, writer_accounts=accounts,
                             trail_name=TRAIL, administrator_arns=[ADMIN],
                             per_account_prefixes=True, **kwargs)


def test_per_account_form_names_one_prefix_per_account_and_no_variable() -> None:
    accounts = [SECURITY, *members(10)]
    policy = per_account_policy(accounts, key_prefix="logs/")
    (write,) = [s for s in policy["Statement"] if s["Sid"] == "AWSCloudTrailWriteEachAccount"]
    assert write["Resource"] == [f"arn:aws:s3:::{BUCKET}/logs/AWSLogs/{a}/*"
                                 for a in sorted(accounts)]
    assert "${" not in str(policy)
    assert lint(policy) == []


def test_per_account_form_admits_listed_trails_into_listed_prefixes_only() -> None:
    accounts = [SECURITY, *members(10)]
    policy = per_account_policy(accounts)
    for account in accounts:
        assert evaluate(policy, delivery(account)) is Decision.ALLOW
        # Without the variable nothing needs aws:SourceAccount to resolve a resource.
    assert evaluate(policy, delivery(FOREIGN)) is Decision.EXPLICIT_DENY
    unlisted_prefix = delivery(accounts[1], key_account="123456789012")
    assert evaluate(policy, unlisted_prefix) is Decision.IMPLICIT_DENY
    assert evaluate(policy, delivery(accounts[1], trail="rogue")) is not Decision.ALLOW
    # Like AWS's multiple-accounts example, a listed trail matches every listed prefix; keys under
    # AWSLogs/<account>/ are composed by CloudTrail itself (module docstring).
    assert evaluate(policy, delivery(accounts[1], key_account=accounts[2])) is Decision.ALLOW


# --- how many accounts each form fits -----------------------------------------------------------

SHAPES = {
    "plain": {},
    "prefix-readers-organization": {
        "key_prefix": "central/trails", "reader_arns": [READER, f"{READER}-2"],
        "organization_id": ORG, "management_account_id": SECURITY,
    },
}


@pytest.mark.parametrize("per_account", [False, True], ids=["variable", "per-account"])
@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_max_writer_accounts_is_exactly_the_20kb_boundary(per_account: bool, shape: str) -> None:
    inputs: dict[str, Any] = {"partition": "aws", "bucket": BUCKET, "trail_name": TRAIL,
                              "administrator_arns": [ADMIN], "per_account_prefixes": per_account,
                              **SHAPES[shape]}
    most = max_writer_accounts(**inputs)
    accounts = members(most + 1)
    fits = log_bucket_policy(writer_accounts=accounts[:most], **inputs)
    too_many = log_bucket_policy(writer_accounts=accounts, **inputs)
    assert policy_size(fits) <= S3_POLICY_LIMIT_BYTES < policy_size(too_many)


def test_the_variable_form_fits_1000_accounts_and_the_per_account_form_does_not() -> None:
    inputs: dict[str, Any] = {"partition": "aws", "bucket": BUCKET, "trail_name": TRAIL,
                              "administrator_arns": [ADMIN]}
    variable = max_writer_accounts(**inputs)
    per_account = max_writer_accounts(per_account_prefixes=True, **inputs)
    assert variable > 1000 > per_account > 250
    assert max_writer_accounts(limit_bytes=100, **inputs) == 0


# --- the log key ----------------------------------------------------------------------------------


def kms_request(account: str, action: str = "kms:GenerateDataKey", trail: str = TRAIL,
                principal: Principal = CLOUDTRAIL, context: bool = True) -> Request:
    trail_arn = f"arn:aws:cloudtrail:eu-west-1:{account}:trail/{trail}"
    keys = {"aws:SourceAccount": account, "aws:SourceArn": trail_arn,
            "kms:CallerAccount": SECURITY}
    if context:
        keys["kms:EncryptionContext:aws:cloudtrail:arn"] = trail_arn
    return Request(principal, action, KEY, keys)


def test_key_lets_listed_trails_encrypt_and_describe(archive: dict[str, Any]) -> None:
    member = archive["accounts"][-1]
    assert evaluate(archive["key"], kms_request(member)) is Decision.ALLOW
    assert evaluate(archive["key"], kms_request(member, "kms:DescribeKey")) is Decision.ALLOW


def test_key_refuses_foreign_trails_and_other_trail_names(archive: dict[str, Any]) -> None:
    assert evaluate(archive["key"], kms_request(FOREIGN)) is Decision.EXPLICIT_DENY
    member = archive["accounts"][1]
    assert evaluate(archive["key"], kms_request(member, trail="rogue")) is not Decision.ALLOW


def test_cloudtrail_may_decrypt_with_the_bucket_key_only_for_its_trails(
    archive: dict[str, Any],
) -> None:
    """Required element 2: with an S3 Bucket Key CloudTrail needs kms:Decrypt (no trail context)."""
    member = archive["accounts"][-1]

    def decrypt(account: str, trail: str = TRAIL) -> Request:
        return kms_request(account, "kms:Decrypt", trail, context=False)

    assert evaluate(archive["key"], decrypt(member)) is Decision.ALLOW
    assert evaluate(archive["key"], decrypt(member, trail="rogue")) is Decision.IMPLICIT_DENY
    assert evaluate(archive["key"], decrypt(FOREIGN)) is Decision.EXPLICIT_DENY
    no_bucket_key = log_key_policy(partition="aws", writer_accounts=archive["accounts"],
                                   trail_name=TRAIL, administrator_arns=[ADMIN], bucket_key=False)
    assert evaluate(no_bucket_key, decrypt(member)) is Decision.IMPLICIT_DENY
    assert evaluate(no_bucket_key, kms_request(member)) is Decision.ALLOW


def test_key_lets_only_named_readers_decrypt_cloudtrail_data(archive: dict[str, Any]) -> None:
    reader = Principal.aws(READER)
    assert evaluate(archive["key"], kms_request(SECURITY, "kms:Decrypt", principal=reader)) is (
        Decision.ALLOW
    )
    not_cloudtrail_data = kms_request(SECURITY, "kms:Decrypt", principal=reader, context=False)
    assert evaluate(archive["key"], not_cloudtrail_data) is Decision.IMPLICIT_DENY
    for who in (f"arn:aws:iam::{SECURITY}:role/developer", f"arn:aws:iam::{SECURITY}:root"):
        request = kms_request(SECURITY, "kms:Decrypt", principal=Principal.aws(who))
        assert evaluate(archive["key"], request) is Decision.IMPLICIT_DENY, who


def test_the_key_administrator_cannot_decrypt_but_can_administer(archive: dict[str, Any]) -> None:
    admin = Principal.aws(f"arn:aws:sts::{SECURITY}:assumed-role/archive-admin/alice")
    assert evaluate(archive["key"], Request(admin, "kms:PutKeyPolicy", KEY)) is Decision.ALLOW
    for action in ("kms:ReEncryptFrom", "kms:Decrypt", "kms:CreateGrant"):
        assert evaluate(archive["key"], Request(admin, action, KEY)) is Decision.IMPLICIT_DENY


def test_the_account_is_no_principal_of_the_key(archive: dict[str, Any]) -> None:
    """Without the account statement no IAM policy of the account reaches the key, so an IAM
    administrator (or the root user) can neither administer it nor grant itself decryption."""
    for who in (f"arn:aws:iam::{SECURITY}:root", f"arn:aws:iam::{SECURITY}:role/admin"):
        for action in ("kms:PutKeyPolicy", "kms:CreateGrant", "kms:ScheduleKeyDeletion",
                       "kms:DisableKey", "kms:Decrypt"):
            request = Request(Principal.aws(who), action, KEY)
            assert evaluate(archive["key"], request) is Decision.IMPLICIT_DENY, (who, action)
