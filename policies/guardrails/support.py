"""Shared mechanics for the guardrail policies: resources and their values as the rules read them.

Policies never read resource properties through pulumi_policy's unknown-checking proxy directly:
an unknown value there raises `UnknownValueError`, which the SDK turns into an *advisory*
"can't run policy during preview" note even for mandatory rules. Instead, `plain()` copies the
proxy (through its public Mapping / Sequence interface) into ordinary dicts and lists that still
carry the engine's unknown sentinels, and every rule decides explicitly: a value that is merely
*present* (e.g. a KMS key id that refers to a key created in the same stack) can be judged
without reading it; a value the rule must read and that is unknown is reported with a message
starting with `UNDECIDED_PREFIX` (made by `undecided`, `undecided_because` or
`maybe_log_bucket`), at the policy's own enforcement level, so it never passes silently.

How a rule declares its policy (its metadata, config schema and the policy builders) lives in
`guardrails.declare`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy import ResourceValidationArgs, StackValidationArgs, proxy
from pulumi_policy.proxy import UnknownValueError

# Every message about a value the rule needed but could not read starts with this.
UNDECIDED_PREFIX = "cannot be judged at preview"

_UNKNOWNS = frozenset(
    {
        proxy.UNKNOWN_ARCHIVE_VALUE,
        proxy.UNKNOWN_ARRAY_VALUE,
        proxy.UNKNOWN_ASSET_VALUE,
        proxy.UNKNOWN_BOOLEAN_VALUE,
        proxy.UNKNOWN_NUMBER_VALUE,
        proxy.UNKNOWN_OBJECT_VALUE,
        proxy.UNKNOWN_STRING_VALUE,
    }
)

# Every AWS partition a bucket ARN may name (AWS General Reference, "Amazon Resource Names").
PARTITIONS = ("aws", "aws-us-gov", "aws-cn", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f")

# pulumi-aws v7 type tokens.
BUCKET_TYPES = frozenset({"aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"})
SSE_TYPES = frozenset(
    {
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    }
)
VERSIONING_TYPES = frozenset(
    {
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:s3/bucketVersioningV2:BucketVersioningV2",
    }
)
BUCKET_POLICY_TYPE = "aws:s3/bucketPolicy:BucketPolicy"
LOGGING_TYPES = frozenset(
    {"aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"}
)
OBJECT_LOCK_TYPES = frozenset(
    {
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
    }
)
LIFECYCLE_TYPES = frozenset(
    {
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    }
)
REPLICATION_TYPE = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
PUBLIC_ACCESS_BLOCK_TYPE = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
OWNERSHIP_CONTROLS_TYPE = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
TRAIL_TYPE = "aws:cloudtrail/trail:Trail"
KMS_KEY_TYPE = "aws:kms/key:Key"
SNS_TOPIC_TYPE = "aws:sns/topic:Topic"
SQS_QUEUE_TYPE = "aws:sqs/queue:Queue"
LOG_GROUP_TYPE = "aws:cloudwatch/logGroup:LogGroup"
KMS_POLICY_TYPES = frozenset(
    {"aws:kms/key:Key", "aws:kms/keyPolicy:KeyPolicy", "aws:kms/replicaKey:ReplicaKey"}
)
SNS_TOPIC_POLICY_TYPE = "aws:sns/topicPolicy:TopicPolicy"
SQS_QUEUE_POLICY_TYPE = "aws:sqs/queuePolicy:QueuePolicy"
EVENT_BUS_POLICY_TYPE = "aws:cloudwatch/eventBusPolicy:EventBusPolicy"
EVENT_PERMISSION_TYPE = "aws:cloudwatch/eventPermission:EventPermission"
IAM_ROLE_TYPE = "aws:iam/role:Role"


class _Missing:
    """The marker `lookup` returns for an absent (or null) property."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


def is_unknown(value: Any) -> bool:
    """True for any of the engine's unknown sentinels."""
    return isinstance(value, str) and value in _UNKNOWNS


def plain(value: Any) -> Any:
    """A property tree as plain dicts and lists, with the engine's unknown sentinels as strings.

    `args.props` (and each stack resource's `props`) is pulumi_policy's unknown-checking proxy:
    a `collections.abc.Mapping` whose item access raises `UnknownValueError` for an unknown value
    (pulumi_policy/proxy.py). This walks it through the public Mapping / Sequence protocols only
    (keys via iteration, items by index) and keeps an unknown as the sentinel that the documented
    exception carries (`UnknownValueError.unknown_type_sentinel`), so a rule can decide what an
    unknown means instead of the SDK turning it into an advisory note.
    """
    if isinstance(value, (str, bytes)):
        return value
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key in value:
            try:
                item = value[key]
            except UnknownValueError as unknown:
                item = unknown.unknown_type_sentinel
            out[str(key)] = plain(item)
        return out
    if isinstance(value, Sequence):
        items: list[Any] = []
        for index in range(len(value)):
            try:
                item = value[index]
            except UnknownValueError as unknown:
                item = unknown.unknown_type_sentinel
            items.append(plain(item))
        return items
    return value


def lookup(tree: Any, *path: str | int) -> Any:
    """The value at `path`, `MISSING` when absent or null; stops at (and returns) an unknown."""
    current = tree
    for step in path:
        if is_unknown(current):
            return current
        if isinstance(step, int):
            if not isinstance(current, list) or step >= len(current):
                return MISSING
            current = current[step]
        else:
            if not isinstance(current, dict) or step not in current:
                return MISSING
            current = current[step]
        if current is None:
            return MISSING
    return current


def first_unknown(value: Any, path: str = "") -> str | None:
    """The dotted path of the first unknown inside `value`, or None when fully known."""
    if is_unknown(value):
        return path or "<value>"
    if isinstance(value, dict):
        for key, item in value.items():
            found = first_unknown(item, f"{path}.{key}" if path else str(key))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = first_unknown(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


def unknown_property(res: Res, *props: str) -> str | None:
    """The path of the first value unknown at preview inside the resource's `props` (in order),
    "<prop>" when the whole property is unknown; None when all of them are known or absent."""
    for prop in props:
        value = lookup(res.props, prop)
        unknown = first_unknown(value) if value is not MISSING else None
        if unknown is not None:
            if unknown == "<value>":
                return prop
            return f"{prop}{unknown}" if unknown.startswith("[") else f"{prop}.{unknown}"
    return None


# Every "cannot be judged at preview" message is made by one of the three functions below.


def undecided(subject: str, prop: str, why: str = "") -> str:
    """The standard message for a check that needs a value unknown at preview."""
    tail = f"; {why}" if why else ""
    return f"{UNDECIDED_PREFIX}: {subject} property '{prop}' is unknown{tail}"


def undecided_because(reason: str) -> str:
    """The standard message for a check that cannot be decided at preview for `reason`, a
    sentence naming what is unknown when no single property of one resource is to blame."""
    return f"{UNDECIDED_PREFIX}: {reason}"


def maybe_log_bucket(bucket_label: str, consequence: str = "") -> str:
    """The message for a bucket that may receive CloudTrail logs, which cannot be told at preview,
    and that would then fail the rule: `consequence` says how ("it is not versioned")."""
    tail = f", and {consequence}" if consequence else ""
    return undecided_because(
        f"whether {bucket_label} receives CloudTrail logs depends on values unknown at "
        f"preview{tail}."
    )


@dataclass
class Res:
    """A resource as the rules see it: plain properties plus what linking needs."""

    type: str
    name: str
    urn: str
    props: dict[str, Any]
    protect: bool = False
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.type.rsplit(':', 1)[-1]} '{self.name}'"


def resource_from_args(args: ResourceValidationArgs) -> Res:
    return Res(args.resource_type, args.name, args.urn, plain(args.props), bool(args.opts.protect))


def resources_from_stack(args: StackValidationArgs) -> list[Res]:
    out = []
    for r in args.resources:
        deps = {k: [d.urn for d in v] for k, v in (r.property_dependencies or {}).items()}
        out.append(Res(r.resource_type, r.name, r.urn, plain(r.props), bool(r.opts.protect), deps))
    return out


Report = Callable[[str], None]
StackReport = Callable[[str, str], None]
# Rules may annotate `cfg` as a dict and `report` as Any; these aliases accept both.
ResourceCheck = Callable[[Res, dict[str, Any], Report], None]
StackCheck = Callable[[list[Res], dict[str, Any], StackReport], None]


def bool_setting(
    res: Res,
    prop: str,
    *,
    want: bool,
    default: bool,
    report: Callable[[str], None],
) -> None:
    """Report unless boolean `prop` (provider default `default` when unset) equals `want`."""
    value = lookup(res.props, prop)
    if is_unknown(value):
        report(undecided(res.label, prop))
        return
    actual = default if value is MISSING else value
    if actual is not want:
        shown = f"{value!r}" if value is not MISSING else f"unset (provider default {default})"
        report(f"{res.label}: '{prop}' must be {want}, is {shown}.")


def bool_settings_check(*props: str, want: bool, default: bool) -> ResourceCheck:
    """A check that each boolean `prop` (provider default `default` when unset) equals `want`."""

    def check(res: Res, _cfg: dict[str, Any], report: Report) -> None:
        for prop in props:
            bool_setting(res, prop, want=want, default=default, report=report)

    return check


def key_id_check(
    prop: str, consequence: str, *, waived: Callable[[dict[str, Any]], bool] | None = None
) -> ResourceCheck:
    """A check that `prop`, a KMS key id, is set, unless the config `waived` it. Presence is
    enough: a key created in the same stack is unknown at preview but set. A finding reads
    "<resource> has no <prop>: <consequence>."."""

    def check(res: Res, cfg: dict[str, Any], report: Report) -> None:
        if waived is not None and waived(cfg):
            return
        if not is_set(lookup(res.props, prop)):
            report(f"{res.label} has no {prop}: {consequence}.")

    return check


def is_set(value: Any) -> bool:
    """Present and non-empty; an unknown counts as set (it resolves to a real value)."""
    if value is MISSING:
        return False
    if is_unknown(value):
        return True
    return value not in ("", [], {})
