"""The stack's settings: every config value, validated before any resource is registered.

`parse_settings` reads the config the Pulumi CLI hands the program (every key, `namespace:key`
-> string, after the CLI merged Pulumi.yaml's defaults in) through the declarations of
`schema.py`, and returns typed `Settings` or raises `ConfigError` naming every bad key and the
expected form, one problem per line.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypedDict

from cloudtrail_logging import schema
from cloudtrail_logging.adoption import ADOPT_KEYS, Adoption, Context, read_adoption
from cloudtrail_logging.alerting import event_names
from cloudtrail_logging.alerting.alerts import (
    ALERT_NAME_RE,
    ALLOWED_RETENTION_DAYS,
    DESCRIPTION_MAX,
    EVENT_NAME_RE,
    EVENT_SOURCE_RE,
    EVENTBRIDGE_SOURCE_RE,
    MAX_EVENT_PATTERN_CHARS,
    MAX_FILTER_PATTERN_CHARS,
    MAX_METRIC_FILTERS_PER_LOG_GROUP,
    USER_ARN_LIKE_RE,
    USER_IDENTITY_TYPES,
    AlertSettings,
    ApiAlert,
    event_pattern,
    metric_filter_pattern,
)
from cloudtrail_logging.alerting.cis import CIS_CONTROLS
from cloudtrail_logging.aws import names as aws_names
from cloudtrail_logging.aws import patterns, regions
from cloudtrail_logging.aws.arns import log_bucket_name
from cloudtrail_logging.aws.provider_config import closest_provider_key, provider_config_keys
from cloudtrail_logging.integrity.access_logging import access_log_bucket_name
from cloudtrail_logging.integrity.network_activity import NetworkActivity
from cloudtrail_logging.integrity.object_lock import ObjectLock, object_lock_problems
from cloudtrail_logging.integrity.replication import (
    ReplicaTarget,
    replica_bucket_name,
    replication_problems,
)
from cloudtrail_logging.landing_zone import DELEGATED_ADMIN, ExistingTrail
from cloudtrail_logging.schema import NAMESPACE, Role

Encryption = Literal["sse-s3", "sse-kms"]
PROVIDER_NAMESPACE = "aws"
ACCOUNT, REGION = "aws:allowedAccountIds", "aws:region"  # the provider keys others derive from
# What a secret reads as where its secrets provider is not at hand: the engine's blinding crypter
# (pulumi/pulumi sdk/go/common/resource/config/crypt.go), as an offline preview passes it.
BLINDED_SECRET = "[secret]"
MAX_ORGANIZATIONAL_UNITS = 50


class ConfigError(ValueError):
    """One or more config values are wrong; each problem is one line naming its key."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Lifecycle:
    """Object lifecycle of the log bucket; expiry 0 keeps logs forever."""

    transition_days: int = 90
    storage_class: str = "DEEP_ARCHIVE"
    transition_small_objects: bool = False
    expire_after_days: int = 2557
    noncurrent_expire_after_days: int = 90


@dataclass(frozen=True)
class Integrity:
    """Log integrity and evidence of access to the archive (log-archive stack)."""

    access_log_bucket: str | None = None
    """The server-access-log bucket; None: no server access logging."""
    access_log_retention_days: int = 2557
    """0: access logs kept forever."""
    object_lock: ObjectLock | None = None
    replica: ReplicaTarget | None = None
    log_access_data_events: bool = False


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
    """Where a member stack delivers: from the log-archive stack's outputs, or given explicitly."""

    stack: str | None = None
    bucket_name: str | None = None
    account_id: str | None = None
    kms_key_arn: str | None = None
    event_bus_arn: str | None = None


@dataclass(frozen=True)
class Guardrails:
    """The organization's service control policy, created by the management account's stack."""

    target_ids: tuple[str, ...] = ()
    """The root or OUs it is attached to; empty: the organization root, read at run time."""
    principals: tuple[str, ...] = ()
    """Role ARN patterns it exempts besides the archive administrators and StackSets."""


@dataclass(frozen=True, kw_only=True)
class StackSettings:
    """What every stack asks for, whatever its role; the plan derives the rest."""

    account_id: str
    region: str
    name_prefix: str
    trail_name: str
    trail_notifications: Fanout = field(default_factory=Fanout)
    alerting: AlertSettings = field(default_factory=AlertSettings)
    insights: bool = False
    tamper_alerts: bool = True
    adopt: Adoption = field(default_factory=Adoption)
    """Existing resources the first `pulumi up` imports (adoption.py)."""
    existing_trail: ExistingTrail | None = None
    """An organization trail that records this account's management events."""
    network_activity: NetworkActivity = field(default_factory=NetworkActivity)

    @property
    def partition(self) -> str:
        return regions.partition_of(self.region)

    @property
    def owns_existing_trail(self) -> bool:
        """This is the stack of the account that owns the existing organization trail: the
        management account's."""
        return self.existing_trail is not None and self.existing_trail.account_id == self.account_id


@dataclass(frozen=True, kw_only=True)
class ArchiveSettings(StackSettings):
    """The log-archive stack: the central bucket, its key and who may administer or read them."""

    role: Literal["log-archive"] = "log-archive"
    administrator_arns: tuple[str, ...] = ()
    """The named archive administrators; never empty once read from config."""
    administrators_defaulted: bool = False
    """True when `administrator_arns` is the deploying principal, not set in config."""
    encryption: Encryption = "sse-kms"
    member_accounts: tuple[str, ...] = ()
    log_bucket_name: str = ""
    s3_key_prefix: str | None = None
    per_account_policy: bool = False
    lifecycle: Lifecycle = field(default_factory=Lifecycle)
    integrity: Integrity = field(default_factory=Integrity)
    bucket_notifications: Fanout = field(default_factory=Fanout)
    log_readers: tuple[str, ...] = ()
    organization_id: str | None = None
    management_account_id: str | None = None
    existing_archive_bucket: str | None = None
    """An archive bucket this stack must not modify (an existing landing zone's)."""

    @property
    def key_administrators(self) -> tuple[str, ...]:
        """Who administers every key of the stack: the named archive administrators."""
        return self.administrator_arns

    @property
    def queue_consumers(self) -> tuple[str, ...]:
        """Who alone may consume the stack's queues: its administrators and log readers."""
        return (*self.administrator_arns, *self.log_readers)

    @property
    def creates_trail(self) -> bool:
        """The archive account always has a trail of its own (of data events only, next to an
        existing archive)."""
        return True

    @property
    def data_events_only(self) -> bool:
        """The stack's trail records data events only: an existing organization trail records
        the management events, and an existing archive bucket holds them."""
        return self.existing_archive_bucket is not None

    @property
    def own_log_group(self) -> bool:
        """The stack's trail records management events and streams them to a group of its own."""
        return not self.data_events_only

    @property
    def delivering_accounts(self) -> tuple[str, ...]:
        """Accounts whose trails the log bucket and key admit: with an existing archive only
        this account's trail of data events delivers here."""
        return (self.account_id,) if self.data_events_only else self.writer_accounts

    @property
    def writer_accounts(self) -> tuple[str, ...]:
        """Accounts whose trails may deliver: this one, the members, the organization trail's."""
        extra = (self.management_account_id,) if self.management_account_id else ()
        others = tuple(a for a in (*self.member_accounts, *extra) if a != self.account_id)
        return (self.account_id, *dict.fromkeys(others))


@dataclass(frozen=True, kw_only=True)
class MemberSettings(StackSettings):
    """A workload account's stack (or the management account's, with the organization trail)."""

    role: Literal["member"] = "member"
    central: CentralArchive = field(default_factory=CentralArchive)
    organization_trail: bool = False
    organization_alerts: bool = True
    organizational_unit_ids: tuple[str, ...] = ()
    stack_set_call_as: str = "SELF"
    guardrails: Guardrails | None = None

    @property
    def key_administrators(self) -> tuple[str, ...]:
        """None named: the account administers a member's keys."""
        return ()

    @property
    def queue_consumers(self) -> tuple[str, ...]:
        """None named: the account's own principals consume a member's queues."""
        return ()

    @property
    def creates_trail(self) -> bool:
        """False when an existing organization trail records this account."""
        return self.existing_trail is None

    @property
    def data_events_only(self) -> bool:
        return False

    @property
    def own_log_group(self) -> bool:
        """The stack's trail records management events and streams them to a group of its own."""
        return self.creates_trail


Settings = ArchiveSettings | MemberSettings
"""A stack's validated settings; `role` tells which."""


class _Common(TypedDict):
    """The fields of `StackSettings` read before the role's own keys."""

    account_id: str
    region: str
    name_prefix: str
    trail_name: str
    trail_notifications: Fanout
    alerting: AlertSettings
    insights: bool
    tamper_alerts: bool


# --- reading -------------------------------------------------------------------------------------

_UNSET = object()


class _Reader:
    """Typed access to the stack's config through the schema; records every problem once.

    Each key is validated once (`get` remembers its answer); a key whose value was refused is
    `rejected`, and the checks that derive from it are skipped (`ok`), so one mistake is one line.
    """

    def __init__(self, values: Mapping[str, Any], secret_keys: Iterable[str] = ()) -> None:
        self.blinded = {
            key.partition(":")[2] for key in secret_keys
            if key.startswith(f"{NAMESPACE}:") and values.get(key) == BLINDED_SECRET
        }
        """Secret keys whose value only stands in for the secret (an offline preview)."""
        self.project: dict[str, Any] = {}
        self.aws: dict[str, Any] = {}
        self.problems: list[str] = []
        self.rejected: set[str] = set()
        self._read: dict[str, Any] = {}
        for full, value in values.items():
            namespace, _, key = full.partition(":")
            if namespace == NAMESPACE:
                self.project[key] = value
            elif namespace == PROVIDER_NAMESPACE:
                self._check_provider_key(key)
                self.aws[key] = value
            else:
                self._check_namespace(full, namespace, key)

    def _check_provider_key(self, key: str) -> None:
        """The aws provider refuses a key it does not have; a misspelt key it does have is then
        missing, which this one line explains (so that key is `rejected`, not reported again)."""
        if key in provider_config_keys():
            return
        close = closest_provider_key(key)
        hint = f"; did you mean {PROVIDER_NAMESPACE}:{close}?" if close else ""
        self.problems.append(f"{PROVIDER_NAMESPACE}:{key}: not a setting of the aws provider{hint}")
        if close:
            self.reject(f"{PROVIDER_NAMESPACE}:{close}")

    def _check_namespace(self, full: str, namespace: str, key: str) -> None:
        """A namespace close to the project's, or a transposition of `aws`, is a typo the CLI
        would pass through and nothing would read. (`awsx`, `aws-native` are real packages.)"""
        close = difflib.get_close_matches(namespace, [NAMESPACE], 1, 0.75)
        if sorted(namespace) == sorted(PROVIDER_NAMESPACE):
            close = [PROVIDER_NAMESPACE]
        if close:
            self.problems.append(
                f"{full}: expected the namespace {close[0]}; did you mean {close[0]}:{key}?"
            )

    def fail(self, where: str, expected: str, got: Any = _UNSET) -> None:
        shown = "" if got is _UNSET else f" (got {json.dumps(got)})"
        self.reject(re.split(r"[\[.]", where, maxsplit=1)[0])
        line = f"{NAMESPACE}:{where}: expected {expected}{shown}"
        if line not in self.problems:
            self.problems.append(line)

    def reject(self, name: str) -> None:
        """`name` (a project key, or `aws:<key>`) holds a refused value."""
        self.rejected.add(name)

    def ok(self, *names: str) -> bool:
        """None of these keys was refused: checks that derive from them may run."""
        return not self.rejected.intersection(names)

    def get(self, name: str) -> Any:
        """The key's value, its declared default when unset, or the default after a problem;
        validated on the first read only."""
        if name not in self._read:
            self._read[name] = self._decode(name)
        return self._read[name]

    def _decode(self, name: str) -> Any:
        key = schema.BY_NAME[name]
        raw = self.project.get(name, _UNSET)
        if raw is _UNSET or raw is None:
            return key.default
        if name in self.blinded:  # nothing to judge: the value itself is not at hand
            return raw if key.type == "string" else key.default
        value, problem = schema.decode(key, raw)
        if problem is not None:
            self.fail(name, problem, raw)
            return key.default
        bad = schema.item_problems(key, value)
        for where, expected in bad:
            item = value if where == name else value[int(where.rsplit("[", 1)[1][:-1])]
            self.fail(where, expected, item)
        return key.default if bad else value

    def is_set(self, name: str) -> bool:
        """True when the stack sets the key to something other than its declared default."""
        key = schema.BY_NAME[name]
        raw = self.project.get(name, _UNSET)
        if raw is _UNSET:
            return False
        value, problem = schema.decode(key, raw)
        return problem is not None or value != key.default

    def optional(self, name: str) -> str | None:
        value = self.get(name)
        return value or None

    def check_keys(self, role: Role) -> None:
        """Unknown keys are typos; another role's key is refused unless it holds its default."""
        for name in sorted(self.project):
            key = schema.BY_NAME.get(name)
            if key is None:
                close = difflib.get_close_matches(name, list(schema.BY_NAME), 1)
                hint = f"did you mean {close[0]}? " if close else ""
                self.problems.append(
                    f"{NAMESPACE}:{name}: not a setting of this project; {hint}see the README's "
                    "configuration tables"
                )
            elif role not in key.roles and self.is_set(name):
                owner = " or ".join(key.roles)
                self.fail(
                    name,
                    f"no value on a {role} stack: it is a {owner} setting",
                    self.project[name],
                )


def _account(cfg: _Reader) -> str:
    """The stack's account; a refused value is `rejected`, so nothing is compared with it."""
    raw = cfg.aws.get("allowedAccountIds")
    try:
        accounts = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError:
        accounts = None
    if (
        isinstance(accounts, list)
        and len(accounts) == 1
        and re.fullmatch(patterns.ACCOUNT_ID, str(accounts[0]))
    ):
        return str(accounts[0])
    if cfg.ok("aws:allowedAccountIds"):  # else a misspelt key already explained it
        cfg.problems.append(
            "aws:allowedAccountIds: expected exactly one 12-digit account id, the stack's own "
            f"account (got {json.dumps(raw if accounts is None else accounts)})"
        )
    cfg.reject("aws:allowedAccountIds")
    return "000000000000"


def _region(cfg: _Reader) -> str:
    region = cfg.aws.get("region")
    if isinstance(region, str) and regions.is_region(region):
        return region
    if cfg.ok("aws:region"):
        cfg.problems.append(
            f"aws:region: expected an AWS region name such as us-east-1 (got {json.dumps(region)})"
        )
    cfg.reject("aws:region")
    return "us-east-1"


def _name(cfg: _Reader, key: str, kind: str, value: str) -> str | None:
    problem = aws_names.check_name(kind, value)
    if problem is not None:
        cfg.fail(key, f"{schema.BY_NAME[key].form}: {problem}", value)
        return None
    return value


def _fanout(cfg: _Reader, prefix: str) -> Fanout:
    targets_key, lambda_key = f"{prefix}Targets", f"{prefix}LambdaArn"
    targets = tuple(cfg.get(targets_key))
    lambda_arn = cfg.optional(lambda_key)
    if "lambda" in targets and lambda_arn is None:
        cfg.fail(lambda_key, f"a Lambda function ARN, because {targets_key} lists lambda")
    if lambda_arn is not None and "lambda" not in targets:
        cfg.fail(targets_key, f"a list including lambda, because {lambda_key} is set")
    return Fanout(targets=targets, lambda_arn=lambda_arn)


def _lambda_in_partition(cfg: _Reader, key: str, partition: str) -> str | None:
    arn = cfg.optional(key)
    if arn is not None and cfg.ok(REGION) and (
        arn.split(":")[1] != partition or arn.split(":")[3] not in regions.regions_of(partition)
    ):
        cfg.fail(key, f"a Lambda function ARN in an existing {partition} region", arn)
        return None
    return arn


# --- alerting ------------------------------------------------------------------------------------


def _alert_field(
    cfg: _Reader, where: str, value: Any, pattern: str, expected: str, *, required: bool
) -> str | None:
    if value is None or value == "":
        if required:
            cfg.fail(where, f"{expected} (required)")
        return None
    if not isinstance(value, str) or not re.fullmatch(pattern, value):
        cfg.fail(where, expected, value)
        return None
    return value


def _alert_list(
    cfg: _Reader, where: str, value: Any, pattern: str, expected: str, *, required: bool
) -> tuple[str, ...] | None:
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not value:
        cfg.fail(where, f"a non-empty list of {expected}", value)
        return None
    ok, seen = True, set()
    for index, entry in enumerate(value):
        if not isinstance(entry, str) or not re.fullmatch(pattern, entry) or entry in seen:
            twice = isinstance(entry, str) and entry in seen
            cfg.fail(f"{where}[{index}]", expected + (", each listed once" if twice else ""), entry)
            ok = False
        seen.add(entry)
    return tuple(value) if ok else None


_ALERT_FIELDS = (
    "name", "eventSource", "eventNames", "userIdentityType", "userArnLike", "eventBridgeSource",
    "description",
)  # fmt: skip


def _api_alert(cfg: _Reader, index: int, item: Any) -> ApiAlert | None:
    base = f"apiAlerts[{index}]"
    if not isinstance(item, dict):
        cfg.fail(base, "an alert object", item)
        return None
    before = len(cfg.problems)
    for extra in sorted(set(item) - set(_ALERT_FIELDS)):
        cfg.fail(f"{base}.{extra}", "only the fields " + ", ".join(_ALERT_FIELDS))
    name = _alert_field(
        cfg,
        f"{base}.name",
        item.get("name"),
        ALERT_NAME_RE,
        "a name of 2-64 lower-case letters, digits and hyphens, starting with a letter",
        required=True,
    )
    source = _alert_field(
        cfg,
        f"{base}.eventSource",
        item.get("eventSource"),
        EVENT_SOURCE_RE,
        "a CloudTrail event source of the form <service>.amazonaws.com",
        required=True,
    )
    names = _alert_list(
        cfg,
        f"{base}.eventNames",
        item.get("eventNames"),
        EVENT_NAME_RE,
        "CloudTrail event names such as RunInstances",
        required=True,
    )
    identity = _alert_field(
        cfg,
        f"{base}.userIdentityType",
        item.get("userIdentityType"),
        "|".join(USER_IDENTITY_TYPES),
        "one of " + ", ".join(USER_IDENTITY_TYPES),
        required=False,
    )
    arn_like = _alert_list(
        cfg,
        f"{base}.userArnLike",
        item.get("userArnLike"),
        USER_ARN_LIKE_RE,
        "IAM or STS ARNs, exact or ending in a single * (a prefix match)",
        required=False,
    )
    eb_source = _alert_field(
        cfg,
        f"{base}.eventBridgeSource",
        item.get("eventBridgeSource"),
        EVENTBRIDGE_SOURCE_RE,
        "an EventBridge source of the form aws.<service>",
        required=False,
    )
    description = _alert_field(
        cfg, f"{base}.description", item.get("description"),
        rf"[^\x00-\x1f]{{1,{DESCRIPTION_MAX}}}",
        f"a one-line description of at most {DESCRIPTION_MAX} characters", required=False,
    )  # fmt: skip
    if len(cfg.problems) != before or name is None or source is None or names is None:
        return None
    # An alert that can never fire is refused: the source and names as CloudTrail records them.
    unknown_source = event_names.source_problem(source)
    if unknown_source is not None:
        cfg.fail(f"{base}.eventSource", unknown_source, source)
        return None
    for index, event in enumerate(names):
        never = event_names.name_problem(source, event)
        if never is not None:
            cfg.fail(f"{base}.eventNames[{index}]", never, event)
    if len(cfg.problems) != before:
        return None
    alert = ApiAlert(name, source, names, identity, arn_like or (), eb_source, description)
    filter_chars = len(metric_filter_pattern(alert))
    pattern_chars = len(json.dumps(event_pattern(alert), separators=(",", ":")))
    if filter_chars > MAX_FILTER_PATTERN_CHARS or pattern_chars > MAX_EVENT_PATTERN_CHARS:
        cfg.fail(
            f"{base}.eventNames",
            f"fewer event names: the metric filter pattern is {filter_chars} characters (at most "
            f"{MAX_FILTER_PATTERN_CHARS}) and the event pattern {pattern_chars} (at most "
            f"{MAX_EVENT_PATTERN_CHARS}); split the alert",
            len(names),
        )
        return None
    return alert


def _api_alerts(cfg: _Reader) -> tuple[ApiAlert, ...]:
    alerts: list[ApiAlert] = []
    for index, item in enumerate(cfg.get("apiAlerts")):
        alert = _api_alert(cfg, index, item)
        if alert is None:
            continue
        if any(other.name == alert.name for other in alerts):
            cfg.fail(f"apiAlerts[{index}].name", "a name not used by another alert", alert.name)
            continue
        alerts.append(alert)
    return tuple(alerts)


def _alert_regions(cfg: _Reader, partition: str) -> tuple[str, ...]:
    valid = regions.regions_of(partition)
    listed = cfg.get("alertRegions")
    for index, region in enumerate(listed):
        if region not in valid and cfg.ok(REGION):
            cfg.fail(f"alertRegions[{index}]", f"an existing {partition} region name", region)
    home = regions.global_events_region(partition)
    return (home, *sorted({r for r in listed if r in valid} - {home}))


def _alerting(cfg: _Reader, partition: str) -> AlertSettings:
    chosen = set(cfg.get("cisControls"))
    cis = tuple(control for control in CIS_CONTROLS if control.control_id in chosen)
    api = _api_alerts(cfg)
    if len(cis) + len(api) > MAX_METRIC_FILTERS_PER_LOG_GROUP:
        cfg.fail(
            "apiAlerts",
            f"at most {MAX_METRIC_FILTERS_PER_LOG_GROUP - len(cis)} alerts next to {len(cis)} "
            f"CIS controls (CloudWatch Logs allows {MAX_METRIC_FILTERS_PER_LOG_GROUP} metric "
            "filters per log group)",
            len(api),
        )
    retention = cfg.get("logRetentionDays")
    if retention not in ALLOWED_RETENTION_DAYS:
        cfg.fail(
            "logRetentionDays",
            "0 (never expire) or a CloudWatch Logs retention of at least 365 days: "
            + ", ".join(str(d) for d in ALLOWED_RETENTION_DAYS),
            retention,
        )
        retention = schema.BY_NAME["logRetentionDays"].default
    return AlertSettings(
        cis_controls=cis,
        api_alerts=api,
        alert_regions=_alert_regions(cfg, partition),
        log_retention_days=retention,
        alert_email=cfg.optional("alertEmail"),
        alert_lambda_arn=_lambda_in_partition(cfg, "alertLambdaArn", partition),
        log_group_kms=cfg.get("logGroupKms"),
    )


# --- roles ---------------------------------------------------------------------------------------


def _lifecycle(cfg: _Reader) -> Lifecycle:
    transition = cfg.get("glacierTransitionDays")
    expire = cfg.get("expirationDays")
    if expire and expire <= transition:
        cfg.fail(
            "expirationDays", f"0 (never) or more than glacierTransitionDays ({transition})", expire
        )
    return Lifecycle(
        transition_days=transition,
        storage_class=cfg.get("archiveStorageClass"),
        transition_small_objects=cfg.get("transitionSmallObjects"),
        expire_after_days=expire,
        noncurrent_expire_after_days=cfg.get("noncurrentExpirationDays"),
    )


def _integrity(
    cfg: _Reader, common: _Common, lifecycle: Lifecycle, log_bucket: str
) -> Integrity:
    """The log-integrity keys, checked together (Object Lock against lifecycle, replication,
    and bucket names, which S3 keeps globally unique)."""
    account, region = common["account_id"], common["region"]
    mode = cfg.optional("objectLockMode")
    days = cfg.get("objectLockRetentionDays")
    if cfg.ok("objectLockMode", "objectLockRetentionDays", "expirationDays"):
        for key, expected in object_lock_problems(mode, days, lifecycle.expire_after_days):
            cfg.fail(key, expected, cfg.get(key))
    replica = None
    replica_region = cfg.optional("replicationRegion")
    other_keys = ("replicationAccountId", "replicationBucket", "replicationKmsKeyArn")
    if replica_region is None:
        for key in other_keys:
            if cfg.optional(key) is not None:
                cfg.fail(key, "no value unless replicationRegion is set", cfg.get(key))
    elif cfg.ok(REGION) and (
        replica_region not in regions.regions_of(regions.partition_of(region))
    ):
        cfg.fail("replicationRegion", schema.BY_NAME["replicationRegion"].form, replica_region)
    else:
        other = cfg.optional("replicationAccountId")
        other = None if other == account else other
        bucket = cfg.optional("replicationBucket") or replica_bucket_name(
            common["name_prefix"], account, replica_region
        )
        for key, expected in () if not cfg.ok(ACCOUNT, REGION) else replication_problems(
            archive_region=region,
            replication_region=replica_region,
            replication_account_id=other,
            replication_bucket=cfg.optional("replicationBucket"),
            replication_kms_key_arn=cfg.optional("replicationKmsKeyArn"),
            own_account_id=account,
        ):
            cfg.fail(key, expected, cfg.get(key))
        replica = ReplicaTarget(
            region=replica_region,
            bucket=_name(cfg, "replicationBucket", "s3-bucket", bucket) or bucket,
            account_id=other,
            kms_key_arn=cfg.optional("replicationKmsKeyArn"),
        )
    access_log_bucket = None
    if cfg.get("accessLogging"):
        name = cfg.optional("accessLogBucketName") or access_log_bucket_name(
            common["name_prefix"], account, region
        )
        access_log_bucket = _name(cfg, "accessLogBucketName", "s3-bucket", name) or name
    elif cfg.optional("accessLogBucketName"):
        cfg.fail("accessLogBucketName", "no value when accessLogging is false")
    taken = [log_bucket]
    named = (("accessLogBucketName", access_log_bucket),
             ("replicationBucket", replica.bucket if replica else None))
    for key, name in ((k, n) for k, n in named if n is not None):
        if name in taken:
            cfg.fail(key, "a bucket name different from the log bucket's and the other "
                     "buckets' (S3 bucket names are global)", name)
        taken.append(name)
    return Integrity(
        access_log_bucket=access_log_bucket,
        access_log_retention_days=cfg.get("accessLogRetentionDays"),
        object_lock=ObjectLock(mode, days) if mode and days else None,
        replica=replica,
        log_access_data_events=cfg.get("logAccessDataEvents"),
    )


def _bucket_fanout(cfg: _Reader) -> Fanout:
    fanout = _fanout(cfg, "bucketNotification")
    # S3 refuses notification configurations that overlap in event type and prefix, so several
    # destinations hang off one SNS topic instead of each being a direct target.
    if len(fanout.targets) > 1 and "sns" not in fanout.targets:
        cfg.fail(
            "bucketNotificationTargets",
            "a single target, or a list including sns to fan out (S3 rejects overlapping "
            "notification configurations)",
            list(fanout.targets),
        )
    return fanout


def _administrators(
    cfg: _Reader, account: str, deployer: Callable[[], str] | None
) -> tuple[tuple[str, ...], bool]:
    """The named archive administrators, and whether they default to the deploying principal.

    The deployer must be one of them: KMS refuses a key policy that would not let its caller
    change it again (CreateKey, PutKeyPolicy: the policy lockout safety check), and the bucket
    policies would refuse the deployer's next update.
    """
    named = tuple(cfg.get("archiveAdministrators"))
    if not cfg.ok(ACCOUNT):  # nothing to compare them with
        return named, False
    valid = True
    for index, arn in enumerate(named):
        if arn.split(":")[4] != account:
            cfg.fail(f"archiveAdministrators[{index}]", "a role in the log-archive "
                     f"account {account}", arn)  # fmt: skip
            valid = False
    caller = deployer() if deployer is not None else None
    if caller is not None and not re.fullmatch(patterns.ADMINISTRATOR_ARN, caller):
        cfg.fail(
            "archiveAdministrators",
            f"a deployment by an IAM role, which the archive's policies can name, never a user or "
            f"the root user (the deploying principal is {caller})",
        )
        return named, False
    if caller is not None and caller.split(":")[4] != account:
        cfg.fail(
            "archiveAdministrators",
            f"a deployment from the log-archive account {account} (the deploying principal is "
            f"{caller})",
        )
        return named, False
    if not named:
        if caller is None:
            cfg.fail("archiveAdministrators", "at least one IAM role ARN (the deploying "
                     "principal could not be read)")  # fmt: skip
            return (), False
        return (caller,), True
    if valid and caller is not None and caller not in named:
        cfg.fail(
            "archiveAdministrators",
            f"a list that includes the deploying principal {caller}: KMS refuses a key policy "
            "that locks its caller out, and the bucket would refuse the next update",
            list(named),
        )
    return named, False


def _log_archive(
    cfg: _Reader, common: _Common, deployer: Callable[[], str] | None
) -> ArchiveSettings:
    account, region = common["account_id"], common["region"]
    administrators, defaulted = _administrators(cfg, account, deployer)
    members = tuple(cfg.get("memberAccounts"))
    if account in members and cfg.ok(ACCOUNT):
        cfg.fail(
            "memberAccounts",
            "member accounts only: the log-archive account's own trail is always admitted",
            account,
        )
        members = tuple(m for m in members if m != account)
    readers = tuple(cfg.get("logReaders"))
    for index, reader in enumerate(readers):
        if reader.split(":")[4] != account and cfg.ok(ACCOUNT):
            cfg.fail(f"logReaders[{index}]", "a role in the log-archive account", reader)
    organization = cfg.optional("organizationId")
    management = cfg.optional("managementAccountId")
    if (organization is None) != (management is None):
        missing = "managementAccountId" if management is None else "organizationId"
        cfg.fail(
            missing,
            "a value too: an organization trail needs organizationId and managementAccountId",
        )
    adopted = cfg.optional("adoptLogBucket")  # named wrong: reported under its own key
    if adopted is not None and aws_names.check_bucket_name(adopted) is not None:
        adopted = None
    bucket = (
        cfg.optional("logBucketName")
        or adopted
        or log_bucket_name(common["name_prefix"], account, region)
    )
    lifecycle = _lifecycle(cfg)
    bucket = _name(cfg, "logBucketName", "s3-bucket", bucket) or bucket
    return ArchiveSettings(
        **common,
        encryption=cfg.get("encryption"),
        member_accounts=members,
        log_bucket_name=bucket,
        s3_key_prefix=cfg.optional("s3KeyPrefix"),
        per_account_policy=cfg.get("bucketPolicyForm") == "per-account",
        lifecycle=lifecycle,
        integrity=_integrity(cfg, common, lifecycle, bucket),
        bucket_notifications=_bucket_fanout(cfg),
        log_readers=readers,
        organization_id=organization,
        management_account_id=management,
        administrator_arns=administrators,
        administrators_defaulted=defaulted,
    )


def _central(cfg: _Reader, account: str) -> CentralArchive:
    explicit = [
        k for k in ("centralBucketName", "centralAccountId", "centralKmsKeyArn",
                    "centralEventBusArn") if cfg.is_set(k)
    ]  # fmt: skip
    if not explicit:
        stack = cfg.get("centralStack")
        if not stack:
            cfg.reject("centralStack")
            cfg.problems.append(
                f"{NAMESPACE}:centralStack: the central stack is empty; expected the log-archive "
                f"stack this member delivers to, {schema.BY_NAME['centralStack'].form} (got \"\")"
            )
        return CentralArchive(stack=stack or None)
    if cfg.is_set("centralStack") and cfg.optional("centralStack"):
        cfg.fail("centralStack", f"no value when {', '.join(explicit)} given explicitly")
    bucket = cfg.optional("centralBucketName")
    if bucket is None:
        cfg.fail("centralBucketName", "an S3 bucket name, with the other central* keys")
    else:
        _name(cfg, "centralBucketName", "s3-bucket", bucket)
    central_account = cfg.optional("centralAccountId")
    if central_account is None:
        cfg.fail("centralAccountId", "a 12-digit account id, with the other central* keys")
    elif central_account == account and cfg.ok(ACCOUNT):
        cfg.fail("centralAccountId", "the log-archive account, not this member's own account")
    return CentralArchive(
        bucket_name=bucket,
        account_id=central_account,
        kms_key_arn=cfg.optional("centralKmsKeyArn"),
        event_bus_arn=cfg.optional("centralEventBusArn"),
    )


def _member(cfg: _Reader, common: _Common) -> MemberSettings:
    central = _central(cfg, common["account_id"])
    organization_trail = cfg.get("organizationTrail")
    if central.stack is None and cfg.ok("centralStack"):
        if organization_trail:
            cfg.fail(
                "organizationTrail",
                "centralStack, so that the organization id and management account come from "
                "the log-archive stack",
            )
        if common["alerting"].api_alerts and central.event_bus_arn is None:
            cfg.fail(
                "centralEventBusArn",
                "an EventBridge bus ARN, because apiAlerts forward to the central bus",
            )
    units = tuple(cfg.get("organizationalUnitIds"))
    if len(units) > MAX_ORGANIZATIONAL_UNITS:
        cfg.fail(
            "organizationalUnitIds",
            f"at most {MAX_ORGANIZATIONAL_UNITS} ids (CloudFormation CreateStackInstances)",
            len(units),
        )
    return MemberSettings(
        **common,
        central=central,
        organization_trail=organization_trail,
        organization_alerts=cfg.get("organizationAlerts"),
        organizational_unit_ids=units,
        stack_set_call_as=cfg.get("stackSetCallAs"),
        guardrails=_guardrails(cfg, central, organization_trail),
    )


def _guardrails(
    cfg: _Reader, central: CentralArchive, organization_trail: bool
) -> Guardrails | None:
    mode = cfg.get("guardrailPolicy")
    wanted = mode == "on" or (mode == "auto" and organization_trail)
    if not wanted:
        for key in ("guardrailTargetIds", "guardrailPrincipals"):
            if cfg.is_set(key):
                cfg.fail(key, f"no value while guardrailPolicy is {mode}"
                         + (" without organizationTrail" if mode == "auto" else ""))  # fmt: skip
        return None
    if central.stack is None and cfg.ok("centralStack"):
        cfg.fail(
            "guardrailPolicy",
            "centralStack, so that the guardrail policy names the log archive's buckets, key "
            "and administrators as that stack exports them",
            mode,
        )
    targets = tuple(cfg.get("guardrailTargetIds"))
    if len(targets) > MAX_ORGANIZATIONAL_UNITS:
        cfg.fail("guardrailTargetIds", f"at most {MAX_ORGANIZATIONAL_UNITS} ids", len(targets))
    return Guardrails(target_ids=targets, principals=tuple(cfg.get("guardrailPrincipals")))


def _adopt(cfg: _Reader, s: Settings) -> Settings:
    """The existing resources the stack imports, checked against its settings."""
    values = {key: cfg.optional(key) for key in ADOPT_KEYS if s.role in schema.BY_NAME[key].roles}
    context = Context(
        account_id=s.account_id,
        region=s.region,
        partition=s.partition,
        trail_name=s.trail_name,
        log_bucket_name=cfg.optional("logBucketName") if s.role == "log-archive" else None,
        encryption=s.encryption if isinstance(s, ArchiveSettings) else None,
        has_log_group=s.alerting.enabled,
    )
    adoption, problems = read_adoption(values, context)
    for key, expected, got in problems:
        cfg.fail(key, expected, got)
    return replace(s, adopt=adoption)


def parse_settings(
    values: Mapping[str, Any],
    deployer: Callable[[], str] | None = None,
    secret_keys: Iterable[str] = (),
) -> Settings:
    """Validate the stack's whole config (`namespace:key` -> value) into Settings.

    `deployer` returns the ARN of the principal deploying the stack (an IAM role's ARN, path
    included, for a role session); it is called for a log-archive stack only, whose
    administrators must include it. A key of `secret_keys` whose value is `[secret]` stands in
    for a secret the preview cannot read, and is taken as it is. Raises ConfigError listing every
    problem; nothing else happens.
    """
    cfg = _Reader(values, secret_keys)
    account = _account(cfg)
    region = _region(cfg)
    partition = regions.partition_of(region)
    role: Role = cfg.get("role") or "member"
    if "role" not in cfg.project:
        cfg.fail("role", "log-archive or member (required)")
    cfg.check_keys(role)
    name_prefix = cfg.get("namePrefix")
    trail_name = cfg.optional("trailName") or name_prefix
    common: _Common = {
        "account_id": account,
        "region": region,
        "name_prefix": name_prefix,
        # Every account's trail carries this name: the log archive's policies admit only it.
        "trail_name": _name(cfg, "trailName", "cloudtrail-trail", trail_name) or trail_name,
        "trail_notifications": _fanout(cfg, "trailNotification"),
        "alerting": _alerting(cfg, partition),
        "insights": cfg.get("insights"),
        "tamper_alerts": cfg.get("tamperAlerts"),
    }
    for key in ("trailNotificationLambdaArn", "bucketNotificationLambdaArn"):
        _lambda_in_partition(cfg, key, partition)
    settings: Settings
    if role == "log-archive":
        settings = _log_archive(cfg, common, deployer)
    else:
        settings = _member(cfg, common)
    settings = _landing_zone(cfg, settings)
    settings = _adopt(cfg, settings)
    if cfg.problems:
        raise ConfigError(cfg.problems)
    return settings


# --- an existing landing zone, a StackSets delegated administrator, network activity events -----
# (README "On top of an existing landing zone"; cloudtrail_logging/landing_zone.py)


def _landing_zone(cfg: _Reader, s: Settings) -> Settings:
    """The keys for an organization that already has a landing zone and the newer event
    categories, checked against the rest of the stack's settings."""
    trail = _existing_trail(cfg, s)
    landed: Settings
    if isinstance(s, ArchiveSettings):
        bucket = _existing_archive_bucket(cfg, s, trail)
        landed = replace(s, existing_trail=trail, existing_archive_bucket=bucket)
    else:
        landed = replace(s, existing_trail=trail)
    network = NetworkActivity(
        sources=tuple(cfg.get("networkActivityEventSources")),
        denied_only=cfg.get("networkActivityDeniedOnly"),
    )
    if not network.sources and cfg.is_set("networkActivityDeniedOnly"):
        cfg.fail("networkActivityDeniedOnly", "no value without networkActivityEventSources")
    landed = replace(landed, network_activity=network)
    _trail_keys_without_a_trail(cfg, landed)
    if isinstance(landed, MemberSettings):
        _stack_set_caller(cfg, landed)
    return landed


def _existing_trail(cfg: _Reader, s: Settings) -> ExistingTrail | None:
    arn = cfg.optional("existingTrailArn")
    group = cfg.optional("existingTrailLogGroupName")
    if arn is None:
        if group is not None:
            cfg.fail("existingTrailLogGroupName", "no value without existingTrailArn", group)
        return None
    trail = ExistingTrail(arn)
    if trail.partition != s.partition:
        cfg.fail("existingTrailArn", f"a trail of the stack's partition {s.partition}", arn)
    if isinstance(s, MemberSettings) and s.organization_trail:
        cfg.fail("organizationTrail", "false with existingTrailArn: the organization already has "
                 "its trail, and a second copy of management events is billed")  # fmt: skip
    if group is None:
        return trail
    if _name(cfg, "existingTrailLogGroupName", "log-group", group) is None:
        return trail
    if (trail.account_id, trail.region) != (s.account_id, s.region):
        cfg.fail(
            "existingTrailLogGroupName",
            f"no value on this stack ({s.account_id}, {s.region}): the trail streams to a group "
            f"of its own account {trail.account_id} in its home Region {trail.region}, whose "
            "stack creates the metric filters",
            group,
        )
        return trail
    return ExistingTrail(arn, group)


def _existing_archive_bucket(
    cfg: _Reader, s: ArchiveSettings, trail: ExistingTrail | None
) -> str | None:
    bucket = cfg.optional("existingArchiveBucketName")
    if bucket is None:
        if trail is not None:
            cfg.fail("existingArchiveBucketName", "the existing archive bucket, with "
                     "existingTrailArn on a log-archive stack: its trail then records who reads "
                     "or changes that bucket")  # fmt: skip
        return None
    if _name(cfg, "existingArchiveBucketName", "s3-bucket", bucket) is None:
        return None
    if trail is None:
        cfg.fail("existingArchiveBucketName", "existingTrailArn too: the organization trail that "
                 "delivers to that bucket records this account's management events")  # fmt: skip
    ours = (s.log_bucket_name, s.integrity.access_log_bucket,
            s.integrity.replica.bucket if s.integrity.replica else None)  # fmt: skip
    if bucket in ours:
        cfg.fail("existingArchiveBucketName", "a bucket this stack does not create (not "
                 "logBucketName, accessLogBucketName or replicationBucket)", bucket)  # fmt: skip
    if not s.integrity.log_access_data_events:
        cfg.fail("logAccessDataEvents", "true with existingArchiveBucketName: the stack's trail "
                 "records nothing but who reads or changes the archives", False)  # fmt: skip
    if s.insights:
        cfg.fail("insights", "false with existingArchiveBucketName: the trail records data "
                 "events only, Insights on management events needs them, and pulumi-aws 7.51.1 "
                 "cannot select Insights on data events (InsightSelector EventCategories)",
                 True)  # fmt: skip
    return bucket


def _trail_keys_without_a_trail(cfg: _Reader, s: Settings) -> None:
    """Keys that configure a trail, or its log group, the stack does not create."""
    if not s.creates_trail:
        for key in ("trailNotificationTargets", "insights", "networkActivityEventSources"):
            if cfg.is_set(key):
                cfg.fail(key, "no value with existingTrailArn on a member stack: it creates no "
                         "trail (configure the existing trail instead)",
                         cfg.project[key])  # fmt: skip
    if s.own_log_group:
        return
    for key in ("logRetentionDays", "logGroupKms"):
        if cfg.is_set(key):
            cfg.fail(key, "no value with existingTrailArn: the stack creates no CloudWatch Logs "
                     "group (existingTrailLogGroupName is the existing trail's)",
                     cfg.project[key])  # fmt: skip
    has_group = s.existing_trail is not None and s.existing_trail.log_group_name is not None
    if cfg.is_set("cisControls") and not has_group:
        cfg.fail("cisControls", "no value without existingTrailLogGroupName: the metric filters "
                 "go on the existing trail's log group", cfg.project["cisControls"])  # fmt: skip


def _stack_set_caller(cfg: _Reader, s: MemberSettings) -> None:
    """The management account's stack never calls as DELEGATED_ADMIN (CreateStackSet, CallAs);
    the organization itself is asked at run time (`__main__.check_stack_set_caller`)."""
    if s.stack_set_call_as != DELEGATED_ADMIN:
        return
    if s.organization_trail or s.owns_existing_trail:
        why = "organizationTrail" if s.organization_trail else "it owns existingTrailArn"
        cfg.fail("stackSetCallAs", f"SELF on the management account's stack ({why}): "
                 "CreateStackSet refuses CallAs DELEGATED_ADMIN there, since Organizations "
                 "cannot register the management account as a delegated administrator",
                 DELEGATED_ADMIN)  # fmt: skip
