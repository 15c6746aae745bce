"""ctl-kms-003: a key that encrypts logs is administered by named principals and lets nobody grant
itself their decryption."""

import json
from typing import Any

import pytest
from archive_cases import log_bucket_stack, replicated_stack
from guardrails.rules import ctl_kms_003_log_key_no_self_granted_use as rule
from guardrails.support import Res
from literals import ACCOUNT, ADMINISTRATOR, READER, TRAIL, UNKNOWN
from rule_cases import res, stack_findings, urn

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


LOG_KEY = key()


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
        statement(Principal={"AWS": ROOT}, Action="kms:ReEncryptFrom"),
        statement(Principal={"AWS": ROOT}, Action="kms:DisableKey"),
        *(
            statement(
                Principal={"AWS": ROOT},
                Action="kms:Decrypt",
                Condition={"ArnLike": {"aws:PrincipalArn": [ADMINISTRATOR, value]}},
            )
            for value in (ROOT, f"{ADMINISTRATOR}?")
        ),
    ],
    ids=[
        "default-policy",
        "create-star",
        "bare-account-id",
        "account-decrypt",
        "public",
        "re-encrypt-from",
        "disable",
        "narrowed-to-the-root",
        "narrowed-by-a-pattern",
    ],
)
def test_the_whole_account_as_principal_is_caught(grant: dict[str, Any]) -> None:
    found = stack_findings(rule, stack_with(named_administration(), grant))
    action = grant["Action"]
    actions = [action] if isinstance(action, str) and "*" not in action else []
    accounts = "(*)" if grant["Principal"] == "*" else ACCOUNT
    assert found.decided_on(LOG_KEY, accounts, *actions) and "whole account" in found[0][0]


def test_a_deny_does_not_hide_the_grant_after_it() -> None:
    deny = statement(Effect="Deny", Principal="*", Action="kms:ScheduleKeyDeletion")
    grant = statement(Principal={"AWS": ROOT}, Action="kms:Decrypt")
    assert stack_findings(rule, stack_with(deny, grant)).decided_on(LOG_KEY, "kms:Decrypt")


def test_an_account_grant_narrowed_to_named_principals_passes() -> None:
    narrowed = statement(
        Principal={"AWS": ROOT},
        Action=ADMIN_ACTIONS,
        Condition={"ArnEquals": {"aws:PrincipalArn": [ADMINISTRATOR]}},
    )
    assert stack_findings(rule, stack_with(narrowed)) == []
    wildcard = narrowed | {"Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}}}
    assert stack_findings(rule, stack_with(wildcard)).decided


def test_create_grant_needs_grant_is_for_aws_resource() -> None:
    grants = named_administration(Action=[*ADMIN_ACTIONS, "kms:CreateGrant"])
    found = stack_findings(rule, stack_with(grants))
    assert found.decided and "kms:GrantIsForAWSResource" in found[0][0]
    limited = statement(
        Principal={"AWS": [ADMINISTRATOR]},
        Action="kms:CreateGrant",
        Condition={"Bool": {"kms:GrantIsForAWSResource": "true"}},
    )
    assert stack_findings(rule, stack_with(named_administration(), limited)) == []
    inverted = limited | {"Condition": {"Bool": {"kms:GrantIsForAWSResource": "false"}}}
    assert stack_findings(rule, stack_with(named_administration(), inverted)).decided
    # A JSON boolean, as a policy document built from a dict carries it, counts the same.
    as_boolean = limited | {"Condition": {"Bool": {"kms:GrantIsForAWSResource": True}}}
    assert stack_findings(rule, stack_with(named_administration(), as_boolean)) == []


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
    assert found.decided and found[0][1].endswith("::replica-key")


def test_an_unknown_key_policy_is_undecided() -> None:
    unknown = res(KEY, "log-key", policy=UNKNOWN)
    found = stack_findings(rule, [unknown, *trail_keyed(log_bucket_stack())])
    assert found.undecided_on(unknown, "policy", why=False)


def keyed_trail(name: str, key_name: str | None) -> Res:
    deps = {"kmsKeyId": [urn(KEY, key_name)]} if key_name else {}
    return res(TRAIL, name, deps=deps, name=name, s3BucketName="elsewhere", kmsKeyId=UNKNOWN)


def test_every_trails_key_is_judged() -> None:
    """Two trails: the first's key is unknown at preview, the second's is not; a third trail
    has no key of this stack."""
    default = statement(Principal={"AWS": ROOT}, Action="kms:*")
    stack = [res(KEY, "unknown-key", policy=UNKNOWN), key(default, name="default-key"),
             keyed_trail("a", "unknown-key"), keyed_trail("b", "default-key"),
             keyed_trail("c", None)]  # fmt: skip
    found = stack_findings(rule, stack)
    assert found[:1].undecided_on(stack[0], "policy", why=False)
    assert found[1:].decided_on(stack[1], "kms:Decrypt")


def test_a_key_the_stack_does_not_hold_is_not_judged() -> None:
    assert stack_findings(rule, [keyed_trail("a", "key-of-another-stack")]) == []
