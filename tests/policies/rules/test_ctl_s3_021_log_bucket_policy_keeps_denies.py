"""ctl-s3-021: a CloudTrail bucket policy keeps its deny-deletion, deny-foreign-writes and
deny-reads-by-others statements."""

import pytest
from guardrails import s3_log_bucket_policy_denies as rule
from rule_cases import (
    BUCKET,
    BUCKET_NAME,
    READER,
    UNKNOWN,
    decided,
    deny_bucket_deletion,
    deny_reads_by_others,
    deny_writes_not_from_trails,
    document,
    log_archive_statements,
    log_bucket_stack,
    stack_findings,
    undecided,
    with_props,
    without,
)


def without_sid(sid: str) -> list[dict[str, object]]:
    return [s for s in log_archive_statements() if s["Sid"] != sid]


def replaced(sid: str, stmt: dict[str, object]) -> list[dict[str, object]]:
    return [stmt if s["Sid"] == sid else s for s in log_archive_statements()]


def test_archive_design_passes() -> None:
    assert stack_findings(rule, log_bucket_stack()) == []


@pytest.mark.parametrize(
    "sid", ["DenyBucketDeletion", "DenyWritesNotFromTrails", "DenyReadsByOthers"]
)
def test_removed_deny_is_caught(sid: str) -> None:
    found = stack_findings(rule, log_bucket_stack(*without_sid(sid)))
    assert decided(found) and found[0][1].endswith("::logs")


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
    ],
)
def test_weakened_deny_is_caught(sid: str, weakened: dict[str, object]) -> None:
    assert decided(stack_findings(rule, log_bucket_stack(*replaced(sid, weakened))))


def test_reads_deny_needed_only_with_readers() -> None:
    no_readers = [
        s
        for s in log_archive_statements()
        if s["Sid"] not in ("AllowLogReaders", "DenyReadsByOthers")
    ]
    assert stack_findings(rule, log_bucket_stack(*no_readers)) == []


def test_required_denies_configurable() -> None:
    stack = log_bucket_stack(*without_sid("DenyBucketDeletion"))
    assert (
        stack_findings(rule, stack, requiredDenies=["writesNotFromTrails", "readsByOthers"]) == []
    )


def test_legacy_inline_bucket_policy_counts() -> None:
    stack = with_props(
        without(log_bucket_stack(), "logs-policy"),
        "logs",
        policy=document(*log_archive_statements()),
    )
    assert stack_findings(rule, stack) == []
    assert stack[0].type == BUCKET


def test_unknown_policy_is_undecided() -> None:
    assert undecided(
        stack_findings(rule, with_props(log_bucket_stack(), "logs-policy", policy=UNKNOWN))
    )
