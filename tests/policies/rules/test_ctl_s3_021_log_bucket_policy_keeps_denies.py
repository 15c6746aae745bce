"""ctl-s3-021: the archive's buckets keep their deletion, administration, foreign-write and
read denies."""

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from archive_cases import (
    access_logged_stack,
    log_bucket_stack,
    maybe_log_bucket_stack,
    replicated_stack,
)
from guardrails.rules import ctl_s3_021_log_bucket_policy_keeps_denies as rule
from guardrails.support import IAM_ROLE_TYPE, Res, maybe_log_bucket
from literals import (
    ACCESS_LOG_BUCKET_NAME,
    ACCOUNT,
    ADMINISTRATOR,
    BUCKET,
    BUCKET_NAME,
    BUCKET_POLICY,
    READER,
    REPLICA_BUCKET_NAME,
    REPLICATION,
    ROLE,
    UNKNOWN,
    allow_readers,
    deny_administration,
    deny_bucket_deletion,
    deny_object_deletion,
    deny_reads_by_others,
    deny_replication_into,
    deny_writes_not_from_trails,
    document,
    log_archive_statements,
    without,
)
from rule_cases import named, res, stack_findings, urn, with_props

REPLICATION_ROLE = f"arn:aws:iam::{ACCOUNT}:role/org-cloudtrail-log-replication"
LOGS = named(log_bucket_stack(), "logs")


def without_sid(sid: str) -> list[dict[str, object]]:
    return [s for s in log_archive_statements() if s["Sid"] != sid]


def replaced(sid: str, stmt: dict[str, object]) -> list[dict[str, object]]:
    return [stmt if s["Sid"] == sid else s for s in log_archive_statements()]


def guarded(bucket: str, *, reads: bool) -> list[dict[str, Any]]:
    """The statements an access-log (reads False) or replica (reads True) bucket keeps."""
    statements = [
        deny_bucket_deletion(Resource=f"arn:aws:s3:::{bucket}"),
        deny_object_deletion(bucket),
        deny_administration(bucket),
    ]
    if not reads:  # the access-log bucket; a replica takes replicas
        statements.append(deny_replication_into(bucket))
    if reads:
        statements += [
            allow_readers(Resource=[f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]),
            deny_reads_by_others(READER, Resource=f"arn:aws:s3:::{bucket}/*"),
        ]
    return statements


def bucket_policy(name: str, bucket: str, statements: list[dict[str, Any]]) -> Res:
    return res(
        BUCKET_POLICY,
        f"{name}-policy",
        deps={"bucket": [urn(BUCKET, name)]},
        bucket=bucket,
        policy=document(*statements),
    )


def test_archive_design_passes() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []


@pytest.mark.parametrize(
    "sid",
    [
        "DenyBucketDeletion",
        "DenyWritesNotFromTrails",
        "DenyReadsByOthers",
        "DenyObjectDeletion",
        "DenyReplicationInto",
        "DenyAdministrationByOthers",
    ],
)
def test_removed_deny_is_caught(sid: str) -> None:
    found = stack_findings(rule, log_bucket_stack(*without_sid(sid)))
    assert found.decided and found[0][1].endswith("::logs")


def test_renamed_sid_still_counts() -> None:
    renamed = replaced("DenyBucketDeletion", deny_bucket_deletion(Sid="Other"))
    assert stack_findings(rule, log_bucket_stack(*renamed)) == []


@pytest.mark.parametrize(
    ("sid", "weakened"),
    [
        (
            "DenyBucketDeletion",
            deny_bucket_deletion(Condition={"Bool": {"aws:MultiFactorAuthPresent": "false"}}),
        ),
        (
            "DenyBucketDeletion",
            deny_bucket_deletion(Principal={"AWS": "arn:aws:iam::111122223333:root"}),
        ),
        (
            "DenyWritesNotFromTrails",
            deny_writes_not_from_trails(Resource=f"arn:aws:s3:::{BUCKET_NAME}/AWSLogs/*"),
        ),
        (
            "DenyWritesNotFromTrails",
            deny_writes_not_from_trails(
                Condition={"ArnNotLike": {"aws:SourceArn": "arn:aws:s3:::*"}}
            ),
        ),
        (
            "DenyWritesNotFromTrails",
            deny_writes_not_from_trails(
                Condition={
                    "ArnNotLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:*:trail/x"},
                    "Bool": {"aws:SecureTransport": "true"},
                }
            ),
        ),
        ("DenyReadsByOthers", deny_reads_by_others(READER, "arn:aws:iam::111122223333:role/*")),
        # The side door of a versioned read: GetObject alone leaves s3:GetObjectVersion open.
        ("DenyReadsByOthers", deny_reads_by_others(READER, Action="s3:GetObject")),
        (
            "DenyObjectDeletion",
            deny_object_deletion(Action=["s3:DeleteObject", "s3:BypassGovernanceRetention"]),
        ),
        (
            "DenyObjectDeletion",
            deny_object_deletion(Action=["s3:DeleteObjectVersion", "s3:BypassGovernanceRetention"]),
        ),
        (
            "DenyObjectDeletion",
            deny_object_deletion(Condition={"ArnNotEquals": {"aws:PrincipalArn": [ADMINISTRATOR]}}),
        ),
        ("DenyObjectDeletion", deny_object_deletion(Principal={"AWS": ADMINISTRATOR})),
        # Replication of deletions only, or exempting a role: either leaves the side door.
        ("DenyReplicationInto", deny_replication_into(Action="s3:ReplicateObject")),
        (
            "DenyReplicationInto",
            deny_replication_into(
                Condition={"ArnNotEquals": {"aws:PrincipalArn": [ADMINISTRATOR]}}
            ),
        ),
        # An IAM user's keys are minted by any IAM administrator of its account.
        (
            "DenyAdministrationByOthers",
            deny_administration(
                Condition={"ArnNotEquals": {"aws:PrincipalArn": [f"arn:aws:iam::{ACCOUNT}:user/a"]}}
            ),
        ),
        (
            "DenyAdministrationByOthers",
            deny_administration(
                Condition={"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}}
            ),
        ),
        (
            "DenyAdministrationByOthers",
            deny_administration(
                Condition={
                    "ArnNotEquals": {"aws:PrincipalArn": [ADMINISTRATOR]},
                    "Bool": {"aws:MultiFactorAuthPresent": "true"},
                }
            ),
        ),
        (
            "DenyAdministrationByOthers",
            deny_administration(Action=["s3:PutLifecycleConfiguration", "s3:DeleteBucketPolicy"]),
        ),
        (
            "DenyAdministrationByOthers",
            deny_administration(Resource=f"arn:aws:s3:::{BUCKET_NAME}/*"),
        ),
    ],
)
def test_weakened_deny_is_caught(sid: str, weakened: dict[str, object]) -> None:
    assert stack_findings(rule, log_bucket_stack(*replaced(sid, weakened))).decided


def test_administration_by_nobody_is_accepted() -> None:
    strict = {k: v for k, v in deny_administration().items() if k != "Condition"}
    stack = log_bucket_stack(*replaced("DenyAdministrationByOthers", strict))
    assert stack_findings(rule, stack) == []


def test_reads_deny_is_needed_without_readers_too() -> None:
    readers = ("AllowLogReaders", "DenyReadsByOthers")
    no_readers = [s for s in log_archive_statements() if s["Sid"] not in readers]
    assert stack_findings(rule, log_bucket_stack(*no_readers)).decided
    nobody = {k: v for k, v in deny_reads_by_others().items() if k != "Condition"}
    assert stack_findings(rule, log_bucket_stack(*no_readers, nobody)) == []


def test_the_role_that_replicates_the_bucket_may_be_exempted_from_the_read_deny() -> None:
    exempting = replaced("DenyReadsByOthers", deny_reads_by_others(READER, REPLICATION_ROLE))
    stack = with_props(replicated_stack(), "logs-policy", policy=document(*exempting))
    found = stack_findings(rule, stack).at(LOGS.urn)
    assert found == []
    # Without the replication configuration the same exemption is a stranger's.
    alone = log_bucket_stack(*exempting)
    assert stack_findings(rule, alone).decided


def test_the_access_log_bucket_keeps_its_deletion_and_administration_denies() -> None:
    compliant = [
        *access_logged_stack(),
        bucket_policy(
            "access-logs", ACCESS_LOG_BUCKET_NAME, guarded(ACCESS_LOG_BUCKET_NAME, reads=False)
        ),
    ]
    assert stack_findings(rule, compliant) == []
    bare = [*access_logged_stack(), bucket_policy("access-logs", ACCESS_LOG_BUCKET_NAME, [])]
    found = stack_findings(rule, bare)
    assert found.decided and all(u.endswith("::access-logs") for _m, u in found)
    assert "access-log bucket" in found[0][0] and "s3:DeleteObjectVersion" in found[0][0]
    assert "s3:GetObjectVersion" not in found[0][0]  # reads of access records stay with IAM


def test_the_replica_keeps_its_denies_reads_included() -> None:
    compliant = [
        *replicated_stack(),
        bucket_policy("replica", REPLICA_BUCKET_NAME, guarded(REPLICA_BUCKET_NAME, reads=True)),
    ]
    assert stack_findings(rule, compliant) == []
    no_reads = guarded(REPLICA_BUCKET_NAME, reads=False)
    weak = [*replicated_stack(), bucket_policy("replica", REPLICA_BUCKET_NAME, no_reads)]
    found = stack_findings(rule, weak)
    assert found.decided and found[0][1].endswith("::replica")
    assert "replica bucket" in found[0][0] and "s3:GetObjectVersion" in found[0][0]


def test_required_denies_configurable() -> None:
    stack = log_bucket_stack(*without_sid("DenyBucketDeletion"))
    others = [
        "objectDeletion",
        "replicationInto",
        "administration",
        "writesNotFromTrails",
        "readsByOthers",
    ]
    assert stack_findings(rule, stack, requiredDenies=others) == []


def test_legacy_inline_bucket_policy_counts() -> None:
    stack = with_props(
        without(log_bucket_stack(), "logs-policy"),
        "logs",
        policy=document(*log_archive_statements()),
    )
    assert stack_findings(rule, stack) == []
    assert stack[0].type == BUCKET


def test_unknown_policy_is_undecided() -> None:
    stack = with_props(log_bucket_stack(), "logs-policy", policy=UNKNOWN)
    found = stack_findings(rule, stack)
    policy = named(stack, "logs-policy")
    assert found[:1].undecided_on(policy, "policy", why=False)
    assert found[1:].undecided_on(LOGS, "policy")


def test_a_bucket_that_may_hold_logs_is_undecided() -> None:
    """A trail's bucket is unknown and no dependency resolves it: any bucket may be its own."""
    other = res(BUCKET, "other", bucket="other-bucket")
    stack = [other, *with_props(log_bucket_stack(), "trail", s3BucketName=UNKNOWN)]
    stack = [replace(r, property_dependencies={}) if r.name == "trail" else r for r in stack]
    assert (maybe_log_bucket(other.label), other.urn) in stack_findings(rule, stack)


def test_a_deny_names_no_reader() -> None:
    """A Deny of reads to a principal does not make them a reader the read Deny may exempt."""
    denied = {**allow_readers(OTHER_READER), "Effect": "Deny", "Sid": "DenyOther"}
    statements = [*replaced("DenyReadsByOthers", deny_reads_by_others(READER, OTHER_READER)),
                  denied]  # fmt: skip
    found = stack_findings(rule, log_bucket_stack(*statements))
    assert found.decided_on(LOGS, OTHER_READER)


def test_a_missing_read_deny_names_no_readers_when_none_is_granted() -> None:
    readers = ("AllowLogReaders", "DenyReadsByOthers")
    no_readers = [s for s in log_archive_statements() if s["Sid"] not in readers]
    [(message, _urn)] = stack_findings(rule, log_bucket_stack(*no_readers))
    assert message.endswith("unless aws:PrincipalArn is a log reader.")


def replicated_by_role(name: str) -> list[Res]:
    """replicated_stack whose replication role is a Role of the stack, its ARN unknown."""
    role = res(IAM_ROLE_TYPE, "replication-role", name=name)
    stack = with_props(replicated_stack(), "logs-replication", role=UNKNOWN)
    deps = {**named(stack, "logs-replication").property_dependencies, "role": [role.urn]}
    return [role, *(replace(r, property_dependencies=deps) if r.name == "logs-replication"
                    else r for r in stack)]  # fmt: skip


@pytest.mark.parametrize(
    "exempted, accepted",
    [(REPLICATION_ROLE, True),
     (f"arn:aws:iam::{ACCOUNT}:role/service-role/org-cloudtrail-log-replication", True),
     (f"arn:aws:iam::{ACCOUNT}:user/org-cloudtrail-log-replication", False),
     (f"arn:aws:iam::{ACCOUNT}:role/org-cloudtrail-log-replication-copy", False)],
    ids=["role", "role-with-a-path", "user-of-the-roles-name", "another-role"],
)  # fmt: skip
def test_the_replication_role_of_the_stack_is_known_by_its_name(
    exempted: str, accepted: bool
) -> None:
    exempting = replaced("DenyReadsByOthers", deny_reads_by_others(READER, exempted))
    stack = with_props(
        replicated_by_role("org-cloudtrail-log-replication"), "logs-policy",
        policy=document(*exempting),
    )  # fmt: skip
    found = stack_findings(rule, stack).at(LOGS.urn)
    assert found == [] if accepted else found.decided_on(LOGS, exempted)


def _with_not_principal(stmt: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in stmt.items() if k != "Principal"} | {
        "NotPrincipal": {"AWS": ADMINISTRATOR}
    }


@pytest.mark.parametrize(
    "impostor",
    [
        deny_bucket_deletion(Effect="Allow"),
        deny_bucket_deletion(Resource="arn:aws:s3:::another-bucket"),
        deny_bucket_deletion(Action="s3:DeleteObject"),
        _with_not_principal(deny_bucket_deletion()),
    ],
    ids=["allow-star", "another-bucket", "unrelated-action", "not-principal"],
)
def test_only_a_public_deny_of_this_buckets_deletion_guards_it(impostor: dict[str, Any]) -> None:
    """In place of DenyBucketDeletion, none of these keeps anyone from deleting the bucket."""
    found = stack_findings(rule, log_bucket_stack(*replaced("DenyBucketDeletion", impostor)))
    assert found.decided and "s3:DeleteBucket" in found[0][0]


_ACCESS_LOGS = ("access-logs", ACCESS_LOG_BUCKET_NAME, False, access_logged_stack)
_REPLICA = ("replica", REPLICA_BUCKET_NAME, True, replicated_stack)


@pytest.mark.parametrize(
    ("bucket", "sid", "action"),
    [
        (_ACCESS_LOGS, "DenyBucketDeletion", "s3:DeleteBucket"),
        (_ACCESS_LOGS, "DenyObjectDeletion", "s3:DeleteObjectVersion"),
        (_ACCESS_LOGS, "DenyReplicationInto", "s3:ReplicateObject"),
        (_ACCESS_LOGS, "DenyAdministrationByOthers", "s3:PutBucketPolicy"),
        (_REPLICA, "DenyBucketDeletion", "s3:DeleteBucket"),
        (_REPLICA, "DenyObjectDeletion", "s3:DeleteObjectVersion"),
        (_REPLICA, "DenyAdministrationByOthers", "s3:PutBucketPolicy"),
        (_REPLICA, "DenyReadsByOthers", "s3:GetObjectVersion"),
    ],
    ids=lambda v: v[0] if isinstance(v, tuple) else None,
)
def test_each_deny_the_access_log_bucket_and_the_replica_need_is_required(
    bucket: tuple[str, str, bool, Callable[[], list[Res]]], sid: str, action: str
) -> None:
    name, bucket_name, reads, stack_of = bucket
    kept = [s for s in guarded(bucket_name, reads=reads) if s["Sid"] != sid]
    stack = [*stack_of(), bucket_policy(name, bucket_name, kept)]
    found = stack_findings(rule, stack)
    assert found.decided and all(u.endswith(f"::{name}") for _m, u in found)
    assert action in found[0][0]


def test_a_deny_on_a_variable_bucket_name_is_no_guard() -> None:
    """`arn:aws:s3:::${aws:PrincipalTag/bucket}` names whatever the caller's tag says."""
    variable = deny_bucket_deletion(Resource="arn:aws:s3:::${aws:PrincipalTag/bucket}")
    found = stack_findings(rule, log_bucket_stack(*replaced("DenyBucketDeletion", variable)))
    assert found.decided and "s3:DeleteBucket" in found[0][0]


OTHER_READER = f"arn:aws:iam::{ACCOUNT}:role/other-readers"


@pytest.mark.parametrize(
    "grant",
    [
        allow_readers(OTHER_READER, bucket="another-bucket"),
        allow_readers(OTHER_READER, Resource=f"arn:aws:s3:::{BUCKET_NAME}"),
        allow_readers(OTHER_READER, Principal="*"),
        {k: v for k, v in allow_readers(OTHER_READER).items() if k != "Resource"}
        | {"NotResource": f"arn:aws:s3:::{BUCKET_NAME}/private/*"},
        allow_readers(OTHER_READER, Effect="Deny"),
    ],
    ids=[
        "another-buckets-objects",
        "the-bucket-not-its-objects",
        "public",
        "not-resource",
        "a-deny",
    ],
)
def test_exempting_a_principal_the_policy_does_not_let_read_is_caught(
    grant: dict[str, Any],
) -> None:
    """The read Deny may exempt only those the policy grants s3:GetObject on the logs."""
    statements = [*replaced("DenyReadsByOthers", deny_reads_by_others(READER, OTHER_READER)),
                  {**grant, "Sid": "AllowOtherReaders"}]  # fmt: skip
    found = stack_findings(rule, log_bucket_stack(*statements))
    assert found.decided and any(OTHER_READER in m for m, _u in found)


def test_exempting_a_principal_granted_every_resource_is_accepted() -> None:
    grant = {**allow_readers(OTHER_READER, Resource="*"), "Sid": "AllowOtherReaders"}
    statements = [*replaced("DenyReadsByOthers", deny_reads_by_others(READER, OTHER_READER)),
                  grant]  # fmt: skip
    assert stack_findings(rule, log_bucket_stack(*statements)) == []


@pytest.mark.parametrize(
    "stranger",
    [
        f"arn:aws:iam::{ACCOUNT}:user/org-cloudtrail-log-replication",
        f"arn:aws:iam::{ACCOUNT}:role/org-cloudtrail-log-replication-copy",
    ],
    ids=["user-of-the-roles-name", "another-role"],
)
def test_only_the_replicating_role_itself_may_be_exempted(stranger: str) -> None:
    exempting = replaced("DenyReadsByOthers", deny_reads_by_others(READER, stranger))
    stack = with_props(replicated_stack(), "logs-policy", policy=document(*exempting))
    found = stack_findings(rule, stack).at(LOGS.urn)
    assert found.decided and stranger in found[0][0]


def test_a_missing_read_deny_names_the_readers_the_policy_grants() -> None:
    found = stack_findings(rule, log_bucket_stack(*without_sid("DenyReadsByOthers")))
    assert found.decided and f"({READER})" in found[0][0]


def test_a_log_bucket_of_unknown_name_is_undecided() -> None:
    stack = with_props(log_bucket_stack(), "logs", bucket=UNKNOWN)
    stack = with_props(stack, "logs-policy", bucket=UNKNOWN)
    found = stack_findings(rule, stack)
    assert found.undecided_on(LOGS, "bucket")


def test_each_archive_bucket_is_judged() -> None:
    """A log bucket of unknown name does not hide the next bucket's missing deny."""
    unnamed = res(BUCKET, "unnamed", bucket=UNKNOWN, policy=document(*log_archive_statements()))
    stack = [unnamed, *log_bucket_stack(*without_sid("DenyBucketDeletion"))]
    found = stack_findings(rule, stack)
    assert found.at(unnamed.urn).undecided_on(unnamed, "bucket")
    assert found.at(LOGS.urn).decided_on(LOGS, "s3:DeleteBucket")


@pytest.mark.parametrize("exempted_path", ["/", "/service/"], ids=["no-path", "a-path"])
def test_the_replicating_role_of_this_stack_may_be_exempted_by_its_name(exempted_path: str) -> None:
    """The replication's `role` is unknown at preview; it comes from a Role of this stack."""
    role = res(ROLE, "replication-role", name="org-cloudtrail-log-replication")
    exempted = f"arn:aws:iam::{ACCOUNT}:role{exempted_path}org-cloudtrail-log-replication"
    exempting = replaced("DenyReadsByOthers", deny_reads_by_others(READER, exempted))
    stack = with_props(replicated_stack(), "logs-policy", policy=document(*exempting))
    stack = [
        replace(r, props={**r.props, "role": UNKNOWN},
                property_dependencies={**r.property_dependencies, "role": [role.urn]})
        if r.type == REPLICATION else r
        for r in [*stack, role]
    ]  # fmt: skip
    assert stack_findings(rule, stack).at(LOGS.urn) == []


def test_a_role_of_the_same_name_that_is_no_role_is_not_exempted() -> None:
    role = res(ROLE, "replication-role", name="org-cloudtrail-log-replication")
    stranger = f"arn:aws:iam::{ACCOUNT}:user/org-cloudtrail-log-replication"
    exempting = replaced("DenyReadsByOthers", deny_reads_by_others(READER, stranger))
    stack = with_props(replicated_stack(), "logs-policy", policy=document(*exempting))
    stack = [
        replace(r, props={**r.props, "role": UNKNOWN}, property_dependencies={"role": [role.urn]})
        if r.type == REPLICATION else r
        for r in [*stack, role]
    ]  # fmt: skip
    found = stack_findings(rule, stack).at(LOGS.urn)
    assert found.decided and stranger in found[0][0]


def test_an_unknown_policy_leaves_the_missing_denies_undecided_at_the_bucket() -> None:
    found = stack_findings(rule, with_props(log_bucket_stack(), "logs-policy", policy=UNKNOWN))
    at_bucket = found.at(LOGS.urn).messages
    assert at_bucket.undecided and len(at_bucket) == 1
    assert "Bucket 'logs' property 'policy' is unknown" in at_bucket[0]


def test_a_bucket_after_one_of_unknown_name_is_judged() -> None:
    stack = with_props(access_logged_stack(), "logs", bucket=UNKNOWN)
    stack = with_props(stack, "logs-policy", bucket=UNKNOWN)
    stack = [*stack, bucket_policy("access-logs", ACCESS_LOG_BUCKET_NAME, [])]
    found = stack_findings(rule, stack)
    assert found.urns == [LOGS.urn, urn(BUCKET, "access-logs")]
    assert found[:1].undecided and found[1:].decided
    assert "Bucket 'logs' property 'bucket' is unknown" in found[0][0]


def test_a_bucket_that_may_be_a_log_bucket_is_undecided() -> None:
    stack = maybe_log_bucket_stack()
    found = stack_findings(rule, stack)
    assert found.undecided and found.urns == [LOGS.urn]
    assert "Bucket 'logs'" in found[0][0]
