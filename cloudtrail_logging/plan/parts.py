"""The parts a plan is made of: one frozen dataclass per thing a component wires, each
carrying every name, ARN and finished document the component needs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cloudtrail_logging.alerting.alerts import AlarmSettings
from cloudtrail_logging.aws import (
    Policy,
)
from cloudtrail_logging.integrity.object_lock import ObjectLock
from cloudtrail_logging.integrity.replication import (
    ReplicaTarget,
)
from cloudtrail_logging.organization.stackset import OperationPreferences
from cloudtrail_logging.outputs import Destination
from cloudtrail_logging.settings import Settings


@dataclass(frozen=True)
class KeyPlan:
    """A customer managed key: rotation on, protected; its policy is complete here."""

    description: str
    alias: str
    policy: Policy
    import_id: str | None = None
    """An existing key the first `pulumi up` imports (its key id); None: a new key."""


@dataclass(frozen=True)
class QueuePlan:
    """An encrypted queue whose policy admits exactly one sender."""

    name: str
    arn: str
    url: str
    policy: Policy


@dataclass(frozen=True)
class TopicPlan:
    """An encrypted topic whose policy admits only its senders, and its subscribers."""

    name: str
    arn: str
    policy: Policy
    queue: QueuePlan | None = None
    lambda_arn: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class RolePlan:
    """An IAM role with one inline policy."""

    name: str
    arn: str
    description: str
    trust_policy: Policy
    policy_name: str
    policy: Policy


@dataclass(frozen=True)
class BucketPlan:
    """The central log bucket."""

    name: str
    arn: str
    policy: Policy
    kms: bool
    """SSE-KMS with the stack's log key and the S3 Bucket Key; SSE-S3 otherwise."""
    lifecycle_rules: tuple[dict[str, Any], ...]
    transition_default_minimum_object_size: str
    object_lock: ObjectLock | None = None
    """Default retention of every new log version (Security Hub S3.15)."""
    import_id: str | None = None
    """An existing bucket imported with its policy, encryption and versioning (its name)."""


@dataclass(frozen=True)
class AccessLogPlan:
    """The log bucket's server-access-log bucket (CIS 3.4, Security Hub CloudTrail.7)."""

    bucket_name: str
    """In the log bucket's account and Region (S3 delivers only there)."""
    source_bucket_name: str
    policy: Policy
    lifecycle_rules: tuple[dict[str, Any], ...]
    target_prefix: str
    target_object_key_format: dict[str, Any]
    """`aws.s3.BucketLogging` key format of the records (date-partitioned)."""


@dataclass(frozen=True)
class ReplicationPlan:
    """Replication of the log bucket to another Region (Security Hub S3.7)."""

    partition: str
    account_id: str
    source_bucket_name: str
    source_region: str
    source_sse_kms: bool
    target: ReplicaTarget
    role: RolePlan
    key_prefix: str | None
    key_alias: str
    object_lock: ObjectLock | None
    lifecycle_rules: tuple[dict[str, Any], ...]
    transition_default_minimum_object_size: str
    reader_arns: tuple[str, ...]
    bucket_policy: Policy
    """The replica's bucket policy: applied here, or by the other account (exported)."""
    key_statements: tuple[dict[str, Any], ...]
    """The statements the replica key's policy needs (the other account adds them)."""
    key_policy: Policy | None
    """The whole policy of the replica key this stack creates (replica in this account)."""

    rule: dict[str, Any]
    """The replication rule (`aws.s3.BucketReplicationConfig` shape); with `replica_key_here`
    its destination's replica key is the one this stack creates, filled in by the component."""

    @property
    def replica_key_here(self) -> bool:
        """The replica's key is created by this stack (replica in this account, SSE-KMS logs)."""
        return not self.target.cross_account and self.source_sse_kms

    @property
    def role_arn(self) -> str:
        return self.role.arn

    @property
    def foreign_documents(self) -> tuple[Policy, list[dict[str, Any]]] | None:
        """(bucket policy, key-policy statements) another account applies to its replica."""
        if not self.target.cross_account:
            return None
        return self.bucket_policy, list(self.key_statements)


@dataclass(frozen=True)
class NotificationsPlan:
    """S3 event notifications of new log objects: one topic, queue or function."""

    events: tuple[str, ...]
    filter_prefix: str
    bucket_arn: str
    account_id: str
    topic: TopicPlan | None = None
    queue: QueuePlan | None = None
    lambda_arn: str | None = None


@dataclass(frozen=True)
class TrailPlan:
    """The stack's trail: multi-region, global events, digest files."""

    name: str
    arn: str
    bucket_name: str
    key_prefix: str | None
    local_key: bool
    """Encrypt with this stack's log key (the log archive with SSE-KMS)."""
    kms_key_arn: str | None
    """Encrypt with this key of the log archive (a member)."""
    organization: bool
    notifications: TopicPlan | None
    advanced_event_selectors: tuple[dict[str, Any], ...] = ()
    """Empty: every management event, CloudTrail's default; else they replace it."""
    insight_selectors: tuple[dict[str, str], ...] = ()
    import_id: str | None = None
    """An existing trail the first `pulumi up` imports (its ARN)."""


@dataclass(frozen=True)
class AlarmPlan:
    """One metric filter and the alarm on its metric."""

    slug: str
    filter_name: str
    alarm_name: str
    metric_name: str
    pattern: str
    description: str


@dataclass(frozen=True)
class CloudWatchPlan:
    """The trail's log group, its delivery role, metric filters, alarms and alarm topic."""

    log_group_name: str
    log_group_arn: str
    retention_days: int
    key: KeyPlan | None
    role: RolePlan | None
    """None for an existing trail's group: its own trail delivers to it."""
    topic: TopicPlan
    alarms: tuple[AlarmPlan, ...]
    alarm: AlarmSettings
    log_group_import_id: str | None = None
    """An existing log group the first `pulumi up` imports (its name)."""

    @property
    def existing(self) -> bool:
        """The group is an existing organization trail's: only filters and alarms are ours."""
        return self.role is None


@dataclass(frozen=True)
class RulePlan:
    """One EventBridge rule for one API alert in one region."""

    region: str
    name: str
    alert: str
    description: str
    pattern: dict[str, Any]
    state: str


@dataclass(frozen=True)
class ApiRulesPlan:
    """API-call rules in every alert region, forwarding to the central bus and a local topic."""

    home_region: str
    rules: tuple[RulePlan, ...]
    central_bus_arn: str | None
    forwarder: RolePlan | None
    topic: TopicPlan | None


@dataclass(frozen=True)
class CentralBusPlan:
    """The log archive's event bus, its policy, and the rule to the security topic."""

    name: str
    arn: str
    policy: Policy | None
    rule_name: str
    rule_arn: str
    pattern: dict[str, Any]
    topic: TopicPlan


@dataclass(frozen=True)
class OrganizationPlan:
    """The API-call rules carried to every account of the organization by two service-managed
    StackSets: the forwarder role (one instance, IAM being global), then the rules (one instance
    per alert region), with templates complete and validated here."""

    stack_set_name: str
    role_stack_set_name: str
    call_as: str
    regions: tuple[str, ...]
    """Where the rules stack set has an instance: the alert regions and the global one."""
    role_region: str
    rules_template_body: str
    role_template_body: str
    preferences: OperationPreferences
    organizational_unit_ids: tuple[str, ...]
    """Empty: the organization root, read at run time."""
    excluded_account_ids: tuple[str, ...] = ()
    """Accounts of those OUs left out (the log archive's, whose own stack has these rules)."""


@dataclass(frozen=True)
class TamperAlertsPlan:
    """Tamper rules in the home region, to an encrypted topic; rules of other Regions forward
    to the home region's default bus, where the home rules pick the events up."""

    home_region: str
    topic: TopicPlan
    rules: tuple[RulePlan, ...]
    home_bus_arn: str
    forwarder: RolePlan | None
    central_bus_arn: str | None = None
    """The archive's central bus, which the `escalated` alerts' home rules also target."""
    escalated: tuple[str, ...] = ()


@dataclass(frozen=True)
class GuardrailPlan:
    """The organization's service control policies (the logging's, the archive's) and the
    targets they are attached to."""

    name: str
    description: str
    content: Policy
    archive_name: str
    archive_description: str
    archive_content: Policy
    target_ids: tuple[str, ...]
    """The root or OUs; empty: the organization root, read at run time."""


@dataclass(frozen=True)
class Plan:
    """A whole stack."""

    settings: Settings
    destination: Destination
    trail: TrailPlan | None
    """None: an existing organization trail records this member account."""
    log_key: KeyPlan | None = None
    messaging_key: KeyPlan | None = None
    bucket: BucketPlan | None = None
    access_logs: AccessLogPlan | None = None
    replication: ReplicationPlan | None = None
    notifications: NotificationsPlan | None = None
    central_bus: CentralBusPlan | None = None
    cloudwatch: CloudWatchPlan | None = None
    api_rules: ApiRulesPlan | None = None
    organization: OrganizationPlan | None = None
    tamper_alerts: TamperAlertsPlan | None = None
    guardrails: GuardrailPlan | None = None

    @property
    def topics(self) -> tuple[TopicPlan, ...]:
        found = [
            self.trail.notifications if self.trail else None,
            self.notifications.topic if self.notifications else None,
            self.central_bus.topic if self.central_bus else None,
            self.cloudwatch.topic if self.cloudwatch else None,
            self.api_rules.topic if self.api_rules else None,
            self.tamper_alerts.topic if self.tamper_alerts else None,
        ]
        return tuple(t for t in found if t is not None)

    def static_outputs(self) -> dict[str, Any]:
        """Every stack output known at preview (the log key's ARN is added by the program)."""
        s, d, cw = self.settings, self.destination, self.cloudwatch
        outputs: dict[str, Any] = {
            "role": s.role,
            "accountId": s.account_id,
            "region": s.region,
            "partition": s.partition,
            "trailName": self.trail.name if self.trail else d.trail_name,
            "trailArn": self.trail.arn if self.trail else "",
            "logBucketName": d.bucket_name,
            "logArchiveAccountId": d.account_id,
            "s3KeyPrefix": d.key_prefix or "",
            "kmsKeyArn": d.kms_key_arn or "",
            "logGroupName": cw.log_group_name if cw else "",
            "logRetentionDays": cw.retention_days if cw else 0,
            "alarmNames": [a.alarm_name for a in cw.alarms] if cw else [],
            "alarmTopicArn": cw.topic.arn if cw else "",
            "alarmQueueUrl": cw.topic.queue.url if cw and cw.topic.queue else "",
            "topicArns": [t.arn for t in self.topics],
            "existingTrailArn": s.existing_trail.arn if s.existing_trail else "",
        }
        if s.role == "log-archive":
            outputs |= {
                "memberAccounts": list(s.member_accounts),
                "encryption": s.encryption,
                "organizationId": s.organization_id or "",
                "managementAccountId": s.management_account_id or "",
                "eventBusArn": self.central_bus.arn if self.central_bus else "",
                "archiveAdministrators": list(s.administrator_arns),
                "logReaders": list(s.log_readers),
                "namePrefix": s.name_prefix,
                "existingArchiveBucketName": s.existing_archive_bucket or "",
            } | self._integrity_outputs()
        return outputs

    def _integrity_outputs(self) -> dict[str, Any]:
        lock = self.bucket.object_lock if self.bucket else None
        replica = self.replication
        foreign = replica.foreign_documents if replica else None
        return {
            "accessLogBucketName": self.access_logs.bucket_name if self.access_logs else "",
            "objectLockMode": lock.mode if lock else "",
            "objectLockRetentionDays": lock.retention_days if lock else 0,
            "replicaBucketName": replica.target.bucket if replica else "",
            "replicaRegion": replica.target.region if replica else "",
            "replicaAccountId": replica.target.account_id or replica.account_id if replica else "",
            "replicationRoleArn": replica.role_arn if replica else "",
            # This stack's replica key is known once created (the program exports it then).
            "replicaKmsKeyArn": (replica.target.kms_key_arn or "") if replica else "",
            "replicaBucketPolicy": json.dumps(foreign[0]) if foreign else "",
            "replicaKeyPolicyStatements": json.dumps(foreign[1]) if foreign else "",
        }
