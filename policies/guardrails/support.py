"""Shared mechanics for the guardrail policies.

Policies never read resource properties through pulumi_policy's unknown-checking proxy directly:
an unknown value there raises `UnknownValueError`, which the SDK turns into an *advisory*
"can't run policy during preview" note even for mandatory rules. Instead, `plain()` copies the
proxy (through its public Mapping / Sequence interface) into ordinary dicts and lists that still
carry the engine's unknown sentinels, and every rule decides explicitly: a value that is merely
*present* (e.g. a KMS key id that refers to a key created in the same stack) can be judged
without reading it; a value the rule must read and that is unknown is reported with a message
starting with `UNDECIDED_PREFIX` (made by `undecided`, `undecided_because` or
`maybe_log_bucket`), at the policy's own enforcement level, so it never passes silently.

Every policy carries compliance metadata in pulumi_policy's own fields (`severity`,
`framework`, `tags`, `remediation_steps`, `url`; sent to the CLI in `PolicyInfo`, see
pulumi/pulumi proto/pulumi/analyzer.proto): see `Compliance`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict, Unpack

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
    proxy,
)
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


def config_value(config: Mapping[str, Any], schema: PolicyConfigSchema, key: str) -> Any:
    """A configured value, falling back to the schema's default."""
    if key in config:
        return config[key]
    return schema.properties[key].get("default")


# The CIS AWS Foundations Benchmark version whose recommendation numbers `Compliance.cis` uses:
# v3.0.0, the newest version AWS Security Hub documents control mappings for in
# "CIS AWS Foundations Benchmark" (https://docs.aws.amazon.com/securityhub/latest/userguide/
# securityhub-standards-cis.html) and each control's "Related requirements".
CIS_BENCHMARK = "CIS AWS Foundations Benchmark"
CIS_VERSION = "3.0.0"
CIS_TAG = "cis-aws-foundations-benchmark-v3.0.0"
SECURITY_HUB_TAG = "aws-security-hub"
PACK_TAG = "cloudtrail-logging"

# Pages stating requirements no CIS recommendation or Security Hub control covers.
CLOUDTRAIL_BUCKET_POLICY_DOC = (
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/"
    "create-s3-bucket-policy-for-cloudtrail.html"
)
CLOUDTRAIL_SECURITY_BEST_PRACTICES_DOC = (
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html"
)
PULUMI_PROTECT_DOC = "https://www.pulumi.com/docs/iac/concepts/options/protect/"
LOGS_KMS_DOC = (
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html"
)
EVENT_BUS_PERMISSIONS_DOC = (
    "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html"
)
IAM_PRINCIPAL_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"
)


@dataclass(frozen=True)
class Compliance:
    """What a rule maps to: CIS recommendation numbers, Security Hub control ids, a reference.

    `cis` holds CIS AWS Foundations Benchmark v3.0.0 recommendation numbers ("3.1"),
    `security_hub` AWS Security Hub control ids ("CloudTrail.1"); both may be empty when no
    control covers the rule, and then `reference` names the AWS page that states the
    requirement. The policy's `framework` is the CIS benchmark (when `cis` is set), its `tags`
    carry every id as `<framework>:<id>`, its `url` the reference page.
    """

    cis: tuple[str, ...] = ()
    security_hub: tuple[str, ...] = ()
    reference: str = ""

    def framework(self) -> PolicyComplianceFramework | None:
        if not self.cis:
            return None
        return PolicyComplianceFramework(
            name=CIS_BENCHMARK,
            version=CIS_VERSION,
            reference=", ".join(self.cis),
            specification="https://www.cisecurity.org/benchmark/amazon_web_services",
        )

    def tags(self) -> list[str]:
        return [
            PACK_TAG,
            *(f"{CIS_TAG}:{c}" for c in self.cis),
            *(f"{SECURITY_HUB_TAG}:{c}" for c in self.security_hub),
        ]


def security_hub_url(control: str) -> str:
    """The Security Hub user guide anchor of a control id such as "CloudTrail.1"."""
    service, number = control.split(".")
    page = service.lower()
    return (
        f"https://docs.aws.amazon.com/securityhub/latest/userguide/{page}-controls.html"
        f"#{page}-{number}"
    )


class PolicyFields(TypedDict):
    """What every policy declares besides its check: its stable name (the id users put in policy
    configs), a description, a severity, and optionally its enforcement level (mandatory), config
    schema properties, remediation steps and compliance mapping."""

    name: str
    description: str
    severity: Severity
    enforcement_level: NotRequired[EnforcementLevel]
    config: NotRequired[dict[str, dict[str, Any]]]
    remediation: NotRequired[str]
    compliance: NotRequired[Compliance]


def _schema(fields: PolicyFields) -> PolicyConfigSchema:
    return PolicyConfigSchema(properties=dict(fields.get("config") or {}))


def _config(
    args: ResourceValidationArgs | StackValidationArgs, schema: PolicyConfigSchema
) -> dict[str, Any]:
    """The policy's config for this run, each property falling back to its schema default."""
    return {k: config_value(args.get_config(), schema, k) for k in schema.properties}


def _policy_arguments(fields: PolicyFields, schema: PolicyConfigSchema) -> dict[str, Any]:
    """The keyword arguments of pulumi_policy's policy classes for `fields` (all but `validate`)."""
    compliance = fields.get("compliance")
    arguments: dict[str, Any] = {
        "name": fields["name"],
        "description": fields["description"],
        "enforcement_level": fields.get("enforcement_level", EnforcementLevel.MANDATORY),
        "config_schema": schema,
        "severity": fields["severity"],
        "remediation_steps": fields.get("remediation"),
    }
    if compliance is None:
        return {**arguments, "tags": [PACK_TAG]}
    url = compliance.reference or (
        security_hub_url(compliance.security_hub[0]) if compliance.security_hub else None
    )
    return {**arguments, "framework": compliance.framework(), "tags": compliance.tags(), "url": url}


Report = Callable[[str], None]
StackReport = Callable[[str, str], None]
# Rules may annotate `cfg` as a dict and `report` as Any; these aliases accept both.
ResourceCheck = Callable[[Res, dict[str, Any], Report], None]
StackCheck = Callable[[list[Res], dict[str, Any], StackReport], None]


def resource_policy(
    *, types: Iterable[str], check: ResourceCheck, **fields: Unpack[PolicyFields]
) -> ResourceValidationPolicy:
    """A resource policy that runs `check(resource, config, report)` on the given types."""
    wanted = frozenset(types)
    schema = _schema(fields)

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type in wanted:
            resource, cfg = resource_from_args(args), _config(args, schema)
            check(resource, cfg, lambda msg: report_violation(msg, None))

    return ResourceValidationPolicy(validate=validate, **_policy_arguments(fields, schema))


def stack_policy(*, check: StackCheck, **fields: Unpack[PolicyFields]) -> StackValidationPolicy:
    """A stack policy that runs `check(resources, config, report)`; report takes (msg, urn)."""
    schema = _schema(fields)

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        check(resources_from_stack(args), _config(args, schema), report_violation)

    return StackValidationPolicy(validate=validate, **_policy_arguments(fields, schema))


def boolean_option(default: bool, description: str) -> dict[str, Any]:
    """A boolean property of a policy's config schema."""
    return {"type": "boolean", "default": default, "description": description}


def subset_option(choices: Sequence[str], description: str) -> dict[str, Any]:
    """A config property listing some of `choices` (default: all of them)."""
    return {
        "type": "array",
        "items": {"type": "string", "enum": list(choices)},
        "default": list(choices),
        "description": description,
    }


def defaults(policy: ResourceValidationPolicy | StackValidationPolicy) -> dict[str, Any]:
    """The policy's config with every property at its schema default (for in-process tests)."""
    schema = policy.config_schema
    if schema is None:
        return {}
    return {k: v.get("default") for k, v in schema.properties.items()}


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
