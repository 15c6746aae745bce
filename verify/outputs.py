"""The stack outputs `verify` reads, named through the program's one declaration of them.

Every output is looked up in `cloudtrail_logging.outputs.OUTPUTS`, which the program exports
exactly (a test keeps both in agreement): `FIELDS` maps each `StackOutputs` field to the output
it holds, and reading a name the program does not declare fails at import.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Final

from cloudtrail_logging.outputs import OUTPUTS, Output

LOG_ARCHIVE = "log-archive"


class VerifyError(Exception):
    """A condition that stops verification; its message is one line for the user."""


@dataclass(frozen=True)
class StackOutputs:
    """The outputs `verify` reads; optional ones default to "not deployed by this stack"."""

    role: str
    account_id: str
    region: str
    partition: str
    trail_name: str
    log_bucket_name: str
    log_archive_account_id: str
    trail_arn: str = ""
    s3_key_prefix: str = ""
    kms_key_arn: str = ""
    log_group_name: str = ""
    log_retention_days: int | None = None
    alarm_names: tuple[str, ...] = ()
    alarm_topic_arn: str = ""
    alarm_queue_url: str = ""
    topic_arns: tuple[str, ...] = ()
    member_accounts: tuple[str, ...] = ()
    encryption: str = ""
    organization_id: str = ""
    access_log_bucket_name: str = ""
    object_lock_mode: str = ""
    object_lock_retention_days: int = 0
    replica_bucket_name: str = ""
    existing_trail_arn: str = ""
    existing_archive_bucket_name: str = ""

    @property
    def is_log_archive(self) -> bool:
        return self.role == LOG_ARCHIVE

    @property
    def trail_id(self) -> str:
        # GetTrailStatus wants the ARN for a trail seen from outside its home region.
        return self.trail_arn or self.trail_name


_DECLARED: Final[dict[str, Output]] = {output.name: output for output in OUTPUTS}


def _declared(field_name: str, output_name: str) -> Output:
    if output_name not in _DECLARED:
        raise LookupError(f"StackOutputs.{field_name} reads '{output_name}', which "
                          "cloudtrail_logging/outputs.py does not declare")
    return _DECLARED[output_name]


FIELDS: Final[dict[str, Output]] = {
    name: _declared(name, output)
    for name, output in {
        "role": "role",
        "account_id": "accountId",
        "region": "region",
        "partition": "partition",
        "trail_name": "trailName",
        "log_bucket_name": "logBucketName",
        "log_archive_account_id": "logArchiveAccountId",
        "trail_arn": "trailArn",
        "s3_key_prefix": "s3KeyPrefix",
        "kms_key_arn": "kmsKeyArn",
        "log_group_name": "logGroupName",
        "log_retention_days": "logRetentionDays",
        "alarm_names": "alarmNames",
        "alarm_topic_arn": "alarmTopicArn",
        "alarm_queue_url": "alarmQueueUrl",
        "topic_arns": "topicArns",
        "member_accounts": "memberAccounts",
        "encryption": "encryption",
        "organization_id": "organizationId",
        "access_log_bucket_name": "accessLogBucketName",
        "object_lock_mode": "objectLockMode",
        "object_lock_retention_days": "objectLockRetentionDays",
        "replica_bucket_name": "replicaBucketName",
        "existing_trail_arn": "existingTrailArn",
        "existing_archive_bucket_name": "existingArchiveBucketName",
    }.items()
}
"""StackOutputs field -> the declared output it holds."""

_REQUIRED = ("role", "account_id", "region", "partition", "trail_name", "log_bucket_name",
             "log_archive_account_id")


def read_outputs() -> frozenset[str]:
    """The name of every output `verify` reads."""
    return frozenset(output.name for output in FIELDS.values())


def _text(data: Mapping[str, Any], name: str, required: bool = False) -> str:
    if name not in data or data[name] is None:
        if required:
            raise VerifyError(f"stack output '{name}' is missing")
        return ""
    value = data[name]
    if not isinstance(value, str):
        raise VerifyError(f"stack output '{name}' must be a string, got {value!r}")
    return value


def _names(data: Mapping[str, Any], name: str, required: bool = False) -> tuple[str, ...]:
    if name not in data or data[name] is None:
        if required:
            raise VerifyError(f"stack output '{name}' is missing")
        return ()
    value = data[name]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise VerifyError(f"stack output '{name}' must be a list of strings, got {value!r}")
    return tuple(value)


def _whole(data: Mapping[str, Any], name: str) -> int | None:
    """An optional whole-number output (None when absent)."""
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise VerifyError(f"stack output '{name}' must be an integer, got {value!r}")
    return int(value)


def parse_outputs(data: Mapping[str, Any]) -> StackOutputs:
    """Validate a `pulumi stack output --json` document; errors name the output."""
    for field_name in _REQUIRED:
        _text(data, FIELDS[field_name].name, required=True)
    role = _text(data, FIELDS["role"].name)
    if role not in (LOG_ARCHIVE, "member"):
        raise VerifyError(f"stack output 'role' must be 'log-archive' or 'member', got {role!r}")
    values: dict[str, Any] = {}
    for item in fields(StackOutputs):
        output = FIELDS[item.name]
        if output.type == "array":
            required = item.name == "member_accounts" and role == LOG_ARCHIVE
            values[item.name] = _names(data, output.name, required=required)
        elif output.type == "integer":
            values[item.name] = _whole(data, output.name)
        else:
            values[item.name] = _text(data, output.name)
    retention = FIELDS["log_retention_days"].name
    if values["log_group_name"] and values["log_retention_days"] is None:
        raise VerifyError(f"stack output '{retention}' is missing")
    values["object_lock_retention_days"] = values["object_lock_retention_days"] or 0
    return StackOutputs(**values)


def load_outputs(stack: str, outputs_file: Path | None = None) -> dict[str, Any]:
    """The stack's outputs from FILE, or from the Pulumi CLI."""
    if outputs_file is not None:
        try:
            raw = outputs_file.read_text()
        except OSError as error:
            raise VerifyError(
                f"cannot read outputs file {outputs_file}: {error.strerror or error}"
            ) from None
        source = f"outputs file {outputs_file}"
    else:
        pulumi = shutil.which("pulumi")
        if pulumi is None:
            raise VerifyError(
                "the pulumi CLI is not installed (not on PATH); install it or pass "
                "--outputs FILE (the output of `pulumi stack output --json --show-secrets`)"
            )
        command = [pulumi, "stack", "output", "--json", "--show-secrets", "--stack", stack]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            reason = lines[-1].strip() if lines else f"exit status {done.returncode}"
            raise VerifyError(f"`pulumi stack output --stack {stack}` failed: {reason}")
        raw = done.stdout
        source = f"`pulumi stack output --stack {stack}`"
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise VerifyError(f"{source} is not JSON: {error}") from None
    if not isinstance(data, dict):
        raise VerifyError(f"{source} is not a JSON object of stack outputs")
    return data
