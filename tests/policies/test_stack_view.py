"""How the pack reads a stack (`guardrails.stack`, `guardrails.buckets`, `support.lookup`): the
documents of a bucket's policy, the archive's buckets and replication roles, bucket ARNs, a
bucket's default encryption and Object Lock, with values unknown at preview."""

from __future__ import annotations

from typing import Any

import pytest
from guardrails.buckets import is_locked, is_sse_kms
from guardrails.stack import (
    LOG_BUCKET,
    REPLICA_BUCKET,
    StackView,
    archive_buckets,
    bucket_from_arn,
    replication_role_names,
)
from guardrails.support import MISSING, Res, lookup, undecided
from literals import (
    BUCKET,
    BUCKET_NAME,
    BUCKET_POLICY,
    OBJECT_LOCK,
    REPLICA_BUCKET_NAME,
    REPLICATION,
    REPLICATION_ROLE_ARN,
    ROLE,
    SSE,
    TRAIL,
    UNKNOWN,
    acl_check,
    document,
    edited,
    replication_rule,
    statement,
)


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:test::cloudtrail-logging::{type_}::{name}"


def res(type_: str, name: str, /, deps: dict[str, list[str]] | None = None, **props: Any) -> Res:
    return Res(type_, name, urn(type_, name), props, False, deps or {})


def companion(type_: str, name: str, bucket: Res, **props: Any) -> Res:
    """A resource of `bucket`: its `bucket` input names it, and comes from it."""
    return res(
        type_, name, deps={"bucket": [bucket.urn]}, **{"bucket": bucket.props["bucket"], **props}
    )


def named(resources: list[Res], name: str) -> Res:
    return next(r for r in resources if r.name == name)


LOGS, REPLICA = urn(BUCKET, "logs"), urn(BUCKET, "replica")


def log_bucket_stack() -> list[Res]:
    """A CloudTrail log bucket (a trail writes to it) with its bucket policy."""
    bucket = res(BUCKET, "logs", bucket=BUCKET_NAME)
    return [
        bucket,
        companion(BUCKET_POLICY, "logs-policy", bucket, policy=document(acl_check())),
        res(TRAIL, "trail", deps={"s3BucketName": [LOGS]}, s3BucketName=BUCKET_NAME),
    ]


def replicated_stack() -> list[Res]:
    """log_bucket_stack replicated into the replica bucket (the program's replication rule)."""
    return [
        *log_bucket_stack(),
        res(BUCKET, "replica", bucket=REPLICA_BUCKET_NAME),
        res(REPLICATION, "logs-replication", deps={"bucket": [LOGS], "rules": [REPLICA]},
            bucket=BUCKET_NAME, role=REPLICATION_ROLE_ARN, rules=[replication_rule()]),
    ]  # fmt: skip


# --- support.lookup ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tree", "path", "found"),
    [
        ({"rules": ["a", "b"]}, ("rules", 1), "b"),
        ({"rules": ["a"]}, ("rules", 1), MISSING),
        ({"rules": {"0": "a"}}, ("rules", 0), MISSING),
        ({"rules": UNKNOWN}, ("rules", 0, "id"), UNKNOWN),
        ({"rules": [None]}, ("rules", 0), MISSING),
    ],
    ids=["index", "past-the-end", "index-into-a-map", "unknown", "null"],
)
def test_lookup_by_index(tree: dict[str, Any], path: tuple[str | int, ...], found: Any) -> None:
    assert lookup(tree, *path) == found


# --- a bucket's policy documents ------------------------------------------------------------------


def reports() -> tuple[list[tuple[str, str]], Any]:
    found: list[tuple[str, str]] = []
    return found, lambda message, at: found.append((message, at))


def test_an_empty_inline_policy_is_no_policy() -> None:
    bucket = res(BUCKET, "logs", bucket=BUCKET_NAME, policy="")
    view = StackView([bucket])
    found, report = reports()
    assert view.policy_documents(bucket) == []
    assert view.bucket_statements(bucket, report) == ([], True)
    assert found == []


def test_the_inline_policy_is_read_after_an_unknown_bucket_policy() -> None:
    bucket = res(BUCKET, "logs", bucket=BUCKET_NAME, policy=document(acl_check()))
    unknown = companion(BUCKET_POLICY, "logs-policy", bucket, policy=UNKNOWN)
    view = StackView([bucket, unknown])
    found, report = reports()
    owned, complete = view.bucket_statements(bucket, report)
    assert [(owner.name, stmt.sid) for owner, stmt in owned] == [("logs", "AWSCloudTrailAclCheck")]
    assert not complete
    assert found == [(undecided("BucketPolicy 'logs-policy'", "policy"), unknown.urn)]


# --- the archive's buckets and replication roles --------------------------------------------------


def test_the_replica_is_an_archive_bucket_and_an_unnamed_bucket_it_does_not_name_is_not() -> None:
    stranger = res(BUCKET, "stranger", bucket=UNKNOWN)
    found, maybe = archive_buckets(StackView([*replicated_stack(), stranger]))
    assert {u: part for u, (_b, part) in found.items()} == {
        LOGS: LOG_BUCKET, REPLICA: REPLICA_BUCKET
    }  # fmt: skip
    assert all(b.urn == u for u, (b, _part) in found.items())
    assert maybe == []


def test_a_replica_whose_name_is_unknown_is_found_through_its_link() -> None:
    stack = edited(replicated_stack(), "replica", "props", (), {"bucket": UNKNOWN})
    found, _maybe = archive_buckets(StackView(stack))
    assert found[REPLICA] == (named(stack, "replica"), REPLICA_BUCKET)


def with_role_links(
    stack: list[Res], *role_urns: str, role: Any = REPLICATION_ROLE_ARN
) -> list[Res]:
    config = named(stack, "logs-replication")
    deps = {**config.property_dependencies, "role": list(role_urns)}
    linked = Res(config.type, config.name, config.urn, {**config.props, "role": role},
                 config.protect, deps)  # fmt: skip
    return [linked if r is config else r for r in stack]


def test_replication_roles_are_the_known_role_arn_and_the_names_of_linked_roles() -> None:
    roles = [res(ROLE, "replicator", name="log-replicator"), res(ROLE, "unnamed"),
             res(ROLE, "later", name=UNKNOWN)]  # fmt: skip
    stack = with_role_links(
        [*replicated_stack(), *roles], *(r.urn for r in roles), REPLICA, urn(ROLE, "absent")
    )
    view = StackView(stack)
    assert replication_role_names(view, named(stack, "logs")) == (
        {REPLICATION_ROLE_ARN}, {"log-replicator"}
    )  # fmt: skip
    unknown = StackView(with_role_links(replicated_stack(), role=UNKNOWN))
    assert replication_role_names(unknown, named(stack, "logs")) == (set(), set())


@pytest.mark.parametrize(
    ("value", "bucket"),
    [
        (f"arn:aws:s3:::{BUCKET_NAME}", BUCKET_NAME),
        (f"arn:aws-cn:s3:::{BUCKET_NAME}/AWSLogs/", BUCKET_NAME),
        (f"arn:aws:s3:::{BUCKET_NAME}/prefix:with:colons", BUCKET_NAME),
        (UNKNOWN, UNKNOWN),
        (BUCKET_NAME, None),
        ("arn:aws:s3:::", None),
        (f"arn:aws:sns:eu-west-1:111122223333:{BUCKET_NAME}", None),
        (f"urn:aws:s3:::{BUCKET_NAME}", None),
        (None, None),
    ],
)
def test_bucket_from_arn(value: Any, bucket: Any) -> None:
    assert bucket_from_arn(value) == bucket


# --- default encryption and Object Lock -----------------------------------------------------------


def sse_rules(algorithm: Any) -> list[dict[str, Any]]:
    return [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": algorithm}}]


@pytest.mark.parametrize(
    ("props", "split", "kms"),
    [
        ({}, sse_rules("aws:kms"), True),
        ({}, sse_rules("aws:kms:dsse"), True),
        ({}, sse_rules("AES256"), False),
        ({}, sse_rules(UNKNOWN), None),
        ({}, UNKNOWN, None),
        ({"serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault":
                                                         {"sseAlgorithm": "aws:kms"}}}},
         None, True),
        ({"serverSideEncryptionConfigurations": [{"rules": [
            {"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": "aws:kms:dsse"}]}]}]},
         None, True),
        ({"serverSideEncryptionConfigurations": [{"rules": [
            {"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": "AES256"}]}]}]},
         None, False),
    ],
    ids=["split", "split-dsse", "split-sse-s3", "split-unknown-algorithm", "split-unknown-rules",
         "bucket-inline", "bucket-v2-inline-dsse", "bucket-v2-inline-sse-s3"],
)  # fmt: skip
def test_whether_a_bucket_encrypts_with_kms(props: dict[str, Any], split: Any, kms: Any) -> None:
    bucket = res(BUCKET, "logs", bucket=BUCKET_NAME, **props)
    stack = [bucket] if split is None else [bucket, companion(SSE, "logs-sse", bucket, rules=split)]
    assert is_sse_kms(StackView(stack), bucket) is kms


LOGS_BUCKET = res(BUCKET, "logs", bucket=BUCKET_NAME)


@pytest.mark.parametrize(
    ("stack", "locked"),
    [
        ([LOGS_BUCKET], False),
        ([LOGS_BUCKET, companion(OBJECT_LOCK, "lock", LOGS_BUCKET)], True),
        ([LOGS_BUCKET, companion(OBJECT_LOCK, "lock", LOGS_BUCKET, objectLockEnabled=UNKNOWN)],
         None),
        # A configuration whose bucket is unknown and unlinked may be this bucket's.
        ([LOGS_BUCKET, res(OBJECT_LOCK, "lock", bucket=UNKNOWN)], None),
        ([res(BUCKET, "logs", bucket=BUCKET_NAME, objectLockEnabled=True),
          res(OBJECT_LOCK, "lock", bucket=UNKNOWN)], True),
    ],
    ids=["none", "configured", "unknown-flag", "unresolved-configuration", "bucket-flag"],
)  # fmt: skip
def test_whether_a_bucket_has_object_lock(stack: list[Res], locked: Any) -> None:
    assert is_locked(StackView(stack), stack[0]) is locked


def test_an_unresolved_bucket_policy_is_pending_for_every_bucket() -> None:
    stack = [*log_bucket_stack(), res(BUCKET_POLICY, "p", bucket=UNKNOWN,
                                      policy=document(statement(Action="s3:*")))]  # fmt: skip
    view = StackView(stack)
    assert [r.name for r in view.unresolved(BUCKET_POLICY)] == ["p"]
    assert [r.name for r in view.companions(named(stack, "logs"), BUCKET_POLICY)] == ["logs-policy"]
    assert view.unresolved(REPLICATION) == []
