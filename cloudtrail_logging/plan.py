"""The plan: every name, ARN, policy document and setting a stack deploys, computed once.

`build_plan(settings, destination)` is a pure function of validated settings (and, for a member,
the log archive it delivers to). Components wire a plan's parts and compute nothing of their
own; `plan_problems` checks the plan against AWS's limits (names, policy sizes) before anything
is registered; tests inspect it as plain data. Everything here is known at preview: names are
explicit and ARNs are composed from them, never read from a resource.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, replace
from typing import Any

from cloudtrail_logging import aws_names
from cloudtrail_logging.alerting_policies import (
    EVENT_BUS_POLICY_MAX_CHARS,
    central_event_bus_policy,
    cloudtrail_logs_role_policy,
    cloudtrail_logs_role_trust_policy,
    cloudwatch_logs_kms_statement,
    event_forwarder_role_policy,
    event_forwarder_trust_policy,
)
from cloudtrail_logging.alerts import (
    API_CALL_DETAIL_TYPE,
    SIGN_IN_DETAIL_TYPES,
    AlarmSettings,
    ApiAlert,
    alarm_arn,
    api_rule_name,
    api_rule_prefix,
    event_pattern,
    event_rule_arn,
    eventbridge_rule_state,
    filter_slug,
    metric_filters,
)
from cloudtrail_logging.bucket_policy import (
    S3_POLICY_LIMIT_BYTES,
    log_bucket_policy,
    trail_arn_pattern,
)
from cloudtrail_logging.integrity import (
    ObjectLock,
    ReplicaTarget,
    access_log_bucket_policy,
    archive_event_selectors,
    insight_selectors,
    replica_bucket_policy,
    replica_key_policy,
    replica_key_statements,
    replication_role_name,
    replication_role_policy,
    replication_source_key_statement,
    replication_trust_policy,
)
from cloudtrail_logging.key_policy import (
    KMS_POLICY_LIMIT_BYTES,
    key_administration,
    log_key_policy,
    messaging_key_policy,
)
from cloudtrail_logging.naming import (
    bucket_arn,
    event_bus_arn,
    log_group_arn,
    logs_prefix,
    queue_arn,
    queue_url,
    role_arn,
    topic_arn,
    trail_arn,
)
from cloudtrail_logging.outputs import Destination
from cloudtrail_logging.policy_json import policy_size
from cloudtrail_logging.regions import global_events_region
from cloudtrail_logging.resource_policies import Sender, queue_policy, topic_policy
from cloudtrail_logging.schema import NAMESPACE
from cloudtrail_logging.service_control_policy import SCP_MAX_CHARS, guardrail_policy
from cloudtrail_logging.settings import ConfigError, Fanout, Lifecycle, Settings
from cloudtrail_logging.stackset import role_stack_set_name, rules_template
from cloudtrail_logging.tamper_alerts import (
    TamperAlert,
    archive_reconfiguration,
    guardrail_tampering,
    key_tampering,
    tamper_rule_name,
    trail_tampering,
)

Policy = dict[str, Any]

CLOUDTRAIL = "cloudtrail.amazonaws.com"
CLOUDWATCH = "cloudwatch.amazonaws.com"
EVENTS = "events.amazonaws.com"
S3 = "s3.amazonaws.com"
SNS = "sns.amazonaws.com"
LOG_OBJECT_EVENTS = ("s3:ObjectCreated:*",)
# Events forwarded by the members' API-call rules. PutEvents refuses custom events whose source
# starts with "aws.", so the prefix admits only events AWS itself emitted.
FORWARDED_EVENTS_PATTERN: dict[str, Any] = {
    "source": [{"prefix": "aws."}],
    "detail-type": [API_CALL_DETAIL_TYPE, *SIGN_IN_DETAIL_TYPES],
}


@dataclass(frozen=True)
class KeyPlan:
    """A customer managed key: rotation on, protected; its policy is complete here."""

    description: str
    alias: str
    policy: Policy


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


@dataclass(frozen=True)
class AccessLogPlan:
    """The log bucket's server-access-log bucket (CIS 3.4, Security Hub CloudTrail.7)."""

    bucket_name: str
    partition: str
    account_id: str
    source_bucket_name: str
    expire_after_days: int
    noncurrent_expire_after_days: int
    policy: Policy

    def component_args(self, source_bucket: Any) -> dict[str, Any]:
        """The AccessLogBucket arguments; `source_bucket` is the log bucket's name output."""
        return {
            "bucket_name": self.bucket_name,
            "partition": self.partition,
            "account_id": self.account_id,
            "source_bucket": source_bucket,
            "source_bucket_name": self.source_bucket_name,
            "expire_after_days": self.expire_after_days,
            "noncurrent_expire_after_days": self.noncurrent_expire_after_days,
            "policy": self.policy,
        }


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

    @property
    def role_name(self) -> str:
        return self.role.name

    @property
    def role_arn(self) -> str:
        return self.role.arn

    @property
    def foreign_documents(self) -> tuple[Policy, list[dict[str, Any]]] | None:
        """(bucket policy, key-policy statements) another account applies to its replica."""
        if not self.target.cross_account:
            return None
        return self.bucket_policy, list(self.key_statements)

    def component_args(self, source_bucket: Any, source_ready: list[Any]) -> dict[str, Any]:
        """The Replica arguments; `source_bucket` is the log bucket's name output, and
        `source_ready` its versioning (and key) that replication waits for."""
        return {
            "partition": self.partition,
            "account_id": self.account_id,
            "source_bucket": source_bucket,
            "source_bucket_name": self.source_bucket_name,
            "source_region": self.source_region,
            "source_sse_kms": self.source_sse_kms,
            "target": self.target,
            "role_name": self.role.name,
            "key_prefix": self.key_prefix,
            "key_alias": self.key_alias,
            "object_lock": self.object_lock,
            "lifecycle_rules": self.lifecycle_rules,
            "transition_default_minimum_object_size": self.transition_default_minimum_object_size,
            "reader_arns": self.reader_arns,
            "bucket_policy": self.bucket_policy,
            "key_policy": self.key_policy,
            "source_ready": source_ready,
        }


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
    role: RolePlan
    topic: TopicPlan
    alarms: tuple[AlarmPlan, ...]
    alarm: AlarmSettings


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
    """The API-call rules carried to every account of the organization by StackSets."""

    name_prefix: str
    partition: str
    stack_set_name: str
    alerts: tuple[ApiAlert, ...]
    alert_regions: tuple[str, ...]
    central_bus_arn: str
    call_as: str
    organizational_unit_ids: tuple[str, ...]
    """Empty: the organization root, read at run time."""

    def component_args(self, organizational_unit_ids: list[Any]) -> dict[str, Any]:
        """The OrganizationRules arguments, with the OUs (or the root) resolved."""
        return {
            "name_prefix": self.name_prefix,
            "partition": self.partition,
            "alerts": self.alerts,
            "alert_regions": self.alert_regions,
            "central_bus_arn": self.central_bus_arn,
            "organizational_unit_ids": organizational_unit_ids,
            "stack_set_name": self.stack_set_name,
            "call_as": self.call_as,
        }


@dataclass(frozen=True)
class TamperAlertsPlan:
    """Tamper rules in the home region, to an encrypted topic; rules of other Regions forward
    to the home region's default bus, where the home rules pick the events up."""

    home_region: str
    topic: TopicPlan
    rules: tuple[RulePlan, ...]
    home_bus_arn: str
    forwarder: RolePlan | None


@dataclass(frozen=True)
class GuardrailPlan:
    """The organization's service control policy and the targets it is attached to."""

    name: str
    description: str
    content: Policy
    target_ids: tuple[str, ...]
    """The root or OUs; empty: the organization root, read at run time."""


@dataclass(frozen=True)
class Plan:
    """A whole stack."""

    settings: Settings
    destination: Destination
    trail: TrailPlan
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
            self.trail.notifications,
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
            "trailName": self.trail.name,
            "trailArn": self.trail.arn,
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
            "replicaBucketPolicy": json.dumps(foreign[0]) if foreign else "",
            "replicaKeyPolicyStatements": json.dumps(foreign[1]) if foreign else "",
        }


# --- building blocks -----------------------------------------------------------------------------


def _topic(
    s: Settings,
    name: str,
    senders: list[Sender],
    *,
    region: str | None = None,
    queue: bool = False,
    lambda_arn: str | None = None,
    email: str | None = None,
) -> TopicPlan:
    region = region or s.region
    arn = topic_arn(s.partition, region, s.account_id, name)
    queue_plan = None
    if queue:
        queue_plan = _queue(s, f"{name}-queue", Sender(SNS, arn, "AllowTopicDelivery"), region)
    return TopicPlan(
        name=name,
        arn=arn,
        policy=topic_policy(arn, s.account_id, senders),
        queue=queue_plan,
        lambda_arn=lambda_arn,
        email=email,
    )


def _queue(s: Settings, name: str, sender: Sender, region: str | None = None) -> QueuePlan:
    region = region or s.region
    arn = queue_arn(s.partition, region, s.account_id, name)
    return QueuePlan(
        name=name,
        arn=arn,
        url=queue_url(region, s.account_id, name),
        policy=queue_policy(arn, s.account_id, [sender]),
    )


def _fanout_topic(s: Settings, name: str, sender: Sender, fanout: Fanout) -> TopicPlan:
    return _topic(s, name, [sender], queue="sqs" in fanout.targets, lambda_arn=fanout.lambda_arn)


def lifecycle_rules(
    lifecycle: Lifecycle, rule_id: str = "archive-cloudtrail-logs"
) -> tuple[dict[str, Any], ...]:
    """The log bucket's lifecycle rule, in pulumi-aws's BucketLifecycleConfiguration shape."""
    rule: dict[str, Any] = {
        "id": rule_id,
        "status": "Enabled",
        "filter": {"prefix": ""},
        "transitions": [
            {"days": lifecycle.transition_days, "storage_class": lifecycle.storage_class}
        ],
        "noncurrent_version_expiration": {
            "noncurrent_days": lifecycle.noncurrent_expire_after_days
        },
        "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
    }
    if lifecycle.expire_after_days:
        rule["expiration"] = {"days": lifecycle.expire_after_days}
    return (rule,)


def _messaging_key(s: Settings, publishers: list[str], topics: list[TopicPlan]) -> KeyPlan | None:
    """The key of this stack's topics and queues: each publishing service in its documented
    form, CloudWatch narrowed to this stack's alarms and SNS to the topics with a queue."""
    if not publishers:
        return None
    narrowed: dict[str, list[str]] = {}
    if CLOUDWATCH in publishers:
        narrowed[CLOUDWATCH] = [
            alarm_arn(s.partition, s.region, s.account_id, f"{s.name_prefix}-*")
        ]
    queued = sorted(t.arn for t in topics if t.queue is not None)
    if queued:
        narrowed[SNS] = queued
    return KeyPlan(
        description="Encrypts cloudtrail-logging notification topics and queues",
        alias=f"alias/{s.name_prefix}-messaging",
        policy=messaging_key_policy(
            partition=s.partition,
            account_id=s.account_id,
            publishers=sorted({*publishers, SNS}),
            source_arns=narrowed,
        ),
    )


def _trail(s: Settings, d: Destination) -> TrailPlan:
    notifications = None
    if s.trail_notifications.enabled:
        notifications = _fanout_topic(
            s,
            f"{s.name_prefix}-log-delivery",
            Sender(
                CLOUDTRAIL,
                trail_arn_pattern(s.partition, d.trail_name, s.account_id),
                "AllowTrailNotifications",
            ),
            s.trail_notifications,
        )
    selectors: tuple[dict[str, Any], ...] = ()
    if s.role == "log-archive" and s.integrity.log_access_data_events:
        selectors = tuple(archive_event_selectors(partition=s.partition, bucket=s.log_bucket_name))
    return TrailPlan(
        name=d.trail_name,
        arn=trail_arn(s.partition, s.region, s.account_id, d.trail_name),
        bucket_name=d.bucket_name,
        key_prefix=d.key_prefix,
        local_key=s.role == "log-archive" and s.encryption == "sse-kms",
        kms_key_arn=d.kms_key_arn if s.role == "member" else None,
        organization=s.organization_trail,
        notifications=notifications,
        advanced_event_selectors=selectors,
        insight_selectors=tuple(insight_selectors(s.insights)),
    )


def _bucket(s: Settings, replication: ReplicationPlan | None) -> BucketPlan:
    return BucketPlan(
        name=s.log_bucket_name,
        arn=bucket_arn(s.partition, s.log_bucket_name),
        policy=log_bucket_policy(
            partition=s.partition,
            bucket=s.log_bucket_name,
            writer_accounts=s.writer_accounts,
            trail_name=s.trail_name,
            administrator_arns=s.administrator_arns,
            key_prefix=s.s3_key_prefix,
            reader_arns=s.log_readers,
            replication_role_arn=replication.role.arn if replication else None,
            organization_id=s.organization_id,
            management_account_id=s.management_account_id,
            per_account_prefixes=s.per_account_policy,
        ),
        kms=s.encryption == "sse-kms",
        lifecycle_rules=lifecycle_rules(s.lifecycle),
        transition_default_minimum_object_size=_minimum_object_size(s.lifecycle),
        object_lock=s.integrity.object_lock,
    )


def _minimum_object_size(lifecycle: Lifecycle) -> str:
    # Below 128 KB a transition costs more than it saves (README, lifecycle costs), which
    # is S3's default since September 2024; `transitionSmallObjects` opts out.
    if lifecycle.transition_small_objects:
        return "varies_by_storage_class"
    return "all_storage_classes_128K"


def access_log_plan(s: Settings) -> AccessLogPlan | None:
    if s.integrity.access_log_bucket is None:
        return None
    bucket = s.integrity.access_log_bucket
    return AccessLogPlan(
        bucket_name=bucket,
        partition=s.partition,
        account_id=s.account_id,
        source_bucket_name=s.log_bucket_name,
        expire_after_days=s.integrity.access_log_retention_days,
        noncurrent_expire_after_days=s.lifecycle.noncurrent_expire_after_days,
        policy=access_log_bucket_policy(
            partition=s.partition,
            bucket=bucket,
            source_bucket=s.log_bucket_name,
            source_account=s.account_id,
            administrator_arns=s.administrator_arns,
        ),
    )


def replication_plan(s: Settings) -> ReplicationPlan | None:
    target = s.integrity.replica
    if target is None:
        return None
    name = replication_role_name(s.name_prefix)
    arn = role_arn(s.partition, s.account_id, name)
    sse_kms = s.encryption == "sse-kms"
    role = RolePlan(
        name=name,
        arn=arn,
        description="S3 replication of the CloudTrail log archive",
        trust_policy=replication_trust_policy(),
        policy_name="replicate-cloudtrail-logs",
        policy=replication_role_policy(
            partition=s.partition,
            account_id=s.account_id,
            source_bucket=s.log_bucket_name,
            source_region=s.region,
            key_prefix=s.s3_key_prefix,
            source_sse_kms=sse_kms,
            target=target,
            object_lock=s.integrity.object_lock is not None,
        ),
    )
    here = not target.cross_account
    key_statements = replica_key_statements(
        partition=s.partition,
        role_arn=arn,
        replica_bucket=target.bucket,
        replica_region=target.region,
        reader_arns=s.log_readers,
    )
    return ReplicationPlan(
        partition=s.partition,
        account_id=s.account_id,
        source_bucket_name=s.log_bucket_name,
        source_region=s.region,
        source_sse_kms=sse_kms,
        target=target,
        role=role,
        key_prefix=s.s3_key_prefix,
        key_alias=f"alias/{s.name_prefix}-replica",
        object_lock=s.integrity.object_lock,
        # The replica ages like the archive: same transition, expiry and minimum size.
        lifecycle_rules=lifecycle_rules(s.lifecycle, "archive-cloudtrail-log-replicas"),
        transition_default_minimum_object_size=_minimum_object_size(s.lifecycle),
        reader_arns=s.log_readers,
        bucket_policy=replica_bucket_policy(
            partition=s.partition,
            bucket=target.bucket,
            role_arn=arn,
            reader_arns=s.log_readers,
            administrator_arns=s.administrator_arns if here else None,
        ),
        key_statements=tuple(key_statements),
        key_policy=replica_key_policy(
            partition=s.partition,
            administrator_arns=s.administrator_arns,
            role_arn=arn,
            replica_bucket=target.bucket,
            replica_region=target.region,
            reader_arns=s.log_readers,
        )
        if here
        else None,
    )


def _notifications(s: Settings) -> NotificationsPlan | None:
    fanout = s.bucket_notifications
    if not fanout.enabled:
        return None
    source = bucket_arn(s.partition, s.log_bucket_name)
    base = NotificationsPlan(
        events=LOG_OBJECT_EVENTS,
        filter_prefix=logs_prefix(s.s3_key_prefix),
        bucket_arn=source,
        account_id=s.account_id,
    )
    sender = Sender(S3, source, "AllowLogBucketEvents")
    name = f"{s.name_prefix}-log-objects"
    if "sns" in fanout.targets:
        return replace(base, topic=_fanout_topic(s, name, sender, fanout))
    if "sqs" in fanout.targets:
        return replace(base, queue=_queue(s, name, sender))
    return replace(base, lambda_arn=fanout.lambda_arn)


def central_bus_plan(s: Settings) -> CentralBusPlan | None:
    if not s.alerting.api_alerts:
        return None
    name = f"{s.name_prefix}-alerts"
    arn = event_bus_arn(s.partition, s.region, s.account_id, name)
    members = [a for a in s.writer_accounts if a != s.account_id]
    policy = None
    if s.organization_id or members:
        policy = central_event_bus_policy(
            arn,
            organization_id=s.organization_id,
            member_account_ids=members,
            # Checked against EventBridge's quota with the other limits, in `plan_problems`.
            max_chars=sys.maxsize,
        )
    rule_name = f"{s.name_prefix}-forwarded-api-calls"
    rule = event_rule_arn(s.partition, s.region, s.account_id, rule_name, name)
    alerting = s.alerting
    return CentralBusPlan(
        name=name,
        arn=arn,
        policy=policy,
        rule_name=rule_name,
        rule_arn=rule,
        pattern=FORWARDED_EVENTS_PATTERN,
        topic=_topic(
            s,
            f"{s.name_prefix}-security-alerts",
            [Sender(EVENTS, rule, "AllowCentralBusRule")],
            queue=True,
            lambda_arn=alerting.alert_lambda_arn,
            email=alerting.alert_email,
        ),
    )


def cloudwatch_plan(s: Settings, organization_id: str | None) -> CloudWatchPlan | None:
    alerting = s.alerting
    if not alerting.enabled:
        return None
    prefix = s.name_prefix
    group = f"{prefix}-cloudtrail"
    group_arn = log_group_arn(s.partition, s.region, s.account_id, group)
    key = None
    if alerting.log_group_kms:
        key = KeyPlan(
            description=f"Encrypts the CloudWatch Logs group {group}",
            alias=f"alias/{group}-logs",
            policy={
                "Version": "2012-10-17",
                "Statement": [
                    key_administration(s.partition, s.account_id),
                    cloudwatch_logs_kms_statement(group_arn),
                ],
            },
        )
    role_name = f"{prefix}-cloudtrail-to-logs"
    role = RolePlan(
        name=role_name,
        arn=role_arn(s.partition, s.account_id, role_name),
        description=f"CloudTrail delivers to the CloudWatch Logs group {group}",
        trust_policy=cloudtrail_logs_role_trust_policy(),
        policy_name="cloudtrail-log-streams",
        policy=cloudtrail_logs_role_policy(group_arn, organization_id=organization_id),
    )
    descriptions = {c.control_id: f"{c.control_id}: {c.title}" for c in alerting.cis_controls}
    descriptions |= {a.name: a.description or f"API alert {a.name}" for a in alerting.api_alerts}
    alarms = tuple(
        AlarmPlan(
            slug=filter_slug(filter_id),
            filter_name=f"{prefix}-{filter_slug(filter_id)}",
            alarm_name=f"{prefix}-{filter_slug(filter_id)}",
            metric_name=metric_name,
            pattern=pattern,
            description=descriptions[filter_id][:1024],
        )
        for filter_id, metric_name, pattern in metric_filters(alerting)
    )
    topic = _topic(
        s,
        f"{prefix}-alarms",
        [
            Sender(
                CLOUDWATCH,
                alarm_arn(s.partition, s.region, s.account_id, f"{prefix}-*"),
                "AllowCloudWatchAlarms",
            )
        ],
        queue=True,
        lambda_arn=alerting.alert_lambda_arn,
        email=alerting.alert_email,
    )
    return CloudWatchPlan(
        log_group_name=group,
        log_group_arn=group_arn,
        retention_days=alerting.log_retention_days,
        key=key,
        role=role,
        topic=topic,
        alarms=alarms,
        alarm=alerting.alarm,
    )


def api_rules_plan(s: Settings, central_bus: str | None, local_topic: bool) -> ApiRulesPlan | None:
    alerting = s.alerting
    if not alerting.api_alerts:
        return None
    prefix, partition, account = s.name_prefix, s.partition, s.account_id
    rule_pattern = api_rule_prefix(prefix) + "*"
    forwarder = None
    if central_bus is not None:
        name = f"{prefix}-event-forwarder"
        forwarder = RolePlan(
            name=name,
            arn=role_arn(partition, account, name),
            description="EventBridge forwards API-call alerts to the central event bus",
            trust_policy=event_forwarder_trust_policy(
                account,
                [
                    event_rule_arn(partition, r, account, rule_pattern)
                    for r in alerting.alert_regions
                ],
            ),
            policy_name="put-events-central-bus",
            policy=event_forwarder_role_policy(central_bus),
        )
    topic = None
    if local_topic:
        topic = _topic(
            s,
            f"{prefix}-api-alerts",
            [
                Sender(
                    EVENTS,
                    event_rule_arn(partition, s.region, account, rule_pattern),
                    "AllowApiCallRules",
                )
            ],
            queue=True,
            lambda_arn=alerting.alert_lambda_arn,
            email=alerting.alert_email,
        )
    rules = tuple(
        RulePlan(
            region=region,
            name=api_rule_name(prefix, alert),
            alert=alert.name,
            description=(alert.description or f"API alert {alert.name}")[:512],
            pattern=event_pattern(alert),
            state=eventbridge_rule_state(alert),
        )
        for region in alerting.alert_regions
        for alert in alerting.api_alerts
    )
    return ApiRulesPlan(
        home_region=s.region, rules=rules, central_bus_arn=central_bus, forwarder=forwarder,
        topic=topic,
    )  # fmt: skip


def organization_plan(s: Settings, central_bus: str | None) -> OrganizationPlan | None:
    """StackSets in the organization trail's stack, when it has alerts and a central bus."""
    wanted = s.organization_trail and s.organization_alerts and s.alerting.api_alerts
    if not wanted or central_bus is None:
        return None
    return OrganizationPlan(
        name_prefix=s.name_prefix,
        partition=s.partition,
        stack_set_name=f"{s.name_prefix}-api-alerts",
        alerts=s.alerting.api_alerts,
        alert_regions=s.alerting.alert_regions,
        central_bus_arn=central_bus,
        call_as=s.stack_set_call_as,
        organizational_unit_ids=s.organizational_unit_ids,
    )


def build_plan(settings: Settings, destination: Destination) -> Plan:
    """The whole stack as data; `destination` is where the trail delivers."""
    s = settings
    archive = s.role == "log-archive"
    central_bus = central_bus_plan(s) if archive else None
    bus_arn = central_bus.arn if central_bus else destination.event_bus_arn
    organization = destination.organization_id if s.organization_trail else None
    trail = _trail(s, destination)
    notifications = _notifications(s) if archive else None
    cloudwatch = cloudwatch_plan(s, organization)
    api_rules = api_rules_plan(s, bus_arn, local_topic=not archive)
    guardrails = guardrail_plan(s, destination)
    tamper = tamper_alerts_plan(s, guardrails is not None)
    publishers = [
        *([S3] if notifications else []),
        *([CLOUDTRAIL] if trail.notifications else []),
        *([CLOUDWATCH] if cloudwatch else []),
        *([EVENTS] if central_bus or (api_rules and api_rules.topic) or tamper else []),
    ]
    replication = replication_plan(s) if archive else None
    log_key = None
    if archive and s.encryption == "sse-kms":
        key_policy = log_key_policy(
            partition=s.partition,
            writer_accounts=s.writer_accounts,
            trail_name=s.trail_name,
            administrator_arns=s.administrator_arns,
            reader_arns=s.log_readers,
        )
        if replication is not None:  # the role reads SSE-KMS logs only if the key policy says so
            statement = replication_source_key_statement(
                partition=s.partition,
                role_arn=replication.role_arn,
                source_bucket=s.log_bucket_name,
                source_region=s.region,
            )
            key_policy = {**key_policy, "Statement": [*key_policy["Statement"], statement]}
        log_key = KeyPlan(
            description="Encrypts CloudTrail logs in the central log archive",
            alias=f"alias/{s.name_prefix}-logs",
            policy=key_policy,
        )
    plan = Plan(
        settings=s,
        destination=destination,
        trail=trail,
        log_key=log_key,
        bucket=_bucket(s, replication) if archive else None,
        access_logs=access_log_plan(s) if archive else None,
        replication=replication,
        notifications=notifications,
        central_bus=central_bus,
        cloudwatch=cloudwatch,
        api_rules=api_rules,
        organization=organization_plan(s, bus_arn),
        tamper_alerts=tamper,
        guardrails=guardrails,
    )
    return replace(plan, messaging_key=_messaging_key(s, publishers, list(plan.topics)))


def _archive_bucket_names(s: Settings) -> list[str]:
    replica = s.integrity.replica
    names = [s.log_bucket_name, s.integrity.access_log_bucket]
    if replica is not None and not replica.cross_account:
        names.append(replica.bucket)
    return [n for n in names if n]


def tamper_alerts_plan(s: Settings, guardrails: bool) -> TamperAlertsPlan | None:
    """Tamper rules for what this stack holds; see `tamper_alerts`."""
    if not s.tamper_alerts:
        return None
    partition, account, home = s.partition, s.account_id, s.region
    regional: list[tuple[TamperAlert, tuple[str, ...]]] = [(trail_tampering(), ())]
    if s.role == "log-archive":
        replica = s.integrity.replica
        elsewhere = (replica.region,) if replica and not replica.cross_account else ()
        regional += [
            (archive_reconfiguration(_archive_bucket_names(s)), elsewhere),
            (key_tampering(), elsewhere),
        ]
    if guardrails:
        # Organizations is a global service: its events are in the global events region.
        regional.append((guardrail_tampering(), (global_events_region(partition),)))
    rules: list[RulePlan] = []
    for alert, extra in regional:
        for region in (home, *sorted(set(extra) - {home})):
            rules.append(
                RulePlan(
                    region=region,
                    name=tamper_rule_name(s.name_prefix, alert),
                    alert=alert.name,
                    description=alert.description,
                    pattern=alert.pattern(),
                    state="ENABLED",
                )
            )
    rule_prefix = tamper_rule_name(s.name_prefix, trail_tampering()).removesuffix("trail")
    home_bus = event_bus_arn(partition, home, account, "default")
    forwarder = None
    away = sorted({r.region for r in rules} - {home})
    if away:
        # EventBridge User Guide, "Sending and receiving events between AWS Regions": a rule
        # targets an event bus of another Region through a role, as across accounts.
        name = f"{s.name_prefix}-tamper-forwarder"
        forwarder = RolePlan(
            name=name,
            arn=role_arn(partition, account, name),
            description="EventBridge forwards tamper events to the home Region's default bus",
            trust_policy=event_forwarder_trust_policy(
                account, [event_rule_arn(partition, r, account, rule_prefix + "*") for r in away]
            ),
            policy_name="put-events-home-bus",
            policy=event_forwarder_role_policy(home_bus),
        )
    topic = _topic(
        s,
        f"{s.name_prefix}-tamper-alerts",
        [
            Sender(
                EVENTS,
                event_rule_arn(partition, home, account, rule_prefix + "*"),
                "AllowTamperAlertRules",
            )
        ],
        queue=True,
        lambda_arn=s.alerting.alert_lambda_arn,
        email=s.alerting.alert_email,
    )
    return TamperAlertsPlan(
        home_region=home, topic=topic, rules=tuple(rules), home_bus_arn=home_bus,
        forwarder=forwarder,
    )  # fmt: skip


def guardrail_plan(s: Settings, destination: Destination) -> GuardrailPlan | None:
    """The organization's service control policy, from the management account's stack."""
    if s.guardrails is None or destination.archive is None:
        return None
    return GuardrailPlan(
        name=f"{s.name_prefix}-guardrails",
        description="cloudtrail-logging: trails, alerting and the log archive cannot be "
        "stopped, changed or erased from member accounts",
        content=guardrail_policy(
            partition=s.partition,
            name_prefix=s.name_prefix,
            trail_name=destination.trail_name,
            archive=destination.archive,
            principals=s.guardrails.principals,
        ),
        target_ids=s.guardrails.target_ids,
    )


# --- checking the plan against AWS's limits ------------------------------------------------------


def _names(plan: Plan) -> list[tuple[str, str, str]]:
    """(kind, name, config key it derives from) of every name the plan gives AWS."""
    prefix = "namePrefix"
    found: list[tuple[str, str, str]] = [("cloudtrail-trail", plan.trail.name, "trailName")]
    for topic in plan.topics:
        found.append(("sns-topic", topic.name, prefix))
        if topic.queue:
            found.append(("sqs-queue", topic.queue.name, prefix))
    if plan.notifications and plan.notifications.queue:
        found.append(("sqs-queue", plan.notifications.queue.name, prefix))
    for key in (plan.log_key, plan.messaging_key, plan.cloudwatch.key if plan.cloudwatch else None):
        if key is not None:
            found.append(("kms-alias", key.alias, prefix))
    if plan.cloudwatch:
        cw = plan.cloudwatch
        found += [("log-group", cw.log_group_name, prefix), ("iam-role", cw.role.name, prefix)]
        for alarm in cw.alarms:
            found += [
                ("metric-filter", alarm.filter_name, prefix),
                ("cloudwatch-alarm", alarm.alarm_name, prefix),
            ]
    if plan.api_rules:
        for rule in plan.api_rules.rules:
            found.append(("eventbridge-rule", rule.name, "apiAlerts"))
        if plan.api_rules.forwarder:
            found.append(("iam-role", plan.api_rules.forwarder.name, prefix))
    if plan.organization:
        name = plan.organization.stack_set_name
        found += [("stack-set", name, prefix), ("stack-set", role_stack_set_name(name), prefix)]
    if plan.replication:
        found += [
            ("iam-role", plan.replication.role_name, prefix),
            ("kms-alias", plan.replication.key_alias, prefix),
        ]
    if plan.central_bus:
        found += [
            ("eventbridge-bus", plan.central_bus.name, prefix),
            ("eventbridge-rule", plan.central_bus.rule_name, prefix),
        ]
    if plan.tamper_alerts:
        found += [("eventbridge-rule", r.name, prefix) for r in plan.tamper_alerts.rules]
        if plan.tamper_alerts.forwarder:
            found.append(("iam-role", plan.tamper_alerts.forwarder.name, prefix))
    return found


def plan_problems(plan: Plan) -> list[str]:
    """Everything AWS would refuse at deploy time, as one-line config errors."""
    s = plan.settings
    problems = []
    if plan.organization is not None:
        org = plan.organization
        try:
            rules_template(
                org.alerts,
                name_prefix=s.name_prefix,
                partition=s.partition,
                central_bus_arn=org.central_bus_arn,
            )
        except ValueError as error:
            problems.append(f"{NAMESPACE}:apiAlerts: expected alerts that fit a StackSet: {error}")
    for kind, name, key in _names(plan):
        problem = aws_names.check_name(kind, name)
        if problem is not None:
            problems.append(
                f"{NAMESPACE}:{key}: expected a value that gives a valid {kind} name; {name!r}: "
                f"{problem}"
            )
    if plan.bucket is not None:
        size = policy_size(plan.bucket.policy)
        if size > S3_POLICY_LIMIT_BYTES:
            problems.append(
                f"{NAMESPACE}:memberAccounts: expected at most as many accounts as fit S3's 20 KB "
                f"bucket policy limit (this list makes {size} bytes); use an organization trail "
                "beyond that"
                + (", or bucketPolicyForm policy-variable" if s.per_account_policy else "")
            )
    bus_policy = plan.central_bus.policy if plan.central_bus else None
    if bus_policy is not None and policy_size(bus_policy) > EVENT_BUS_POLICY_MAX_CHARS:
        problems.append(
            f"{NAMESPACE}:memberAccounts: expected a list the central event bus policy can hold "
            f"({EVENT_BUS_POLICY_MAX_CHARS} characters, it makes {policy_size(bus_policy)}), or "
            "organizationId set so the bus admits the organization"
        )
    if s.guardrails is not None and plan.guardrails is None:
        problems.append(
            f"{NAMESPACE}:guardrailPolicy: expected a log-archive stack that exports "
            "archiveAdministrators (the guardrail policy names them); update that stack first"
        )
    if plan.guardrails is not None and policy_size(plan.guardrails.content) > SCP_MAX_CHARS:
        problems.append(
            f"{NAMESPACE}:guardrailPrincipals: expected a guardrail policy within the "
            f"{SCP_MAX_CHARS}-character SCP limit (it makes {policy_size(plan.guardrails.content)}"
            "); name fewer principals, or patterns that cover several"
        )
    if plan.log_key is not None and policy_size(plan.log_key.policy) > KMS_POLICY_LIMIT_BYTES:
        problems.append(
            f"{NAMESPACE}:memberAccounts: expected a list whose key policy fits 32 KB (it makes "
            f"{policy_size(plan.log_key.policy)} bytes)"
        )
    return problems


def checked_plan(settings: Settings, destination: Destination) -> Plan:
    """The plan, or ConfigError naming every limit it breaks; nothing is registered either way."""
    plan = build_plan(settings, destination)
    problems = plan_problems(plan)
    if problems:
        raise ConfigError(problems)
    return plan
