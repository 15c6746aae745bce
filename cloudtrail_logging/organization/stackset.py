"""Organization mode: CloudFormation StackSet templates and settings for API-call rules.

One service-managed StackSet deployment reaches every account of the chosen organizational
units, in every alert region, including accounts that join later (auto-deployment). Two stack
sets, both built here as plain data (CloudFormation templates as JSON-able dicts):

* the forwarder-role stack set (`forwarder_role_template`), deployed in the partition's global
  events region only: IAM is global, so one role per account, named, and referenced by ARN;
* the rules stack set (`rules_template`), deployed in every instance region: one EventBridge
  rule per alert on the default bus, each forwarding to the central bus through that role.

Why two stack sets rather than one template whose role is created under a `AWS::Region`
condition: the rules in other regions reference the role by ARN, so the role must exist before
EventBridge first uses it, and nothing documents whether `PutTargets` accepts a role that does
not exist yet. Initial rollouts are ordered by the component (rule instances depend on the role
instance). Auto-deployment to new accounts ignores operation preferences and their region order
(`StackSetOperationPreferences` API reference: "don't apply to AutoDeployment"), so it is
ordered by the rules stack set's `AutoDeployment.DependsOn` on the role stack set: "operations
will be sequenced to ensure all dependencies complete successfully before this StackSet's
operation begins" (CloudFormation API reference, AutoDeployment,
https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_AutoDeployment.html).

Everything is known at preview: names come from the name prefix, the central bus ARN is a
plain string, and account-specific values use CloudFormation pseudo parameters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from cloudtrail_logging.alerting.alerts import (
    ApiAlert,
    api_rule_name,
    api_rule_prefix,
    event_pattern,
    eventbridge_rule_state,
)
from cloudtrail_logging.alerting.policies import event_forwarder_role_policy
from cloudtrail_logging.aws import EVENTS_SERVICE, patterns, regions
from cloudtrail_logging.aws import names as aws_names
from cloudtrail_logging.aws.trust import service_trust_policy

Template = dict[str, Any]

PERMISSION_MODEL = "SERVICE_MANAGED"
CALL_AS_VALUES = ("SELF", "DELEGATED_ADMIN")
# The role template names an IAM role (RoleName): "If you have IAM resources with custom names,
# you must specify CAPABILITY_NAMED_IAM" (CloudFormation API reference, CreateStackSet,
# Capabilities). The rules template holds no IAM resource and needs no capability.
ROLE_CAPABILITIES = ("CAPABILITY_NAMED_IAM",)

CENTRAL_BUS_TARGET_ID = "central-bus"
FORWARDER_POLICY_NAME = "put-events-central-bus"
ROLE_LOGICAL_ID = "EventForwarderRole"

# "Template body size in a request: 51,200 bytes" ("Understand CloudFormation quotas",
# CloudFormation user guide,
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
# It binds long before the resource-count quota: a rule takes 0.4-1.2 KB, so about 45-100 rules.
MAX_TEMPLATE_BODY_BYTES = 51_200
# "The maximum number of organizational units (OUs) supported by a CreateStackInstances
# operation is 50." (CloudFormation API reference, CreateStackInstances)
MAX_OUS_PER_OPERATION = 50
RULE_DESCRIPTION_MAX = 512  # EventBridge PutRule Description: at most 512 characters.


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------


def forwarder_role_name(name_prefix: str) -> str:
    """The forwarding role's name in every member account: `<prefix>-event-forwarder`."""
    name = f"{name_prefix}-event-forwarder"
    problem = aws_names.check_name("iam-role", name)
    if problem is not None:
        raise ValueError(f"IAM role name {name!r}: expected {problem}")
    return name


def check_stack_set_name(name: str) -> str:
    """The name if CloudFormation accepts it as a stack set name, else ValueError."""
    problem = aws_names.check_name("stack-set", name)
    if problem is not None:
        raise ValueError(f"stack set name {name!r}: expected {problem}")
    return name


def role_stack_set_name(stack_set_name: str) -> str:
    """The forwarder-role stack set's name, derived from the rules stack set's name."""
    return check_stack_set_name(f"{stack_set_name}-forwarder-role")


def rule_logical_id(alert: ApiAlert) -> str:
    """A stable logical id per alert (`iam-user-created` -> `RuleIamUserCreated`).

    Derived from the alert name, not its position, so reordering alerts never replaces a rule
    (a replacement of a named rule would collide with itself).
    """
    return "Rule" + "".join(part[:1].upper() + part[1:] for part in alert.name.split("-"))


def check_organizational_unit_ids(ou_ids: Sequence[object]) -> None:
    """ValueError unless there are 1-50 targets and every literal one is an OU or root id.

    Values not yet known (Pulumi outputs) are skipped; CloudFormation checks them on apply.
    """
    if not ou_ids:
        raise ValueError("give at least one organizational unit id (ou-...) or the root id (r-...)")
    if len(ou_ids) > MAX_OUS_PER_OPERATION:
        raise ValueError(
            f"{len(ou_ids)} organizational units; CreateStackInstances accepts at most "
            f"{MAX_OUS_PER_OPERATION}: target their parent OU instead"
        )
    literal = [ou for ou in ou_ids if isinstance(ou, str)]
    for ou in literal:
        if not re.fullmatch(patterns.ORGANIZATIONAL_UNIT_ID, ou):
            raise ValueError(f"{ou!r} is not an organizational unit id (ou-...) or root id (r-...)")
    if len(set(literal)) != len(literal):
        raise ValueError("organizational unit ids must be listed once each")


def instance_regions(alert_regions: Iterable[str], partition: str) -> tuple[str, ...]:
    """Regions of the rules stack set: the alert regions plus the global events region.

    Deduplicated and sorted, so a reordered config never changes the plan. The global events
    region is always there: IAM, STS and sign-in events arrive only there
    (`regions.GLOBAL_EVENTS_REGION`).
    """
    valid = regions.regions_of(partition)
    chosen = set(alert_regions) | {regions.global_events_region(partition)}
    unknown = sorted(chosen - valid)
    if unknown:
        raise ValueError(f"{unknown} are not {partition} regions")
    return tuple(sorted(chosen))


def role_region(partition: str) -> str:
    """The one region where the forwarder-role stack set has an instance."""
    return regions.global_events_region(partition)


# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------


def _check_bus_arn(central_bus_arn: str, partition: str) -> None:
    if re.fullmatch(patterns.EVENT_BUS_ARN, central_bus_arn) is None:
        raise ValueError(f"{central_bus_arn!r} is not an event bus ARN")
    if central_bus_arn.split(":")[1] != partition:
        raise ValueError(f"{central_bus_arn!r} is not in partition {partition!r}")


def forwarder_role_arn_sub(name_prefix: str) -> dict[str, str]:
    """The role's ARN in the deploying account, as `Fn::Sub` over pseudo parameters."""
    role = forwarder_role_name(name_prefix)
    return {"Fn::Sub": f"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{role}"}


def forwarder_trust_policy(name_prefix: str) -> dict[str, Any]:
    """Trust policy of the forwarding role, in the form of `event_forwarder_trust_policy`.

    Account and partition come from pseudo parameters, so one template serves every account.
    The source ARN admits this stack's rule-name prefix in any region: the role needs no update
    when a region is added, and whoever triggers it can only put events on the central bus.
    """
    source_arn = {
        "Fn::Sub": f"arn:${{AWS::Partition}}:events:*:${{AWS::AccountId}}:rule/"
        f"{api_rule_prefix(name_prefix)}*"
    }
    # A rule whose target is an event bus in another account needs a role when the receiving
    # bus grants the organization ("Sending and receiving events between AWS accounts in Amazon
    # EventBridge", EventBridge user guide,
    # https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html).
    # aws:SourceAccount and aws:SourceArn against the confused deputy ("The confused deputy
    # problem", IAM user guide, https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
    return service_trust_policy(
        "AllowEventBridgeAssumeRole",
        EVENTS_SERVICE,
        {
            "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
            "ArnLike": {"aws:SourceArn": [source_arn]},
        },
    )


def forwarder_role_template(*, name_prefix: str, partition: str, central_bus_arn: str) -> Template:
    """The forwarder-role stack set's template: one named IAM role (global events region only)."""
    _check_bus_arn(central_bus_arn, partition)
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "cloudtrail-logging: the role EventBridge assumes to forward API-call "
        "alerts to the central event bus",
        "Resources": {
            ROLE_LOGICAL_ID: {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": forwarder_role_name(name_prefix),
                    "Description": "EventBridge forwards API-call alerts to the central event bus",
                    "AssumeRolePolicyDocument": forwarder_trust_policy(name_prefix),
                    "Policies": [
                        {
                            "PolicyName": FORWARDER_POLICY_NAME,
                            # events:PutEvents on exactly the central bus ("Sending and
                            # receiving events between AWS accounts in Amazon EventBridge",
                            # EventBridge user guide; statement in
                            # alerting_policies.event_forwarder_role_policy).
                            "PolicyDocument": event_forwarder_role_policy(central_bus_arn),
                        }
                    ],
                },
            }
        },
        "Outputs": {"RoleArn": {"Value": {"Fn::GetAtt": [ROLE_LOGICAL_ID, "Arn"]}}},
    }


def _rule(alert: ApiAlert, name_prefix: str, central_bus_arn: str) -> dict[str, Any]:
    return {
        "Type": "AWS::Events::Rule",
        "Properties": {
            "Name": api_rule_name(name_prefix, alert),
            "Description": (alert.description or f"API alert {alert.name}")[:RULE_DESCRIPTION_MAX],
            "EventPattern": event_pattern(alert),
            "State": eventbridge_rule_state(alert),
            "Targets": [
                {
                    "Id": CENTRAL_BUS_TARGET_ID,
                    "Arn": central_bus_arn,
                    # Required for a bus in another account whose policy grants the
                    # organization (EventBridge API reference, Target: "you must specify a
                    # RoleArn with proper permissions in the Target structure").
                    "RoleArn": forwarder_role_arn_sub(name_prefix),
                }
            ],
        },
    }


def rules_template(
    alerts: Sequence[ApiAlert], *, name_prefix: str, partition: str, central_bus_arn: str
) -> Template:
    """The rules stack set's template: one rule per alert, each targeting the central bus.

    Rules are on the default bus (where AWS delivers CloudTrail events) and reference the
    forwarder role by ARN; the template holds no IAM resource and needs no capability.
    """
    if not alerts:
        raise ValueError("no API alerts: a stack set template needs at least one rule")
    _check_bus_arn(central_bus_arn, partition)
    resources: dict[str, Any] = {}
    for alert in alerts:
        logical_id = rule_logical_id(alert)
        if logical_id in resources:
            raise ValueError(f"alert {alert.name!r} maps to logical id {logical_id!r} twice")
        resources[logical_id] = _rule(alert, name_prefix, central_bus_arn)
    template: Template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "cloudtrail-logging: API-call alert rules forwarded to the central "
        "event bus",
        "Resources": resources,
    }
    template_body(template)  # fail at preview, not at apply, when the body is too large
    return template


def template_body(template: Template) -> str:
    """The template as compact JSON; ValueError over the 51,200-byte `TemplateBody` quota."""
    body = json.dumps(template, separators=(",", ":"), sort_keys=True)
    size = len(body.encode())
    if size > MAX_TEMPLATE_BODY_BYTES:
        raise ValueError(
            f"the template is {size} bytes, over the {MAX_TEMPLATE_BODY_BYTES}-byte TemplateBody "
            "quota; split the alerts or shorten their event names"
        )
    return body


# ---------------------------------------------------------------------------------------------
# Operation preferences
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OperationPreferences:
    """How StackSets rolls out create, update and delete operations (not auto-deployment).

    Field meanings: "StackSet operation options", CloudFormation user guide
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-concepts.html#stackset-ops-options)
    and the StackSetOperationPreferences API reference.

    * `region_concurrency_type` PARALLEL: the template is the same, stateless and independent in
      every region (the role lives in its own stack set), so a sequential order adds no safety
      and multiplies wall time by the number of regions.
    * `max_concurrent_percentage` 25: four waves per region at any organization size (10
      accounts: 2, rounded down; 1,000: 250; 10,000: 2,500), keeping each region's concurrent
      stack operations under the per-Region StackSets instance-operations quota.
    * `failure_tolerance_percentage` 10: isolated failures (a suspended account, an SCP denying
      `events:PutRule`, an opt-in region not enabled) don't stop the rollout for everyone; a
      broken template fails far more than 10% of accounts and stops the region. A failed stack
      rolls back; it never touches resources outside its own rules.
    * `concurrency_mode` SOFT_FAILURE_TOLERANCE: speed stays at the concurrency above instead of
      shrinking with each isolated failure; the stop threshold is unchanged.
    """

    region_concurrency_type: str = "PARALLEL"
    max_concurrent_percentage: int = 25
    failure_tolerance_percentage: int = 10
    concurrency_mode: str = "SOFT_FAILURE_TOLERANCE"


def operation_preferences(
    *, max_concurrent_percentage: int = 25, failure_tolerance_percentage: int = 10
) -> OperationPreferences:
    """Preferences sized for large organizations; the percentages may be tuned (1-100, 0-100)."""
    if not 1 <= max_concurrent_percentage <= 100:
        raise ValueError("max_concurrent_percentage must be 1-100")
    if not 0 <= failure_tolerance_percentage <= 100:
        raise ValueError("failure_tolerance_percentage must be 0-100")
    return OperationPreferences(
        max_concurrent_percentage=max_concurrent_percentage,
        failure_tolerance_percentage=failure_tolerance_percentage,
    )
