"""KMS vocabulary every key policy of the project shares: the size limit, the key
administration statements ("Default key policy", KMS Developer Guide) and the readers' grant."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cloudtrail_logging.aws import Statement
from cloudtrail_logging.aws.arns import account_root_arn

# "Key policies in AWS KMS": "The maximum length of a key policy document is 32 KB".
KMS_POLICY_LIMIT_BYTES = 32 * 1024


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


def administration(partition: str, account_id: str, administrator_arns: Sequence[str]) -> Statement:
    """The named archive administrators where there are some (the log archive's every key, so
    that an administrator of the archive account who is not one cannot disable or re-open the
    alerting's keys either), the account elsewhere."""
    if administrator_arns:
        return named_key_administration(administrator_arns)
    return key_administration(partition, account_id)


def readers_decrypt(sid: str, reader_arns: Sequence[str], condition: dict[str, Any]) -> Statement:
    """The named readers may Decrypt with the key, under `condition`."""
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"AWS": sorted(set(reader_arns))},
        "Action": "kms:Decrypt",
        "Resource": "*",
        "Condition": condition,
    }
