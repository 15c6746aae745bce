"""The stack's settings: every config value, validated before any resource is registered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from cloudtrail_logging.alerting_policies import central_event_bus_policy
from cloudtrail_logging.alerts import AlertSettings, api_rule_name, parse_alerting
from cloudtrail_logging.bucket_policy import S3_POLICY_LIMIT_BYTES, log_bucket_policy
from cloudtrail_logging.key_policy import KMS_POLICY_LIMIT_BYTES, log_key_policy
from cloudtrail_logging.naming import (
    ACCOUNT_PATTERN,
    BUCKET_NAME_PATTERN,
    TRAIL_NAME_PATTERN,
    event_bus_arn,
    log_bucket_name,
)
from cloudtrail_logging.policy_json import policy_size
from cloudtrail_logging.raw_config import ConfigError, RawConfig
from cloudtrail_logging.regions import is_region, partition_of

NAMESPACE = "cloudtrail-logging"
Role = Literal["log-archive", "member"]
Encryption = Literal["sse-s3", "sse-kms"]

NAME_PREFIX_PATTERN = r"[a-z][a-z0-9-]{2,29}"
ORGANIZATION_ID_PATTERN = r"o-[a-z0-9]{10,32}"
LAMBDA_ARN_PATTERN = (
    r"arn:aws(-cn|-us-gov)?:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}"
    r"(:[A-Za-z0-9$_-]{1,128})?"
)
KEY_PREFIX_PATTERN = r"(?!AWSLogs)[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*"
STACK_NAME_PATTERN = r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+"
EVENT_BUS_ARN_PATTERN = (
    r"arn:aws(-cn|-us-gov)?:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._/-]+"
)
KMS_KEY_ARN_PATTERN = r"arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}"
ROLE_ARN_PATTERN = r"arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}"

BUCKET_TARGETS = ("sqs", "sns", "lambda")
TRAIL_TARGETS = ("sqs", "lambda")
DEFAULT_CENTRAL_STACK = "organization/cloudtrail-logging/security"


@dataclass(frozen=True)
class Lifecycle:
    """Object lifecycle of the log bucket; expiry 0 keeps logs forever."""

    glacier_after_days: int = 90
    expire_after_days: int = 2557  # 7 years, a common audit retention
    noncurrent_expire_after_days: int = 90


@dataclass(frozen=True)
class Fanout:
    """Where notifications go: an SQS queue, SNS topic or Lambda function of this account."""

    targets: tuple[str, ...] = ()
    lambda_arn: str | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.targets)


@dataclass(frozen=True)
class CentralArchive:
    """Where a member stack delivers: from a StackReference, or given explicitly."""

    stack: str | None = None  # fully qualified stack name, when read from a StackReference
    bucket_name: str | None = None
    account_id: str | None = None
    kms_key_arn: str | None = None
    event_bus_arn: str | None = None


@dataclass(frozen=True)
class Settings:
    """Everything a stack needs, validated; passed down to components as plain values."""

    role: Role
    account_id: str
    region: str
    name_prefix: str
    trail_name: str
    trail_notifications: Fanout = field(default_factory=Fanout)
    alerting: AlertSettings = field(default_factory=AlertSettings)
    # log-archive only
    encryption: Encryption = "sse-s3"
    member_accounts: tuple[str, ...] = ()
    log_bucket_name: str | None = None
    s3_key_prefix: str | None = None
    lifecycle: Lifecycle = field(default_factory=Lifecycle)
    bucket_notifications: Fanout = field(default_factory=Fanout)
    log_readers: tuple[str, ...] = ()
    organization_id: str | None = None
    management_account_id: str | None = None
    # member only
    central: CentralArchive | None = None
    organization_trail: bool = False

    @property
    def partition(self) -> str:
        return partition_of(self.region)

    @property
    def writer_accounts(self) -> tuple[str, ...]:
        """Accounts whose trails may deliver: this one, the members, the organization trail's."""
        extra = (self.management_account_id,) if self.management_account_id else ()
        others = tuple(a for a in (*self.member_accounts, *extra) if a != self.account_id)
        return (self.account_id, *dict.fromkeys(others))


def _aws_account(aws: RawConfig) -> str:
    accounts = aws.string_list(
        "allowedAccountIds", pattern=ACCOUNT_PATTERN, expected="12-digit account ids"
    )
    if len(accounts) != 1:
        aws.fail("allowedAccountIds", "exactly one 12-digit account id: the stack's own account")
        return "000000000000"
    return accounts[0]


def _fanout(cfg: RawConfig, prefix: str, allowed: tuple[str, ...]) -> Fanout:
    targets_key, lambda_key = f"{prefix}Targets", f"{prefix}LambdaArn"
    targets = cfg.string_list(
        targets_key, pattern="|".join(allowed), expected="one of " + ", ".join(allowed)
    )
    lambda_arn = cfg.string(
        lambda_key, pattern=LAMBDA_ARN_PATTERN, expected="a Lambda function ARN"
    )
    if "lambda" in targets and lambda_arn is None:
        cfg.fail(lambda_key, f"a Lambda function ARN, because {targets_key} lists lambda")
    if lambda_arn is not None and "lambda" not in targets:
        cfg.fail(targets_key, f"a list including lambda, because {lambda_key} is set")
    return Fanout(targets=tuple(targets), lambda_arn=lambda_arn)


def _bucket_fanout(cfg: RawConfig) -> Fanout:
    fanout = _fanout(cfg, "bucketNotification", BUCKET_TARGETS)
    # S3 refuses notification configurations that overlap in event type and prefix, so
    # several destinations hang off one SNS topic instead of each being a direct target.
    if len(fanout.targets) > 1 and "sns" not in fanout.targets:
        cfg.fail(
            "bucketNotificationTargets",
            "a single target, or a list including sns to fan out (S3 rejects overlapping "
            "notification configurations)",
            list(fanout.targets),
        )
    return fanout


def _lifecycle(cfg: RawConfig) -> Lifecycle:
    glacier = cfg.integer("glacierTransitionDays", 90, minimum=1, maximum=36500)
    expire = cfg.integer("expirationDays", 2557, minimum=0, maximum=36500)
    noncurrent = cfg.integer("noncurrentExpirationDays", 90, minimum=1, maximum=36500)
    if expire and expire <= glacier:
        cfg.fail("expirationDays", f"0 (never) or more than glacierTransitionDays ({glacier})")
    return Lifecycle(glacier, expire, noncurrent)


def _central(cfg: RawConfig, own_account: str) -> CentralArchive:
    names = ("centralBucketName", "centralAccountId", "centralKmsKeyArn", "centralEventBusArn")
    explicit = {k: cfg.has(k) for k in names}
    if cfg.has("centralStack") and any(explicit.values()):
        cfg.fail("centralStack", "unset when centralBucketName/centralAccountId are given")
    if not any(explicit.values()):
        stack = cfg.string(
            "centralStack",
            DEFAULT_CENTRAL_STACK,
            pattern=STACK_NAME_PATTERN,
            expected="a fully qualified stack name <organization>/<project>/<stack>",
        )
        return CentralArchive(stack=stack)
    bucket = cfg.string(
        "centralBucketName", pattern=BUCKET_NAME_PATTERN, expected="an S3 bucket name",
        required=True,
    )
    account = cfg.string(
        "centralAccountId", pattern=ACCOUNT_PATTERN, expected="a 12-digit account id",
        required=True,
    )
    if account == own_account:
        cfg.fail("centralAccountId", "the log-archive account, not this member's own account")
    key = cfg.string("centralKmsKeyArn", pattern=KMS_KEY_ARN_PATTERN, expected="a KMS key ARN")
    bus = cfg.string(
        "centralEventBusArn", pattern=EVENT_BUS_ARN_PATTERN, expected="an EventBridge bus ARN"
    )
    return CentralArchive(bucket_name=bucket, account_id=account, kms_key_arn=key,
                          event_bus_arn=bus)


def _organization(cfg: RawConfig, own_account: str) -> dict[str, str | None]:
    """An organization trail's identity: both the organization and its management account."""
    org = cfg.string(
        "organizationId", pattern=ORGANIZATION_ID_PATTERN, expected="an organization id o-…"
    )
    management = cfg.string(
        "managementAccountId", pattern=ACCOUNT_PATTERN, expected="a 12-digit account id"
    )
    if cfg.has("organizationId") != cfg.has("managementAccountId"):
        missing = "managementAccountId" if org else "organizationId"
        cfg.fail(missing, "set too: an organization trail needs organizationId and "
                 "managementAccountId together")
    return {"organization_id": org, "management_account_id": management}


def _member_accounts(cfg: RawConfig, own_account: str) -> tuple[str, ...]:
    members = cfg.string_list(
        "memberAccounts", pattern=ACCOUNT_PATTERN, expected="12-digit account ids"
    )
    if own_account in members:
        cfg.fail(
            "memberAccounts",
            "member accounts only: the log-archive account's own trail is always admitted",
            own_account,
        )
        members = [m for m in members if m != own_account]
    return tuple(members)


def _check_policy_sizes(cfg: RawConfig, settings: Settings) -> None:
    """The design's real limit: the bucket and key policies must fit AWS's size limits."""
    bucket_doc = log_bucket_policy(
        partition=settings.partition,
        bucket=settings.log_bucket_name or "",
        writer_accounts=settings.writer_accounts,
        trail_name=settings.trail_name,
        key_prefix=settings.s3_key_prefix,
        reader_arns=settings.log_readers,
        organization_id=settings.organization_id,
        management_account_id=settings.management_account_id,
    )
    size = policy_size(bucket_doc)
    if size > S3_POLICY_LIMIT_BYTES:
        cfg.fail(
            "memberAccounts",
            f"at most as many accounts as fit S3's 20 KB bucket policy limit "
            f"(this list makes {size} bytes); use an organization trail beyond that",
        )
    if settings.alerting.api_alerts:
        bus = event_bus_arn(settings.partition, settings.region, settings.account_id, "bus")
        try:
            central_event_bus_policy(
                bus,
                organization_id=settings.organization_id,
                member_account_ids=[a for a in settings.writer_accounts
                                    if a != settings.account_id] or [settings.account_id],
            )
        except ValueError as error:
            cfg.fail("memberAccounts", f"a list the central event bus policy can hold, or "
                     f"organizationId set so the bus admits the organization: {error}")
    if settings.encryption == "sse-kms":
        key_doc = log_key_policy(
            partition=settings.partition,
            key_account=settings.account_id,
            writer_accounts=settings.writer_accounts,
            trail_name=settings.trail_name,
            reader_arns=settings.log_readers,
        )
        key_size = policy_size(key_doc)
        if key_size > KMS_POLICY_LIMIT_BYTES:
            cfg.fail("memberAccounts", f"a list whose key policy fits 32 KB (got {key_size} B)")


def parse_settings(project: Mapping[str, Any], aws: Mapping[str, Any]) -> Settings:
    """Validate the stack's config (`project` namespace and `aws`) into Settings.

    Raises ConfigError naming every bad key and the expected form; nothing else is done.
    """
    cfg = RawConfig(NAMESPACE, project)
    aws_cfg = RawConfig("aws", aws)
    account = _aws_account(aws_cfg)
    region = aws_cfg.string("region", expected="an AWS region name", required=True) or "us-east-1"
    if not is_region(region):
        aws_cfg.fail("region", "an AWS region name such as us-east-1", region)
        region = "us-east-1"
    role = cfg.choice("role", ("log-archive", "member"), "member")
    if not cfg.has("role"):
        cfg.fail("role", "'log-archive' or 'member' (required)")
    name_prefix = cfg.string(
        "namePrefix", "cloudtrail-logging", pattern=NAME_PREFIX_PATTERN,
        expected="3-30 lower-case letters, digits and hyphens, starting with a letter",
    ) or "cloudtrail-logging"
    trail_notifications = _fanout(cfg, "trailNotification", TRAIL_TARGETS)
    alerting = parse_alerting(cfg, partition=partition_of(region))
    for index, alert in enumerate(alerting.api_alerts):
        try:
            api_rule_name(name_prefix, alert)
        except ValueError as error:
            cfg.fail(f"apiAlerts[{index}].name", f"a shorter name: {error}")
    # Every account's trail carries this name: the log archive's policies admit only it.
    trail_name = cfg.string(
        "trailName", name_prefix, pattern=TRAIL_NAME_PATTERN,
        expected="a CloudTrail trail name (3-128 letters, digits, '.', '_', '-'), the same in "
        "every stack",
    ) or name_prefix

    if role == "log-archive":
        settings = Settings(
            role="log-archive",
            account_id=account,
            region=region,
            name_prefix=name_prefix,
            trail_name=trail_name,
            trail_notifications=trail_notifications,
            alerting=alerting,
            encryption=cfg.choice("encryption", ("sse-s3", "sse-kms"), "sse-s3"),  # type: ignore[arg-type]
            member_accounts=_member_accounts(cfg, account),
            log_bucket_name=cfg.string(
                "logBucketName", log_bucket_name(name_prefix, account, region),
                pattern=BUCKET_NAME_PATTERN, expected="an S3 bucket name (3-63 chars, a-z 0-9 . -)",
            ),
            s3_key_prefix=cfg.string(
                "s3KeyPrefix", pattern=KEY_PREFIX_PATTERN,
                expected="an S3 key prefix without leading/trailing '/' that is not AWSLogs",
            ),
            lifecycle=_lifecycle(cfg),
            bucket_notifications=_bucket_fanout(cfg),
            **_organization(cfg, account),
            log_readers=tuple(
                cfg.string_list(
                    "logReaders", pattern=ROLE_ARN_PATTERN,
                    expected="IAM role ARNs in the log-archive account",
                )
            ),
        )
        for index, reader in enumerate(settings.log_readers):
            if f":{account}:" not in reader:
                cfg.fail(f"logReaders[{index}]", "a role in the log-archive account", reader)
        if not cfg.problems and not aws_cfg.problems:
            _check_policy_sizes(cfg, settings)
    else:
        settings = Settings(
            role="member",
            account_id=account,
            region=region,
            name_prefix=name_prefix,
            trail_name=trail_name,
            trail_notifications=trail_notifications,
            alerting=alerting,
            central=_central(cfg, account),
            organization_trail=cfg.boolean("organizationTrail", False),
        )
        central = settings.central
        if (alerting.api_alerts and central is not None and central.stack is None
                and central.event_bus_arn is None):
            cfg.fail("centralEventBusArn", "an EventBridge bus ARN, because apiAlerts forward "
                     "from every alert region to the central bus")

    try:
        cfg.raise_if_problems()
    except ConfigError as error:
        raise ConfigError(aws_cfg.problems + error.problems) from None
    if aws_cfg.problems:
        raise ConfigError(aws_cfg.problems)
    return settings
