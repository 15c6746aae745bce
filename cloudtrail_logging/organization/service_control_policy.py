"""The organization's guardrail policy: a service control policy that prevents, where alerts
would only report.

A service control policy binds every principal of a member account, its root user included, and
never the management account nor service-linked roles (AWS Organizations User Guide, "Service
control policies (SCPs)", "Tasks and entities not restricted by SCPs"). The log-archive account
is a member account, so this policy also binds its root user, the one principal a bucket policy
cannot stop from replacing itself ("Bucket owner root principals can only be blocked ... by AWS
Organizations policies", DeleteBucketPolicy API reference).

Each statement is anchored to the AWS Control Tower mandatory control that does the same for
Control Tower's own resources (Control Tower controls reference, "Mandatory controls"), named in
its comment. Control Tower exempts its execution role by `aws:PrincipalArn`; so does this policy,
for the principals that legitimately deploy what it protects:

* the named archive administrators (for the archive's own trail, buckets and key);
* the StackSets execution role `stacksets-exec-*`, which service-managed StackSets use in every
  member account (CloudFormation User Guide, "Activate trusted access with AWS Organizations");
* `guardrailPrincipals`, the pipelines that deploy member stacks.

An exemption by ARN pattern could be claimed by creating a role of a matching name, or by
changing the trust policy of a named role, so `ProtectGuardrailRoles` lets only the exempted
principals create or change such roles (and this project's roles, `<prefix>-*`).

Deny-only: it is attached beside the organization's `FullAWSAccess` and any other SCP, and every
SCP on the path from the root to the account must allow an action (Organizations User Guide,
"SCP evaluation"), so it only ever removes permissions and coexists with the others. At most 5
SCPs can be attached to one target, and one holds at most 5,120 characters (Organizations
quotas), which `plan_problems` checks.
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
    "cloudtrail:StopLogging",
    "cloudtrail:DeleteTrail",
    "cloudtrail:UpdateTrail",
    "cloudtrail:PutEventSelectors",
    "cloudtrail:PutInsightSelectors",
)
ALERTING_ACTIONS = (
    "events:DeleteRule",
    "events:DisableRule",
    "events:PutRule",
    "events:PutTargets",
    "events:RemoveTargets",
    "logs:DeleteLogGroup",
    "logs:PutRetentionPolicy",
    "logs:DeleteMetricFilter",
    "logs:PutMetricFilter",
    "logs:DisassociateKmsKey",
    "cloudwatch:DeleteAlarms",
    "cloudwatch:DisableAlarmActions",
    "cloudwatch:PutMetricAlarm",
    "sns:DeleteTopic",
    "sns:SetTopicAttributes",
    "cloudformation:DeleteStack",
    "cloudformation:UpdateStack",
)
ROLE_ACTIONS = (
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:UpdateRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
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
    """Who may still change what the policy protects: archive administrators, StackSets, and
    the given role patterns."""
    execution = f"arn:{partition}:iam::*:role/{STACKSETS_EXECUTION_ROLE}"
    return sorted({*archive.administrator_arns, execution, *principals})


def guardrail_policy(
    *,
    partition: str,
    name_prefix: str,
    trail_name: str,
    archive: ArchiveView,
    principals: Sequence[str] = (),
) -> Policy:
    """The service control policy protecting the trails, the alerting, the StackSet-deployed
    resources and the log archive of every account it is attached to."""
    exempt = exempt_principals(partition, archive, principals)
    unless_exempt = {"ArnNotLike": {"aws:PrincipalArn": exempt}}
    unless_administrator = {
        "ArnNotLike": {"aws:PrincipalArn": sorted(set(archive.administrator_arns))}
    }
    any_account = f"arn:{partition}:{{service}}:*:*:{{resource}}"
    ours = f"{name_prefix}-*"
    buckets = [bucket_arn(partition, b) for b in archive.bucket_names]
    roles = sorted(
        {
            f"arn:{partition}:iam::*:role/{ours}",
            *(p for p in exempt if ":role/" in p),
            *(r for r in archive.reader_arns),
            *([archive.replication_role_arn] if archive.replication_role_arn else []),
        }
    )
    statements: list[dict[str, Any]] = [
        # AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED: the trail of every account, under its one name.
        {
            "Sid": "ProtectTrails",
            "Effect": "Deny",
            "Action": list(TRAIL_ACTIONS),
            "Resource": any_account.format(service="cloudtrail", resource=f"trail/{trail_name}"),
            "Condition": unless_exempt,
        },
        # AWS-GR_CLOUDWATCH_EVENTS_CHANGE_PROHIBITED, AWS-GR_LOG_GROUP_POLICY,
        # AWS-GR_SNS_CHANGE_PROHIBITED: the rules (also those the StackSets deploy), the log
        # group, its alarms, the alert topics, and the StackSet instances themselves.
        {
            "Sid": "ProtectAlerting",
            "Effect": "Deny",
            "Action": list(ALERTING_ACTIONS),
            "Resource": [
                any_account.format(service="events", resource=f"rule/{ours}"),
                any_account.format(service="logs", resource=f"log-group:{ours}"),
                any_account.format(service="cloudwatch", resource=f"alarm:{ours}"),
                any_account.format(service="sns", resource=ours),
                any_account.format(service="cloudformation", resource=f"stack/StackSet-{ours}"),
            ],
            "Condition": unless_exempt,
        },
        # AWS-GR_IAM_ROLE_CHANGE_PROHIBITED: this project's roles, and every role an exemption
        # or the archive's policies name, so none can be created or taken over to claim it.
        {
            "Sid": "ProtectGuardrailRoles",
            "Effect": "Deny",
            "Action": list(ROLE_ACTIONS),
            "Resource": roles,
            "Condition": unless_exempt,
        },
        # AWS-GR_CT_AUDIT_BUCKET_POLICY_CHANGES_PROHIBITED, ..._LIFECYCLE_CONFIGURATION_...,
        # ..._LOGGING_CONFIGURATION_..., ..._ENCRYPTION_CHANGES_PROHIBITED: the archive's
        # buckets, for everyone but the named archive administrators, its root user included.
        {
            "Sid": "ProtectArchiveConfiguration",
            "Effect": "Deny",
            "Action": list(BUCKET_ADMINISTRATION_ACTIONS),
            "Resource": buckets + [f"{b}/*" for b in buckets],
            "Condition": unless_administrator,
        },
        # AWS-GR_AUDIT_BUCKET_DELETION_PROHIBITED, extended to every log version: with this
        # policy attached, not even an archive administrator deletes a log (break-glass needs
        # the management account to detach the policy first).
        {
            "Sid": "DenyArchiveDeletion",
            "Effect": "Deny",
            "Action": [*OBJECT_DELETION_ACTIONS, "s3:DeleteBucket"],
            "Resource": buckets + [f"{b}/*" for b in buckets],
        },
        # Organizations User Guide, SCP examples: "Prevent member accounts from leaving the
        # organization", which would take an account out from under this policy.
        {
            "Sid": "DenyLeavingOrganization",
            "Effect": "Deny",
            "Action": "organizations:LeaveOrganization",
            "Resource": "*",
        },
    ]
    if archive.kms_key_arns:
        statements.insert(
            4,
            {
                "Sid": "ProtectArchiveKeys",
                "Effect": "Deny",
                "Action": list(KEY_ACTIONS),
                "Resource": list(archive.kms_key_arns),
                "Condition": unless_administrator,
            },
        )
    return {"Version": "2012-10-17", "Statement": statements}
