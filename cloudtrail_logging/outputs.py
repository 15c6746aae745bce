"""The stack-outputs contract, declared once, and a member's view of the log archive.

A log-archive stack exports what its members read (through the engine's stack-reference read)
and what `verify` checks after `pulumi up`; a member stack exports what `verify` checks. The
program exports exactly `OUTPUTS` for its role (a test keeps them in agreement), and
`destination_from_outputs` validates what a member reads, so a wrong or stale log archive stops
the run before anything is registered.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from cloudtrail_logging.aws import names as aws_names
from cloudtrail_logging.aws import patterns
from cloudtrail_logging.schema import NAMESPACE, ROLES, Role
from cloudtrail_logging.settings import ArchiveSettings, ConfigError, MemberSettings


@dataclass(frozen=True)
class Output:
    """One stack output: its roles, JSON type and meaning; `pattern` for read-back checks."""

    name: str
    roles: tuple[Role, ...]
    type: str
    description: str
    pattern: str | None = None


_A: tuple[Role, ...] = ("log-archive",)
OUTPUTS: Final[tuple[Output, ...]] = (
    Output("role", ROLES, "string", "`log-archive` or `member`"),
    Output("accountId", ROLES, "string", "this stack's account", patterns.ACCOUNT_ID),
    Output("region", ROLES, "string", "this stack's home region"),
    Output("partition", ROLES, "string", "`aws`, `aws-cn` or `aws-us-gov`"),
    Output("trailName", ROLES, "string", "the trail every account uses"),
    Output("trailArn", ROLES, "string", "this stack's trail, in its home region (`\"\"`: none, "
           "`existingTrailArn` records the account)"),
    Output("logBucketName", ROLES, "string", "the bucket the trail delivers to"),
    Output("logArchiveAccountId", ROLES, "string", "the account of that bucket",
           patterns.ACCOUNT_ID),
    Output("s3KeyPrefix", ROLES, "string", "key prefix in front of `AWSLogs/` (`\"\"`: none)"),
    Output("kmsKeyArn", ROLES, "string", "the log key (`\"\"`: SSE-S3)"),
    Output("logGroupName", ROLES, "string", "the trail's CloudWatch Logs group (`\"\"`: none)"),
    Output("logRetentionDays", ROLES, "integer", "its retention"),
    Output("alarmNames", ROLES, "array", "the CloudWatch alarms"),
    Output("alarmTopicArn", ROLES, "string", "the alarms' SNS topic"),
    Output("alarmQueueUrl", ROLES, "string", "the SQS queue subscribed to it"),
    Output("topicArns", ROLES, "array", "every SNS topic of the stack"),
    Output("existingTrailArn", ROLES, "string", "the existing organization trail that records "
           "this account's management events (`\"\"`: none)"),
    Output("memberAccounts", _A, "array", "accounts whose trails may deliver"),
    Output("encryption", _A, "string", "`sse-kms` or `sse-s3`"),
    Output("organizationId", _A, "string", "the organization (`\"\"`: none)"),
    Output("managementAccountId", _A, "string", "its management account (`\"\"`: none)"),
    Output("eventBusArn", _A, "string", "the central event bus (`\"\"`: none)"),
    Output("accessLogBucketName", _A, "string", "the log bucket's access-log bucket "
           "(`\"\"`: none)"),
    Output("objectLockMode", _A, "string", "the log bucket's default retention mode "
           "(`\"\"`: no Object Lock)"),
    Output("objectLockRetentionDays", _A, "integer", "its retention (0: none)"),
    Output("replicaBucketName", _A, "string", "the replica of the log bucket (`\"\"`: none)"),
    Output("replicaRegion", _A, "string", "its Region"),
    Output("replicaAccountId", _A, "string", "its account"),
    Output("replicationRoleArn", _A, "string", "the role S3 replicates with"),
    Output("replicaKmsKeyArn", _A, "string", "the replica's KMS key (`\"\"`: none, or SSE-S3)"),
    Output("replicaBucketPolicy", _A, "string", "for a replica in another account: the bucket "
           "policy that account applies (JSON; `\"\"` otherwise)"),
    Output("replicaKeyPolicyStatements", _A, "string", "for a replica in another account: the "
           "statements its key policy adds (JSON; `\"\"` otherwise)"),
    Output("archiveAdministrators", _A, "array", "the principals that alone may reconfigure the "
           "archive and administer its keys"),
    Output("logReaders", _A, "array", "the principals that alone may read (and decrypt) logs"),
    Output("namePrefix", _A, "string", "the prefix of the archive's resource names"),
    Output("existingArchiveBucketName", _A, "string", "the existing archive bucket the trail "
           "records data events on, never modifies (`\"\"`: none)"),
)  # fmt: skip


def outputs_of(role: Role) -> tuple[str, ...]:
    return tuple(o.name for o in OUTPUTS if role in o.roles)


@dataclass(frozen=True)
class Destination:
    """The central log bucket (and key, bus) a trail delivers to."""

    bucket_name: str
    account_id: str
    trail_name: str
    key_prefix: str | None
    kms_key_arn: str | None
    organization_id: str | None = None
    management_account_id: str | None = None
    event_bus_arn: str | None = None
    archive: ArchiveView | None = None
    """What the organization's guardrail policy protects (read from the archive's outputs)."""


@dataclass(frozen=True)
class ArchiveView:
    """The log archive as the management account's guardrail policy names it."""

    account_id: str
    name_prefix: str
    bucket_names: tuple[str, ...]
    """The archive's own buckets: the log bucket, its access-log bucket, a replica in its
    account."""
    foreign_bucket_names: tuple[str, ...]
    """A replica in another account (whose configuration is that account's)."""
    kms_key_arns: tuple[str, ...]
    administrator_arns: tuple[str, ...]
    reader_arns: tuple[str, ...]
    replication_role_arn: str | None = None


def local_destination(settings: ArchiveSettings) -> Destination:
    """A log-archive stack delivers into its own bucket."""
    return Destination(
        bucket_name=settings.log_bucket_name,
        account_id=settings.account_id,
        trail_name=settings.trail_name,
        key_prefix=settings.s3_key_prefix,
        kms_key_arn=None,  # the stack's own key, wired by the program
        organization_id=settings.organization_id,
        management_account_id=settings.management_account_id,
    )


def explicit_destination(settings: MemberSettings) -> Destination:
    """A member given the archive by `central*` keys."""
    central = settings.central
    assert central.bucket_name and central.account_id
    return Destination(
        bucket_name=central.bucket_name,
        account_id=central.account_id,
        trail_name=settings.trail_name,
        key_prefix=None,
        kms_key_arn=central.kms_key_arn,
        event_bus_arn=central.event_bus_arn,
    )


def _checked(
    outputs: Mapping[str, Any],
    name: str,
    pattern: str | None,
    problems: list[str],
    where: str,
    *,
    optional: bool = False,
) -> str | None:
    value = outputs.get(name)
    if optional and value in (None, ""):
        return None
    if not isinstance(value, str) or (pattern is not None and not re.fullmatch(pattern, value)):
        shown = "no such output" if value is None else f"got {json.dumps(value)}"
        problems.append(f"{where}: output {name}: expected {_FORMS[name]} ({shown})")
        return None
    return value


_FORMS = {
    "logBucketName": "an S3 bucket name",
    "logArchiveAccountId": "a 12-digit account id",
    "trailName": "a CloudTrail trail name",
    "kmsKeyArn": 'a KMS key ARN or ""',
    "replicaKmsKeyArn": 'a KMS key ARN or ""',
    "eventBusArn": 'an EventBridge bus ARN or ""',
    "organizationId": 'an organization id or ""',
    "managementAccountId": 'a 12-digit account id or ""',
    "s3KeyPrefix": 'an S3 key prefix or ""',
}


def destination_from_outputs(
    stack: str, outputs: Mapping[str, Any] | None, settings: MemberSettings
) -> Destination:
    """Validate a log-archive stack's outputs for this member, or raise ConfigError."""
    where = f"{NAMESPACE}:centralStack ({stack})"
    if not outputs:
        raise ConfigError(
            [
                f"{where}: expected a deployed log-archive stack with outputs; "
                "run `pulumi up` on it first"
            ]
        )
    role = outputs.get("role")
    if role is not None and role != "log-archive":
        raise ConfigError([f"{where}: expected a log-archive stack; {stack} is a {role} stack"])
    problems: list[str] = []
    bucket = _checked(outputs, "logBucketName", None, problems, where)
    if bucket is not None and aws_names.check_name("s3-bucket", bucket) is not None:
        problems.append(
            f"{where}: output logBucketName: expected an S3 bucket name (got {json.dumps(bucket)})"
        )
    account = _checked(outputs, "logArchiveAccountId", patterns.ACCOUNT_ID, problems, where)
    trail = _checked(outputs, "trailName", None, problems, where)
    prefix = _checked(outputs, "s3KeyPrefix", patterns.KEY_PREFIX, problems, where, optional=True)
    kms = _checked(outputs, "kmsKeyArn", patterns.KMS_KEY_ARN, problems, where, optional=True)
    bus = _checked(outputs, "eventBusArn", patterns.EVENT_BUS_ARN, problems, where, optional=True)
    organization = _checked(
        outputs, "organizationId", patterns.ORGANIZATION_ID, problems, where, optional=True
    )
    management = _checked(
        outputs, "managementAccountId", patterns.ACCOUNT_ID, problems, where, optional=True
    )
    members = outputs.get("memberAccounts")
    admitted = [*(members if isinstance(members, list) else []), management]
    if settings.account_id not in admitted:
        problems.append(
            f"{where}: output memberAccounts: expected a list including this account "
            f"{settings.account_id}; add it to the log-archive stack's memberAccounts and update "
            "that stack first"
        )
    if trail is not None and trail != settings.trail_name:
        problems.append(
            f"{NAMESPACE}:trailName: expected {json.dumps(trail)}, the name the log archive "
            f"admits (got {json.dumps(settings.trail_name)})"
        )
    if settings.organization_trail and (organization is None or management != settings.account_id):
        problems.append(
            f"{NAMESPACE}:organizationTrail: expected only in the management account that the "
            f"log-archive stack names (managementAccountId {json.dumps(management)}, this account "
            f"{settings.account_id})"
        )
    archive = _archive_view(outputs, bucket, account, kms, problems, where)
    if problems or bucket is None or account is None or trail is None:
        raise ConfigError(problems)
    return Destination(
        bucket_name=bucket,
        account_id=account,
        trail_name=trail,
        key_prefix=prefix,
        kms_key_arn=kms,
        organization_id=organization,
        management_account_id=management,
        event_bus_arn=bus,
        archive=archive,
    )


def _replica_key(outputs: Mapping[str, Any], problems: list[str], where: str) -> str | None:
    return _checked(outputs, "replicaKmsKeyArn", patterns.KMS_KEY_ARN, problems, where,
                    optional=True)  # fmt: skip


def _arn_list(
    outputs: Mapping[str, Any], name: str, pattern: str, problems: list[str], where: str
) -> tuple[str, ...]:
    value = outputs.get(name, [])
    if not isinstance(value, list) or not all(
        isinstance(v, str) and re.fullmatch(pattern, v) for v in value
    ):
        problems.append(f"{where}: output {name}: expected a list of IAM ARNs (got "
                        f"{json.dumps(value)})")  # fmt: skip
        return ()
    return tuple(value)


def _archive_view(
    outputs: Mapping[str, Any],
    bucket: str | None,
    account: str | None,
    kms: str | None,
    problems: list[str],
    where: str,
) -> ArchiveView | None:
    """The archive's buckets, keys and principals; None from an archive that predates them."""
    prefix = outputs.get("namePrefix")
    if "archiveAdministrators" not in outputs or bucket is None or account is None:
        return None
    if not isinstance(prefix, str) or not re.fullmatch(patterns.NAME_PREFIX, prefix):
        shown = "no such output" if prefix is None else f"got {json.dumps(prefix)}"
        problems.append(f"{where}: output namePrefix: expected a name prefix ({shown})")
        return None
    names, foreign = [bucket], list[str]()
    access, replica = outputs.get("accessLogBucketName"), outputs.get("replicaBucketName")
    if isinstance(access, str) and access:
        names.append(access)
    if isinstance(replica, str) and replica:
        mine = outputs.get("replicaAccountId") in (None, "", account)
        (names if mine else foreign).append(replica)
    role = outputs.get("replicationRoleArn")
    return ArchiveView(
        account_id=account,
        name_prefix=prefix,
        bucket_names=tuple(names),
        foreign_bucket_names=tuple(foreign),
        kms_key_arns=tuple(k for k in (kms, _replica_key(outputs, problems, where)) if k),
        administrator_arns=_arn_list(
            outputs, "archiveAdministrators", patterns.ADMINISTRATOR_ARN, problems, where
        ),
        reader_arns=_arn_list(outputs, "logReaders", patterns.ROLE_ARN, problems, where),
        replication_role_arn=role if isinstance(role, str) and role else None,
    )


def markdown_table() -> str:
    """The README's stack-outputs table."""
    lines = ["| output | stacks | meaning |", "|---|---|---|"]
    for output in OUTPUTS:
        stacks = "all" if output.roles == ROLES else ", ".join(output.roles)
        lines.append(f"| `{output.name}` | {stacks} | {output.description} |")
    return "\n".join(lines) + "\n"
