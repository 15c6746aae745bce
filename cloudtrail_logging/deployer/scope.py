"""What each call of `calls.py` is authorized against, for one registered resource: the ARNs
(or `*` where the action names no resource type), and the conditions that narrow it.

Everything comes from the resource's inputs as registered at preview: names, and ARNs composed
from names. An input unknown at preview (an ARN AWS makes up) is followed through the resource's
property dependencies to the resource it names. What AWS makes up (a key's id, a policy's id, a
stack set's suffix) is a `*` inside the stack's account and Region.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from cloudtrail_logging.deployer.calls import Call

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's unknown value, as registered
GLOBAL_SERVICES = frozenset({"iam", "organizations", "sts"})
CLOUDTRAIL_SERVICE_LINKED_ROLE = (
    "role/aws-service-role/cloudtrail.amazonaws.com/AWSServiceRoleForCloudTrail"
)
Condition = dict[str, dict[str, Any]]


class Registered(Protocol):
    """A registered resource as the offline preview records it (offline/model.py)."""

    @property
    def urn(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def inputs(self) -> dict[str, Any]: ...
    @property
    def protect(self) -> bool: ...
    @property
    def read(self) -> bool: ...
    @property
    def custom(self) -> bool: ...
    @property
    def property_dependencies(self) -> dict[str, tuple[str, ...]]: ...


@dataclass(frozen=True)
class Place:
    """The stack's partition, account, home Region and name prefix."""

    partition: str
    account_id: str
    region: str
    name_prefix: str = "cloudtrail-logging"


@dataclass(frozen=True)
class Grant:
    """One action on some resources, under a condition (empty: none)."""

    action: str
    resources: tuple[str, ...]
    condition: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    """(operator, key, values), sorted."""


def _known(value: Any) -> str | None:
    return value if isinstance(value, str) and value and value != UNKNOWN else None


class Scope:
    """ARNs and conditions for the resources of one stack."""

    def __init__(self, place: Place, resources: Sequence[Registered]) -> None:
        self.place = place
        self.by_urn = {r.urn: r for r in resources}
        self.aliases = sorted(
            {name for r in resources if r.type == "aws:kms/alias:Alias"
             for name in [_known(r.inputs.get("name"))] if name}
        )  # fmt: skip

    # -- where ---------------------------------------------------------------------------

    def region_of(self, resource: Registered) -> str:
        """pulumi-aws 7's per-resource `region`, else the stack's."""
        return _known(resource.inputs.get("region")) or self.place.region

    def _arn(self, service: str, region: str, resource: str) -> str:
        p = self.place
        where = "" if service in GLOBAL_SERVICES else region
        return f"arn:{p.partition}:{service}:{where}:{p.account_id}:{resource}"

    def _named(self, resource: Registered, own_type: str, key: str) -> list[str]:
        """A resource of `own_type`'s `name`, or the names another resource's input `key` holds."""
        return self._input(resource, "name" if resource.type == own_type else key)

    def _input(self, resource: Registered, key: str) -> list[str]:
        """The values an input holds, or, unknown at preview, the ARNs of what it depends on."""
        value = resource.inputs.get(key)
        values = value if isinstance(value, list) else [value]
        known = [v for v in map(_known, values) if v]
        if known:
            return known
        return [arn for urn in resource.property_dependencies.get(key, ())
                if urn in self.by_urn for arn in self.own(self.by_urn[urn])]

    # -- each kind of resource -----------------------------------------------------------

    def own(self, resource: Registered) -> list[str]:
        """The ARNs a resource of a type with an ARN of its own is known by."""
        kind = {
            "aws:s3/bucket:Bucket": "bucket", "aws:kms/key:Key": "key",
            "aws:kms/alias:Alias": "alias", "aws:sns/topic:Topic": "topic",
            "aws:sqs/queue:Queue": "queue", "aws:iam/role:Role": "role",
            "aws:cloudtrail/trail:Trail": "trail", "aws:cloudwatch/logGroup:LogGroup":
            "log-group", "aws:cloudwatch/metricAlarm:MetricAlarm": "alarm",
            "aws:cloudwatch/eventBus:EventBus": "bus", "aws:cloudwatch/eventRule:EventRule":
            "rule", "aws:cloudformation/stackSet:StackSet": "stack-set",
            "aws:organizations/policy:Policy": "scp",
        }.get(resource.type)
        return self.arns(resource, kind) if kind else []

    def arns(self, resource: Registered, on: str) -> list[str]:
        """What a call `on` this kind of target is authorized against."""
        region, inputs = self.region_of(resource), resource.inputs
        name = _known(inputs.get("name"))
        p = self.place
        if on == "*":
            return ["*"]
        if on == "bucket":
            return [f"arn:{p.partition}:s3:::{b}" for b in self._input(resource, "bucket")
                    if not b.startswith("arn:")] or self._input(resource, "bucket")
        if on == "key":
            return [self._arn("kms", region, "key/*")]
        if on == "alias":
            return [self._arn("kms", region, name)] if name else []
        if on == "topic":
            if resource.type == "aws:sns/topic:Topic":
                return [self._arn("sns", region, name)] if name else []
            key = "arn" if resource.type == "aws:sns/topicPolicy:TopicPolicy" else "topic"
            return self._input(resource, key)
        if on == "queue":
            if resource.type == "aws:sqs/queue:Queue":
                return [self._arn("sqs", region, name)] if name else []
            return [self._arn("sqs", region, url.rsplit("/", 1)[1])
                    for url in self._input(resource, "queueUrl") if "/" in url]
        if on == "role":
            if resource.type == "aws:iam/role:Role":
                path = _known(inputs.get("path")) or "/"
                return [self._arn("iam", "", f"role{path}{name}")] if name else []
            return [self._arn("iam", "", f"role/{r}") for r in self._input(resource, "role")
                    if not r.startswith("arn:")]
        if on == "pass-role":
            return []  # the call's own `when` input: see `resources`
        if on == "trail":
            return [self._arn("cloudtrail", region, f"trail/{name}")] if name else []
        if on == "log-group":
            groups = self._named(resource, "aws:cloudwatch/logGroup:LogGroup", "logGroupName")
            return [self._arn("logs", region, f"log-group:{g}{tail}")
                    for g in groups for tail in ("", ":*")]
        if on == "alarm":
            return [self._arn("cloudwatch", region, f"alarm:{name}")] if name else []
        if on == "bus":
            return [self._arn("events", region, f"event-bus/{b}")
                    for b in self._named(resource, "aws:cloudwatch/eventBus:EventBus",
                                         "eventBusName")]
        if on == "rule":
            bus = _known(inputs.get("eventBusName")) or "default"
            path = "" if bus == "default" else f"{bus}/"
            return [self._arn("events", region, f"rule/{path}{r}")
                    for r in self._named(resource, "aws:cloudwatch/eventRule:EventRule", "rule")]
        if on == "function":
            return [f if f.startswith("arn:") else self._arn("lambda", region, f"function:{f}")
                    for f in self._input(resource, "function")]
        if on == "scp":
            return [self._arn("organizations", "", "policy/o-*/service_control_policy/p-*")]
        if on == "scp-target":
            return [self._arn("organizations", "", _organization_target(t))
                    for t in self._input(resource, "targetId")]
        if on == "stack-set":
            return [self._arn("cloudformation", region, f"stackset/{s}:*")
                    for s in self._named(resource, "aws:cloudformation/stackSet:StackSet",
                                         "stackSetName")]
        if on == "stack-set-target":
            return [self._arn("cloudformation", region, "stackset-target/*")]
        if on == "cfn-type":
            return [self._arn("cloudformation", region, "type/resource/*")]
        if on == "cloudtrail-slr":
            return [self._arn("iam", "", CLOUDTRAIL_SERVICE_LINKED_ROLE)]
        raise ValueError(f"no scope for {on!r}")

    def resources(self, resource: Registered, call: Call) -> list[str]:
        if call.on == "pass-role":
            return [a if a.startswith("arn:") else self._arn("iam", "", f"role/{a}")
                    for a in self._input(resource, call.when)]
        return self.arns(resource, call.on)

    # -- conditions -----------------------------------------------------------------------

    def condition(self, resource: Registered, call: Call) -> Condition:
        """The condition a grant of `call` on `resource` carries."""
        found: Condition = {}
        service = call.action.split(":")[0]
        if service not in GLOBAL_SERVICES:
            found["StringEquals"] = {"aws:RequestedRegion": [self.region_of(resource)]}
        kind, _, value = call.condition.partition(":")
        inputs = resource.inputs
        equals = found.setdefault("StringEquals", {})
        if kind == "passed-to":
            equals["iam:PassedToService"] = [value]
        elif kind == "service-name":
            equals["iam:AWSServiceName"] = [value]
        elif kind == "key-spec":
            # KMS Developer Guide, "AWS KMS condition keys": kms:KeySpec, kms:KeyUsage,
            # kms:KeyOrigin and kms:MultiRegion on CreateKey. The program's keys are
            # symmetric encryption keys of KMS's own material, in one Region.
            equals |= {"kms:KeySpec": ["SYMMETRIC_DEFAULT"], "kms:KeyUsage": ["ENCRYPT_DECRYPT"],
                       "kms:KeyOrigin": ["AWS_KMS"]}
            found["Bool"] = {"kms:MultiRegion": ["false"]}
        elif kind == "aliases":
            found["ForAnyValue:StringEquals"] = {"kms:ResourceAliases": list(self.aliases)}
        elif kind == "endpoint":
            equals["sns:Endpoint"] = self._input(resource, "endpoint")
        elif kind == "target-arn":  # multivalued keys: every value one of the stack's
            found["ForAllValues:ArnEquals"] = {"events:TargetArn": self._input(resource, "arn")}
        elif kind == "alarm-actions":
            found["ForAllValues:StringEquals"] = {
                "cloudwatch:AlarmActions": self._input(resource, "alarmActions")
            }
        elif kind == "lambda-principal":
            equals["lambda:Principal"] = [_known(inputs.get("principal")) or ""]
        elif kind == "scp":
            equals["organizations:PolicyType"] = ["SERVICE_CONTROL_POLICY"]
        elif kind == "target-region":
            target = _known(inputs.get("stackSetInstanceRegion")) or self.place.region
            found["ForAllValues:StringEquals"] = {"cloudformation:TargetRegion": [target]}
        elif kind:
            raise ValueError(f"no condition {call.condition!r}")
        return {op: keys for op, keys in found.items() if keys}

    def grant(self, resource: Registered, call: Call) -> Grant | None:
        """The grant `call` needs on `resource`; None when it has nothing to act on."""
        resources = self.resources(resource, call)
        if not resources:
            return None
        condition = tuple(sorted(
            (op, key, tuple(sorted(set(values))))
            for op, keys in self.condition(resource, call).items()
            for key, values in keys.items()
        ))  # fmt: skip
        return Grant(call.action, tuple(sorted(set(resources))), condition)


def _organization_target(target: str) -> str:
    """A root, OU or account of the organization, by its id."""
    if target.startswith("r-"):
        return f"root/o-*/{target}"
    if target.startswith("ou-"):
        return f"ou/o-*/{target}"
    return f"account/o-*/{target}"


def applies(resource: Registered, call: Call, inputs: Mapping[str, Any] | None = None) -> bool:
    """Whether the provider makes `call` for this resource: its `when` input is set."""
    if not call.when:
        return True
    value = (inputs or resource.inputs).get(call.when)
    if isinstance(value, (list, dict)):
        return bool(value)
    if isinstance(value, bool):
        return value
    return bool(value) or bool(resource.property_dependencies.get(call.when))
