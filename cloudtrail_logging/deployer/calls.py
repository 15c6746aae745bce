"""The reviewed table: which AWS API calls pulumi-aws makes for each resource type this program
registers, and the IAM action each call is authorized as.

pulumi-aws 7 is bridged from the Terraform AWS provider, so a resource's Create, Read, Update and
Delete make the calls of the Terraform resource's functions of the same names; each row names the
file of hashicorp/terraform-provider-aws it was read from (`internal/service/<service>/...`).
Calls that AWS authorizes besides the API's own action (iam:PassRole when a service is handed a
role) name the AWS page that says so. `api` is the botocore operation (`<service>.<Operation>`),
`action` the IAM action (the Service Authorization Reference, as parliament ships it); a test
checks both exist and that the resources `on` names are of a type the action is authorized on.

`on` says what the request is authorized against (`scope.py` composes it from the resource's
inputs): the resource itself (`self`) or what an input names. `when` names the input that makes
the provider make the call (empty: always). `condition` names a condition `scope.py` adds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Op = Literal["create", "read", "update", "delete"]
OPS: tuple[Op, ...] = ("create", "read", "update", "delete")
CRU: tuple[Op, ...] = ("create", "read", "update")
CU: tuple[Op, ...] = ("create", "update")
CR: tuple[Op, ...] = ("create", "read")
CUD: tuple[Op, ...] = ("create", "update", "delete")


@dataclass(frozen=True)
class Call:
    """One API call the provider makes for a resource type."""

    op: Op
    api: str
    action: str
    on: str = "self"
    when: str = ""
    condition: str = ""
    source: str = ""
    """The AWS page behind a call AWS authorizes besides the API's own action."""


@dataclass(frozen=True)
class TypeCalls:
    """A resource type's calls, and the Terraform resource they were read from."""

    source: str
    calls: tuple[Call, ...]


TF = "hashicorp/terraform-provider-aws internal/service/"
PASS_ROLE_PAGE = (
    "IAM User Guide, 'Grant a user permissions to pass a role to an AWS service' "
    "(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html)"
)
ORG_TRAIL_PAGE = (
    "CloudTrail User Guide, 'Prepare for creating a trail for your organization' "
    "(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/"
    "creating-an-organizational-trail-prepare.html)"
)


def _c(op: Op, api: str, action: str, on: str = "self", when: str = "", condition: str = "",
       source: str = "") -> Call:
    return Call(op, api, action, on, when, condition, source)


def _bucket_part(source: str, get: tuple[str, str], put: tuple[str, str],
                 delete: tuple[str, str]) -> TypeCalls:
    """A bucket setting: Put on create and update (then Get), Get on read, Delete on delete."""
    return TypeCalls(TF + "s3/" + source, (
        _c("create", f"s3.{put[0]}", put[1], "bucket"),
        _c("create", f"s3.{get[0]}", get[1], "bucket"),
        _c("read", f"s3.{get[0]}", get[1], "bucket"),
        _c("update", f"s3.{put[0]}", put[1], "bucket"),
        _c("delete", f"s3.{delete[0]}", delete[1], "bucket"),
    ))


def _crud(source: str, service: str, on: str, *, create: str, reads: tuple[str, ...],
          updates: tuple[str, ...], deletes: tuple[str, ...]) -> TypeCalls:
    """A type whose calls are each the action of the same name on `on`: `create`, `reads` on
    create, read and update (the provider reads back what it wrote), `updates`, `deletes`."""
    def call(op: Op, api: str) -> Call:
        return _c(op, f"{service}.{api}", f"{service}:{api}", on)
    return TypeCalls(TF + source, (
        call("create", create),
        *(call(op, api) for op in CRU for api in reads),
        *(call("update", api) for api in updates),
        *(call("delete", api) for api in deletes),
    ))


def _attribute_policy(source: str, service: str, on: str, set_api: str,
                      get_api: str) -> TypeCalls:
    """A resource policy kept as an attribute of its topic or queue: `set_api` on create, update
    and delete (which writes it back empty), `get_api` on create, read and update."""
    return TypeCalls(TF + source, (
        *(_c(op, f"{service}.{set_api}", f"{service}:{set_api}", on) for op in CUD),
        *(_c(op, f"{service}.{get_api}", f"{service}:{get_api}", on) for op in CRU),
    ))


_TRAIL_WRITES: tuple[tuple[Op, str], ...] = (("create", "CreateTrail"), ("update", "UpdateTrail"))
_INSTANCE_WRITES: tuple[tuple[Op, str], ...] = (
    ("create", "CreateStackInstances"), ("update", "UpdateStackInstances"),
    ("delete", "DeleteStackInstances"),
)

# Read by `aws_s3_bucket`'s Read: the bucket and every setting it reports.
_BUCKET_READS = (
    ("HeadBucket", "s3:ListBucket"),
    ("GetBucketPolicy", "s3:GetBucketPolicy"),
    ("GetBucketAcl", "s3:GetBucketAcl"),
    ("GetBucketCors", "s3:GetBucketCORS"),
    ("GetBucketWebsite", "s3:GetBucketWebsite"),
    ("GetBucketVersioning", "s3:GetBucketVersioning"),
    ("GetBucketAccelerateConfiguration", "s3:GetAccelerateConfiguration"),
    ("GetBucketRequestPayment", "s3:GetBucketRequestPayment"),
    ("GetBucketLogging", "s3:GetBucketLogging"),
    ("GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"),
    ("GetBucketReplication", "s3:GetReplicationConfiguration"),
    ("GetBucketEncryption", "s3:GetEncryptionConfiguration"),
    ("GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"),
    ("GetBucketTagging", "s3:GetBucketTagging"),
)

TYPES: dict[str, TypeCalls] = {
    "aws:s3/bucket:Bucket": TypeCalls(TF + "s3/bucket.go", (
        _c("create", "s3.CreateBucket", "s3:CreateBucket", "bucket"),
        *(_c(op, f"s3.{api}", action, "bucket")
          for op in CRU for api, action in _BUCKET_READS),
        _c("delete", "s3.DeleteBucket", "s3:DeleteBucket", "bucket"),
    )),
    "aws:s3/bucketPolicy:BucketPolicy": _bucket_part(
        "bucket_policy.go", ("GetBucketPolicy", "s3:GetBucketPolicy"),
        ("PutBucketPolicy", "s3:PutBucketPolicy"),
        ("DeleteBucketPolicy", "s3:DeleteBucketPolicy")),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": _bucket_part(
        "bucket_public_access_block.go",
        ("GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
        ("PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
        ("DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock")),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": _bucket_part(
        "bucket_ownership_controls.go",
        ("GetBucketOwnershipControls", "s3:GetBucketOwnershipControls"),
        ("PutBucketOwnershipControls", "s3:PutBucketOwnershipControls"),
        ("DeleteBucketOwnershipControls", "s3:PutBucketOwnershipControls")),
    "aws:s3/bucketVersioning:BucketVersioning": _bucket_part(
        "bucket_versioning.go", ("GetBucketVersioning", "s3:GetBucketVersioning"),
        ("PutBucketVersioning", "s3:PutBucketVersioning"),
        # Delete suspends versioning (PutBucketVersioning Suspended).
        ("PutBucketVersioning", "s3:PutBucketVersioning")),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
        _bucket_part(
            "bucket_server_side_encryption_configuration.go",
            ("GetBucketEncryption", "s3:GetEncryptionConfiguration"),
            ("PutBucketEncryption", "s3:PutEncryptionConfiguration"),
            ("DeleteBucketEncryption", "s3:PutEncryptionConfiguration")),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": _bucket_part(
        "bucket_lifecycle_configuration.go",
        ("GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"),
        ("PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration"),
        ("DeleteBucketLifecycle", "s3:PutLifecycleConfiguration")),
    "aws:s3/bucketLogging:BucketLogging": _bucket_part(
        "bucket_logging.go", ("GetBucketLogging", "s3:GetBucketLogging"),
        ("PutBucketLogging", "s3:PutBucketLogging"),
        # Delete writes an empty logging status.
        ("PutBucketLogging", "s3:PutBucketLogging")),
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": _bucket_part(
        "bucket_object_lock_configuration.go",
        ("GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"),
        ("PutObjectLockConfiguration", "s3:PutBucketObjectLockConfiguration"),
        # Delete removes the default retention (PutObjectLockConfiguration without a rule).
        ("PutObjectLockConfiguration", "s3:PutBucketObjectLockConfiguration")),
    "aws:s3/bucketNotification:BucketNotification": _bucket_part(
        "bucket_notification.go",
        ("GetBucketNotificationConfiguration", "s3:GetBucketNotification"),
        ("PutBucketNotificationConfiguration", "s3:PutBucketNotification"),
        # Delete writes an empty notification configuration.
        ("PutBucketNotificationConfiguration", "s3:PutBucketNotification")),
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": TypeCalls(
        TF + "s3/bucket_replication_configuration.go", (
            *_bucket_part(
                "", ("GetBucketReplication", "s3:GetReplicationConfiguration"),
                ("PutBucketReplication", "s3:PutReplicationConfiguration"),
                ("DeleteBucketReplication", "s3:PutReplicationConfiguration")).calls,
            # S3 User Guide, "Setting up permissions for live replication": the caller passes
            # the replication role to S3.
            *(_c(op, "s3.PutBucketReplication", "iam:PassRole", "pass-role", "role",
                 "passed-to:s3.amazonaws.com", PASS_ROLE_PAGE) for op in CU),
        )),
    "aws:kms/key:Key": TypeCalls(TF + "kms/key.go", (
        _c("create", "kms.CreateKey", "kms:CreateKey", "*", condition="key-spec"),
        _c("create", "kms.EnableKeyRotation", "kms:EnableKeyRotation", "key"),
        *(_c(op, f"kms.{api}", f"kms:{api}", "key")
          for op in CRU
          for api in ("DescribeKey", "GetKeyPolicy", "GetKeyRotationStatus", "ListResourceTags")),
        _c("update", "kms.EnableKeyRotation", "kms:EnableKeyRotation", "key"),
        _c("update", "kms.UpdateKeyDescription", "kms:UpdateKeyDescription", "key",
           condition="aliases"),
        _c("update", "kms.PutKeyPolicy", "kms:PutKeyPolicy", "key", condition="aliases"),
        _c("delete", "kms.ScheduleKeyDeletion", "kms:ScheduleKeyDeletion", "key",
           condition="aliases"),
    )),
    "aws:kms/alias:Alias": TypeCalls(TF + "kms/alias.go", (
        _c("create", "kms.CreateAlias", "kms:CreateAlias", "alias"),
        _c("create", "kms.CreateAlias", "kms:CreateAlias", "key"),
        _c("create", "kms.ListAliases", "kms:ListAliases", "*"),
        _c("read", "kms.ListAliases", "kms:ListAliases", "*"),
        _c("update", "kms.UpdateAlias", "kms:UpdateAlias", "alias"),
        _c("update", "kms.UpdateAlias", "kms:UpdateAlias", "key"),
        _c("update", "kms.ListAliases", "kms:ListAliases", "*"),
        _c("delete", "kms.DeleteAlias", "kms:DeleteAlias", "alias"),
        # The alias's ARN names what is deleted; an alias and its key are one authorization.
        _c("delete", "kms.DeleteAlias", "kms:DeleteAlias", "key"),
    )),
    "aws:sns/topic:Topic": _crud(
        "sns/topic.go", "sns", "topic", create="CreateTopic",
        reads=("GetTopicAttributes", "ListTagsForResource"),
        updates=("SetTopicAttributes",), deletes=("DeleteTopic",)),
    "aws:sns/topicPolicy:TopicPolicy": _attribute_policy(
        "sns/topic_policy.go", "sns", "topic", "SetTopicAttributes", "GetTopicAttributes"),
    "aws:sns/topicSubscription:TopicSubscription": TypeCalls(
        TF + "sns/topic_subscription.go", (
            _c("create", "sns.Subscribe", "sns:Subscribe", "topic", condition="endpoint"),
            *(_c(op, "sns.GetSubscriptionAttributes", "sns:GetSubscriptionAttributes", "*")
              for op in CRU),
            _c("update", "sns.SetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "*"),
            _c("delete", "sns.Unsubscribe", "sns:Unsubscribe", "*"),
        )),
    "aws:sqs/queue:Queue": _crud(
        "sqs/queue.go", "sqs", "queue", create="CreateQueue",
        reads=("GetQueueAttributes", "ListQueueTags"),
        updates=("SetQueueAttributes",), deletes=("DeleteQueue",)),
    "aws:sqs/queuePolicy:QueuePolicy": _attribute_policy(
        "sqs/queue_policy.go", "sqs", "queue", "SetQueueAttributes", "GetQueueAttributes"),
    "aws:iam/role:Role": _crud(
        "iam/role.go", "iam", "role", create="CreateRole",
        reads=("GetRole", "ListRolePolicies", "GetRolePolicy", "ListAttachedRolePolicies"),
        updates=("UpdateAssumeRolePolicy", "UpdateRoleDescription", "UpdateRole"),
        deletes=("ListInstanceProfilesForRole", "DeleteRole")),
    "aws:iam/rolePolicy:RolePolicy": _crud(
        "iam/role_policy.go", "iam", "role", create="PutRolePolicy",
        reads=("GetRolePolicy",), updates=("PutRolePolicy",), deletes=("DeleteRolePolicy",)),
    "aws:cloudtrail/trail:Trail": TypeCalls(TF + "cloudtrail/trail.go", (
        _c("create", "cloudtrail.CreateTrail", "cloudtrail:CreateTrail", "trail"),
        _c("create", "cloudtrail.StartLogging", "cloudtrail:StartLogging", "trail"),
        _c("create", "cloudtrail.PutEventSelectors", "cloudtrail:PutEventSelectors", "trail",
           "advancedEventSelectors"),
        _c("create", "cloudtrail.PutInsightSelectors", "cloudtrail:PutInsightSelectors", "trail",
           "insightSelectors"),
        *(_c(op, "cloudtrail.DescribeTrails", "cloudtrail:DescribeTrails", "*")
          for op in CRU),
        *(_c(op, f"cloudtrail.{api}", f"cloudtrail:{api}", "trail")
          for op in CRU
          for api in ("GetTrailStatus", "GetEventSelectors", "GetInsightSelectors", "ListTags")),
        _c("update", "cloudtrail.UpdateTrail", "cloudtrail:UpdateTrail", "trail"),
        _c("update", "cloudtrail.StartLogging", "cloudtrail:StartLogging", "trail"),
        _c("update", "cloudtrail.PutEventSelectors", "cloudtrail:PutEventSelectors", "trail"),
        _c("update", "cloudtrail.PutInsightSelectors", "cloudtrail:PutInsightSelectors",
           "trail"),
        _c("delete", "cloudtrail.DeleteTrail", "cloudtrail:DeleteTrail", "trail"),
        # CloudTrail User Guide, "Sending events to CloudWatch Logs": the caller passes the
        # delivery role to CloudTrail.
        *(_c(op, f"cloudtrail.{api}", "iam:PassRole", "pass-role", "cloudWatchLogsRoleArn",
             "passed-to:cloudtrail.amazonaws.com", PASS_ROLE_PAGE)
          for op, api in _TRAIL_WRITES),
        # An organization trail: CloudTrail reads the organization and its service-linked role.
        *(_c(op, api, action, on, "isOrganizationTrail", condition, ORG_TRAIL_PAGE)
          for op in CU
          for api, action, on, condition in (
              ("organizations.DescribeOrganization", "organizations:DescribeOrganization", "*",
               ""),
              ("organizations.ListAccounts", "organizations:ListAccounts", "*", ""),
              ("organizations.ListAWSServiceAccessForOrganization",
               "organizations:ListAWSServiceAccessForOrganization", "*", ""),
              ("iam.GetRole", "iam:GetRole", "cloudtrail-slr", ""),
              ("iam.CreateServiceLinkedRole", "iam:CreateServiceLinkedRole", "cloudtrail-slr",
               "service-name:cloudtrail.amazonaws.com"),
          )),
    )),
    "aws:cloudwatch/eventBus:EventBus": _crud(
        "events/bus.go", "events", "bus", create="CreateEventBus",
        reads=("DescribeEventBus", "ListTagsForResource"),
        updates=("UpdateEventBus",), deletes=("DeleteEventBus",)),
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": TypeCalls(TF + "events/bus_policy.go", (
        *(_c(op, "events.PutPermission", "events:PutPermission", "*")
          for op in CU),
        *(_c(op, "events.DescribeEventBus", "events:DescribeEventBus", "bus")
          for op in CRU),
        _c("delete", "events.RemovePermission", "events:RemovePermission", "*"),
    )),
    "aws:cloudwatch/eventRule:EventRule": TypeCalls(TF + "events/rule.go", (
        *(_c(op, "events.PutRule", "events:PutRule", "rule") for op in CU),
        *(_c(op, f"events.{api}", f"events:{api}", "rule")
          for op in CRU
          for api in ("DescribeRule", "ListTagsForResource")),
        _c("delete", "events.DeleteRule", "events:DeleteRule", "rule"),
    )),
    "aws:cloudwatch/eventTarget:EventTarget": TypeCalls(TF + "events/target.go", (
        *(_c(op, "events.PutTargets", "events:PutTargets", "rule", condition="target-arn")
          for op in CU),
        *(_c(op, "events.ListTargetsByRule", "events:ListTargetsByRule", "rule")
          for op in CRU),
        _c("delete", "events.RemoveTargets", "events:RemoveTargets", "rule"),
        # EventBridge User Guide, "Using IAM roles with targets": the caller passes the role.
        *(_c(op, "events.PutTargets", "iam:PassRole", "pass-role", "roleArn",
             "passed-to:events.amazonaws.com", PASS_ROLE_PAGE) for op in CU),
    )),
    "aws:cloudwatch/logGroup:LogGroup": TypeCalls(TF + "logs/group.go", (
        _c("create", "logs.CreateLogGroup", "logs:CreateLogGroup", "log-group"),
        *(_c(op, "logs.PutRetentionPolicy", "logs:PutRetentionPolicy", "log-group",
             "retentionInDays") for op in CU),
        *(_c(op, "logs.DescribeLogGroups", "logs:DescribeLogGroups", "*")
          for op in CRU),
        *(_c(op, "logs.ListTagsForResource", "logs:ListTagsForResource", "log-group")
          for op in CRU),
        _c("update", "logs.AssociateKmsKey", "logs:AssociateKmsKey", "log-group", "kmsKeyId"),
        _c("update", "logs.DisassociateKmsKey", "logs:DisassociateKmsKey", "log-group"),
        _c("delete", "logs.DeleteLogGroup", "logs:DeleteLogGroup", "log-group"),
    )),
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": TypeCalls(
        TF + "logs/metric_filter.go", (
            *(_c(op, "logs.PutMetricFilter", "logs:PutMetricFilter", "log-group")
              for op in CU),
            *(_c(op, "logs.DescribeMetricFilters", "logs:DescribeMetricFilters", "log-group")
              for op in CRU),
            _c("delete", "logs.DeleteMetricFilter", "logs:DeleteMetricFilter", "log-group"),
        )),
    "aws:cloudwatch/metricAlarm:MetricAlarm": TypeCalls(TF + "cloudwatch/metric_alarm.go", (
        *(_c(op, "cloudwatch.PutMetricAlarm", "cloudwatch:PutMetricAlarm", "alarm",
             condition="alarm-actions") for op in CU),
        *(_c(op, f"cloudwatch.{api}", f"cloudwatch:{api}", "alarm")
          for op in CRU
          for api in ("DescribeAlarms", "ListTagsForResource")),
        _c("delete", "cloudwatch.DeleteAlarms", "cloudwatch:DeleteAlarms", "alarm"),
    )),
    "aws:lambda/permission:Permission": TypeCalls(TF + "lambda/permission.go", (
        _c("create", "lambda.AddPermission", "lambda:AddPermission", "function",
           condition="lambda-principal"),
        *(_c(op, "lambda.GetPolicy", "lambda:GetPolicy", "function")
          for op in CR),
        _c("delete", "lambda.RemovePermission", "lambda:RemovePermission", "function",
           condition="lambda-principal"),
    )),
    "aws:organizations/policy:Policy": TypeCalls(TF + "organizations/policy.go", (
        _c("create", "organizations.CreatePolicy", "organizations:CreatePolicy", "*",
           condition="scp"),
        *(_c(op, f"organizations.{api}", f"organizations:{api}", "scp", condition=cond)
          for op in CRU
          for api, cond in (("DescribePolicy", "scp"), ("ListTagsForResource", ""))),
        _c("update", "organizations.UpdatePolicy", "organizations:UpdatePolicy", "scp",
           condition="scp"),
        _c("delete", "organizations.DeletePolicy", "organizations:DeletePolicy", "scp",
           condition="scp"),
    )),
    "aws:organizations/policyAttachment:PolicyAttachment": TypeCalls(
        TF + "organizations/policy_attachment.go", (
            _c("create", "organizations.AttachPolicy", "organizations:AttachPolicy", "scp",
               condition="scp"),
            _c("create", "organizations.AttachPolicy", "organizations:AttachPolicy",
               "scp-target", condition="scp"),
            *(_c(op, "organizations.ListTargetsForPolicy",
                 "organizations:ListTargetsForPolicy", "scp", condition="scp")
              for op in CR),
            _c("delete", "organizations.DetachPolicy", "organizations:DetachPolicy", "scp",
               condition="scp"),
            _c("delete", "organizations.DetachPolicy", "organizations:DetachPolicy",
               "scp-target", condition="scp"),
        )),
    "aws:cloudformation/stackSet:StackSet": TypeCalls(TF + "cloudformation/stack_set.go", (
        _c("create", "cloudformation.CreateStackSet", "cloudformation:CreateStackSet", "*"),
        *(_c(op, f"cloudformation.{api}", f"cloudformation:{api}", "stack-set")
          for op in CRU
          for api in ("DescribeStackSet", "DescribeStackSetOperation")),
        *(_c("update", "cloudformation.UpdateStackSet", "cloudformation:UpdateStackSet", on)
          for on in ("stack-set", "stack-set-target", "cfn-type")),
        _c("delete", "cloudformation.DeleteStackSet", "cloudformation:DeleteStackSet",
           "stack-set"),
    )),
    "aws:cloudformation/stackSetInstance:StackSetInstance": TypeCalls(
        TF + "cloudformation/stack_set_instance.go", (
            *(_c(op, f"cloudformation.{api}", f"cloudformation:{api}", on,
                 condition="target-region")
              for op, api in _INSTANCE_WRITES
              for on in ("stack-set", "stack-set-target", "cfn-type")),
            *(_c(op, f"cloudformation.{api}", f"cloudformation:{api}", "stack-set")
              for op in OPS
              for api in ("DescribeStackSetOperation", "ListStackInstances")),
        )),
}

# The invokes the program makes (offline/mocks.py answers the same), each an AWS read.
INVOKES: dict[str, TypeCalls] = {
    "aws:iam/getRole:getRole": TypeCalls(TF + "iam/role_data_source.go", (
        _c("read", "iam.GetRole", "iam:GetRole", "role-named"),
    )),
    "aws:iam/getSessionContext:getSessionContext": TypeCalls(
        TF + "iam/session_context_data_source.go", (
            _c("read", "iam.GetRole", "iam:GetRole", "session-role"),
        )),
    "aws:organizations/getOrganization:getOrganization": TypeCalls(
        TF + "organizations/organization_data_source.go", tuple(
            _c("read", f"organizations.{api}", f"organizations:{api}", "*")
            for api in ("DescribeOrganization", "ListAccounts", "ListRoots",
                        "ListAWSServiceAccessForOrganization")
        )),
    # An existing organization trail's log group (`existingTrailLogGroupName`): found by name,
    # its tags read (the data source's @Tags, identified by its ARN).
    "aws:cloudwatch/getLogGroup:getLogGroup": TypeCalls(TF + "logs/group_data_source.go", (
        _c("read", "logs.DescribeLogGroups", "logs:DescribeLogGroups", "*"),
        _c("read", "logs.ListTagsForResource", "logs:ListTagsForResource", "log-group-named"),
    )),
    # Whether this account is a StackSets delegated administrator (`stackSetCallAs`).
    "aws:organizations/getDelegatedAdministrators:getDelegatedAdministrators": TypeCalls(
        TF + "organizations/delegated_administrators_data_source.go", (
            _c("read", "organizations.ListDelegatedAdministrators",
               "organizations:ListDelegatedAdministrators", "*"),
        )),
    # STS GetCallerIdentity needs no permission ("No permissions are required to perform this
    # operation", STS API Reference), nor does the provider's own configuration.
    "aws:index/getCallerIdentity:getCallerIdentity": TypeCalls(
        TF + "meta/caller_identity_data_source.go", ()),
}
