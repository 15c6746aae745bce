"""The settings a stack asks for, typed per role: what every stack reads (`StackSettings`),
the log archive's (`ArchiveSettings`) and a member's (`MemberSettings`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cloudtrail_logging.adoption import Adoption
from cloudtrail_logging.alerting.alerts import AlertSettings
from cloudtrail_logging.aws import regions
from cloudtrail_logging.integrity.network_activity import NetworkActivity
from cloudtrail_logging.integrity.object_lock import ObjectLock
from cloudtrail_logging.integrity.replication import ReplicaTarget
from cloudtrail_logging.landing_zone import ExistingTrail

Encryption = Literal["sse-s3", "sse-kms"]


@dataclass(frozen=True)
class Lifecycle:
    """Object lifecycle of the log bucket; expiry 0 keeps logs forever."""

    transition_days: int
    storage_class: str
    transition_small_objects: bool
    expire_after_days: int
    noncurrent_expire_after_days: int


@dataclass(frozen=True)
class Integrity:
    """Log integrity and evidence of access to the archive (log-archive stack)."""

    access_log_bucket: str | None
    """The server-access-log bucket; None: no server access logging."""
    access_log_retention_days: int
    """0: access logs kept forever."""
    object_lock: ObjectLock | None
    replica: ReplicaTarget | None
    log_access_data_events: bool


@dataclass(frozen=True)
class Fanout:
    """Where notifications go: an SQS queue, SNS topic or Lambda function of this account."""

    targets: tuple[str, ...]
    lambda_arn: str | None

    @property
    def enabled(self) -> bool:
        return bool(self.targets)


@dataclass(frozen=True)
class CentralArchive:
    """Where a member stack delivers: from the log-archive stack's outputs, or given explicitly."""

    stack: str | None
    bucket_name: str | None
    account_id: str | None
    kms_key_arn: str | None
    event_bus_arn: str | None


@dataclass(frozen=True)
class Guardrails:
    """The organization's service control policy, created by the management account's stack."""

    target_ids: tuple[str, ...]
    """The root or OUs it is attached to; empty: the organization root, read at run time."""
    principals: tuple[str, ...]
    """Role ARN patterns it exempts besides the archive administrators and StackSets."""


@dataclass(frozen=True, kw_only=True)
class StackSettings:
    """What every stack asks for, whatever its role; the plan derives the rest.

    The reader sets every field (the schema holds the defaults, once); only the last three, which
    its later steps check against the rest, start empty.
    """

    account_id: str
    region: str
    name_prefix: str
    trail_name: str
    trail_notifications: Fanout
    alerting: AlertSettings
    insights: bool
    tamper_alerts: bool
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
    administrator_arns: tuple[str, ...]
    """The named archive administrators; never empty once read from config."""
    administrators_defaulted: bool
    """True when `administrator_arns` is the deploying principal, not set in config."""
    encryption: Encryption
    member_accounts: tuple[str, ...]
    log_bucket_name: str
    s3_key_prefix: str | None
    per_account_policy: bool
    lifecycle: Lifecycle
    integrity: Integrity
    bucket_notifications: Fanout
    log_readers: tuple[str, ...]
    organization_id: str | None
    management_account_id: str | None
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
    central: CentralArchive
    """Where the stack delivers: the log-archive stack named, or the archive given explicitly."""
    organization_trail: bool
    organization_alerts: bool
    organizational_unit_ids: tuple[str, ...]
    stack_set_call_as: str
    guardrails: Guardrails | None

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
