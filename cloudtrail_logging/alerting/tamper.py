"""Tamper alerts: EventBridge rules that report, within seconds, an attempt to silence or weaken
the logging.

CloudTrail sends every management event to EventBridge as "AWS API Call via CloudTrail", failed
calls (errorCode AccessDenied) included, so an attempt that a guard refuses is reported as well
as one that succeeds (EventBridge User Guide, "Events from AWS services delivered via AWS
CloudTrail"). The slower CIS metric filters (Security Hub CloudWatch.5, .7, .8) watch the same
calls in every Region of the trail; these rules are the fast path, and each stack has them:

* every stack: the trail stopped, deleted or reconfigured (any trail of the account);
* the log archive: its buckets' policy, lifecycle, versioning, encryption, logging, Object Lock,
  replication, public access or ownership changed, or a bucket deleted; a key disabled, scheduled
  for deletion, or its policy, rotation or grants changed (any key of the account: the log key's
  ARN is unknown at preview);
* the stack that owns the organization's guardrail policy: the policy detached, changed or
  deleted, or SCPs disabled.

Event names are those CloudTrail records (S3 User Guide, "Amazon S3 CloudTrail events",
bucket-level actions: e.g. PutBucketLifecycle for PutBucketLifecycleConfiguration; KMS Developer
Guide, "Logging AWS KMS API calls with AWS CloudTrail"; Organizations User Guide, "Logging and
monitoring in AWS Organizations").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cloudtrail_logging.alerting.alerts import ApiAlert, event_pattern

TAMPER_RULE_INFIX = "tamper-"

TRAIL_EVENTS = ("StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors",
                "PutInsightSelectors")  # fmt: skip
BUCKET_EVENTS = (
    "PutBucketPolicy", "DeleteBucketPolicy", "PutBucketLifecycle", "DeleteBucketLifecycle",
    "PutBucketVersioning", "PutBucketEncryption", "DeleteBucketEncryption", "PutBucketLogging",
    "PutObjectLockConfiguration", "PutBucketReplication", "DeleteBucketReplication",
    "PutBucketPublicAccessBlock", "DeleteBucketPublicAccessBlock", "PutBucketOwnershipControls",
    "DeleteBucketOwnershipControls", "PutBucketAcl", "PutBucketNotification", "DeleteBucket",
)  # fmt: skip
KEY_EVENTS = ("DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "DisableKeyRotation",
              "CreateGrant")  # fmt: skip
GUARDRAIL_EVENTS = ("DetachPolicy", "UpdatePolicy", "DeletePolicy", "DisablePolicyType")


@dataclass(frozen=True)
class TamperAlert:
    """One tamper rule: an API alert, optionally narrowed by request parameters."""

    name: str
    description: str
    alert: ApiAlert
    request_parameters: dict[str, list[str]] = field(default_factory=dict)

    def pattern(self) -> dict[str, Any]:
        """The EventBridge event pattern (`alerts.event_pattern`, plus the narrowing)."""
        pattern = event_pattern(self.alert)
        if self.request_parameters:
            pattern["detail"]["requestParameters"] = dict(self.request_parameters)
        return pattern


def _alert(name: str, source: str, events: Sequence[str]) -> ApiAlert:
    return ApiAlert(name=name, event_source=source, event_names=tuple(events))


def trail_tampering() -> TamperAlert:
    return TamperAlert(
        "trail",
        "A trail was stopped, deleted or reconfigured (or someone tried)",
        _alert("trail", "cloudtrail.amazonaws.com", TRAIL_EVENTS),
    )


def archive_reconfiguration(bucket_names: Sequence[str]) -> TamperAlert:
    return TamperAlert(
        "archive",
        "A bucket of the log archive was reconfigured or deleted (or someone tried)",
        _alert("archive", "s3.amazonaws.com", BUCKET_EVENTS),
        {"bucketName": sorted(bucket_names)},
    )


def key_tampering() -> TamperAlert:
    return TamperAlert(
        "keys",
        "A KMS key was disabled, scheduled for deletion, or its policy, rotation or grants "
        "changed (or someone tried)",
        _alert("keys", "kms.amazonaws.com", KEY_EVENTS),
    )


def guardrail_tampering() -> TamperAlert:
    return TamperAlert(
        "guardrails",
        "A service control policy was detached, changed or deleted, or SCPs disabled",
        _alert("guardrails", "organizations.amazonaws.com", GUARDRAIL_EVENTS),
    )


def tamper_rule_name(name_prefix: str, alert: TamperAlert) -> str:
    return f"{name_prefix}-{TAMPER_RULE_INFIX}{alert.name}"
