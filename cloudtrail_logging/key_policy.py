"""Key policies, as plain data: the CloudTrail log key and the messaging key.

The log key's account list appears once, in an explicit Deny, for the same reason as in the
bucket policy: KMS key policies are limited to 32 KB, and 1,000 accounts listed per statement
would not fit.

The messaging key encrypts this stack's SNS topics and SQS queues. Each AWS service that
publishes to them gets its own statement, in exactly the form its guide shows: the services do
not all send the same condition keys with their KMS requests, and a condition a service does not
satisfy makes its KMS call fail, so the notification is dropped without a trace. Notably the
SNS developer guide states that aws:SourceAccount, aws:SourceArn and aws:SourceOrgID are not
supported in a key policy for EventBridge delivery to an encrypted topic, while its form for the
other publishers (used here for CloudWatch alarms) carries them.

Each statement's comment names the AWS page it follows; `cloudtrail_logging.sources` holds the
page's URL and a note under the statement's Sid.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cloudtrail_logging.bucket_policy import trail_arn_pattern
from cloudtrail_logging.naming import CLOUDTRAIL_SERVICE, account_root_arn

Policy = dict[str, Any]
Statement = dict[str, Any]
# "Key policies in AWS KMS": "The maximum length of a key policy document is 32 KB".
KMS_POLICY_LIMIT_BYTES = 32 * 1024

S3_SERVICE = "s3.amazonaws.com"
SNS_SERVICE = "sns.amazonaws.com"
CLOUDWATCH_SERVICE = "cloudwatch.amazonaws.com"
EVENTS_SERVICE = "events.amazonaws.com"

# "Default key policy", key administrators
# (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html): the
# documented administrative actions, without any cryptographic use, and with `kms:Create*`
# narrowed to `kms:CreateAlias`: `kms:Create*` includes kms:CreateGrant, with which an
# administrator could grant itself kms:Decrypt. Nothing in this project uses grants, so no
# statement allows kms:CreateGrant at all (kms:GrantIsForAWSResource would be the only
# acceptable condition; "AWS KMS condition keys").
KEY_ADMIN_ACTIONS = [
    "kms:CreateAlias",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
]


def key_administration(partition: str, account_id: str) -> Statement:
    # "Default key policy": the page grants these actions to named administrators; granting them
    # to the account lets IAM policies choose the administrators, and none of them decrypts.
    # Used for keys that hold no logs (messaging, the CloudWatch Logs group's key).
    return {
        "Sid": "KeyAdministration",
        "Effect": "Allow",
        "Principal": {"AWS": account_root_arn(partition, account_id)},
        "Action": KEY_ADMIN_ACTIONS,
        "Resource": "*",
    }


def named_key_administration(administrator_arns: Sequence[str]) -> Statement:
    """Key administration for the named archive administrators only: the account root is not a
    principal, so no IAM policy of the account can grant anything on the key ("Default key
    policy": without the account statement, IAM policies are not effective for the key). The KMS
    lockout safety check (PutKeyPolicy, CreateKey: BypassPolicyLockoutSafetyCheck) passes because
    the deployer is one of them (`settings` refuses a list without it)."""
    if not administrator_arns:
        raise ValueError("administrator_arns must name at least one principal")
    return {
        "Sid": "KeyAdministrationByNamedAdministrators",
        "Effect": "Allow",
        "Principal": {"AWS": sorted(set(administrator_arns))},
        "Action": KEY_ADMIN_ACTIONS,
        "Resource": "*",
    }


# --- CloudTrail log key -------------------------------------------------------------------------
# All from the CloudTrail user guide, "Configure AWS KMS key policies for CloudTrail"
# (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).


def log_key_policy(
    *,
    partition: str,
    writer_accounts: Sequence[str],
    trail_name: str,
    administrator_arns: Sequence[str],
    reader_arns: Sequence[str] = (),
    bucket_key: bool = True,
) -> Policy:
    """Key policy for the CloudTrail log key: writers encrypt, named readers decrypt, named
    administrators administer; nobody else, the account's IAM administrators included, can use
    or manage the key.

    `bucket_key` (the log bucket uses an S3 Bucket Key, as this project's does) adds the
    kms:Decrypt that CloudTrail needs to create or update a trail with SSE-KMS on such a bucket.
    """
    if not writer_accounts:
        raise ValueError("writer_accounts must name at least one account")
    trails = trail_arn_pattern(partition, trail_name)
    statements: list[Statement] = [
        named_key_administration(administrator_arns),
        # "Granting encrypt permissions for trails": GenerateDataKey* with StringLike
        # kms:EncryptionContext:aws:cloudtrail:arn and aws:SourceArn. Both name the trail in any
        # account instead of listing `arn:...:<account>:trail/*` per account (32 KB limit); the
        # accounts are pinned by DenyCloudTrailFromUnlistedAccounts below.
        {
            "Sid": "AllowCloudTrailEncrypt",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL_SERVICE},
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": {
                "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": trails},
                "ArnLike": {"aws:SourceArn": trails},
            },
        },
    ]
    if bucket_key:
        # Required element 2 and "Granting decrypt permissions for trails": with an S3 Bucket
        # Key, CloudTrail needs kms:Decrypt to create or update a trail with SSE-KMS; the page's
        # service statement (AllowCloudTrailDecryptTrail) has no condition. aws:SourceArn added
        # per the page's best practice for trail key statements ("The value of aws:SourceArn is
        # always the trail ARN"). Should CloudTrail ever omit it, CreateTrail/UpdateTrail fails
        # loudly (InsufficientEncryptionPolicyException); nothing is delivered half-encrypted.
        statements.append(
            {
                "Sid": "AllowCloudTrailDecryptWithBucketKey",
                "Effect": "Allow",
                "Principal": {"Service": CLOUDTRAIL_SERVICE},
                "Action": "kms:Decrypt",
                "Resource": "*",
                "Condition": {"ArnLike": {"aws:SourceArn": trails}},
            }
        )
    statements += [
        # "Enable CloudTrail to describe KMS key properties": DescribeKey with aws:SourceArn.
        {
            "Sid": "AllowCloudTrailDescribeKey",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL_SERVICE},
            "Action": "kms:DescribeKey",
            "Resource": "*",
            "Condition": {"ArnLike": {"aws:SourceArn": trails}},
        },
        # The page documents aws:SourceAccount as supported (not recommended, because
        # aws:SourceArn is stronger; the Allows above keep aws:SourceArn). Used in a Deny so the
        # account list appears once; the explicit Deny overrides every Allow.
        {
            "Sid": "DenyCloudTrailFromUnlistedAccounts",
            "Effect": "Deny",
            "Principal": {"Service": CLOUDTRAIL_SERVICE},
            "Action": "kms:*",
            "Resource": "*",
            "Condition": {
                "StringNotEquals": {"aws:SourceAccount": sorted(set(writer_accounts))}
            },
        },
    ]
    if reader_arns:
        # "Enable CloudTrail log decrypt permissions": named principals may Decrypt data that
        # CloudTrail encrypted (Null kms:EncryptionContext:aws:cloudtrail:arn = false).
        statements.append(
            {
                "Sid": "AllowLogReadersDecrypt",
                "Effect": "Allow",
                "Principal": {"AWS": sorted(set(reader_arns))},
                "Action": "kms:Decrypt",
                "Resource": "*",
                "Condition": {"Null": {"kms:EncryptionContext:aws:cloudtrail:arn": "false"}},
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


# --- messaging key ------------------------------------------------------------------------------


def _cloudtrail_use(partition: str, account_id: str, arns: Sequence[str]) -> Statement:
    # CloudTrail user guide, "Amazon SNS topic policy for CloudTrail", KMS key policy for an
    # encrypted topic (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-permissions-for-sns-notifications.html).
    # No condition: none is shown; the topic policy admits only the trail (aws:SourceArn).
    return {
        "Sid": "AllowCloudTrailNotificationsUseKey",
        "Effect": "Allow",
        "Principal": {"Service": CLOUDTRAIL_SERVICE},
        "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
        "Resource": "*",
    }


def _s3_use(partition: str, account_id: str, arns: Sequence[str]) -> Statement:
    # S3 user guide, "Granting permissions to publish event notification messages to a
    # destination", AWS KMS key policy
    # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html).
    # No condition: the page shows none (an earlier revision showed aws:SourceAccount and
    # aws:SourceArn and dropped them); the topic and queue policies carry both.
    return {
        "Sid": "AllowS3EventNotificationsUseKey",
        "Effect": "Allow",
        "Principal": {"Service": S3_SERVICE},
        "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
        "Resource": "*",
    }


def _cloudwatch_use(partition: str, account_id: str, arns: Sequence[str]) -> Statement:
    # SNS developer guide, "Managing Amazon SNS encryption keys and costs", "Enable compatibility
    # between event sources from AWS services and encrypted topics", step 3
    # (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html): StringEquals
    # aws:SourceAccount and ArnLike aws:SourceArn, here on CloudWatch alarm ARNs.
    every_alarm = f"arn:{partition}:cloudwatch:*:{account_id}:alarm:*"
    return {
        "Sid": "AllowCloudWatchAlarmsUseKey",
        "Effect": "Allow",
        "Principal": {"Service": CLOUDWATCH_SERVICE},
        "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
        "Resource": "*",
        "Condition": {
            "StringEquals": {"aws:SourceAccount": account_id},
            "ArnLike": {"aws:SourceArn": list(arns) or [every_alarm]},
        },
    }


def _events_use(partition: str, account_id: str, arns: Sequence[str]) -> Statement:
    # SNS developer guide, same section, step 2, and its note: "Adding the aws:SourceAccount,
    # aws:SourceArn, and aws:SourceOrgID to a AWS KMS policy is not supported for
    # EventBridge-to-encrypted topics." So no condition at all; what may publish is decided by
    # the topic policy.
    return {
        "Sid": "AllowEventBridgeRulesUseKey",
        "Effect": "Allow",
        "Principal": {"Service": EVENTS_SERVICE},
        "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
        "Resource": "*",
    }


def _sns_use(partition: str, account_id: str, arns: Sequence[str]) -> Statement:
    # SQS developer guide, "Amazon SQS Key management", "Configure KMS permissions for AWS
    # services" (sns.amazonaws.com: kms:GenerateDataKey, kms:Decrypt) and "... with confused
    # deputy protection": ArnEquals aws:SourceArn, listed as supported for Amazon SNS
    # (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html).
    return {
        "Sid": "AllowSnsQueueDeliveryUseKey",
        "Effect": "Allow",
        "Principal": {"Service": SNS_SERVICE},
        "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
        "Resource": "*",
        "Condition": {
            "ArnEquals": {"aws:SourceArn": list(arns) or [f"arn:{partition}:sns:*:{account_id}:*"]}
        },
    }


# The publishing services this key admits, in statement order, and whether their documented
# form carries aws:SourceArn (so that `source_arns` may narrow it).
_PUBLISHERS: dict[str, tuple[Callable[[str, str, Sequence[str]], Statement], bool]] = {
    CLOUDTRAIL_SERVICE: (_cloudtrail_use, False),
    S3_SERVICE: (_s3_use, False),
    CLOUDWATCH_SERVICE: (_cloudwatch_use, True),
    EVENTS_SERVICE: (_events_use, False),
    SNS_SERVICE: (_sns_use, True),
}
MESSAGING_PUBLISHERS = tuple(_PUBLISHERS)


def messaging_key_policy(
    *,
    partition: str,
    account_id: str,
    publishers: Sequence[str],
    source_arns: Mapping[str, Sequence[str]] | None = None,
) -> Policy:
    """Key policy for the key that encrypts this stack's SNS topics and SQS queues.

    `publishers` are the service principals that send to them: `cloudtrail.amazonaws.com`,
    `s3.amazonaws.com`, `cloudwatch.amazonaws.com`, `events.amazonaws.com`, and
    `sns.amazonaws.com` (delivery to encrypted queues). Each gets its own statement in the form
    its guide shows. `source_arns` narrows, per service, the aws:SourceArn of the services whose
    documented form has one (CloudWatch: alarm ARNs, default every alarm of this account; SNS:
    topic ARNs, default every topic of this account); for any other service it is refused.
    """
    narrowed = dict(source_arns or {})
    unknown = sorted(set(publishers) - set(_PUBLISHERS))
    if unknown:
        raise ValueError(
            f"no documented key policy form for publisher(s) {unknown}; "
            f"known: {list(MESSAGING_PUBLISHERS)}"
        )
    for service in narrowed:
        if service not in _PUBLISHERS or not _PUBLISHERS[service][1]:
            raise ValueError(
                f"source_arns for {service!r}: its documented key policy form has no aws:SourceArn"
            )
        if service not in publishers:
            raise ValueError(f"source_arns for {service!r}, which is not a publisher")
    statements: list[Statement] = [
        key_administration(partition, account_id),
        # "Default key policy", key users, granted to the account so IAM policies choose the
        # users; kms:CallerAccount ("AWS KMS condition keys") keeps use inside this account.
        {
            "Sid": "AllowAccountUse",
            "Effect": "Allow",
            "Principal": {"AWS": account_root_arn(partition, account_id)},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*", "kms:Encrypt", "kms:DescribeKey"],
            "Resource": "*",
            "Condition": {"StringEquals": {"kms:CallerAccount": account_id}},
        },
    ]
    for service, (statement, _) in _PUBLISHERS.items():
        if service in publishers:
            statements.append(statement(partition, account_id, sorted(narrowed.get(service, ()))))
    return {"Version": "2012-10-17", "Statement": statements}
