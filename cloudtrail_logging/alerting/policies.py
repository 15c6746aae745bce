"""Policy documents of the alerting paths, as plain data.

* The role CloudTrail assumes to deliver to CloudWatch Logs, and its permissions (CloudTrail
  user guide, "Role policy document for CloudTrail to use CloudWatch Logs for monitoring").
* The KMS key policy statement that lets CloudWatch Logs use a key for one log group
  (CloudWatch Logs user guide, "Encrypt log data in CloudWatch Logs using AWS KMS").
* The central event bus's policy, admitting only member accounts (EventBridge user guide,
  "Permissions for event buses in Amazon EventBridge").
* The role EventBridge assumes to forward events from a member account to the central bus
  (EventBridge user guide, "Sending and receiving events between AWS accounts in Amazon
  EventBridge").

Every statement's Sid maps to its page in `cloudtrail_logging.sources`. All inputs are plain
strings; callers compose partition-aware ARNs (`naming`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from cloudtrail_logging.aws import CLOUDTRAIL_SERVICE, EVENTS_SERVICE, Policy, patterns, regions
from cloudtrail_logging.aws.policy_json import policy_size
from cloudtrail_logging.aws.trust import service_trust_policy

# "Event bus policy size: 10,240, adjustable. Maximum policy size, in characters. This policy
# size increases each time you grant access to another account."
# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
EVENT_BUS_POLICY_MAX_CHARS = 10_240

_ACCOUNT_RE = patterns.ACCOUNT_ID
_ORG_ID_RE = patterns.ORGANIZATION_ID
_LOG_GROUP_ARN_RE = patterns.LOG_GROUP_ARN
_EVENT_BUS_ARN_RE = patterns.EVENT_BUS_ARN


def _document(*statements: dict[str, Any]) -> Policy:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _parse_log_group_arn(log_group_arn: str) -> re.Match[str]:
    match = re.fullmatch(_LOG_GROUP_ARN_RE, log_group_arn)
    if match is None or not regions.is_region(match["region"]):
        raise ValueError(
            f"{log_group_arn!r} is not a log group ARN "
            "(arn:<partition>:logs:<region>:<account>:log-group:<name>)"
        )
    if regions.partition_of(match["region"]) != match["partition"]:
        raise ValueError(f"{log_group_arn!r}: region and partition disagree")
    return match


def _check(value: str, pattern: str, what: str) -> str:
    if not re.fullmatch(pattern, value):
        raise ValueError(f"{value!r} is not {what}")
    return value


# --- CloudTrail -> CloudWatch Logs -----------------------------------------------------------


def cloudtrail_logs_role_trust_policy() -> Policy:
    """Trust policy of the role CloudTrail assumes to write to CloudWatch Logs.

    Only `cloudtrail.amazonaws.com` may assume it. There is deliberately no `aws:SourceArn` or
    `aws:SourceAccount` condition: the CloudTrail guide says "Confused deputy prevention is not
    applicable to the role policy for CloudWatch Logs monitoring. The role policy doesn't
    support the use of aws:SourceArn and aws:SourceAccount."
    (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html),
    so such a condition risks breaking delivery. The role can only be handed to a trail by a
    principal of this account with `iam:PassRole`, and its permissions reach one log group only.
    """
    return service_trust_policy("AllowCloudTrailAssumeRole", CLOUDTRAIL_SERVICE)


def cloudtrail_log_stream_arns(
    log_group_arn: str, *, organization_id: str | None = None
) -> list[str]:
    """The log streams CloudTrail writes: `<account>_CloudTrail_<region>*` (and `<org-id>_*`).

    Stream names as the CloudTrail guide's role policy documents them for account trails and for
    organization trails (same URL as `cloudtrail_logs_role_trust_policy`).
    """
    match = _parse_log_group_arn(log_group_arn)
    group = log_group_arn.removesuffix(":*")
    streams = [f"{group}:log-stream:{match['account']}_CloudTrail_{match['region']}*"]
    if organization_id is not None:
        _check(organization_id, _ORG_ID_RE, "an organization id (o-...)")
        streams.append(f"{group}:log-stream:{organization_id}_*")
    return streams


def cloudtrail_logs_role_policy(
    log_group_arn: str, *, organization_id: str | None = None
) -> Policy:
    """Permissions of the CloudTrail delivery role: its own streams in one log group only."""
    streams = cloudtrail_log_stream_arns(log_group_arn, organization_id=organization_id)
    # CloudTrail user guide, "Role policy document for CloudTrail to use CloudWatch Logs for
    # monitoring": AWSCloudTrailCreateLogStream2014110 and AWSCloudTrailPutLogEvents20141101 on
    # the trail's own streams (Sids without the date suffix, as this project has always named them).
    return _document(
        {
            "Sid": "AWSCloudTrailCreateLogStream",
            "Effect": "Allow",
            "Action": "logs:CreateLogStream",
            "Resource": streams,
        },
        {
            "Sid": "AWSCloudTrailPutLogEvents",
            "Effect": "Allow",
            "Action": "logs:PutLogEvents",
            "Resource": streams,
        },
    )


def cloudwatch_logs_kms_statement(log_group_arn: str) -> dict[str, Any]:
    """Key policy statement letting CloudWatch Logs use the key for exactly one log group.

    The regional principal `logs.<region>.<dns suffix>` and the `kms:EncryptionContext:aws:logs:arn`
    condition follow "Encrypt log data in CloudWatch Logs using AWS KMS"
    (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html). The
    key must be in the log group's region. The context value is the group ARN without `:*`.
    """
    match = _parse_log_group_arn(log_group_arn)
    suffix = regions.dns_suffix(match["partition"])
    # "Encrypt log data in CloudWatch Logs using AWS KMS", step 2 key policy, as shown.
    return {
        "Sid": "AllowCloudWatchLogsUseForLogGroup",
        "Effect": "Allow",
        "Principal": {"Service": f"logs.{match['region']}.{suffix}"},
        "Action": [
            "kms:Encrypt*",
            "kms:Decrypt*",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:Describe*",
        ],
        "Resource": "*",
        "Condition": {
            "ArnEquals": {"kms:EncryptionContext:aws:logs:arn": log_group_arn.removesuffix(":*")}
        },
    }


# --- Central event bus -----------------------------------------------------------------------


def policy_size_chars(policy: Policy) -> int:
    """The policy's length as compact JSON, the form to hand to EventBridge."""
    return policy_size(policy)


def central_event_bus_policy(
    bus_arn: str,
    *,
    organization_id: str | None = None,
    member_account_ids: Sequence[str] = (),
    max_chars: int = EVENT_BUS_POLICY_MAX_CHARS,
) -> Policy:
    """Policy of the central bus: `events:PutEvents` from member accounts only.

    With an organization id the policy admits the organization (`aws:PrincipalOrgID`), one
    short statement at any size of organization. Without one it lists the accounts in an
    `aws:PrincipalAccount` condition (about 15 characters each), which fits roughly 650 accounts
    in the default 10,240-character quota; beyond `max_chars` a ValueError says what to do.
    """
    _check(bus_arn, _EVENT_BUS_ARN_RE, "an event bus ARN")
    condition: dict[str, dict[str, str | list[str]]]
    if organization_id is not None:
        _check(organization_id, _ORG_ID_RE, "an organization id (o-...)")
        condition = {"StringEquals": {"aws:PrincipalOrgID": organization_id}}
        sid = "AllowOrganizationPutEvents"
    else:
        accounts = sorted(set(member_account_ids))
        if not accounts:
            raise ValueError("give organization_id or at least one member account id")
        for account in accounts:
            _check(account, _ACCOUNT_RE, "a 12-digit account id")
        condition = {"StringEquals": {"aws:PrincipalAccount": accounts}}
        sid = "AllowMemberAccountsPutEvents"
    # "Permissions for event buses in Amazon EventBridge"
    # (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html): the
    # organization example is Principal "*" with aws:PrincipalOrgID, as here. Its per-account
    # example names each account root as Principal; the account form here lists the accounts once
    # in aws:PrincipalAccount ("AWS global condition context keys", present in every signed
    # request) with Principal "*", which admits the same principals in about half the characters.
    policy = _document(
        {
            "Sid": sid,
            "Effect": "Allow",
            "Principal": "*",
            "Action": "events:PutEvents",
            "Resource": bus_arn,
            "Condition": condition,
        }
    )
    size = policy_size_chars(policy)
    if size > max_chars:
        raise ValueError(
            f"the event bus policy for {len(member_account_ids)} accounts is {size} characters, "
            f"over the {max_chars}-character event bus policy quota; configure the organization "
            "id (aws:PrincipalOrgID) or raise the quota and pass max_chars"
        )
    return policy


# --- Member account -> central bus ------------------------------------------------------------


def event_forwarder_trust_policy(account_id: str, rule_arns: Sequence[str] = ()) -> Policy:
    """Trust policy of the role EventBridge assumes to put events on the central bus.

    Only `events.amazonaws.com`, on behalf of this account (`aws:SourceAccount`) and, when
    given, only for these rules (`aws:SourceArn`, ArnLike so that `rule/<prefix>*` may cover
    the same rule in every alert region).
    """
    _check(account_id, _ACCOUNT_RE, "a 12-digit account id")
    condition: dict[str, Any] = {"StringEquals": {"aws:SourceAccount": account_id}}
    if rule_arns:
        for arn in rule_arns:
            rule_re = rf"arn:(aws|aws-cn|aws-us-gov):events:([a-z0-9-]+|\*):{account_id}:rule/\S+"
            if not re.fullmatch(rule_re, arn):
                raise ValueError(f"{arn!r} is not an EventBridge rule ARN of account {account_id}")
        condition["ArnLike"] = {"aws:SourceArn": list(rule_arns)}
    # EventBridge user guide, "Sending and receiving events between AWS accounts in Amazon
    # EventBridge" (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html):
    # a rule whose target is a bus in another account uses a role trusted by events.amazonaws.com.
    # aws:SourceAccount / aws:SourceArn as the IAM user guide's "The confused deputy problem"
    # recommends for roles a service assumes
    # (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
    return service_trust_policy("AllowEventBridgeAssumeRole", EVENTS_SERVICE, condition)


def event_forwarder_role_policy(bus_arn: str, *more_bus_arns: str) -> Policy:
    """Permissions of the forwarding role: `events:PutEvents` on exactly the target buses."""
    buses = [bus_arn, *more_bus_arns]
    for arn in buses:
        _check(arn, _EVENT_BUS_ARN_RE, "an event bus ARN")
    # Same EventBridge page: the role may events:PutEvents on the target bus, nothing else.
    return _document(
        {
            "Sid": "AllowPutEventsToCentralBus",
            "Effect": "Allow",
            "Action": "events:PutEvents",
            "Resource": bus_arn if not more_bus_arns else buses,
        }
    )
