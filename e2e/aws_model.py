"""What the stand-in `aws` provider knows about each resource type: a STAND-IN, not pulumi-aws.

For every type this program creates, three facts, nothing more:

- the id AWS (and pulumi-aws) gives the resource: the forms pulumi-aws 7.51.1 documents for
  `pulumi import` in each resource module's `## Import` section (venv/.../pulumi_aws/<module>.py),
  e.g. a trail's ARN, a queue's URL, `<role>:<policy>` for an inline role policy;
- the computed outputs the program or a stack output reads (ARNs, URLs, key ids), shaped as AWS
  returns them (the ARN formats of each service's "Actions, resources, and condition keys" page in
  the IAM Service Authorization Reference);
- which inputs force a replacement: engine_model/replace_keys.py, the reviewed table the offline
  diff uses too (the real provider takes this from the Terraform schema's ForceNew).

A type missing here is an error in the stand-in (never a guess), so a new resource type in the
program fails the e2e until its shape is added.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from engine_model.mocks import organization
from engine_model.replace_keys import BUCKET_PARTS, replace_keys


@dataclass(frozen=True)
class Place:
    """Where a resource lives: the account the provider's credentials belong to, and its region."""

    account: str
    region: str

    @property
    def partition(self) -> str:
        """The partition a region belongs to, from its name as AWS names regions (`cn-*` China,
        `us-gov-*` GovCloud): the provider derives it from its region too."""
        if self.region.startswith("cn-"):
            return "aws-cn"
        if self.region.startswith("us-gov-"):
            return "aws-us-gov"
        return "aws"

    @property
    def dns_suffix(self) -> str:
        return "amazonaws.com.cn" if self.partition == "aws-cn" else "amazonaws.com"

    def arn(self, service: str, resource: str, *, regional: bool = True,
            account: bool = True) -> str:
        return (
            f"arn:{self.partition}:{service}:{self.region if regional else ''}:"
            f"{self.account if account else ''}:{resource}"
        )


def generated_id(urn: str, kind: str) -> str:
    """A UUID AWS would make up at creation (a KMS key id, a subscription id): stable per URN, so
    two runs of the e2e produce the same state and a diff of two runs shows only real changes."""
    return str(uuid.UUID(hashlib.sha256(f"{kind}/{urn}".encode()).hexdigest()[:32]))


Computed = Callable[[str, Mapping[str, Any], Place], tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class TypeShape:
    """One resource type: its id and computed outputs once created, and its replace keys."""

    created: Computed  # (urn, inputs, place) -> (id, computed outputs)
    replace_on: frozenset[str]
    computed_keys: frozenset[str]  # the outputs `created` adds: unknown in a preview


def _name(inputs: Mapping[str, Any], key: str = "name") -> str:
    value = inputs.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"the stand-in needs an explicit '{key}' (it does not autoname)")
    return value


def _shape(type_: str, computed_keys: set[str], created: Computed) -> TypeShape:
    return TypeShape(created, replace_keys(type_), frozenset(computed_keys))


def _bucket(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    name = _name(i, "bucket")
    return name, {
        "arn": f"arn:{p.partition}:s3:::{name}",
        "bucketDomainName": f"{name}.s3.{p.dns_suffix}",
        "bucketRegionalDomainName": f"{name}.s3.{p.region}.{p.dns_suffix}",
    }


def _bucket_part(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    return _name(i, "bucket"), {}


def _key(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    key_id = generated_id(urn, "kms-key")
    return key_id, {"keyId": key_id, "arn": p.arn("kms", f"key/{key_id}")}


def _alias(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    name, target = _name(i), str(i.get("targetKeyId", ""))
    target_arn = target if target.startswith("arn:") else p.arn("kms", f"key/{target}")
    return name, {"arn": p.arn("kms", name), "targetKeyArn": target_arn}


def _topic(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    arn = p.arn("sns", _name(i))
    return arn, {"arn": arn, "owner": p.account}


def _topic_policy(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    return _name(i, "arn"), {"owner": p.account}


def _subscription(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    arn = f"{_name(i, 'topic')}:{generated_id(urn, 'sns-subscription')}"
    return arn, {"arn": arn, "ownerId": p.account}


def _queue(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    name = _name(i)
    url = f"https://sqs.{p.region}.{p.dns_suffix}/{p.account}/{name}"
    return url, {"arn": p.arn("sqs", name), "url": url}


def _queue_policy(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    return _name(i, "queueUrl"), {}


def _role(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    name, path = _name(i), str(i.get("path") or "/")
    unique = "AROA" + hashlib.sha256(urn.encode()).hexdigest()[:17].upper()
    return name, {"arn": p.arn("iam", f"role{path}{name}", regional=False), "uniqueId": unique}


def _role_policy(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    return f"{_name(i, 'role')}:{_name(i)}", {}


def _trail(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    arn = p.arn("cloudtrail", f"trail/{_name(i)}")
    return arn, {"arn": arn, "homeRegion": p.region}


def _event_bus(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    name = _name(i)
    return name, {"arn": p.arn("events", f"event-bus/{name}")}


def _event_bus_policy(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    return str(i.get("eventBusName") or "default"), {}


def _event_rule(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    name, bus = _name(i), str(i.get("eventBusName") or "default")
    path = name if bus == "default" else f"{bus}/{name}"
    return path, {"arn": p.arn("events", f"rule/{path}")}


def _event_target(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    return f"{_name(i, 'rule')}/{_name(i, 'targetId')}", {}


def _log_group(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    name = _name(i)
    return name, {"arn": p.arn("logs", f"log-group:{name}")}


def _metric_filter(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    return f"{_name(i, 'logGroupName')}:{_name(i)}", {}


def _alarm(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    name = _name(i)
    return name, {"arn": p.arn("cloudwatch", f"alarm:{name}")}


def _permission(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    return f"{_name(i, 'function')}/{_name(i, 'statementId')}", {}


def _stack_set(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    name = _name(i)
    stack_set_id = f"{name}:{generated_id(urn, 'stack-set')}"
    return name, {"arn": p.arn("cloudformation", f"stackset/{stack_set_id}"),
                  "stackSetId": stack_set_id}


def _stack_set_instance(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    targets = i.get("deploymentTargets") or {}
    units = targets.get("organizationalUnitIds") if isinstance(targets, Mapping) else None
    where = "/".join(units) if units else str(i.get("accountId") or p.account)
    region = str(i.get("stackSetInstanceRegion") or p.region)
    return f"{_name(i, 'stackSetName')},{where},{region}", {}


def _scp(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    policy_id = "p-" + hashlib.sha256(urn.encode()).hexdigest()[:8]
    org_id = organization(p.account, p.partition)["id"]  # the getOrganization answer's
    kind = str(i.get("type") or "SERVICE_CONTROL_POLICY").lower()
    arn = f"arn:{p.partition}:organizations::{p.account}:policy/{org_id}/{kind}/{policy_id}"
    return policy_id, {"arn": arn}


def _scp_attachment(urn: str, i: Mapping[str, Any], p: Place) -> tuple[str, dict[str, Any]]:
    return f"{_name(i, 'targetId')}:{_name(i, 'policyId')}", {}


_COMPUTED: dict[str, tuple[set[str], Computed]] = {
    "aws:s3/bucket:Bucket": ({"arn", "bucketDomainName", "bucketRegionalDomainName"}, _bucket),
    **{f"aws:s3/{m}:{m[0].upper()}{m[1:]}": (set(), _bucket_part) for m in BUCKET_PARTS},
    "aws:kms/key:Key": ({"arn", "keyId"}, _key),
    "aws:kms/alias:Alias": ({"arn", "targetKeyArn"}, _alias),
    "aws:sns/topic:Topic": ({"arn", "owner"}, _topic),
    "aws:sns/topicPolicy:TopicPolicy": ({"owner"}, _topic_policy),
    "aws:sns/topicSubscription:TopicSubscription": ({"arn", "ownerId"}, _subscription),
    "aws:sqs/queue:Queue": ({"arn", "url"}, _queue),
    "aws:sqs/queuePolicy:QueuePolicy": (set(), _queue_policy),
    "aws:iam/role:Role": ({"arn", "uniqueId"}, _role),
    "aws:iam/rolePolicy:RolePolicy": (set(), _role_policy),
    "aws:cloudtrail/trail:Trail": ({"arn", "homeRegion"}, _trail),
    "aws:cloudwatch/eventBus:EventBus": ({"arn"}, _event_bus),
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": (set(), _event_bus_policy),
    "aws:cloudwatch/eventRule:EventRule": ({"arn"}, _event_rule),
    "aws:cloudwatch/eventTarget:EventTarget": (set(), _event_target),
    "aws:cloudwatch/logGroup:LogGroup": ({"arn"}, _log_group),
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": (set(), _metric_filter),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ({"arn"}, _alarm),
    "aws:lambda/permission:Permission": (set(), _permission),
    "aws:organizations/policy:Policy": ({"arn"}, _scp),
    "aws:organizations/policyAttachment:PolicyAttachment": (set(), _scp_attachment),
    "aws:cloudformation/stackSet:StackSet": ({"arn", "stackSetId"}, _stack_set),
    "aws:cloudformation/stackSetInstance:StackSetInstance": (set(), _stack_set_instance),
}
# Replace keys: engine_model/replace_keys.py, the table the offline diff uses too.
SHAPES: dict[str, TypeShape] = {
    type_: _shape(type_, computed, created) for type_, (computed, created) in _COMPUTED.items()
}


def imported(type_: str, resource_id: str, inputs: Mapping[str, Any], place: Place
             ) -> dict[str, Any]:
    """The computed outputs AWS reports for an existing resource read by its import id: as at
    creation, but for a key whose id and ARN are the existing key's."""
    _, computed = shape_of(type_).created(f"existing/{resource_id}", inputs, place)
    if type_ == "aws:kms/key:Key":
        computed = {"keyId": resource_id, "arn": place.arn("kms", f"key/{resource_id}")}
    return computed


def shape_of(type_: str) -> TypeShape:
    try:
        return SHAPES[type_]
    except KeyError:
        raise ValueError(
            f"the stand-in aws provider does not know {type_} (add it to e2e/aws_model.py)"
        ) from None
