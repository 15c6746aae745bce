"""An organization that already has a landing zone: an existing organization trail, an existing
log archive bucket this project must not modify, and a StackSets delegated administrator.

* An existing organization trail (AWS Control Tower's `aws-controltower-BaselineCloudTrail`,
  Landing Zone Accelerator's, or one of the organization's own) already records every account's
  management events. A second trail of them is a second copy, billed at $2.00 per 100,000
  events (AWS CloudTrail pricing, "Trails": "additional copies of management events"), so a stack
  given `existingTrailArn` creates none. An organization trail belongs to the management account
  (its ARN names it), even when a CloudTrail delegated administrator created it (CloudTrail User
  Guide, "Organization delegated administrator": "The management account remains the owner of
  any CloudTrail organization resources the delegated administrator creates"), and it streams to
  a CloudWatch Logs group of that account, in the trail's home Region.
* An existing archive bucket (Control Tower's `aws-controltower-logs-<account>-<region>`, whose
  changes Control Tower's mandatory controls forbid) is only read about: the log-archive stack's
  trail records data events on its objects, its tamper rules watch its configuration, and nothing
  of this stack names it as a resource.
* StackSets run from the management account (`CallAs` SELF) or from an account registered as a
  delegated administrator for StackSets (`CallAs` DELEGATED_ADMIN); "Organizations cannot
  register the management account as a delegated administrator" (CloudFormation API reference,
  CreateStackSet, CallAs; AWS Organizations API reference, RegisterDelegatedAdministrator).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from cloudtrail_logging.aws import patterns

DELEGATED_ADMIN = "DELEGATED_ADMIN"
# AWS Organizations User Guide, "AWS CloudFormation StackSets and AWS Organizations": the service
# principal an account is registered as a StackSets delegated administrator for.
STACKSETS_SERVICE_PRINCIPAL = "member.org.stacksets.cloudformation.amazonaws.com"


@dataclass(frozen=True)
class ExistingTrail:
    """An organization trail this stack relies on instead of creating one."""

    arn: str
    log_group_name: str | None = None
    """Its CloudWatch Logs group, in this account and Region, for the CIS metric filters."""
    log_group_retention_days: int | None = None
    """That group's retention as the preview read it (0: never expire); None until read."""

    def _part(self, group: str) -> str:
        match = re.fullmatch(patterns.TRAIL_ARN, self.arn)
        if match is None:
            raise ValueError(f"not a trail ARN: {self.arn!r}")
        return match[group]

    @property
    def name(self) -> str:
        return self._part("name")

    @property
    def account_id(self) -> str:
        """The trail's owner: for an organization trail, the management account."""
        return self._part("account")

    @property
    def region(self) -> str:
        """The trail's home Region."""
        return self._part("region")

    @property
    def partition(self) -> str:
        return self._part("partition")


def stack_set_caller_problem(
    *, account_id: str, management_account_id: str | None, registered: Collection[str] | None
) -> str | None:
    """Why a stack in `account_id` cannot create StackSets with CallAs DELEGATED_ADMIN, or None.

    `registered` are the accounts registered as StackSets delegated administrators, None when
    they could not be read (ListDelegatedAdministrators answers only the management account and
    delegated administrators, so a refusal means this account is none); `management_account_id`
    is None when the organization could not be read.
    """
    if account_id == management_account_id:
        return (
            f"SELF in the organization's management account {account_id}: CreateStackSet "
            "refuses CallAs DELEGATED_ADMIN there, since Organizations cannot register the "
            "management account as a delegated administrator"
        )
    if registered is None or account_id not in registered:
        return (
            f"an account registered as a delegated administrator for "
            f"{STACKSETS_SERVICE_PRINCIPAL} ({account_id} is not; the management account "
            "registers it: aws organizations register-delegated-administrator)"
        )
    return None
