"""Tamper alerts: EventBridge rules that report, within seconds, an attempt to silence or weaken
the logging.

CloudTrail sends every management event to EventBridge as "AWS API Call via CloudTrail", failed
calls (errorCode AccessDenied) included, so an attempt that a guard refuses is reported as well
as one that succeeds (EventBridge User Guide, "Events from AWS services delivered via AWS
CloudTrail"). The slower CIS metric filters (Security Hub CloudWatch.5, .7, .8) watch the same
calls in every Region of the trail; these rules are the fast path, and each stack has them:

* every stack: the trail stopped, deleted or reconfigured (any trail of the account); this
  project's roles changed (and, in the log archive, every role it names); a key of the account
  disabled, scheduled for deletion, or its policy or rotation changed; this project's
  EventBridge rules, targets or buses changed or deleted; its topics deleted, re-permissioned
  or unsubscribed from; the account leaving the organization;
* the log archive: its buckets' policy, lifecycle, versioning, encryption, logging, Object Lock,
  replication, public access or ownership changed, or a bucket deleted; a grant created on a key
  (any key of the account: the log key's ARN is unknown at preview), in the replica's Region too;
* the stack that owns the organization's guardrail policy: the policy detached, changed or
  deleted, SCPs disabled, or an account removed, closed or moved to another OU.

IAM and Organizations are global services whose events CloudTrail records in one Region (us-east-1
in the commercial partition: CloudTrail User Guide, "Global service events"), so their rules live
there too and forward to the home Region, where the home copy of the rule matches them. A rule
cannot report its own deletion, so two rules watch EventBridge in every Region that holds a tamper
rule, each the other's witness; in the log archive a third alert watches its identity providers.
The guardrail policy's alerts also go to the log archive's central bus.

Event names are those CloudTrail records (S3 User Guide, "Amazon S3 CloudTrail events",
bucket-level actions: e.g. PutBucketLifecycle for PutBucketLifecycleConfiguration; KMS Developer
Guide, "Logging AWS KMS API calls with AWS CloudTrail"; Organizations User Guide, "Logging and
monitoring in AWS Organizations").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cloudtrail_logging.alerting.alerts import ApiAlert, event_pattern

TAMPER_RULE_INFIX = "tamper-"

TRAIL_EVENTS = ("CreateTrail", "StopLogging", "DeleteTrail", "UpdateTrail",
                "PutEventSelectors", "PutInsightSelectors")  # fmt: skip
BUCKET_EVENTS = (
    "PutBucketPolicy", "DeleteBucketPolicy", "PutBucketLifecycle", "DeleteBucketLifecycle",
    "PutBucketVersioning", "PutBucketEncryption", "DeleteBucketEncryption", "PutBucketLogging",
    "PutObjectLockConfiguration", "PutBucketReplication", "DeleteBucketReplication",
    "PutBucketPublicAccessBlock", "DeleteBucketPublicAccessBlock", "PutBucketOwnershipControls",
    "DeleteBucketOwnershipControls", "PutBucketAcl", "PutBucketNotification", "DeleteBucket",
)  # fmt: skip
KEY_EVENTS = ("DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "DisableKeyRotation",
              "CreateGrant")  # fmt: skip
# A member account's services create grants all day (EBS, RDS: "Grants in AWS KMS"), so a
# member's rule leaves CreateGrant out; the archive account has no such traffic.
MEMBER_KEY_EVENTS = KEY_EVENTS[:-1]
GUARDRAIL_EVENTS = ("DetachPolicy", "UpdatePolicy", "DeletePolicy", "DisablePolicyType",
                    "RemoveAccountFromOrganization", "CloseAccount", "MoveAccount")  # fmt: skip
ROLE_EVENTS = (
    "UpdateAssumeRolePolicy", "PutRolePolicy", "DeleteRolePolicy", "AttachRolePolicy",
    "DetachRolePolicy", "PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary",
    "UpdateRole", "DeleteRole",
)  # fmt: skip
EVENTBRIDGE_EVENTS = ("PutRule", "DisableRule", "DeleteRule", "PutTargets", "RemoveTargets",
                      "DeleteEventBus", "PutPermission", "RemovePermission")  # fmt: skip
# SetSubscriptionAttributes sets a subscription's filter policy, which can drop every alert.
TOPIC_EVENTS = ("DeleteTopic", "SetTopicAttributes", "Unsubscribe", "SetSubscriptionAttributes",
                "RemovePermission", "AddPermission")  # fmt: skip
# Who can sign in as the roles the archive names: its account's SAML and OIDC providers.
IDENTITY_PROVIDER_EVENTS = (
    "CreateSAMLProvider", "UpdateSAMLProvider", "DeleteSAMLProvider",
    "CreateOpenIDConnectProvider", "UpdateOpenIDConnectProviderThumbprint",
    "AddClientIDToOpenIDConnectProvider", "RemoveClientIDFromOpenIDConnectProvider",
    "DeleteOpenIDConnectProvider",
)  # fmt: skip
EVENTBRIDGE_WATCHERS = ("eventbridge", "eventbridge-witness")
LEAVE_EVENTS = ("LeaveOrganization",)


@dataclass(frozen=True)
class TamperAlert:
    """One tamper rule: an API alert, optionally narrowed by request parameters."""

    name: str
    description: str
    alert: ApiAlert
    request_parameters: tuple[dict[str, list[Any]], ...] = ()
    """Request parameters to match, each mapping one of its alternatives ("$or"; EventBridge User
    Guide, "Content filtering in Amazon EventBridge event patterns", Or matching)."""
    global_service: bool = False
    """Recorded only in the partition's global events Region (IAM, Organizations)."""

    def pattern(self) -> dict[str, Any]:
        """The EventBridge event pattern (`alerts.event_pattern`, plus the narrowing)."""
        pattern = event_pattern(self.alert)
        alternatives = [{"requestParameters": dict(p)} for p in self.request_parameters]
        if len(alternatives) == 1:
            pattern["detail"] |= alternatives[0]
        elif alternatives:
            pattern["detail"]["$or"] = alternatives
        return pattern


def _tamper(
    name: str,
    description: str,
    source: str,
    events: Sequence[str],
    request_parameters: tuple[dict[str, list[Any]], ...] = (),
    *,
    global_service: bool = False,
) -> TamperAlert:
    """The tamper rule `name` on `events` of the service `source`."""
    alert = ApiAlert(name=name, event_source=source, event_names=tuple(events))
    return TamperAlert(name, description, alert, request_parameters, global_service)


def trail_tampering() -> TamperAlert:
    return _tamper(
        "trail",
        "A trail was created, stopped, deleted or reconfigured (or someone tried)",
        "cloudtrail.amazonaws.com", TRAIL_EVENTS,
    )


def archive_reconfiguration(bucket_names: Sequence[str]) -> TamperAlert:
    return _tamper(
        "archive",
        "A bucket of the log archive was reconfigured or deleted (or someone tried)",
        "s3.amazonaws.com",
        BUCKET_EVENTS,
        ({"bucketName": sorted(bucket_names)},),
    )


def key_tampering(events: Sequence[str] = KEY_EVENTS) -> TamperAlert:
    return _tamper(
        "keys",
        "A KMS key was disabled, scheduled for deletion, or its policy, rotation or grants "
        "changed (or someone tried)",
        "kms.amazonaws.com", events,
    )


def guardrail_tampering() -> TamperAlert:
    return _tamper(
        "guardrails",
        "A service control policy was detached, changed or deleted, or SCPs disabled",
        "organizations.amazonaws.com", GUARDRAIL_EVENTS,
        global_service=True,
    )


def role_tampering(name_prefix: str, role_names: Sequence[str] = ()) -> TamperAlert:
    """This project's roles (by prefix) and the roles the archive names, changed or deleted."""
    names: list[Any] = [*sorted(set(role_names)), {"prefix": f"{name_prefix}-"}]
    return _tamper(
        "roles",
        "A role of this project, or one the archive names, was changed or deleted (or someone "
        "tried)",
        "iam.amazonaws.com", ROLE_EVENTS,
        ({"roleName": names},),
        global_service=True,
    )


def eventbridge_tampering(name_prefix: str, name: str = EVENTBRIDGE_WATCHERS[0]) -> TamperAlert:
    """This project's rules, targets and buses changed or deleted (each API names them in its
    own request parameter: a rule by `name` or `rule`, a bus by `name` or `eventBusName`)."""
    ours = [{"prefix": f"{name_prefix}-"}]
    return _tamper(
        name,
        "A rule, target or event bus of this project was changed or deleted (or someone tried)",
        "events.amazonaws.com", EVENTBRIDGE_EVENTS,
        ({"name": ours}, {"rule": ours}, {"eventBusName": ours}),
    )


def topic_tampering(partition: str, region: str, account_id: str, name_prefix: str) -> TamperAlert:
    """This project's topics deleted, re-permissioned or unsubscribed from (a subscription's ARN
    begins with its topic's)."""
    ours = [{"prefix": f"arn:{partition}:sns:{region}:{account_id}:{name_prefix}-"}]
    return _tamper(
        "topics",
        "A topic of this project was deleted, re-permissioned or unsubscribed from (or someone "
        "tried)",
        "sns.amazonaws.com", TOPIC_EVENTS,
        ({"topicArn": ours}, {"subscriptionArn": ours}),
    )


def identity_provider_tampering() -> TamperAlert:
    """A SAML or OIDC provider of the archive account created, changed or deleted: whoever
    controls one signs in as every role that trusts it."""
    return _tamper(
        "identity-providers",
        "A SAML or OIDC identity provider of the account was created, changed or deleted (or "
        "someone tried)",
        "iam.amazonaws.com", IDENTITY_PROVIDER_EVENTS,
        global_service=True,
    )


def leaving_organization() -> TamperAlert:
    return _tamper(
        "organization",
        "The account left its organization (or tried)",
        "organizations.amazonaws.com", LEAVE_EVENTS,
        global_service=True,
    )


def tamper_rule_name(name_prefix: str, alert: TamperAlert) -> str:
    return f"{name_prefix}-{TAMPER_RULE_INFIX}{alert.name}"
