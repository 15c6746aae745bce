"""The log archive as the program builds it, as the rules see it: a compliant CloudTrail log bucket
with its companions and trail (`log_bucket_stack`), the access-log and replica buckets beside it,
and the edits that make its links unknown at preview. Built from literals.py with rule_cases.res.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from types import ModuleType
from typing import Any

from guardrails.support import Res
from literals import (
    ACCESS_LOG_BUCKET_NAME,
    BUCKET,
    BUCKET_NAME,
    BUCKET_POLICY,
    LIFECYCLE,
    LOGGING,
    OBJECT_LOCK,
    OWNERSHIP,
    PAB,
    PUBLIC_ACCESS_BLOCKED,
    REGION,
    REPLICA_BUCKET_NAME,
    REPLICA_REGION,
    REPLICATION,
    REPLICATION_ROLE_ARN,
    SSE,
    TRAIL,
    TRAIL_NAME,
    UNKNOWN,
    VERSIONING,
    acl_check,
    document,
    expiry_rule,
    log_archive_statements,
    replication_rule,
    without,
)
from rule_cases import res, stack_findings, urn, with_props

LOGS = urn(BUCKET, "logs")  # log_bucket_stack's bucket


def companion(type_: str, name: str, bucket: Res, **props: Any) -> Res:
    """A resource of `bucket`: its `bucket` input names it, and comes from it."""
    return res(type_, name, deps={"bucket": [bucket.urn]}, bucket=bucket.props["bucket"], **props)


def _unlinked(stack: list[Res], selected: Callable[[Res], bool], prop: str) -> list[Res]:
    """The stack with `prop` unknown on the selected resources, and their links dropped."""
    return [
        replace(r, props={**r.props, prop: UNKNOWN}, property_dependencies={})
        if selected(r) else r
        for r in stack
    ]  # fmt: skip


def companion_bucket_unknown(stack: list[Res], name: str) -> list[Res]:
    """The stack with the bucket of resource `name` (a policy, versioning, encryption or public
    access block of a bucket) unknown and unlinked: it cannot be tied to its bucket."""
    return _unlinked(stack, lambda r: r.name == name, "bucket")


def log_bucket_stack(*statements: dict[str, Any]) -> list[Res]:
    """A compliant CloudTrail log bucket with its companions and the trail writing to it."""
    bucket = res(BUCKET, "logs", protect=True, bucket=BUCKET_NAME, forceDestroy=False)
    return [
        bucket,
        companion(
            SSE,
            "logs-sse",
            bucket,
            rules=[{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}],
        ),
        companion(
            VERSIONING, "logs-versioning", bucket, versioningConfiguration={"status": "Enabled"}
        ),
        companion(PAB, "logs-pab", bucket, **PUBLIC_ACCESS_BLOCKED),
        companion(
            OWNERSHIP, "logs-ownership", bucket, rule={"objectOwnership": "BucketOwnerEnforced"}
        ),
        companion(
            BUCKET_POLICY,
            "logs-policy",
            bucket,
            policy=document(*(statements or log_archive_statements())),
        ),
        res(
            TRAIL,
            "trail",
            deps={"s3BucketName": [bucket.urn]},
            name=TRAIL_NAME,
            s3BucketName=BUCKET_NAME,
            isMultiRegionTrail=True,
            enableLogFileValidation=True,
            includeGlobalServiceEvents=True,
            enableLogging=True,
            kmsKeyId=UNKNOWN,
        ),
    ]


def maybe_log_bucket_stack(*drop: str) -> list[Res]:
    """log_bucket_stack less `drop`, with nothing to tell at preview that its bucket receives
    CloudTrail logs: the bucket policy (whose CloudTrail grants would tell) is gone and each
    trail's bucket is unknown and unlinked, so a rule can only report the bucket as undecided."""
    stack = without(log_bucket_stack(), "logs-policy", *drop)
    return _unlinked(stack, lambda r: r.type == TRAIL, "s3BucketName")


def access_log_bucket(name: str = "access-logs") -> list[Res]:
    """The program's server-access-log bucket: SSE-S3, versioned, private, lifecycled."""
    bucket = res(BUCKET, name, protect=True, bucket=ACCESS_LOG_BUCKET_NAME, forceDestroy=False)
    return [
        bucket,
        companion(
            SSE,
            f"{name}-sse",
            bucket,
            rules=[{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}],
        ),
        companion(
            VERSIONING, f"{name}-versioning", bucket, versioningConfiguration={"status": "Enabled"}
        ),
        companion(
            LIFECYCLE, f"{name}-lifecycle", bucket, rules=[expiry_rule("expire-access-logs")]
        ),
    ]


def bucket_logging(name: str = "logs-access-logging", **overrides: Any) -> Res:
    """aws.s3.BucketLogging of the log bucket into the access-log bucket (program's shape)."""
    logs, target = urn(BUCKET, "logs"), urn(BUCKET, "access-logs")
    props: dict[str, Any] = {
        "bucket": BUCKET_NAME,
        "targetBucket": ACCESS_LOG_BUCKET_NAME,
        "targetPrefix": "s3-access-logs/",
        "targetObjectKeyFormat": {"partitionedPrefix": {"partitionDateSource": "EventTime"}},
    }
    props.update(overrides)
    return res(LOGGING, name, deps={"bucket": [logs], "targetBucket": [target]}, **props)


def access_logged_stack() -> list[Res]:
    """log_bucket_stack with server access logging into its own SSE-S3 access-log bucket."""
    return [*log_bucket_stack(), *access_log_bucket(), bucket_logging()]


def object_lock(
    name: str = "logs-object-lock", mode: str = "GOVERNANCE", days: int = 30, **overrides: Any
) -> Res:
    """aws.s3.BucketObjectLockConfiguration of the log bucket (program's shape)."""
    props: dict[str, Any] = {
        "bucket": BUCKET_NAME,
        "objectLockEnabled": "Enabled",
        "rule": {"defaultRetention": {"mode": mode, "days": days}},
    }
    props.update(overrides)
    return res(OBJECT_LOCK, name, deps={"bucket": [urn(BUCKET, "logs")]}, **props)


def log_lifecycle(days: float, name: str = "logs-lifecycle") -> Res:
    return res(
        LIFECYCLE,
        name,
        deps={"bucket": [urn(BUCKET, "logs")]},
        bucket=BUCKET_NAME,
        rules=[{"id": "expire-logs", "status": "Enabled", "expiration": {"days": days}}],
    )


def replication(*rules: dict[str, Any], name: str = "logs-replication") -> Res:
    return res(
        REPLICATION,
        name,
        deps={"bucket": [urn(BUCKET, "logs")], "rules": [urn(BUCKET, "replica")]},
        bucket=BUCKET_NAME,
        role=REPLICATION_ROLE_ARN,
        rules=list(rules or (replication_rule(),)),
    )


def replica_bucket(region: str = REPLICA_REGION) -> list[Res]:
    """The replica bucket the program creates in another Region, with its own KMS key."""
    bucket = res(
        BUCKET,
        "replica",
        protect=True,
        bucket=REPLICA_BUCKET_NAME,
        region=region,
        forceDestroy=False,
    )
    sse = {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": UNKNOWN}
    rules = [{"applyServerSideEncryptionByDefault": sse, "bucketKeyEnabled": True}]
    return [bucket, companion(SSE, "replica-sse", bucket, region=region, rules=rules)]


def replicated_stack(source_region: str | None = REGION) -> list[Res]:
    """log_bucket_stack (log bucket in `source_region`) replicated to the replica bucket."""
    stack = log_bucket_stack()
    if source_region is not None:
        stack = with_props(stack, "logs", region=source_region)
    return [*stack, *replica_bucket(), replication()]


class CompanionCases:
    """The cases of a rule that requires of every bucket a companion resource (`companion`, its
    name in log_bucket_stack): the log bucket stack passes; without the companion the rule reports
    the bucket, naming each of `missing`; when the companion's bucket is unknown and unlinked, it
    reports the bucket undecided, naming each of `unlinked`. A rule's test module subclasses it
    (`TestCompanion`) naming the rule module and those."""

    rule: ModuleType
    companion: str
    missing: tuple[str, ...] = ()
    unlinked: tuple[str, ...] = ()

    def test_the_log_bucket_stack_passes(self) -> None:
        assert stack_findings(self.rule, log_bucket_stack()) == []

    def test_a_bucket_without_it_is_caught(self) -> None:
        found = stack_findings(self.rule, without(log_bucket_stack(), self.companion))
        assert found.decided and found.urns == [LOGS]
        assert all(text in found[0][0] for text in self.missing)

    def test_a_companion_of_an_unknown_bucket_is_undecided(self) -> None:
        stack = companion_bucket_unknown(log_bucket_stack(), self.companion)
        found = stack_findings(self.rule, stack)
        assert found.undecided and found.urns == [LOGS]
        assert all(text in found[0][0] for text in self.unlinked)


class RequiredCases:
    """The cases of a rule whose `required` config asks every CloudTrail log bucket for a `what`
    (the pack's `stack.report_required`): a second log bucket beside the compliant `stack()` is
    caught, and a bucket that may be a log bucket is undecided, naming the missing `what`. A rule's
    test module subclasses it (`TestRequired`)."""

    rule: ModuleType
    what: str

    def stack(self) -> list[Res]:
        raise NotImplementedError

    def test_a_log_bucket_after_a_compliant_one_must_comply_too(self) -> None:
        second = res(BUCKET, "second", bucket="second", policy=document(acl_check("second")))
        found = stack_findings(self.rule, [*self.stack(), second], required=True)
        assert found.decided and found.urns == [urn(BUCKET, "second")]

    def test_a_bucket_that_may_be_a_log_bucket_is_undecided_when_required(self) -> None:
        found = stack_findings(self.rule, maybe_log_bucket_stack(), required=True)
        assert found.undecided and found.urns == [LOGS]
        assert "Bucket 'logs'" in found[0][0] and f"no {self.what}" in found[0][0]
