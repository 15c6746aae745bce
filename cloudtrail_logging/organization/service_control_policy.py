"""The organization's guardrail policy: a service control policy that prevents, where alerts
would only report.

A service control policy binds every principal of a member account, its root user included, and
never the management account nor service-linked roles (AWS Organizations User Guide, "Service
control policies (SCPs)", "Tasks and entities not restricted by SCPs"). The log-archive account
is a member account, so this policy also binds its root user, the one principal a bucket policy
cannot stop from replacing itself ("Bucket owner root principals can only be blocked ... by AWS
Organizations policies", DeleteBucketPolicy API reference).

Its statements follow the AWS Control Tower mandatory controls that do the same for Control
Tower's own resources (Control Tower controls reference, "Mandatory controls"), which exempt
Control Tower's execution role by `aws:PrincipalArn`:

* `ProtectLogging`, every account: the trail of the agreed name, this project's rules, buses, log
  groups, alarms, topics, queues, StackSet instances and roles (and every role an exemption names,
  so that none can be created or taken over to claim one), for everyone but the named archive
  administrators, `guardrailPrincipals` (the pipelines that deploy member stacks) and the
  StackSets execution role `stacksets-exec-*` (CloudFormation User Guide, "Activate trusted
  access with AWS Organizations");
* `ProtectKeys`, every account: this project's KMS keys (by alias, `kms:ResourceAliases`),
  for the same principals;
* `ProtectArchive`, the log-archive account: the archive's buckets, keys, roles, identity
  providers, trail, central bus and alerting, for the named archive administrators only: there
  the exemptions above do not apply, so that neither a member stack's pipeline nor a StackSet
  reaches into the archive;
* `ProtectArchiveAccount`, the log-archive account: the actions that name no resource
  (unsubscribing, a subscription's filter policy, an event bus's permissions), for the
  administrators only;
* `DenyArchiveDeletion`, for everyone: deleting a log, a replica or an access record, bypassing a
  GOVERNANCE lock, deleting a bucket, replacing a lifecycle (which expires logs without a
  request) and scheduling an archive key's deletion. With the policy attached, erasing anything
  takes two parties: the management account detaches the policy, then an administrator acts;
* `DenyLeavingOrganization`: an account that left would be out of reach of the policy.

Deny-only: it is attached beside the organization's `FullAWSAccess` and any other SCP, and every
SCP on the path from the root to the account must allow an action (Organizations User Guide,
"SCP evaluation"), so it only ever removes permissions and coexists with the others. At most 5
SCPs can be attached to one target, and one holds at most 5,120 characters (Organizations
quotas), which `plan_problems` checks: the statements come as two policies, one for the
organization's logging, one for the archive, each attached to the same targets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cloudtrail_logging.archive.guard import BUCKET_ADMINISTRATION_ACTIONS, OBJECT_DELETION_ACTIONS
from cloudtrail_logging.aws import Policy
from cloudtrail_logging.aws.arns import bucket_arn
from cloudtrail_logging.outputs import ArchiveView

SCP_MAX_CHARS = 5120
STACKSETS_EXECUTION_ROLE = "stacksets-exec-*"

TRAIL_ACTIONS = (
    "cloudtrail:CreateTrail",  # a second trail of the agreed name, whose logs the archive takes
    "cloudtrail:StopLogging",
    "cloudtrail:DeleteTrail",
    "cloudtrail:UpdateTrail",
    "cloudtrail:Put*Selectors",  # PutEventSelectors, PutInsightSelectors
)
ALERTING_ACTIONS = (
    "events:PutRule",
    "events:PutTargets",
    "events:RemoveTargets",
    "events:DeleteRule",
    "events:DisableRule",
    "events:DeleteEventBus",
    "logs:DeleteLogGroup",
    "logs:DeleteLogStream",
    "logs:PutRetentionPolicy",
    "logs:*MetricFilter",
    "logs:*KmsKey",
    "cloudwatch:DeleteAlarms",
    "cloudwatch:DisableAlarmActions",
    "cloudwatch:PutMetricAlarm",
    "sns:DeleteTopic",
    "sns:SetTopicAttributes",
    "sqs:DeleteQueue",
    "sqs:PurgeQueue",
    "sqs:SetQueueAttributes",
    "cloudformation:DeleteStack",
    "cloudformation:UpdateStack",
    # An alias names a key for ProtectKeys' condition ("Use aliases to control access to KMS
    # keys"): moving or deleting one would take its key out of reach of the policy.
    "kms:DeleteAlias",
    "kms:UpdateAlias",
)
# Every way to change a role or to use it elsewhere.
ROLE_ACTIONS = (
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:UpdateRole*",
    "iam:UpdateAssumeRolePolicy",
    "iam:*RolePolicy",
    "iam:*RolePermissionsBoundary",
    "iam:TagRole",
    "iam:UntagRole",
    # Handing a role to a service; adding it to an instance profile needs it too (Service
    # Authorization Reference, AddRoleToInstanceProfile: dependent action iam:PassRole), and
    # names the profile, not the role, so only this denies it on the role.
    "iam:PassRole",
)
# In the log-archive account, every action on this project's trail, rules, log groups, alarms,
# topics and roles, reads included: only the archive administrators (and, for the log group, the
# role CloudTrail delivers to it with) use them. Queues keep their consumers, buses their
# senders (members put events on the central bus), keys their readers: those get the listed
# actions only.
ARCHIVE_SERVICE_ACTIONS = (
    "cloudtrail:*",
    "events:*Rule",
    "events:*Targets",
    "events:*EventBus",
    "logs:*",
    "cloudwatch:*",
    "sns:*",
    "iam:*",
    "sqs:DeleteQueue",
    "sqs:PurgeQueue",
    "sqs:SetQueueAttributes",
)
# Actions that name no resource (Service Authorization Reference: no resource type), so a
# statement can deny them only with "Resource": "*": in the log-archive account, to everyone but
# its administrators (unsubscribing or filtering the alerts' subscriptions, the central bus's
# permissions).
ARCHIVE_ACCOUNT_ACTIONS = (
    "sns:Unsubscribe",
    "sns:SetSubscriptionAttributes",
    "events:PutPermission",
    "events:RemovePermission",
)
KEY_ACTIONS = (
    "kms:PutKeyPolicy",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:ScheduleKeyDeletion",
    "kms:CreateGrant",
)


def exempt_principals(
    partition: str, archive: ArchiveView, principals: Sequence[str]
) -> list[str]:
    """Who may still change the logging of member accounts: archive administrators, StackSets,
    and the given role patterns."""
    execution = f"arn:{partition}:iam::*:role/{STACKSETS_EXECUTION_ROLE}"
    return sorted({*archive.administrator_arns, execution, *principals})


def _logging_resources(partition: str, account: str, prefix: str, trail_name: str) -> list[str]:
    """This project's trail, alerting and roles in `account`; for `*` (every account) also its
    key aliases and StackSet instances, for the archive's account its identity providers."""
    ours = f"{prefix}-*"

    def arn(service: str, resource: str, region: str = "*") -> str:
        return f"arn:{partition}:{service}:{region}:{account}:{resource}"

    found = [
        arn("cloudtrail", f"trail/{trail_name}"),
        arn("events", f"rule/{ours}"),
        arn("events", f"event-bus/{ours}"),
        arn("logs", f"log-group:{ours}"),
        arn("cloudwatch", f"alarm:{ours}"),
        arn("sns", ours),
        arn("sqs", ours),
        arn("iam", f"role/{ours}", region=""),
    ]
    if account == "*":  # ProtectLogging's aliases and StackSet instances
        found += [arn("kms", f"alias/{ours}"), arn("cloudformation", f"stack/StackSet-{ours}")]
    else:  # the archive's account: who can sign in as the roles it names
        found += [arn("iam", f"{kind}-provider/*", region="") for kind in ("saml", "oidc")]
    return found


def guardrail_policies(
    *,
    partition: str,
    name_prefix: str,
    trail_name: str,
    archive: ArchiveView,
    principals: Sequence[str] = (),
) -> tuple[Policy, Policy]:
    """The service control policies protecting, in every account they are attached to, the
    trails, the alerting, the keys and the StackSet-deployed resources (the first), and the log
    archive (the second). Two documents, each well within the 5,120-character quota, leave
    room for `guardrailPrincipals`; both are attached to the same targets."""
    exempt = exempt_principals(partition, archive, principals)
    unless_exempt = {"ArnNotLike": {"aws:PrincipalArn": exempt}}
    administrators = sorted(set(archive.administrator_arns))
    # The archive's own buckets (a replica in another account keeps its own administration),
    # each with its objects: `<bucket>*` covers `<bucket>` and `<bucket>/...`.
    owned = [bucket_arn(partition, b) + "*" for b in archive.bucket_names]
    every = owned + [bucket_arn(partition, b) + "*" for b in archive.foreign_bucket_names]
    archive_logging = _logging_resources(
        partition, archive.account_id, archive.name_prefix, trail_name
    )
    project_roles = f"arn:{partition}:iam::{archive.account_id}:role/{archive.name_prefix}-"
    # CloudTrail's role for the archive's log group (alerting/policies.py) writes its events.
    delivery = f"{project_roles}cloudtrail-to-logs"
    named_roles = sorted(
        arn
        for arn in {*archive.administrator_arns, *archive.reader_arns,
                    *([archive.replication_role_arn] if archive.replication_role_arn else [])}
        if not arn.startswith(project_roles)
    )  # fmt: skip
    organization: list[dict[str, Any]] = [
        {
            "Sid": "ProtectLogging",
            "Effect": "Deny",
            "Action": [*TRAIL_ACTIONS, *ALERTING_ACTIONS, *ROLE_ACTIONS],
            "Resource": [
                *_logging_resources(partition, "*", name_prefix, trail_name),
                # Every role an exemption names by pattern, so that none can be created or
                # taken over to claim it (the administrators' are ProtectArchive's).
                *(p for p in exempt if ":role/" in p and p not in administrators),
            ],
            "Condition": unless_exempt,
        },
        {
            "Sid": "ProtectKeys",
            "Effect": "Deny",
            "Action": list(KEY_ACTIONS),
            "Resource": "*",
            "Condition": {
                **unless_exempt,
                "ForAnyValue:StringLike": {"kms:ResourceAliases": f"alias/{name_prefix}-*"},
            },
        },
        # Organizations User Guide, SCP examples: "Prevent member accounts from leaving the
        # organization".
        {
            "Sid": "DenyLeavingOrganization",
            "Effect": "Deny",
            "Action": "organizations:LeaveOrganization",
            "Resource": "*",
        },
    ]
    archive_statements: list[dict[str, Any]] = [
        {
            "Sid": "ProtectArchive",
            "Effect": "Deny",
            "Action": [*BUCKET_ADMINISTRATION_ACTIONS, *ARCHIVE_SERVICE_ACTIONS, *KEY_ACTIONS],
            "Resource": [*owned, *archive_logging, *named_roles, *archive.kms_key_arns],
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": [*administrators, delivery]}},
        },
        {
            "Sid": "ProtectArchiveAccount",
            "Effect": "Deny",
            "Action": list(ARCHIVE_ACCOUNT_ACTIONS),
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:PrincipalAccount": archive.account_id},
                "ArnNotLike": {"aws:PrincipalArn": administrators},
            },
        },
        {
            "Sid": "DenyArchiveDeletion",
            "Effect": "Deny",
            "Action": [
                *OBJECT_DELETION_ACTIONS,
                "s3:DeleteBucket",
                "s3:PutLifecycleConfiguration",
                "kms:ScheduleKeyDeletion",
            ],
            "Resource": [*every, *archive.kms_key_arns],
        },
    ]
    return (
        {"Version": "2012-10-17", "Statement": organization},
        {"Version": "2012-10-17", "Statement": archive_statements},
    )
