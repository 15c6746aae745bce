"""The checks of a deployed stack against what it declares (`python -m verify STACK`).

Given the stack's outputs (verify/outputs.py), they ask AWS, with boto3's standard credential
chain, whether the trail logs and delivers, whether the bucket, keys, log group, alarms and topics
are as declared, whether every account of a log archive still delivers, and (with `--probe`)
whether an alarm reaches the alarm queue.
boto3 honours `AWS_ENDPOINT_URL` (and `AWS_ENDPOINT_URL_<SERVICE>`) itself ("Service-specific
endpoints", AWS SDKs and Tools Reference Guide,
https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), so an emulator needs
no flag here.

Check functions are `check_*(clients, outputs, ...) -> list[Result]`; they call AWS only through
`clients` and handle the "not found" answers they expect. `verify` runs them and turns an
access-denied or rejected-credentials answer into a `VerifyError` naming the API call.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from verify.outputs import StackOutputs, VerifyError

Status = Literal["PASS", "FAIL", "WARN", "SKIP"]

# Error codes that mean "these credentials may not do this" rather than "the resource is wrong".
ACCESS_DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "AuthorizationError",  # SNS
        "AuthorizationErrorException",
        "UnauthorizedOperation",
        "UnauthorizedAccess",
    }
)
REJECTED_CREDENTIAL_CODES = frozenset(
    {
        "InvalidClientTokenId",
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "InvalidSignatureException",
        "UnrecognizedClientException",
        "ExpiredToken",
        "ExpiredTokenException",
    }
)

# CloudTrail log file names carry their delivery time: AccountID_CloudTrail_RegionName_
# YYYYMMDDTHHmmZ_UniqueString.json.gz ("CloudTrail log file examples", CloudTrail user guide,
# https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html).
LOG_FILE_TIME = re.compile(r"_CloudTrail_[a-z0-9-]+_(\d{8}T\d{4}Z)_")

# SQS long polling waits at most 20 s per ReceiveMessage ("ReceiveMessage", SQS API reference,
# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html).
MAX_WAIT_SECONDS = 20
# DescribeAlarms accepts at most 100 names per call ("DescribeAlarms", CloudWatch API reference).
ALARM_NAMES_PER_CALL = 100


@dataclass(frozen=True)
class Result:
    """One row of the report."""

    check: str
    resource: str
    status: Status
    detail: str


@dataclass(frozen=True)
class Options:
    silent_hours: float = 24.0
    probe: bool = False
    probe_timeout: float = 120.0
    now: datetime | None = None  # tests pin the clock; None means "now" in UTC


# --------------------------------------------------------------------------- AWS clients


class Clients:
    """boto3 clients per (service, region), created on first use and then reused.

    Tests reach the cached client (`clients("s3")`) to attach a botocore Stubber.
    """

    def __init__(self, session: Any, region: str) -> None:
        self.session = session
        self.region = region
        self._cache: dict[tuple[str, str], Any] = {}

    def __call__(self, service: str, region: str | None = None) -> Any:
        key = (service, region or self.region)
        if key not in self._cache:
            self._cache[key] = self.session.client(service, region_name=key[1])
        return self._cache[key]

    def api_call(self, operation: str) -> str:
        """`service:Operation` for an operation name seen in a ClientError."""
        for (service, _region), client in self._cache.items():
            if operation in client.meta.service_model.operation_names:
                return f"{service}:{operation}"
        return operation


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _unless_missing(missing: str, call: Callable[..., Any], **kwargs: Any) -> Any:
    """The response of `call(**kwargs)`, or None when AWS answers `missing` (no such thing)."""
    try:
        return call(**kwargs)
    except ClientError as error:
        if _code(error) != missing:
            raise
        return None


# What S3 answers for a bucket without the configuration, by the client method that reads it.
_NOT_CONFIGURED = {
    "get_public_access_block": "NoSuchPublicAccessBlockConfiguration",
    "get_bucket_ownership_controls": "OwnershipControlsNotFoundError",
    "get_bucket_policy": "NoSuchBucketPolicy",
    "get_object_lock_configuration": "ObjectLockConfigurationNotFoundError",
    "get_bucket_replication": "ReplicationConfigurationNotFoundError",
}


def _bucket_configuration(s3: Any, read: str, bucket: str) -> Any:
    """What `s3.<read>` answers for `bucket`, or None when the bucket has none configured."""
    return _unless_missing(_NOT_CONFIGURED[read], getattr(s3, read), Bucket=bucket)


def _message(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Message", "")) or _code(error)


def _arn_field(arn: str, index: int) -> str:
    parts = arn.split(":", 5)
    return parts[index] if len(parts) > index else ""


def one_line(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- checks


def check_identity(clients: Clients, outputs: StackOutputs) -> list[Result]:
    """The credentials belong to the stack's account (else every other check misleads)."""
    account = clients("sts").get_caller_identity()["Account"]
    if account == outputs.account_id:
        return [Result("identity", account, "PASS", "credentials are for the stack's account")]
    return [Result("identity", account, "FAIL",
                   f"credentials are for account {account}, the stack is in {outputs.account_id}")]


def _age_text(age: timedelta) -> str:
    hours = age.total_seconds() / 3600
    return f"{hours:.1f} h" if hours >= 1 else f"{max(age.total_seconds(), 0) / 60:.0f} min"


def _same_key(clients: Clients, configured: str, expected_arn: str) -> bool:
    """Whether a key reference (ARN, id, alias) names the key `expected_arn`."""
    if not configured or not expected_arn:
        return configured == expected_arn
    if configured in (expected_arn, expected_arn.rsplit("/", 1)[-1]):
        return True
    region = _arn_field(configured, 3) or None
    try:
        found = clients("kms", region).describe_key(KeyId=configured)["KeyMetadata"]["Arn"]
    except ClientError as error:
        if _code(error) in ("NotFoundException", "InvalidArnException"):
            return False
        raise
    return bool(found == expected_arn)


def check_trail(
    clients: Clients, outputs: StackOutputs, now: datetime, max_silence: timedelta
) -> list[Result]:
    """Logging on, no delivery errors, a recent delivery, settings as declared."""
    cloudtrail = clients("cloudtrail")
    name = outputs.trail_name
    try:
        trail = cloudtrail.get_trail(Name=outputs.trail_id)["Trail"]
    except ClientError as error:
        if _code(error) == "TrailNotFoundException":
            return [Result("trail", name, "FAIL", f"not found in {outputs.region}")]
        raise
    status = cloudtrail.get_trail_status(Name=outputs.trail_id)
    results = []
    if status.get("IsLogging"):
        results.append(Result("trail logging", name, "PASS", "logging is on"))
    else:
        stopped = status.get("StopLoggingTime")
        when = f" since {stopped:%Y-%m-%dT%H:%MZ}" if isinstance(stopped, datetime) else ""
        results.append(Result("trail logging", name, "FAIL", f"logging is off{when}"))

    # "GetTrailStatus", CloudTrail API reference: each Latest*Error holds the last S3, SNS or
    # CloudWatch Logs error CloudTrail met while delivering.
    errors = [
        f"{field_name}: {status[field_name]}"
        for field_name in (
            "LatestDeliveryError",
            "LatestDigestDeliveryError",
            "LatestCloudWatchLogsDeliveryError",
            "LatestNotificationError",
        )
        if status.get(field_name)
    ]
    if errors:
        results.append(Result("trail delivery errors", name, "FAIL", "; ".join(errors)))
    else:
        results.append(Result("trail delivery errors", name, "PASS", "none reported"))

    delivered = status.get("LatestDeliveryTime")
    if not isinstance(delivered, datetime):
        results.append(Result("trail last delivery", name, "FAIL", "no log file delivered yet"))
    else:
        age = now - delivered
        text = f"{delivered:%Y-%m-%dT%H:%MZ} ({_age_text(age)} ago)"
        state: Status = "PASS" if age <= max_silence else "FAIL"
        results.append(Result("trail last delivery", name, state, text))

    results.append(_trail_settings(clients, outputs, trail))
    return results


def _trail_settings(clients: Clients, outputs: StackOutputs, trail: Mapping[str, Any]) -> Result:
    problems = []
    if not trail.get("IsMultiRegionTrail"):
        problems.append("not multi-region")
    if not trail.get("LogFileValidationEnabled"):
        problems.append("log file validation off")
    if trail.get("HomeRegion", outputs.region) != outputs.region:
        problems.append(f"home region {trail.get('HomeRegion')} (declared {outputs.region})")
    if trail.get("S3BucketName") != outputs.log_bucket_name:
        problems.append(f"bucket {trail.get('S3BucketName')!r} (declared "
                        f"{outputs.log_bucket_name!r})")
    if (trail.get("S3KeyPrefix") or "") != outputs.s3_key_prefix:
        problems.append(f"prefix {trail.get('S3KeyPrefix') or ''!r} (declared "
                        f"{outputs.s3_key_prefix!r})")
    key = trail.get("KmsKeyId") or ""
    if not _same_key(clients, key, outputs.kms_key_arn):
        problems.append(f"KMS key {key or 'none'} (declared {outputs.kms_key_arn or 'none'})")
    if outputs.log_group_name:
        group_arn = trail.get("CloudWatchLogsLogGroupArn") or ""
        group = group_arn.split(":log-group:", 1)[-1].removesuffix(":*") if group_arn else ""
        if group != outputs.log_group_name:
            problems.append(f"CloudWatch Logs group {group or 'none'} (declared "
                            f"{outputs.log_group_name})")
    if problems:
        return Result("trail settings", outputs.trail_name, "FAIL", "; ".join(problems))
    return Result("trail settings", outputs.trail_name, "PASS",
                  "multi-region, log file validation, bucket, prefix and key as declared")


def check_bucket(clients: Clients, outputs: StackOutputs) -> list[Result]:
    """Encryption, versioning, Block Public Access, ownership and a TLS-only policy."""
    bucket = outputs.log_bucket_name
    if not outputs.is_log_archive and outputs.log_archive_account_id != outputs.account_id:
        return [Result("bucket", bucket, "SKIP",
                       f"owned by the log archive account {outputs.log_archive_account_id}; "
                       "verify the log-archive stack")]
    s3 = clients("s3")
    try:
        rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"][
            "Rules"]
    except ClientError as error:
        if _code(error) == "NoSuchBucket":
            return [Result("bucket", bucket, "FAIL", "not found")]
        if _code(error) != "ServerSideEncryptionConfigurationNotFoundError":
            raise
        rules = []
    return [
        _bucket_encryption(clients, outputs, rules),
        _bucket_versioning(s3, bucket),
        _bucket_public_access(s3, bucket),
        _bucket_ownership(s3, bucket),
        _bucket_tls_policy(s3, bucket),
    ]


def _bucket_encryption(
    clients: Clients, outputs: StackOutputs, rules: Sequence[Mapping[str, Any]]
) -> Result:
    bucket = outputs.log_bucket_name
    default = rules[0].get("ApplyServerSideEncryptionByDefault", {}) if rules else {}
    algorithm = default.get("SSEAlgorithm", "")
    key = default.get("KMSMasterKeyID", "")
    if outputs.kms_key_arn:
        if algorithm != "aws:kms":
            return Result("bucket encryption", bucket, "FAIL",
                          f"default encryption {algorithm or 'none'}, declared SSE-KMS")
        if not _same_key(clients, key, outputs.kms_key_arn):
            return Result("bucket encryption", bucket, "FAIL",
                          f"default key {key or 'aws/s3'}, declared {outputs.kms_key_arn}")
        bucket_key = "on" if rules[0].get("BucketKeyEnabled") else "off"
        return Result("bucket encryption", bucket, "PASS",
                      f"SSE-KMS with the log key, S3 Bucket Key {bucket_key}")
    if algorithm != "AES256":
        return Result("bucket encryption", bucket, "FAIL",
                      f"default encryption {algorithm or 'none'}, declared SSE-S3 (AES256)")
    return Result("bucket encryption", bucket, "PASS", "SSE-S3 (AES256)")


def _bucket_versioning(s3: Any, bucket: str) -> Result:
    state = s3.get_bucket_versioning(Bucket=bucket).get("Status", "never enabled")
    status: Status = "PASS" if state == "Enabled" else "FAIL"
    return Result("bucket versioning", bucket, status, f"versioning {state}")


# "Blocking public access to your Amazon S3 storage", S3 user guide: the four settings.
PUBLIC_ACCESS_SETTINGS = (
    "BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets",
)


def _bucket_public_access(s3: Any, bucket: str) -> Result:
    found = _bucket_configuration(s3, "get_public_access_block", bucket)
    if found is None:
        return Result("bucket public access block", bucket, "FAIL", "no Block Public Access")
    config = found["PublicAccessBlockConfiguration"]
    off = [name for name in PUBLIC_ACCESS_SETTINGS if not config.get(name)]
    if off:
        return Result("bucket public access block", bucket, "FAIL", "off: " + ", ".join(off))
    return Result("bucket public access block", bucket, "PASS", "all four settings on")


def _bucket_ownership(s3: Any, bucket: str) -> Result:
    found = _bucket_configuration(s3, "get_bucket_ownership_controls", bucket)
    rules = found["OwnershipControls"]["Rules"] if found is not None else []
    ownership = rules[0].get("ObjectOwnership", "none") if rules else "none"
    # "Controlling ownership of objects and disabling ACLs", S3 user guide.
    status: Status = "PASS" if ownership == "BucketOwnerEnforced" else "FAIL"
    return Result("bucket ownership", bucket, status, f"object ownership {ownership}")


def denies_insecure_transport(policy: Mapping[str, Any]) -> bool:
    """A Deny statement conditioned on `aws:SecureTransport` = false.

    The form AWS shows in "What S3 bucket policy should I use to comply with the AWS Config rule
    s3-bucket-ssl-requests-only?" (https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule).
    """
    statements = policy.get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    for statement in statements:
        if statement.get("Effect") != "Deny":
            continue
        for operator in ("Bool", "BoolIfExists"):
            values = statement.get("Condition", {}).get(operator, {})
            value = next((v for k, v in values.items() if k.lower() == "aws:securetransport"),
                         None)
            candidates = value if isinstance(value, list) else [value]
            if any(str(v).lower() == "false" for v in candidates if v is not None):
                return True
    return False


def _bucket_tls_policy(s3: Any, bucket: str) -> Result:
    found = _bucket_configuration(s3, "get_bucket_policy", bucket)
    if found is None:
        return Result("bucket policy", bucket, "FAIL", "no bucket policy")
    if denies_insecure_transport(json.loads(found["Policy"])):
        return Result("bucket policy", bucket, "PASS", "denies requests without TLS")
    return Result("bucket policy", bucket, "FAIL",
                  "no statement denies aws:SecureTransport = false")


def check_integrity(clients: Clients, outputs: StackOutputs) -> list[Result]:
    """Access logging, Object Lock and replication of the log bucket, as the stack declares."""
    if not outputs.is_log_archive:
        return []
    s3, bucket = clients("s3"), outputs.log_bucket_name
    results = []
    if outputs.access_log_bucket_name:
        target = s3.get_bucket_logging(Bucket=bucket).get("LoggingEnabled", {})
        found = target.get("TargetBucket", "")
        ok = found == outputs.access_log_bucket_name
        results.append(Result("bucket access logging", bucket, "PASS" if ok else "FAIL",
                              f"to {found}" if found else "server access logging off"))
    if outputs.object_lock_mode:
        results.append(_object_lock(s3, outputs))
    if outputs.replica_bucket_name:
        results.append(_replication(s3, outputs))
    return results


def _object_lock(s3: Any, outputs: StackOutputs) -> Result:
    bucket = outputs.log_bucket_name
    found = _bucket_configuration(s3, "get_object_lock_configuration", bucket)
    if found is None:
        return Result("bucket object lock", bucket, "FAIL", "no Object Lock")
    config = found["ObjectLockConfiguration"]
    retention = config.get("Rule", {}).get("DefaultRetention", {})
    found = (retention.get("Mode", ""), retention.get("Days", 0))
    declared = (outputs.object_lock_mode, outputs.object_lock_retention_days)
    if config.get("ObjectLockEnabled") != "Enabled" or found != declared:
        return Result("bucket object lock", bucket, "FAIL",
                      f"default retention {found[0] or 'none'} {found[1]} d, declared "
                      f"{declared[0]} {declared[1]} d")
    return Result("bucket object lock", bucket, "PASS", f"{found[0]} {found[1]} d")


def _replication(s3: Any, outputs: StackOutputs) -> Result:
    bucket = outputs.log_bucket_name
    found = _bucket_configuration(s3, "get_bucket_replication", bucket)
    if found is None:
        return Result("bucket replication", bucket, "FAIL", "no replication")
    rules = found["ReplicationConfiguration"]["Rules"]
    destination = f"arn:{outputs.partition}:s3:::{outputs.replica_bucket_name}"
    to_replica = [r for r in rules if r.get("Status") == "Enabled"
                  and r.get("Destination", {}).get("Bucket") == destination]
    if not to_replica:
        return Result("bucket replication", bucket, "FAIL",
                      f"no enabled rule to {outputs.replica_bucket_name}")
    if any(r.get("DeleteMarkerReplication", {}).get("Status") == "Enabled" for r in rules):
        return Result("bucket replication", bucket, "FAIL", "delete markers are replicated")
    return Result("bucket replication", bucket, "PASS",
                  f"to {outputs.replica_bucket_name}, no delete markers")


def check_log_key(clients: Clients, outputs: StackOutputs) -> list[Result]:
    """The log key is enabled and rotates."""
    arn = outputs.kms_key_arn
    if not arn:
        return []
    if _arn_field(arn, 4) != outputs.account_id:
        return [Result("log key", arn, "SKIP",
                       f"owned by account {_arn_field(arn, 4)}; verify the log-archive stack")]
    kms = clients("kms", _arn_field(arn, 3) or None)
    found = _unless_missing("NotFoundException", kms.describe_key, KeyId=arn)
    if found is None:
        return [Result("log key", arn, "FAIL", "not found")]
    metadata = found["KeyMetadata"]
    state = metadata.get("KeyState", "unknown")
    results = [Result("log key state", arn, "PASS" if state == "Enabled" else "FAIL",
                      f"key state {state}")]
    rotation = kms.get_key_rotation_status(KeyId=arn).get("KeyRotationEnabled")
    results.append(Result("log key rotation", arn, "PASS" if rotation else "FAIL",
                          "automatic rotation " + ("on" if rotation else "off")))
    return results


def check_log_group(clients: Clients, outputs: StackOutputs) -> list[Result]:
    """The CloudWatch Logs group exists with the declared retention."""
    name = outputs.log_group_name
    if not name:
        return []
    logs = clients("logs")
    group = None
    for page in logs.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=name):
        group = next((g for g in page.get("logGroups", []) if g.get("logGroupName") == name),
                     None)
        if group is not None:
            break
    if group is None:
        return [Result("log group", name, "FAIL", f"not found in {outputs.region}")]
    retention = group.get("retentionInDays")  # absent means "never expire"
    results = [Result(
        "log group retention", name,
        "PASS" if retention == outputs.log_retention_days else "FAIL",
        f"{f'{retention} days' if retention else 'never expire'} "
        f"(declared {outputs.log_retention_days} days)",
    )]
    return results


def check_alarms(clients: Clients, outputs: StackOutputs) -> list[Result]:
    """Each declared alarm exists, has actions enabled and notifies the alarm topic."""
    names = list(outputs.alarm_names)
    if not names:
        return []
    cloudwatch = clients("cloudwatch")
    found: dict[str, Mapping[str, Any]] = {}
    for start in range(0, len(names), ALARM_NAMES_PER_CALL):
        response = cloudwatch.describe_alarms(
            AlarmNames=names[start:start + ALARM_NAMES_PER_CALL],
            AlarmTypes=["MetricAlarm", "CompositeAlarm"],
        )
        for alarm in [*response.get("MetricAlarms", []), *response.get("CompositeAlarms", [])]:
            found[alarm["AlarmName"]] = alarm
    results = []
    for name in names:
        alarm = found.get(name)
        if alarm is None:
            results.append(Result("alarm", name, "FAIL", f"not found in {outputs.region}"))
            continue
        problems = []
        if not alarm.get("ActionsEnabled", False):
            problems.append("actions disabled")
        actions = alarm.get("AlarmActions", [])
        if outputs.alarm_topic_arn and outputs.alarm_topic_arn not in actions:
            problems.append(f"does not notify {outputs.alarm_topic_arn}")
        elif not actions:
            problems.append("no alarm action")
        if problems:
            results.append(Result("alarm", name, "FAIL", "; ".join(problems)))
        else:
            results.append(Result("alarm", name, "PASS",
                                  f"actions enabled, notifies {', '.join(actions)}"))
    return results


def check_topics(clients: Clients, outputs: StackOutputs) -> list[Result]:
    """Each topic exists, is encrypted with a customer managed key and has a subscriber."""
    results = []
    for arn in outputs.topic_arns:
        sns = clients("sns", _arn_field(arn, 3) or None)
        try:
            attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        except ClientError as error:
            if _code(error) != "NotFound":
                raise
            results.append(Result("topic", arn, "FAIL", "not found"))
            continue
        key = attributes.get("KmsMasterKeyId", "")
        if not key:
            results.append(Result("topic encryption", arn, "FAIL", "not encrypted"))
        elif key.endswith("alias/aws/sns"):
            # "Enable compatibility between event sources from AWS services and encrypted
            # topics", SNS developer guide (https://docs.aws.amazon.com/sns/latest/dg/
            # sns-key-management.html#compatibility-with-aws-services): AWS services that
            # publish need a customer managed key; the AWS managed key's policy can't admit them.
            results.append(Result("topic encryption", arn, "FAIL",
                                  "AWS managed key alias/aws/sns: AWS services cannot publish"))
        else:
            results.append(Result("topic encryption", arn, "PASS", f"encrypted with {key}"))
        results.append(_topic_subscription(sns, arn, attributes))
    return results


def _topic_subscription(sns: Any, arn: str, attributes: Mapping[str, str]) -> Result:
    confirmed = int(attributes.get("SubscriptionsConfirmed", "0") or 0)
    if confirmed > 0:
        return Result("topic subscription", arn, "PASS", f"{confirmed} confirmed")
    # SubscriptionsConfirmed is a periodically refreshed count; the listing is authoritative.
    pending = 0
    endpoints = []
    for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=arn):
        for subscription in page.get("Subscriptions", []):
            if subscription.get("SubscriptionArn") in ("PendingConfirmation", "Deleted"):
                pending += 1
            else:
                endpoints.append(f"{subscription.get('Protocol')}:{subscription.get('Endpoint')}")
    if endpoints:
        return Result("topic subscription", arn, "PASS", "confirmed: " + ", ".join(endpoints))
    detail = f"no confirmed subscription ({pending} pending)" if pending else "no subscription"
    return Result("topic subscription", arn, "FAIL", detail)


# --------------------------------------------------------------------------- log delivery


def log_prefixes(outputs: StackOutputs, account: str) -> list[str]:
    """Where an account's trail writes: `[prefix/]AWSLogs/[o-id/]<account>/CloudTrail/`.

    ("Finding your CloudTrail log files", CloudTrail user guide; organization trails add the
    organization id.)
    """
    base = f"{outputs.s3_key_prefix.strip('/')}/" if outputs.s3_key_prefix.strip("/") else ""
    prefixes = [f"{base}AWSLogs/{account}/CloudTrail/"]
    if outputs.organization_id:
        prefixes.append(f"{base}AWSLogs/{outputs.organization_id}/{account}/CloudTrail/")
    return prefixes


def _subprefixes(s3: Any, bucket: str, prefix: str) -> list[str]:
    found: list[str] = []
    paginator = s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix, Delimiter="/"):
        found.extend(p["Prefix"] for p in page.get("CommonPrefixes", []))
    return found


def delivery_time(key: str, last_modified: datetime) -> datetime:
    """A log file's delivery time: from its name when it follows CloudTrail's format."""
    match = LOG_FILE_TIME.search(key.rsplit("/", 1)[-1])
    if match:
        return datetime.strptime(match.group(1), "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
    return last_modified


def newest_log_files(s3: Any, bucket: str, prefix: str) -> dict[str, tuple[datetime, str]]:
    """Per region under `prefix`, the newest log file's delivery time and key.

    Keys are `<prefix><region>/YYYY/MM/DD/<file>`: list regions, then descend into the newest
    year, month and day with Delimiter listings, and list only that day's objects.
    """
    newest: dict[str, tuple[datetime, str]] = {}
    for region_prefix in _subprefixes(s3, bucket, prefix):
        region = region_prefix[len(prefix):].rstrip("/")
        day = region_prefix
        for _level in ("year", "month", "day"):
            children = _subprefixes(s3, bucket, day)
            if not children:
                break
            day = max(children)
        else:
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=day):
                for obj in page.get("Contents", []):
                    when = delivery_time(obj["Key"], obj["LastModified"])
                    if region not in newest or when > newest[region][0]:
                        newest[region] = (when, obj["Key"])
    return newest


def check_log_delivery(
    clients: Clients, outputs: StackOutputs, now: datetime, max_silence: timedelta
) -> list[Result]:
    """Log archive: every account (itself and members) delivered recently, per region."""
    if not outputs.is_log_archive:
        return []
    s3 = clients("s3")
    bucket = outputs.log_bucket_name
    accounts = list(dict.fromkeys([outputs.account_id, *outputs.member_accounts]))
    if outputs.existing_archive_bucket_name:  # the members deliver there, through its trail
        accounts = [outputs.account_id]
    hours = max_silence.total_seconds() / 3600
    results = []
    for account in accounts:
        newest: dict[str, tuple[datetime, str]] = {}
        prefixes = log_prefixes(outputs, account)
        for prefix in prefixes:
            try:
                found = newest_log_files(s3, bucket, prefix)
            except ClientError as error:
                if _code(error) != "NoSuchBucket":
                    raise
                return [Result("log delivery", bucket, "FAIL", "bucket not found")]
            for region, (when, key) in found.items():
                if region not in newest or when > newest[region][0]:
                    newest[region] = (when, key)
        if not newest:
            results.append(Result("log delivery", account, "FAIL",
                                  "no CloudTrail log files under " + " or ".join(prefixes)))
            continue
        for region, (when, key) in sorted(newest.items()):
            age = now - when
            if age <= max_silence:
                results.append(Result("log delivery", f"{account}/{region}", "PASS",
                                      f"newest log file {when:%Y-%m-%dT%H:%MZ} "
                                      f"({_age_text(age)} ago)"))
            else:
                results.append(Result("log delivery", f"{account}/{region}", "FAIL",
                                      f"silent for {_age_text(age)} (over {hours:g} h): newest "
                                      f"{key.rsplit('/', 1)[-1]}"))
    return results


# --------------------------------------------------------------------------- alarm probe


def _names_probe(body: str, alarm: str, token: str) -> bool:
    """Whether an SQS message body is the CloudWatch notification our probe caused.

    SNS wraps the alarm's JSON in its envelope's `Message`, unless raw message delivery is on.
    """
    try:
        document = json.loads(body)
        if isinstance(document, dict) and document.get("Type") == "Notification":
            document = json.loads(document.get("Message", ""))
    except (json.JSONDecodeError, TypeError):
        return False
    return (
        isinstance(document, dict)
        and document.get("AlarmName") == alarm
        and token in str(document.get("NewStateReason", ""))
    )


def probe_alarm_path(
    clients: Clients,
    outputs: StackOutputs,
    timeout: float = 120.0,
    clock: Callable[[], float] = time.monotonic,
) -> list[Result]:
    """Set one alarm to ALARM and wait for its notification on the alarm queue.

    SetAlarmState invokes the alarm's actions when the state changes ("SetAlarmState",
    CloudWatch API reference, https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/
    API_SetAlarmState.html), so this proves CloudWatch -> encrypted SNS -> SQS under the key
    policies. The message found is deleted, other messages are released, the alarm is set
    back to OK whatever happens.
    """
    queue = outputs.alarm_queue_url
    if not outputs.alarm_names or not queue:
        return [Result("alarm probe", queue or "-", "SKIP",
                       "the stack declares no alarm queue or no alarm")]
    cloudwatch = clients("cloudwatch")
    states = {
        a["AlarmName"]: a.get("StateValue")
        for a in cloudwatch.describe_alarms(
            AlarmNames=list(outputs.alarm_names[:ALARM_NAMES_PER_CALL])
        ).get("MetricAlarms", [])
    }
    # An alarm already in ALARM would not change state, so it would send nothing.
    alarm = next((n for n in outputs.alarm_names if states.get(n) not in (None, "ALARM")), None)
    if alarm is None:
        return [Result("alarm probe", queue, "FAIL",
                       "no declared alarm exists outside the ALARM state to probe with")]
    token = uuid.uuid4().hex
    sqs = clients("sqs")
    started = clock()
    deadline = started + timeout
    others: list[str] = []
    found_after: float | None = None
    cloudwatch.set_alarm_state(
        AlarmName=alarm, StateValue="ALARM",
        StateReason=f"cloudtrail-logging verify probe {token}",
    )
    try:
        while found_after is None:
            remaining = deadline - clock()
            response = sqs.receive_message(
                QueueUrl=queue,
                MaxNumberOfMessages=10,
                WaitTimeSeconds=max(0, min(MAX_WAIT_SECONDS, int(remaining))),
            )
            for message in response.get("Messages", []):
                if found_after is None and _names_probe(message.get("Body", ""), alarm, token):
                    found_after = clock() - started
                    sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
                else:
                    others.append(message["ReceiptHandle"])
            if clock() >= deadline:
                break
    finally:
        cloudwatch.set_alarm_state(AlarmName=alarm, StateValue="OK",
                                   StateReason="cloudtrail-logging verify probe done")
        for handle in others:
            # Hand messages that are not ours straight back to the queue's real consumers.
            try:
                sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=handle,
                                              VisibilityTimeout=0)
            except ClientError as error:
                # A handle expires once the message became visible again and was re-received.
                if _code(error) in ACCESS_DENIED_CODES:
                    raise
    if found_after is None:
        return [Result("alarm probe", alarm, "FAIL",
                       f"no notification on {queue} within {timeout:g} s")]
    return [Result("alarm probe", alarm, "PASS",
                   f"notification reached {queue} after {found_after:.1f} s")]


# ------------------------------------------------------------------- an existing landing zone
# A stack on top of Control Tower, Landing Zone Accelerator or an organization trail of its own:
# the organization trail it relies on (`existingTrailArn`) and the archive bucket it must not
# modify (`existingArchiveBucketName`), read only.


def check_existing_trail(
    clients: Clients, outputs: StackOutputs, now: datetime, max_silence: timedelta
) -> list[Result]:
    """The organization trail that records this account: logging, delivering recently, without
    delivery errors, multi-region, validated, an organization trail, and delivering into the
    existing archive bucket when the stack names one."""
    arn = outputs.existing_trail_arn
    if not arn:
        return []
    name = arn.rsplit("/", 1)[-1]
    seen = replace(outputs, trail_arn=arn, trail_name=name)
    status = [replace(r, check=f"existing {r.check}")
              for r in check_trail(clients, seen, now, max_silence)
              if r.check != "trail settings"]  # fmt: skip
    if any(r.check == "existing trail" for r in status):  # not found
        return status
    trail = clients("cloudtrail").get_trail(Name=arn)["Trail"]
    problems = [what for what, ok in (
        ("not multi-region", trail.get("IsMultiRegionTrail")),
        ("log file validation off", trail.get("LogFileValidationEnabled")),
        ("not an organization trail", trail.get("IsOrganizationTrail")),
    ) if not ok]  # fmt: skip
    bucket = outputs.existing_archive_bucket_name
    if bucket and trail.get("S3BucketName") != bucket:
        problems.append(f"bucket {trail.get('S3BucketName')!r} (declared {bucket!r})")
    detail = "; ".join(problems) or "multi-region, log file validation, an organization trail"
    return [*status, Result("existing trail settings", name, "FAIL" if problems else "PASS",
                            detail)]  # fmt: skip


def check_existing_bucket(clients: Clients, outputs: StackOutputs) -> list[Result]:
    """The existing archive bucket, read only: versioned, every public access blocked."""
    bucket = outputs.existing_archive_bucket_name
    if not bucket:
        return []
    s3 = clients("s3")
    return [replace(r, check=f"existing {r.check}")
            for r in (_bucket_versioning(s3, bucket), _bucket_public_access(s3, bucket))]


# --------------------------------------------------------------------------- running


def verify(
    clients: Clients, outputs: StackOutputs, options: Options | None = None
) -> list[Result]:
    """Run every check that applies to the stack's role; raises VerifyError on access denied."""
    options = options or Options()
    now = options.now or datetime.now(UTC)
    max_silence = timedelta(hours=options.silent_hours)
    # A member that an existing organization trail records has no trail of its own.
    own_trail = bool(outputs.trail_arn or not outputs.existing_trail_arn)
    checks: list[tuple[str, str, Callable[[], list[Result]]]] = [
        ("identity", outputs.account_id, lambda: check_identity(clients, outputs)),
        *([("trail", outputs.trail_name,
            lambda: check_trail(clients, outputs, now, max_silence))] if own_trail else []),
        ("existing trail", outputs.existing_trail_arn,
         lambda: check_existing_trail(clients, outputs, now, max_silence)),
        ("existing bucket", outputs.existing_archive_bucket_name,
         lambda: check_existing_bucket(clients, outputs)),
        ("bucket", outputs.log_bucket_name, lambda: check_bucket(clients, outputs)),
        ("bucket integrity", outputs.log_bucket_name,
         lambda: check_integrity(clients, outputs)),
        ("log key", outputs.kms_key_arn, lambda: check_log_key(clients, outputs)),
        ("log group", outputs.log_group_name, lambda: check_log_group(clients, outputs)),
        ("alarm", ", ".join(outputs.alarm_names), lambda: check_alarms(clients, outputs)),
        ("topic", ", ".join(outputs.topic_arns), lambda: check_topics(clients, outputs)),
        ("log delivery", outputs.log_bucket_name,
         lambda: check_log_delivery(clients, outputs, now, max_silence)),
    ]
    if options.probe:
        checks.append(("alarm probe", outputs.alarm_queue_url,
                       lambda: probe_alarm_path(clients, outputs, options.probe_timeout)))
    results: list[Result] = []
    for check, resource, run in checks:
        try:
            results.extend(run())
        except ClientError as error:
            code, call = _code(error), clients.api_call(error.operation_name)
            if code in ACCESS_DENIED_CODES:
                raise VerifyError(
                    f"access denied calling {call}: {one_line(_message(error))}"
                ) from None
            if code in REJECTED_CREDENTIAL_CODES:
                raise VerifyError(
                    f"AWS rejected the credentials calling {call} ({code}): "
                    f"{one_line(_message(error))}"
                ) from None
            results.append(Result(check, resource or "-", "FAIL",
                                  f"{call} failed: {code}: {one_line(_message(error))}"))
    return results


def format_table(results: Iterable[Result]) -> str:
    """A fixed-width table, one line per result."""
    rows = [("CHECK", "RESOURCE", "STATUS", "DETAIL")]
    rows += [(r.check, r.resource, r.status, one_line(r.detail)) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  " + row[3]
        for row in rows
    )


def summary(results: Sequence[Result]) -> dict[str, int]:
    return {status: sum(r.status == status for r in results)
            for status in ("PASS", "FAIL", "WARN", "SKIP")}


def report_document(stack: str, outputs: StackOutputs, results: Sequence[Result]) -> dict[str, Any]:
    counts = summary(results)
    return {
        "stack": stack,
        "role": outputs.role,
        "accountId": outputs.account_id,
        "region": outputs.region,
        "ok": counts["FAIL"] == 0,
        "summary": counts,
        "results": [asdict(r) for r in results],
    }
