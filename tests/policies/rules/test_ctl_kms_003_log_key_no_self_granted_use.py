"""ctl-kms-003: a key that encrypts logs is administered by named principals and lets nobody grant
itself their decryption."""

import json
from typing import Any

import pytest
from guardrails.rules import ctl_kms_003_log_key_no_self_granted_use as rule
from guardrails.support import Res
from literals import ACCOUNT, ADMINISTRATOR, READER, UNKNOWN
from rule_cases import (
    decided,
    log_bucket_stack,
    replicated_stack,
    res,
    stack_findings,
    undecided,
    urn,
)

KEY = "aws:kms/key:Key"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"
ADMIN_ACTIONS = ["kms:CreateAlias", "kms:Describe*", "kms:Put*", "kms:Disable*",
                 "kms:ScheduleKeyDeletion", "kms:Get*", "kms:List*"]  # fmt: skip


def statement(**fields: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Resource": "*", **fields}


def named_administration(**overrides: Any) -> dict[str, Any]:
    return statement(Sid="Admins", Principal={"AWS": [ADMINISTRATOR]}, Action=ADMIN_ACTIONS) | (
        overrides
    )


def readers_decrypt() -> dict[str, Any]:
    return statement(
        Sid="Readers",
        Principal={"AWS": [READER]},
        Action="kms:Decrypt",
        Condition={"Null": {"kms:EncryptionContext:aws:cloudtrail:arn": "false"}},
    )


def key(*statements: dict[str, Any], name: str = "log-key") -> Res:
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    return res(KEY, name, protect=True, enableKeyRotation=True, policy=json.dumps(document))


def trail_keyed(stack: list[Res], key_name: str = "log-key") -> list[Res]:
    """The stack's trail encrypting with `key_name` (a key ARN unknown at preview)."""
    out = []
    for r in stack:
        if r.name == "trail":
            r = Res(r.type, r.name, r.urn, {**r.props, "kmsKeyId": UNKNOWN}, r.protect,
                    {**r.property_dependencies, "kmsKeyId": [urn(KEY, key_name)]})  # fmt: skip
        out.append(r)
    return out


def stack_with(*statements: dict[str, Any]) -> list[Res]:
    return [key(*statements), *trail_keyed(log_bucket_stack())]


def test_named_administration_and_readers_pass() -> None:
    assert stack_findings(rule, stack_with(named_administration(), readers_decrypt())) == []


@pytest.mark.parametrize(
    "grant",
    [
        # The KMS default key policy: the account administers, so IAM decides who does.
        statement(Principal={"AWS": ROOT}, Action="kms:*"),
        statement(Principal={"AWS": ROOT}, Action=["kms:Create*", "kms:Describe*"]),
        statement(Principal={"AWS": ACCOUNT}, Action="kms:PutKeyPolicy"),
        statement(Principal={"AWS": ROOT}, Action="kms:Decrypt"),
        statement(Principal="*", Action="kms:ScheduleKeyDeletion"),
    ],
    ids=["default-policy", "create-star", "bare-account-id", "account-decrypt", "public"],
)
def test_the_whole_account_as_principal_is_caught(grant: dict[str, Any]) -> None:
    found = stack_findings(rule, stack_with(named_administration(), grant))
    assert decided(found) and "whole account" in found[0][0]
    assert found[0][1].endswith("::log-key")


def test_an_account_grant_narrowed_to_named_principals_passes() -> None:
    narrowed = statement(
        Principal={"AWS": ROOT},
        Action=ADMIN_ACTIONS,
        Condition={"ArnEquals": {"aws:PrincipalArn": [ADMINISTRATOR]}},
    )
    assert stack_findings(rule, stack_with(narrowed)) == []
    wildcard = narrowed | {"Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}}}
    assert decided(stack_findings(rule, stack_with(wildcard)))


def test_create_grant_needs_grant_is_for_aws_resource() -> None:
    grants = named_administration(Action=[*ADMIN_ACTIONS, "kms:CreateGrant"])
    found = stack_findings(rule, stack_with(grants))
    assert decided(found) and "kms:GrantIsForAWSResource" in found[0][0]
    limited = statement(
        Principal={"AWS": [ADMINISTRATOR]},
        Action="kms:CreateGrant",
        Condition={"Bool": {"kms:GrantIsForAWSResource": "true"}},
    )
    assert stack_findings(rule, stack_with(named_administration(), limited)) == []
    inverted = limited | {"Condition": {"Bool": {"kms:GrantIsForAWSResource": "false"}}}
    assert decided(stack_findings(rule, stack_with(named_administration(), inverted)))


def test_a_key_that_encrypts_no_logs_is_not_judged() -> None:
    default = statement(Principal={"AWS": ROOT}, Action="kms:*")
    assert stack_findings(rule, [key(default), *log_bucket_stack()]) == []


def test_the_replica_key_is_judged_through_the_replica_bucket_encryption() -> None:
    default = statement(Principal={"AWS": ROOT}, Action="kms:*")
    stack = [*replicated_stack(), key(default, name="replica-key")]
    linked = []
    for r in stack:
        if r.name == "replica-sse":
            r = Res(r.type, r.name, r.urn, r.props, r.protect,
                    {**r.property_dependencies, "rules": [urn(KEY, "replica-key")]})  # fmt: skip
        linked.append(r)
    found = stack_findings(rule, linked)
    assert decided(found) and found[0][1].endswith("::replica-key")


def test_an_unknown_key_policy_is_undecided() -> None:
    stack = [res(KEY, "log-key", policy=UNKNOWN), *trail_keyed(log_bucket_stack())]
    assert undecided(stack_findings(rule, stack))
