"""How a rule declares its policy: the pulumi_policy policy it is, built by `resource_policy` or
`stack_policy` from its check and its fields, its config schema options, and its compliance
metadata.

Every policy carries compliance metadata in pulumi_policy's own fields (`severity`,
`framework`, `tags`, `remediation_steps`, `url`; sent to the CLI in `PolicyInfo`, see
pulumi/pulumi proto/pulumi/analyzer.proto): see `Compliance`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
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
)

from guardrails.support import ResourceCheck, StackCheck, resource_from_args, resources_from_stack


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
LOGS_KMS_DOC = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html"
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


def required_option(description: str) -> dict[str, Any]:
    """The `required` switch of a rule that, beyond judging what is there, can require it: a
    boolean, off by default."""
    return boolean_option(False, description)


def subset_option(choices: Sequence[str], description: str) -> dict[str, Any]:
    """A config property listing some of `choices` (default: all of them)."""
    return {
        "type": "array",
        "items": {"type": "string", "enum": list(choices)},
        "default": list(choices),
        "description": description,
    }
