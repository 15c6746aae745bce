"""Key administration, as KMS would decide it: every administrative operation of the "Default
key policy" page (KMS Developer Guide), no cryptographic use, and no grant."""

from __future__ import annotations

import pytest

from cloudtrail_logging.aws.kms import administration, key_administration, named_key_administration
from tests.support.policy_eval import Decision, Principal, Request, evaluate

ACCOUNT = "222222222222"
ADMIN = f"arn:aws:iam::{ACCOUNT}:role/archive-admin"
OTHER_ADMIN = f"arn:aws:iam::{ACCOUNT}:role/archive-admin-2"
# One API operation of each administrative family the page lists (and on-demand rotation).
ADMINISTER = (
    "kms:CreateAlias", "kms:DescribeKey", "kms:EnableKey", "kms:EnableKeyRotation",
    "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:UpdateAlias", "kms:UpdateKeyDescription",
    "kms:RevokeGrant", "kms:DisableKey", "kms:DisableKeyRotation", "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus", "kms:DeleteAlias", "kms:TagResource", "kms:UntagResource",
    "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand",
)  # fmt: skip
USE = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom",
       "kms:CreateGrant")  # fmt: skip


def decide(statement: dict[str, object], who: str, action: str) -> Decision:
    policy = {"Version": "2012-10-17", "Statement": [statement]}
    return evaluate(policy, Request(Principal.aws(who), action, "*"))


@pytest.mark.parametrize(
    ("statement", "who"),
    [
        (key_administration("aws", ACCOUNT), f"arn:aws:iam::{ACCOUNT}:root"),
        (named_key_administration([ADMIN, OTHER_ADMIN, ADMIN]), OTHER_ADMIN),
        (administration("aws", ACCOUNT, [ADMIN]), ADMIN),
        (administration("aws", ACCOUNT, []), f"arn:aws:iam::{ACCOUNT}:root"),
    ],
    ids=["account", "named", "named-where-there-are-some", "account-where-there-are-none"],
)
def test_administrators_administer_and_never_use_the_key(
    statement: dict[str, object], who: str
) -> None:
    for action in ADMINISTER:
        assert decide(statement, who, action) is Decision.ALLOW, action
    for action in USE:
        assert decide(statement, who, action) is Decision.IMPLICIT_DENY, action


def test_named_administration_names_only_the_administrators() -> None:
    statement = named_key_administration([ADMIN, ADMIN])
    assert statement["Principal"] == {"AWS": [ADMIN]}
    assert decide(statement, f"arn:aws:iam::{ACCOUNT}:root", "kms:PutKeyPolicy") is (
        Decision.IMPLICIT_DENY
    )
    assert decide(administration("aws", ACCOUNT, [ADMIN]), f"arn:aws:iam::{ACCOUNT}:root",
                  "kms:PutKeyPolicy") is Decision.IMPLICIT_DENY  # fmt: skip
    with pytest.raises(ValueError, match="administrator_arns"):
        named_key_administration([])
