"""Which AWS page each generated policy statement follows, by statement Sid.

Every statement the policy modules generate carries a Sid, and every Sid has a `Source` here: the
AWS documentation page whose example the statement follows, and a note saying which part of the
page and, where the statement differs from the example, why. `tests/test_policy_sources.py`
generates every document over a spread of configurations and proves that no statement lacks a
source and no source is unused. Statements whose Sid a caller chooses (`resource_policies.Sender`)
are refused at generation time when the Sid is not registered here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

__all__ = ["SOURCES", "Source", "missing_sources", "require_source", "statement_sids"]


@dataclass(frozen=True)
class Source:
    """One AWS documentation page (title and URL) and what of it a statement follows."""

    title: str
    url: str
    note: str = ""
    see_also: tuple[tuple[str, str], ...] = ()
    """Further pages (title, URL) the statement relies on."""


# --- pages ------------------------------------------------------------------------------------

_CT = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/"
CT_S3_POLICY = ("Amazon S3 bucket policy for CloudTrail",
                _CT + "create-s3-bucket-policy-for-cloudtrail.html")
CT_MULTI_ACCOUNT = ("Setting bucket policy for multiple accounts",
                    _CT + "cloudtrail-set-bucket-policy-for-multiple-accounts.html")
CT_SHARING = ("Sharing CloudTrail log files between AWS accounts",
              _CT + "cloudtrail-sharing-logs.html")
CT_KMS = ("Configure AWS KMS key policies for CloudTrail",
          _CT + "create-kms-key-policy-for-cloudtrail.html")
CT_SNS = ("Amazon SNS topic policy for CloudTrail",
          _CT + "cloudtrail-permissions-for-sns-notifications.html")
CT_CW_LOGS = ("Role policy document for CloudTrail to use CloudWatch Logs for monitoring",
              _CT + "cloudtrail-required-policy-for-cloudwatch-logs.html")
_IAM = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
IAM_VARIABLES = ("IAM policy elements: Variables and tags",
                 _IAM + "reference_policies_variables.html")
IAM_GLOBAL_KEYS = ("AWS global condition context keys",
                   _IAM + "reference_policies_condition-keys.html")
IAM_OPERATORS = ("IAM JSON policy elements: Condition operators",
                 _IAM + "reference_policies_elements_condition_operators.html")
IAM_EVALUATION = ("Policy evaluation logic", _IAM + "reference_policies_evaluation-logic.html")
IAM_CONFUSED_DEPUTY = ("The confused deputy problem", _IAM + "confused-deputy.html")
S3_SECURITY = ("Security best practices for Amazon S3",
               "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html")
S3_ACTIONS = ("Required permissions for Amazon S3 API operations",
              "https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html")
S3_NOTIFICATIONS = ("Granting permissions to publish event notification messages to a destination",
                    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/"
                    "grant-destinations-permissions-to-s3.html")
KMS_DEFAULT_POLICY = ("Default key policy",
                      "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html")
KMS_CONDITION_KEYS = ("AWS KMS condition keys",
                      "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html")
KMS_ALIAS_CONDITIONS = ("Use aliases to control access to KMS keys",
                        "https://docs.aws.amazon.com/kms/latest/developerguide/"
                        "alias-authorization.html")
SNS_KEYS = ("Managing Amazon SNS encryption keys and costs",
            "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html")
SNS_ACCESS_CASES = ("Example cases for Amazon SNS access control",
                    "https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html")
SNS_SECURITY = ("Amazon SNS security best practices",
                "https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html")
SQS_KEYS = ("Amazon SQS Key management",
            "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/"
            "sqs-key-management.html")
SQS_SECURITY = ("Amazon SQS security best practices",
                "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/"
                "sqs-security-best-practices.html")
_EB = "https://docs.aws.amazon.com/eventbridge/latest/userguide/"
EB_RESOURCE_POLICIES = ("Using resource-based policies for Amazon EventBridge",
                        _EB + "eb-use-resource-based.html")
EB_BUS_PERMISSIONS = ("Permissions for event buses in Amazon EventBridge",
                      _EB + "eb-event-bus-perms.html")
EB_CROSS_ACCOUNT = ("Sending and receiving events between AWS accounts in Amazon EventBridge",
                    _EB + "eb-cross-account.html")
CW_LOGS_KMS = ("Encrypt log data in CloudWatch Logs using AWS KMS",
               "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html")
_S3 = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/"
S3_ACCESS_LOGGING = ("Enabling Amazon S3 server access logging",
                     _S3 + "enable-server-access-logging.html")
S3_REPLICATION_PERMISSIONS = ("Setting up permissions for live replication",
                              _S3 + "setting-repl-config-perm-overview.html")
S3_REPLICATION_KMS = ("Replicating encrypted objects",
                      _S3 + "replication-config-for-kms-objects.html")
S3_REPLICA_OWNER = ("Changing the replica owner", _S3 + "replication-change-owner.html")
S3_OBJECT_LOCK = ("How S3 Object Lock works", _S3 + "object-lock-overview.html")
S3_OBJECT_LOCK_MANAGING = ("Managing Object Lock", _S3 + "object-lock-managing.html")
S3_GET_OBJECT = ("GetObject (Amazon S3 API Reference)",
                 "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html")
S3_DELETE_BUCKET_POLICY = ("DeleteBucketPolicy (Amazon S3 API Reference)",
                           "https://docs.aws.amazon.com/AmazonS3/latest/API/"
                           "API_DeleteBucketPolicy.html")
S3_AUTHORIZATION = ("Actions, resources, and condition keys for Amazon S3",
                    "https://docs.aws.amazon.com/service-authorization/latest/reference/"
                    "list_amazons3.html")
_ORG = "https://docs.aws.amazon.com/organizations/latest/userguide/"
ORG_SCPS = ("Service control policies (SCPs)", _ORG + "orgs_manage_policies_scps.html")
ORG_SCP_EXAMPLES = ("Example service control policies",
                    _ORG + "orgs_manage_policies_scps_examples.html")
CT_MANDATORY = ("AWS Control Tower mandatory controls",
                "https://docs.aws.amazon.com/controltower/latest/controlreference/"
                "mandatory-controls.html")
CFN_STACKSETS_ORG = ("Activate trusted access with AWS Organizations (StackSets)",
                     "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
                     "stacksets-orgs-activate-trusted-access.html")
EB_CLOUDTRAIL_EVENTS = ("Events from AWS services delivered via AWS CloudTrail",
                        _EB + "eb-service-event-cloudtrail.html")


def _source(page: tuple[str, str], note: str, *also: tuple[str, str]) -> Source:
    return Source(page[0], page[1], note, tuple(also))


# --- statements, by Sid -----------------------------------------------------------------------

SOURCES: Mapping[str, Source] = MappingProxyType({
    # S3 log bucket (bucket_policy.py)
    "DenyInsecureTransport": _source(
        S3_SECURITY,
        "'Enforce encryption of data in transit': Deny every action when aws:SecureTransport is "
        "false. The same Sid and form guard the SNS topics and SQS queues (see also).",
        SNS_SECURITY, SQS_SECURITY, IAM_GLOBAL_KEYS),
    "AWSCloudTrailAclCheck": _source(
        CT_S3_POLICY,
        "AWSCloudTrailAclCheck20150319: s3:GetBucketAcl on the bucket, aws:SourceArn the trail. "
        "ArnLike with a trail-name pattern (any region and account) instead of StringEquals on "
        "one trail: the account set is pinned by DenyCloudTrailFromUnlistedAccounts.",
        CT_MULTI_ACCOUNT),
    "AWSCloudTrailWrite": _source(
        CT_S3_POLICY,
        "AWSCloudTrailWrite20150319: s3:PutObject under [prefix/]AWSLogs/<account>/*, "
        "s3:x-amz-acl bucket-owner-full-control, aws:SourceArn the trail. <account> is the policy "
        "variable ${aws:SourceAccount}: global condition keys may be variables, single-valued keys "
        "only, and only after the ARN's fifth colon (IAM variables page); aws:SourceAccount is "
        "single-valued and present when a service acts for a resource owner (global keys page).",
        IAM_VARIABLES, IAM_GLOBAL_KEYS),
    "AWSCloudTrailWriteEachAccount": _source(
        CT_MULTI_ACCOUNT,
        "One Resource ARN per account prefix AWSLogs/<account>/* in a single statement, as the "
        "multiple-accounts example shows; used with per_account_prefixes=True.",
        CT_S3_POLICY),
    "AWSCloudTrailOrganizationWrite": _source(
        CT_S3_POLICY,
        "AWSCloudTrailOrganizationWrite20150319: PutObject under AWSLogs/<o-id>/*, aws:SourceArn "
        "a trail of the management account."),
    "DenyCloudTrailFromUnlistedAccounts": _source(
        IAM_GLOBAL_KEYS,
        "aws:SourceAccount is the account a service acts for. CloudTrail documents it as a "
        "supported condition for its S3 and KMS requests. One explicit Deny with the account list "
        "keeps each list once in policies with size limits; an explicit Deny overrides any Allow.",
        CT_S3_POLICY, CT_KMS, IAM_EVALUATION),
    "DenyWritesNotFromTrails": _source(
        IAM_OPERATORS,
        "ArnNotLike on aws:SourceArn: a negated operator matches when the key is absent, so every "
        "PutObject that is not a delivery from a trail of the agreed name is denied.",
        IAM_GLOBAL_KEYS, IAM_EVALUATION),
    "DenyBucketDeletion": _source(
        S3_ACTIONS,
        "DeleteBucket needs s3:DeleteBucket on the bucket ARN; an explicit Deny in the bucket "
        "policy overrides any identity-policy Allow.",
        IAM_EVALUATION),
    "AllowLogReaders": _source(
        CT_SHARING,
        "Named principals may s3:GetObject / s3:ListBucket / s3:GetBucketLocation on the log "
        "bucket (and its replica); s3:GetObjectVersion and s3:ListBucketVersions too, since a "
        "GetObject with a versionId is authorized by s3:GetObjectVersion (see also).",
        S3_GET_OBJECT),
    "DenyReadsByOthers": _source(
        IAM_GLOBAL_KEYS,
        "ArnNotEquals on aws:PrincipalArn (present in every signed request): only the named "
        "readers (and the replication role, which copies the logs) may run any s3:GetObject* "
        "action or s3:RestoreObject, whatever their identity policies say; a GetObject with a "
        "versionId is s3:GetObjectVersion. Unconditional when nobody is named.",
        S3_GET_OBJECT, IAM_EVALUATION),
    "DenyObjectDeletion": _source(
        S3_OBJECT_LOCK_MANAGING,
        "Deny of s3:DeleteObject, s3:DeleteObjectVersion and s3:BypassGovernanceRetention to "
        "everyone: delete markers are not WORM-protected and lifecycle then expires the "
        "noncurrent log (Object Lock considerations), so no principal may place one; the "
        "lifecycle's own expiry is no request and is unaffected.",
        S3_AUTHORIZATION, IAM_EVALUATION),
    "DenyReplicationInto": _source(
        S3_REPLICATION_PERMISSIONS,
        "Deny of s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags and "
        "s3:ObjectOwnerOverrideToBucketOwner to everyone on the log and access-log buckets: a "
        "source bucket in the same account needs no grant from its destination, so without it "
        "any administrator could replicate a delete marker or a forged version over a log.",
        IAM_EVALUATION),
    "DenyAdministrationByOthers": _source(
        S3_ACTIONS,
        "Deny of every bucket configuration write (s3:PutBucket*, s3:DeleteBucketPolicy, "
        "lifecycle, encryption, replication, inventory; object retention and legal hold) unless "
        "aws:PrincipalArn is a named archive administrator. The Delete* APIs map to these "
        "actions (e.g. DeleteBucketLifecycle is s3:PutLifecycleConfiguration). The bucket "
        "owner's root user keeps Get/Put/DeleteBucketPolicy (see also): the organization's "
        "guardrail policy binds it.",
        S3_AUTHORIZATION, IAM_GLOBAL_KEYS, S3_DELETE_BUCKET_POLICY),
    # CloudTrail log key (key_policy.log_key_policy)
    "KeyAdministrationByNamedAdministrators": _source(
        KMS_DEFAULT_POLICY,
        "'Allows key administrators to administer the KMS key', granted to the named archive "
        "administrators, with kms:Create* narrowed to kms:CreateAlias (kms:CreateGrant would let "
        "them grant themselves kms:Decrypt) and without the account statement, so no IAM policy "
        "of the account grants anything on the key. The lockout safety check passes: the "
        "deployer is an administrator.",
        KMS_CONDITION_KEYS),
    "KeyAdministration": _source(
        KMS_DEFAULT_POLICY,
        "'Allows key administrators to administer the KMS key': the documented administrative "
        "actions, granted to the account (so IAM policies choose the administrators) and without "
        "any cryptographic use."),
    "AllowCloudTrailEncrypt": _source(
        CT_KMS,
        "'Granting encrypt permissions for trails': kms:GenerateDataKey* with StringLike "
        "kms:EncryptionContext:aws:cloudtrail:arn and aws:SourceArn. The context and SourceArn "
        "patterns name the trail in any account instead of listing accounts (32 KB limit); the "
        "accounts are pinned by DenyCloudTrailFromUnlistedAccounts."),
    "AllowCloudTrailDecryptWithBucketKey": _source(
        CT_KMS,
        "Required element 2: with an S3 Bucket Key on the bucket, CloudTrail needs kms:Decrypt to "
        "create or update a trail with SSE-KMS; 'Granting decrypt permissions for trails' shows "
        "the service-principal statement (AllowCloudTrailDecryptTrail). aws:SourceArn added as "
        "the page's security best practice for every trail statement."),
    "AllowCloudTrailDescribeKey": _source(
        CT_KMS,
        "'Enable CloudTrail to describe KMS key properties': kms:DescribeKey with aws:SourceArn."),
    "AllowLogReadersDecrypt": _source(
        CT_KMS,
        "'Enable CloudTrail log decrypt permissions': kms:Decrypt for named principals with Null "
        "kms:EncryptionContext:aws:cloudtrail:arn = false (only CloudTrail-encrypted data)."),
    # Messaging key (key_policy.messaging_key_policy)
    "AllowAccountUse": _source(
        KMS_DEFAULT_POLICY,
        "'Allows key users to use the KMS key', granted to the account so IAM policies choose the "
        "users; kms:CallerAccount limits use to this account's principals.",
        KMS_CONDITION_KEYS),
    "AllowCloudTrailNotificationsUseKey": _source(
        CT_SNS,
        "KMS key policy for an encrypted topic: cloudtrail.amazonaws.com kms:GenerateDataKey* and "
        "kms:Decrypt, no condition (as shown).",
        SNS_KEYS),
    "AllowS3EventNotificationsUseKey": _source(
        S3_NOTIFICATIONS,
        "'AWS KMS key policy': s3.amazonaws.com kms:GenerateDataKey and kms:Decrypt for encrypted "
        "topics and queues, no condition (as shown).",
        SNS_KEYS, SQS_KEYS),
    "AllowCloudWatchAlarmsUseKey": _source(
        SNS_KEYS,
        "'Enable compatibility between event sources from AWS services and encrypted topics', "
        "step 3: the service statement with StringEquals aws:SourceAccount and ArnLike "
        "aws:SourceArn (here CloudWatch alarm ARNs).",
        SNS_ACCESS_CASES),
    "AllowEventBridgeRulesUseKey": _source(
        SNS_KEYS,
        "Step 2 statement for events.amazonaws.com without condition: the page states that "
        "aws:SourceAccount, aws:SourceArn and aws:SourceOrgID are not supported in a KMS policy "
        "for EventBridge-to-encrypted topics."),
    "AllowSnsQueueDeliveryUseKey": _source(
        SQS_KEYS,
        "'Configure KMS permissions for AWS services' (sns.amazonaws.com, kms:GenerateDataKey and "
        "kms:Decrypt) with 'confused deputy protection': ArnEquals aws:SourceArn, which the page "
        "lists as supported for Amazon SNS."),
    # SNS topic and SQS queue grants (resource_policies; Sids chosen by the components)
    "AllowTrailNotifications": _source(
        CT_SNS,
        "AWSCloudTrailSNSPolicy20131101 (SNS:Publish) with the 'security best practice' "
        "aws:SourceArn condition; aws:SourceAccount is also documented as supported."),
    "AllowLogBucketEvents": _source(
        S3_NOTIFICATIONS,
        "'IAM policy for a destination SNS topic' / '... SQS queue': SNS:Publish or "
        "SQS:SendMessage with aws:SourceArn (the bucket) and aws:SourceAccount."),
    "AllowCloudWatchAlarms": _source(
        SNS_ACCESS_CASES,
        "'Allow any CloudWatch alarm in an AWS account to publish': ArnLike aws:SourceArn on "
        "alarm ARNs; aws:SourceAccount as in 'Allow any AWS resource to publish to a topic'."),
    "AllowApiCallRules": _source(
        EB_RESOURCE_POLICIES,
        "'Amazon SNS permissions': events.amazonaws.com sns:Publish on the topic, with no "
        "Condition: the page states Condition blocks can't be used in SNS topic policies for "
        "EventBridge."),
    "AllowCentralBusRule": _source(
        EB_RESOURCE_POLICIES,
        "'Amazon SNS permissions' (as AllowApiCallRules), for the central bus's rule."),
    "AllowTopicDelivery": _source(
        SNS_ACCESS_CASES,
        "'Publish messages to an Amazon SQS queue': sqs:SendMessage with ArnEquals aws:SourceArn "
        "the topic, granted to sns.amazonaws.com."),
    # Alerting paths (alerting_policies.py)
    "AllowCloudTrailAssumeRole": _source(
        CT_CW_LOGS,
        "Trust policy: cloudtrail.amazonaws.com sts:AssumeRole; the page says the role policy "
        "doesn't support aws:SourceArn and aws:SourceAccount, so there is no condition."),
    "AWSCloudTrailCreateLogStream": _source(
        CT_CW_LOGS,
        "AWSCloudTrailCreateLogStream2014110: logs:CreateLogStream on <account>_CloudTrail_"
        "<region>* (and <o-id>_* for organization trails) in one log group."),
    "AWSCloudTrailPutLogEvents": _source(
        CT_CW_LOGS,
        "AWSCloudTrailPutLogEvents20141101: logs:PutLogEvents on the same streams."),
    "AllowCloudWatchLogsUseForLogGroup": _source(
        CW_LOGS_KMS,
        "Step 2 key policy: logs.<region>.<suffix> may Encrypt*/Decrypt*/ReEncrypt*/"
        "GenerateDataKey*/Describe* with ArnEquals kms:EncryptionContext:aws:logs:arn."),
    "AllowOrganizationPutEvents": _source(
        EB_BUS_PERMISSIONS,
        "Organization example: Principal \"*\", events:PutEvents, StringEquals "
        "aws:PrincipalOrgID."),
    "AllowMemberAccountsPutEvents": _source(
        EB_BUS_PERMISSIONS,
        "Account example grants events:PutEvents to each account root; this statement lists the "
        "accounts once in aws:PrincipalAccount (Principal \"*\"), which admits the same "
        "principals in about half the characters of the 10,240-character quota.",
        IAM_GLOBAL_KEYS),
    "AllowEventBridgeAssumeRole": _source(
        EB_CROSS_ACCOUNT,
        "Role for a rule whose target is a bus in another account, trusted by "
        "events.amazonaws.com; aws:SourceAccount / aws:SourceArn (the rules) as the IAM guide "
        "recommends for service-assumed roles.",
        IAM_CONFUSED_DEPUTY),
    "AllowPutEventsToCentralBus": _source(
        EB_CROSS_ACCOUNT,
        "The role's permissions: events:PutEvents on the target bus only."),
    # Log integrity (integrity.py)
    "S3ServerAccessLogsPolicy": _source(
        S3_ACCESS_LOGGING,
        "'Grant permissions to the logging service principal by using a bucket policy': "
        "logging.s3.amazonaws.com s3:PutObject under the target prefix, ArnLike aws:SourceArn "
        "the source bucket and StringEquals aws:SourceAccount."),
    "DenyWritesNotFromLogDelivery": _source(
        S3_ACCESS_LOGGING,
        "Deny of s3:PutObject unless aws:SourceArn is the source bucket; the page warns that "
        "Deny statements must not block delivery, and deliveries carry that aws:SourceArn.",
        IAM_EVALUATION),
    "AllowS3AssumeReplicationRole": _source(
        S3_REPLICATION_PERMISSIONS,
        "Trust policy: s3.amazonaws.com sts:AssumeRole, with no condition, as the page shows."),
    "SourceBucket": _source(
        S3_REPLICATION_PERMISSIONS,
        "s3:GetReplicationConfiguration and s3:ListBucket on the source bucket."),
    "SourceObjects": _source(
        S3_REPLICATION_PERMISSIONS,
        "s3:GetObjectVersionForReplication, s3:GetObjectVersionAcl and s3:GetObjectVersionTagging "
        "on the replicated prefix; s3:GetObjectRetention and s3:GetObjectLegalHold when the "
        "source has Object Lock.",
        S3_OBJECT_LOCK),
    "ReplicaObjects": _source(
        S3_REPLICATION_PERMISSIONS,
        "s3:ReplicateObject and s3:ReplicateTags on the destination, without s3:ReplicateDelete "
        "(delete markers are not replicated); s3:ObjectOwnerOverrideToBucketOwner cross-account.",
        S3_REPLICA_OWNER),
    "DecryptSourceObjects": _source(
        S3_REPLICATION_KMS,
        "kms:Decrypt on the source key under kms:ViaService s3.<region> and "
        "kms:EncryptionContext:aws:s3:arn the source bucket (object or bucket ARN)."),
    "EncryptReplicas": _source(
        S3_REPLICATION_KMS,
        "kms:Encrypt on the replica key under the destination's ViaService and encryption "
        "context; kms:Decrypt too, which the page requires with an S3 Bucket Key."),
    "AllowReplicationDecrypt": _source(
        S3_REPLICATION_KMS,
        "The key owner grants the replication role kms:Decrypt in the log key's policy, with "
        "the role policy's conditions.",
        KMS_CONDITION_KEYS),
    "AllowReplicationEncrypt": _source(
        S3_REPLICATION_KMS,
        "The replica key's policy admits the replication role (the page adds the source "
        "account; naming the role grants less), with the same conditions.",
        KMS_CONDITION_KEYS),
    "AllowReplicaReadersDecrypt": _source(
        KMS_CONDITION_KEYS,
        "The log readers may decrypt replicas through S3 in the replica's Region only "
        "(kms:ViaService, kms:EncryptionContext:aws:s3:arn)."),
    "ReplicationObjects": _source(
        S3_REPLICATION_PERMISSIONS,
        "'Granting permissions when the source and destination buckets are owned by different "
        "AWS accounts': s3:ReplicateObject, and s3:ObjectOwnerOverrideToBucketOwner from "
        "'Changing the replica owner', granted to the replication role only.",
        S3_REPLICA_OWNER),
    "ReplicationBucket": _source(
        S3_REPLICATION_PERMISSIONS,
        "Same example: s3:List* and s3:GetBucketVersioning on the destination bucket, without "
        "s3:PutBucketVersioning (the source account must not suspend the copy's versioning)."),
    "DenyReplicatedDeletes": _source(
        S3_REPLICATION_PERMISSIONS,
        "Deny of s3:ReplicateDelete: no delete marker reaches the copy even if the source's "
        "configuration changes.",
        IAM_EVALUATION),
    "DenyReplicationByOthers": _source(
        S3_REPLICATION_PERMISSIONS,
        "Deny of s3:ReplicateObject and s3:ReplicateTags unless aws:PrincipalArn is the "
        "replication role.",
        IAM_GLOBAL_KEYS),
    "DenyDirectWrites": _source(
        S3_ACTIONS,
        "Deny of s3:PutObject: replicas arrive through s3:ReplicateObject, never an upload."),
    # Tamper alerts (plan.tamper_alerts_plan)
    "AllowTamperAlertRules": _source(
        EB_RESOURCE_POLICIES,
        "'Amazon SNS permissions': events.amazonaws.com sns:Publish on the tamper topic, with no "
        "Condition, as for the API-call rules: the page states Condition blocks can't be used in "
        "SNS topic policies for EventBridge. The rules receive CloudTrail's API-call events.",
        EB_CLOUDTRAIL_EVENTS),
    # The organization's guardrail policy (service_control_policy.py)
    "ProtectLogging": _source(
        CT_MANDATORY,
        "AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED, AWS-GR_CLOUDWATCH_EVENTS_CHANGE_PROHIBITED, "
        "AWS-GR_LOG_GROUP_POLICY, AWS-GR_SNS_CHANGE_PROHIBITED and "
        "AWS-GR_IAM_ROLE_CHANGE_PROHIBITED in one statement: the trail of the agreed name, this "
        "project's rules, buses, log groups, alarms, topics, queues, StackSet instances and "
        "roles (iam:PassRole included), and every role an exemption names, for everyone but an "
        "exempted principal (ArnNotLike on aws:PrincipalArn), as Control Tower exempts its "
        "execution role; StackSets act through stacksets-exec-* (see also).",
        ORG_SCPS, IAM_GLOBAL_KEYS, CFN_STACKSETS_ORG),
    "ProtectKeys": _source(
        KMS_ALIAS_CONDITIONS,
        "Deny of key policy changes, disabling, deletion scheduling and grants on every key "
        "with an alias of this project's prefix (ForAnyValue:StringLike on kms:ResourceAliases), "
        "for everyone but an exempted principal: the member trails' and alerting's keys. "
        "Changing an alias changes who the condition matches (the page's caution), so "
        "ProtectLogging denies kms:DeleteAlias and kms:UpdateAlias on the project's aliases.",
        ORG_SCPS, KMS_CONDITION_KEYS),
    "ProtectArchive": _source(
        CT_MANDATORY,
        "AWS-GR_CT_AUDIT_BUCKET_POLICY_CHANGES_PROHIBITED, ..._LIFECYCLE_CONFIGURATION_..., "
        "..._LOGGING_CONFIGURATION_..., ..._ENCRYPTION_CHANGES_PROHIBITED for the archive's "
        "buckets, with its keys, trail, alerting and named roles, for the named archive "
        "administrators only (and the role CloudTrail delivers to its log group with): an SCP "
        "binds the root user of a member account, which a bucket policy cannot (see also), and "
        "neither a member pipeline nor a StackSet reaches into the archive.",
        ORG_SCPS, S3_DELETE_BUCKET_POLICY),
    "ProtectArchiveAccount": _source(
        ORG_SCPS,
        "Deny, in the log-archive account only (aws:PrincipalAccount), of the actions that name "
        "no resource (the Service Authorization Reference lists no resource type for "
        "sns:Unsubscribe, sns:SetSubscriptionAttributes, events:PutPermission, "
        "events:RemovePermission), so that only \"Resource\": \"*\" denies them: unsubscribing "
        "or filtering the alerts, and the central bus's permissions, for everyone but the "
        "archive administrators.",
        IAM_GLOBAL_KEYS),
    "DenyConsumersButNamed": _source(
        SQS_SECURITY,
        "Deny of sqs:ReceiveMessage, sqs:DeleteMessage and sqs:ChangeMessageVisibility to "
        "everyone but the log archive's administrators and log readers (ArnNotEquals on "
        "aws:PrincipalArn): an administrator of the account could otherwise drain the alerts "
        "before their reader sees them. SNS delivers with sqs:SendMessage, unaffected.",
        IAM_GLOBAL_KEYS),
    "DenyArchiveDeletion": _source(
        CT_MANDATORY,
        "AWS-GR_AUDIT_BUCKET_DELETION_PROHIBITED, extended to every log version: no principal "
        "of a member account deletes a log, bypasses a GOVERNANCE lock, deletes a bucket, "
        "replaces a lifecycle (which expires without a request) or schedules the log key's "
        "deletion.",
        ORG_SCPS, S3_OBJECT_LOCK_MANAGING),
    "DenyLeavingOrganization": _source(
        ORG_SCP_EXAMPLES,
        "'Prevent member accounts from leaving the organization': an account that left would "
        "no longer be bound by the guardrail policy."),
})


def statement_sids(policy: Mapping[str, Any]) -> list[str | None]:
    """The Sid of each statement of `policy`, None where a statement has none."""
    statements = policy.get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    return [s.get("Sid") for s in statements]


def missing_sources(policies: Iterable[Mapping[str, Any]]) -> list[str]:
    """Statements of `policies` without a Sid or whose Sid has no Source, described."""
    problems = []
    for policy in policies:
        for index, sid in enumerate(statement_sids(policy)):
            if sid is None:
                problems.append(f"statement {index} has no Sid")
            elif sid not in SOURCES:
                problems.append(f"Sid {sid!r} has no Source")
    return problems


def require_source(sid: str) -> Source:
    """The Source of `sid`; ValueError when a statement would have no cited page."""
    try:
        return SOURCES[sid]
    except KeyError:
        raise ValueError(
            f"statement Sid {sid!r} has no Source in cloudtrail_logging.sources; add the AWS "
            "page the statement follows before generating it"
        ) from None
