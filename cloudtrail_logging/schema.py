"""The config contract, declared once: every key's type, default, stack roles, form and meaning.

This table drives three things, and a test keeps them in agreement:
- the program's validation (`settings/` reads every key through `read`);
- the `config:` block of Pulumi.yaml (`pulumi_yaml_config`), which the Pulumi CLI enforces
  before the program starts;
- the README's configuration tables (`markdown_tables`).

How the CLI treats the declarations (pulumi/pulumi `pkg/workspace/config.go`, `mergeConfig`): a
key declared in the project's namespace with no `default` is required on every stack, and a
declared `default` is merged into every stack that does not set the key. So every key but `role`
has a default, valid for both roles; the program accepts a key of the other role when it holds
that default, and refuses it when a user set something else. A default of `""` or `[]` means
"derived" (the `derived` text says from what).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, Literal

from jsonschema import Draft202012Validator

from cloudtrail_logging.alerting.cis import CIS_CONTROL_IDS
from cloudtrail_logging.aws import patterns
from cloudtrail_logging.integrity.network_activity import NETWORK_ACTIVITY_SOURCES

Role = Literal["log-archive", "member"]
ROLES: Final[tuple[Role, ...]] = ("log-archive", "member")
NAMESPACE: Final = "cloudtrail-logging"
REQUIRED: Final = None  # the default of a key every stack must set
Type = Literal["string", "integer", "boolean", "array"]


@dataclass(frozen=True)
class ConfigKey:
    """One config key of the `cloudtrail-logging` namespace."""

    name: str
    type: Type
    default: Any
    roles: tuple[Role, ...]
    section: str
    description: str
    expected: str = ""
    """The form named in error messages: `expected <expected> (got …)`."""
    items: Literal["string", "object"] | None = None
    pattern: str | None = None
    """A full-match pattern for a string, or for each item of a string array."""
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    derived: str | None = None
    """What an empty default stands for, e.g. `<namePrefix>`."""
    pack_note: str | None = None
    """A documented choice the policy pack refuses by default, and the config that admits it."""

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    @property
    def form(self) -> str:
        """The expected form in words, derived from the declaration when not given."""
        if self.expected:
            return self.expected
        if self.choices:
            listed = ", ".join(self.choices)
            return f"a list of: {listed}" if self.type == "array" else f"one of {listed}"
        if self.type == "integer":
            return f"a whole number from {self.minimum} to {self.maximum}"
        if self.type == "boolean":
            return "true or false"
        return "a list of strings" if self.type == "array" else "a string"


_ARCHIVE: tuple[Role, ...] = ("log-archive",)
_MEMBER: tuple[Role, ...] = ("member",)
_ALL: tuple[Role, ...] = ROLES
_DAYS_MAX = 36500

CORE = "Every stack"
ARCHIVE = "Log-archive stack"
MEMBER = "Member stack"
ALERTING = "Alerting (every stack)"
INTEGRITY = "Log integrity and evidence of access"
INSIDERS = "Protection against insiders"
LANDING_ZONE = "An existing landing zone (Control Tower, LZA, an organization trail of your own)"
NETWORK = "Network activity events (every stack)"
ADOPT = "Adopting existing resources"

KEYS: Final[tuple[ConfigKey, ...]] = (
    ConfigKey(
        "role", "string", REQUIRED, _ALL, CORE,
        "`log-archive` (the security account's stack) or `member` (a workload account's stack).",
        choices=ROLES,
    ),
    ConfigKey(
        "namePrefix", "string", "cloudtrail-logging", _ALL, CORE,
        "Prefix of every resource name, and the default trail name.",
        expected="3-30 lower-case letters, digits and hyphens, starting with a letter and "
        "ending with a letter or digit",
        pattern=patterns.NAME_PREFIX,
    ),
    ConfigKey(
        "trailName", "string", "", _ALL, CORE,
        "The trail name every account uses; the log archive admits only this name.",
        expected="a CloudTrail trail name, the same in every stack",
        derived="`namePrefix`",
    ),
    ConfigKey(
        "trailNotificationTargets", "array", [], _ALL, CORE,
        "CloudTrail's SNS log-delivery notifications, fanned out to `sqs` and/or `lambda`.",
        items="string", choices=("sqs", "lambda"),
    ),
    ConfigKey(
        "trailNotificationLambdaArn", "string", "", _ALL, CORE,
        "The Lambda function that receives trail notifications (with target `lambda`).",
        expected="a Lambda function ARN", pattern=patterns.LAMBDA_ARN,
    ),
    # --- log archive ----------------------------------------------------------------------------
    ConfigKey(
        "encryption", "string", "sse-kms", _ARCHIVE, ARCHIVE,
        "`sse-kms`: a customer managed key (rotation and the S3 Bucket Key on), or `sse-s3`.",
        choices=("sse-kms", "sse-s3"),
        pack_note="`sse-s3` is refused by ctl-s3-001 and ctl-ct-005 by default; "
        "`policies/config/sse-s3.json` admits it.",
    ),
    ConfigKey(
        "memberAccounts", "array", [], _ARCHIVE, ARCHIVE,
        "12-digit ids of the member accounts whose trails may deliver.",
        items="string", expected="12-digit account ids", pattern=patterns.ACCOUNT_ID,
    ),
    ConfigKey(
        "logBucketName", "string", "", _ARCHIVE, ARCHIVE,
        "The central bucket's name.",
        expected="an S3 bucket name", derived="`<namePrefix>-<account>-<region>`",
    ),
    ConfigKey(
        "s3KeyPrefix", "string", "", _ARCHIVE, ARCHIVE,
        "A key prefix in front of `AWSLogs/`.",
        expected="an S3 key prefix without leading or trailing '/' that is not AWSLogs",
        pattern=patterns.KEY_PREFIX,
    ),
    ConfigKey(
        "bucketPolicyForm", "string", "policy-variable", _ARCHIVE, ARCHIVE,
        "`policy-variable`: one write grant on `AWSLogs/${aws:SourceAccount}/*` (about 1,100 "
        "accounts fit 20 KB); `per-account`: the CloudTrail guide's form, one prefix per account "
        "(fewer accounts fit).",
        choices=("policy-variable", "per-account"),
    ),
    ConfigKey(
        "glacierTransitionDays", "integer", 90, _ARCHIVE, ARCHIVE,
        "Days before log objects of 128 KB or more move to `archiveStorageClass`.",
        minimum=1, maximum=_DAYS_MAX,
    ),
    ConfigKey(
        "archiveStorageClass", "string", "DEEP_ARCHIVE", _ARCHIVE, ARCHIVE,
        "`DEEP_ARCHIVE` (cheapest over a multi-year retention; restores take 12-48 h), "
        "`GLACIER` (Flexible Retrieval, 3-5 h) or `GLACIER_IR` (milliseconds).",
        choices=("GLACIER", "DEEP_ARCHIVE", "GLACIER_IR"),
    ),
    ConfigKey(
        "transitionSmallObjects", "boolean", False, _ARCHIVE, ARCHIVE,
        "Also transition objects under 128 KB (S3's default keeps them in Standard, where they "
        "are cheaper: see the lifecycle cost table).",
    ),
    ConfigKey(
        "expirationDays", "integer", 2557, _ARCHIVE, ARCHIVE,
        "Days before log objects expire (2557 = 7 years); 0 keeps them forever.",
        minimum=0, maximum=_DAYS_MAX,
    ),
    ConfigKey(
        "noncurrentExpirationDays", "integer", 90, _ARCHIVE, ARCHIVE,
        "Days before overwritten or deleted object versions expire.",
        minimum=1, maximum=_DAYS_MAX,
    ),
    ConfigKey(
        "bucketNotificationTargets", "array", [], _ARCHIVE, ARCHIVE,
        "S3 event notification targets: `sqs`, `sns`, `lambda`; several need `sns` (S3 refuses "
        "overlapping configurations).",
        items="string", choices=("sqs", "sns", "lambda"),
    ),
    ConfigKey(
        "bucketNotificationLambdaArn", "string", "", _ARCHIVE, ARCHIVE,
        "The Lambda function that receives S3 events (with target `lambda`).",
        expected="a Lambda function ARN", pattern=patterns.LAMBDA_ARN,
    ),
    ConfigKey(
        "logReaders", "array", [], _ARCHIVE, ARCHIVE,
        "IAM role ARNs in the log-archive account that may read (and decrypt) logs.",
        items="string", expected="IAM role ARNs in the log-archive account",
        pattern=patterns.ROLE_ARN,
    ),
    ConfigKey(
        "organizationId", "string", "", _ARCHIVE, ARCHIVE,
        "The organization (`o-…`) whose organization trail may write under `AWSLogs/<o-id>/`; "
        "the central bus then admits the organization.",
        expected="an organization id o-…", pattern=patterns.ORGANIZATION_ID,
    ),
    ConfigKey(
        "managementAccountId", "string", "", _ARCHIVE, ARCHIVE,
        "The organization's management account, owner of the organization trail.",
        expected="a 12-digit account id", pattern=patterns.ACCOUNT_ID,
    ),
    # --- log integrity --------------------------------------------------------------------------
    ConfigKey(
        "accessLogging", "boolean", True, _ARCHIVE, INTEGRITY,
        "S3 server access logging of the log bucket into a dedicated access-log bucket (CIS "
        "3.4, Security Hub CloudTrail.7).",
        pack_note="`false` is refused by ctl-s3-022 by default; "
        "`policies/config/without-access-logging.json` admits it.",
    ),
    ConfigKey(
        "accessLogBucketName", "string", "", _ARCHIVE, INTEGRITY,
        "The access-log bucket's name (same account and Region as the log bucket).",
        expected="an S3 bucket name", derived="`<namePrefix>-access-logs-<account>-<region>`",
    ),
    ConfigKey(
        "accessLogRetentionDays", "integer", 2557, _ARCHIVE, INTEGRITY,
        "Days before access-log records expire; 0 keeps them forever.",
        minimum=0, maximum=_DAYS_MAX,
    ),
    ConfigKey(
        "objectLockMode", "string", "", _ARCHIVE, INTEGRITY,
        "S3 Object Lock default retention of the log bucket (Security Hub S3.15): `GOVERNANCE` "
        "(principals with `s3:BypassGovernanceRetention` can still delete) or `COMPLIANCE` "
        "(nobody, the root user included, can delete a log or shorten its retention).",
        choices=("GOVERNANCE", "COMPLIANCE"), derived="off",
    ),
    ConfigKey(
        "objectLockRetentionDays", "integer", 0, _ARCHIVE, INTEGRITY,
        "Days each log version stays locked, with `objectLockMode`; at most `expirationDays`.",
        minimum=0, maximum=_DAYS_MAX,
    ),
    ConfigKey(
        "replicationRegion", "string", "", _ARCHIVE, INTEGRITY,
        "Replicate the log bucket to a bucket in this Region (Security Hub S3.7); delete "
        "markers are not replicated.",
        expected="a Region of the stack's partition other than its own", derived="off",
    ),
    ConfigKey(
        "replicationAccountId", "string", "", _ARCHIVE, INTEGRITY,
        "Owner of the replica, when it is another account (which applies the bucket and key "
        "policy this stack exports).",
        expected="a 12-digit account id", pattern=patterns.ACCOUNT_ID, derived="this account",
    ),
    ConfigKey(
        "replicationBucket", "string", "", _ARCHIVE, INTEGRITY,
        "The replica bucket's name (required with `replicationAccountId`).",
        expected="an S3 bucket name",
        derived="`<namePrefix>-replica-<account>-<replicationRegion>`",
    ),
    ConfigKey(
        "replicationKmsKeyArn", "string", "", _ARCHIVE, INTEGRITY,
        "The other account's KMS key in `replicationRegion` that encrypts replicas.",
        expected="a KMS key ARN", pattern=patterns.KMS_KEY_ARN,
    ),
    ConfigKey(
        "logAccessDataEvents", "boolean", True, _ARCHIVE, INTEGRITY,
        "The log-archive trail records S3 data events on the log bucket (who read, deleted or "
        "changed a log), except the trail's own deliveries.",
    ),
    ConfigKey(
        "insights", "boolean", False, _ALL, INTEGRITY,
        "CloudTrail Insights on the trail: API call rate and API error rate (charged per "
        "event analyzed).",
    ),
    # --- protection against insiders --------------------------------------------------------
    ConfigKey(
        "archiveAdministrators", "array", [], _ARCHIVE, INSIDERS,
        "IAM role ARNs of the log-archive account that alone may change the archive's "
        "configuration (bucket policies, lifecycle, versioning, encryption, logging, Object "
        "Lock, replication) and administer its keys; must include the deploying role.",
        items="string", expected="IAM role ARNs in the log-archive account",
        pattern=patterns.ADMINISTRATOR_ARN, derived="the deploying role",
    ),
    ConfigKey(
        "tamperAlerts", "boolean", True, _ALL, INSIDERS,
        "EventBridge rules that alert within seconds when the trail is stopped, deleted or "
        "reconfigured, the archive's buckets are reconfigured, or a log key is disabled or "
        "scheduled for deletion (and, with the guardrail policy, when it is changed).",
    ),
    ConfigKey(
        "guardrailPolicy", "string", "auto", _MEMBER, INSIDERS,
        "A service control policy, created by the management account's stack, that stops "
        "everyone in member accounts but `guardrailPrincipals`, the archive administrators and "
        "the StackSets execution role from stopping or changing the trails, the alerting and "
        "the archive: `auto` (with `organizationTrail`), `on` (also with per-account trails, "
        "from the management account) or `off`.",
        choices=("auto", "on", "off"),
        pack_note="`off` with `organizationTrail` is refused by ctl-org-001 by default; "
        "`policies/config/without-guardrail-policy.json` admits it.",
    ),
    ConfigKey(
        "guardrailTargetIds", "array", [], _MEMBER, INSIDERS,
        "The root (`r-…`) or OUs (`ou-…`) the guardrail policy is attached to; they must "
        "include the log-archive account.",
        items="string", expected="organizational unit or root ids",
        pattern=patterns.ORGANIZATIONAL_UNIT_ID, derived="the organization root",
    ),
    ConfigKey(
        "guardrailPrincipals", "array", [], _MEMBER, INSIDERS,
        "IAM role ARN patterns (`*` for any account) that the guardrail policy exempts: the "
        "pipelines that deploy member stacks. Nobody else may create or change a role that "
        "matches.",
        items="string", expected="IAM role ARN patterns such as arn:aws:iam::*:role/deployer",
        pattern=patterns.ROLE_ARN_PATTERN,
    ),
    # --- member ---------------------------------------------------------------------------------
    ConfigKey(
        "centralStack", "string", "organization/cloudtrail-logging/security", _MEMBER, MEMBER,
        "The log-archive stack: `<your-org>/cloudtrail-logging/security` on Pulumi Cloud, "
        "`organization/cloudtrail-logging/security` on a DIY backend.",
        expected="a stack name <organization>/<project>/<stack>",
        pattern=patterns.STACK_REFERENCE,
    ),
    ConfigKey(
        "centralBucketName", "string", "", _MEMBER, MEMBER,
        "The central bucket, given explicitly instead of `centralStack`.",
        expected="an S3 bucket name",
    ),
    ConfigKey(
        "centralAccountId", "string", "", _MEMBER, MEMBER,
        "The log-archive account, given explicitly instead of `centralStack`.",
        expected="a 12-digit account id", pattern=patterns.ACCOUNT_ID,
    ),
    ConfigKey(
        "centralKmsKeyArn", "string", "", _MEMBER, MEMBER,
        "The central log key, given explicitly when the archive uses `sse-kms`.",
        expected="a KMS key ARN", pattern=patterns.KMS_KEY_ARN,
    ),
    ConfigKey(
        "centralEventBusArn", "string", "", _MEMBER, MEMBER,
        "The central event bus, given explicitly (needed with `apiAlerts`).",
        expected="an EventBridge bus ARN", pattern=patterns.EVENT_BUS_ARN,
    ),
    ConfigKey(
        "organizationTrail", "boolean", False, _MEMBER, MEMBER,
        "In the management account only: this stack's trail is the organization trail.",
    ),
    ConfigKey(
        "organizationAlerts", "boolean", True, _MEMBER, MEMBER,
        "With `organizationTrail` and `apiAlerts`: CloudFormation StackSets carry the API-call "
        "rules to every account of `organizationalUnitIds`, in every alert region, including "
        "accounts that join later.",
    ),
    ConfigKey(
        "organizationalUnitIds", "array", [], _MEMBER, MEMBER,
        "The OUs (`ou-…`) or root (`r-…`) whose accounts get the rules; at most 50.",
        items="string", expected="organizational unit or root ids",
        pattern=patterns.ORGANIZATIONAL_UNIT_ID, derived="the organization root",
    ),
    ConfigKey(
        "stackSetCallAs", "string", "SELF", _MEMBER, MEMBER,
        "`SELF`: the StackSets belong to the management account's stack (`organizationTrail`, "
        "or an `existingTrailArn` it owns); `DELEGATED_ADMIN`: to this stack, in an account "
        "registered as the StackSets delegated administrator (refused in the management "
        "account).",
        choices=("SELF", "DELEGATED_ADMIN"),
    ),
    # --- an existing landing zone ---------------------------------------------------------------
    ConfigKey(
        "existingTrailArn", "string", "", _ALL, LANDING_ZONE,
        "An organization trail that already records this account's management events (e.g. "
        "Control Tower's `aws-controltower-BaselineCloudTrail`): the stack creates no trail of "
        "management events (a member stack no trail at all); its EventBridge alerts stay.",
        expected="a trail ARN arn:<partition>:cloudtrail:<region>:<account>:trail/<name>",
        pattern=patterns.TRAIL_ARN,
    ),
    ConfigKey(
        "existingTrailLogGroupName", "string", "", _ALL, LANDING_ZONE,
        "That trail's CloudWatch Logs group, on the stack of the account and Region that own the "
        "trail (the management account's): the CIS metric filters and alarms go on it.",
        expected="a CloudWatch Logs group name such as aws-controltower/CloudTrailLogs",
    ),
    ConfigKey(
        "existingArchiveBucketName", "string", "", _ARCHIVE, LANDING_ZONE,
        "An existing log archive bucket this stack must not modify (e.g. Control Tower's "
        "`aws-controltower-logs-<account>-<region>`), with `existingTrailArn`: the stack's trail "
        "then records data events only, who read, wrote or deleted its objects, into this "
        "stack's own bucket.",
        expected="an S3 bucket name",
        pack_note="That trail of data events only is refused by ctl-ct-007 by default; "
        "`policies/config/existing-organization-trail.json` admits it.",
    ),
    # --- network activity events ----------------------------------------------------------------
    ConfigKey(
        "networkActivityEventSources", "array", [], _ALL, NETWORK,
        "The event sources whose calls through this account's VPC endpoints the trail records "
        "(CloudTrail network activity events, one selector each); `[]` for none.",
        items="string", choices=NETWORK_ACTIVITY_SOURCES,
    ),
    ConfigKey(
        "networkActivityDeniedOnly", "boolean", True, _ALL, NETWORK,
        "Record only the calls a VPC endpoint policy denied (`errorCode` `VpceAccessDenied`, the "
        "inexpensive default); `false` records every call through the endpoints.",
    ),
    # --- adopting existing resources ---------------------------------------------------------
    ConfigKey(
        "adoptLogBucket", "string", "", _ARCHIVE, ADOPT,
        "An existing bucket of this account and Region to import as the log bucket, with its "
        "policy, default encryption and versioning (the other settings are written over); "
        "`logBucketName` defaults to it.",
        expected="an S3 bucket name",
    ),
    ConfigKey(
        "adoptLogKey", "string", "", _ARCHIVE, ADOPT,
        "An existing KMS key of this account and Region to import as the log key (with "
        "`encryption: sse-kms`); its policy, description and rotation become the program's.",
        expected="a KMS key ARN", pattern=patterns.KMS_KEY_ARN,
    ),
    ConfigKey(
        "adoptTrail", "string", "", _ALL, ADOPT,
        "An existing trail of this account, home Region and name (`trailName`) to import as "
        "the stack's trail.",
        expected="a trail ARN or name",
    ),
    ConfigKey(
        "adoptLogGroup", "string", "", _ALL, ADOPT,
        "An existing CloudWatch Logs group to import as the trail's log group (its name "
        "replaces `<namePrefix>-cloudtrail`).",
        expected="a CloudWatch Logs group name",
    ),
    # --- alerting -------------------------------------------------------------------------------
    ConfigKey(
        "cisControls", "array", list(CIS_CONTROL_IDS), _ALL, ALERTING,
        "Security Hub CloudWatch.1-14 and CIS.Organizations metric filters and alarms to "
        "create; `[]` for none.",
        items="string", choices=CIS_CONTROL_IDS,
    ),
    ConfigKey(
        "apiAlerts", "array", [], _ALL, ALERTING,
        "Custom API-call alerts `{name, eventSource, eventNames, userIdentityType?, "
        "userArnLike?, eventBridgeSource?, description?}`; each becomes a metric filter and "
        "alarm and an EventBridge rule.",
        items="object", expected="a list of alert objects",
    ),
    ConfigKey(
        "alertRegions", "array", [], _ALL, ALERTING,
        "Regions with EventBridge rules; `us-east-1` (IAM, STS, CloudFront events) is always "
        "added.",
        items="string", expected="region names", derived="the home region",
    ),
    ConfigKey(
        "logRetentionDays", "integer", 365, _ALL, ALERTING,
        "Retention of the trail's CloudWatch Logs group: 0 (never expire) or a CloudWatch Logs "
        "value of at least 365 (Security Hub CloudWatch.16).",
        minimum=0, maximum=3653,
    ),
    ConfigKey(
        "alertEmail", "string", "", _ALL, ALERTING,
        "An email address subscribed to the alert topics.",
        expected="an email address such as soc@example.com", pattern=patterns.EMAIL,
    ),
    ConfigKey(
        "alertLambdaArn", "string", "", _ALL, ALERTING,
        "A Lambda function subscribed to the alert topics.",
        expected="a Lambda function ARN", pattern=patterns.LAMBDA_ARN,
    ),
    ConfigKey(
        "logGroupKms", "boolean", True, _ALL, ALERTING,
        "Encrypt the trail's CloudWatch Logs group with a customer managed key.",
        pack_note="`false` is refused by ctl-logs-001 by default; "
        "`policies/config/log-group-without-kms.json` admits it.",
    ),
)  # fmt: skip

BY_NAME: Final[Mapping[str, ConfigKey]] = {key.name: key for key in KEYS}


# --- reading one value as the CLI hands it to the program ----------------------------------------


def decode(key: ConfigKey, raw: Any) -> tuple[Any, str | None]:
    """(value, problem) for the string the CLI passes (arrays and objects as JSON text).

    `problem` is the expected form when the value does not fit the declaration.
    """
    if key.type == "integer":
        if isinstance(raw, bool):
            return None, key.form
        try:
            number = int(str(raw).strip(), 10)
        except ValueError:
            return None, key.form
        if not (key.minimum or 0) <= number <= (key.maximum or number):
            return None, key.form
        return number, None
    if key.type == "boolean":
        text = str(raw).strip().lower()
        if isinstance(raw, bool) or text in ("true", "false"):
            return (raw if isinstance(raw, bool) else text == "true"), None
        return None, key.form
    if key.type == "array":
        value = raw
        if isinstance(raw, str):
            try:
                value = json.loads(raw) if raw.strip() else []
            except json.JSONDecodeError:
                return None, f"a list of {key.form.removeprefix('a list of ')}"
        if not isinstance(value, list):
            return None, f"a list of {key.form.removeprefix('a list of ')}"
        return value, None
    if not isinstance(raw, str):
        return None, key.form
    return raw, None


def _string_schema(key: ConfigKey) -> dict[str, Any]:
    """A string (or array item) as the declaration allows it: one of its choices, or a full
    match of its pattern (`\\Z`, not `$`, which would admit a trailing newline)."""
    if key.choices:
        return {"type": "string", "enum": list(key.choices)}
    if key.pattern:
        return {"type": "string", "pattern": f"^(?:{key.pattern})\\Z"}
    return {"type": "string"}


def value_schema(key: ConfigKey) -> dict[str, Any]:
    """The JSON Schema of a key's decoded value, from its declaration."""
    if key.type == "array" and key.items == "string":
        return {"type": "array", "items": _string_schema(key)}
    if key.type == "string":
        return _string_schema(key)
    return {}


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(value_schema(BY_NAME[name]))


def item_problems(key: ConfigKey, value: Any) -> list[tuple[str, str]]:
    """(where, expected) for values of `key` that break its pattern, choices or uniqueness,
    checked against `value_schema` with jsonschema; a list names each item that breaks it."""
    if key.type == "string" and (value == "" or value is None):
        return []
    if not value_schema(key):
        return []
    errors = _validator(key.name).iter_errors(value)
    if key.type == "string":
        return [(key.name, key.form)] if next(errors, None) is not None else []
    broken = {error.absolute_path[0] for error in errors if error.absolute_path}
    item_form = (
        "one of " + ", ".join(key.choices) if key.choices else key.form.removeprefix("a list of ")
    )
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        where = f"{key.name}[{index}]"
        if index in broken:
            problems.append((where, item_form))
        elif item in seen:  # jsonschema's uniqueItems does not say which item repeats
            problems.append((where, f"{item_form}, each listed once"))
        else:
            seen.add(item)
    return problems


# --- the project file and the docs, generated from the table -------------------------------------


def pulumi_yaml_config() -> dict[str, dict[str, Any]]:
    """The `config:` block of Pulumi.yaml: type, items, description and default of every key."""
    block: dict[str, dict[str, Any]] = {}
    for key in KEYS:
        entry: dict[str, Any] = {"type": key.type}
        if key.items:
            entry["items"] = {"type": key.items}
        roles = "every stack" if key.roles == ROLES else f"{key.roles[0]} stacks"
        entry["description"] = f"{_plain(key.description)} ({roles})"
        if not key.required:
            entry["default"] = key.default
        block[key.name] = entry
    return block


def _plain(text: str) -> str:
    return text.replace("`", "")


def _default_text(key: ConfigKey) -> str:
    if key.required:
        return "required"
    if key.derived and key.default in ("", []):
        return key.derived
    if key.name == "cisControls":
        return "all"
    if key.default in ("", []):
        return "—"
    if isinstance(key.default, bool):
        return f"`{str(key.default).lower()}`"
    return f"`{key.default}`"


def sections() -> Iterator[tuple[str, list[ConfigKey]]]:
    seen: dict[str, list[ConfigKey]] = {}
    for key in KEYS:
        seen.setdefault(key.section, []).append(key)
    yield from seen.items()


def markdown_tables() -> str:
    """The README's configuration tables, one per section."""
    out: list[str] = []
    for section, keys in sections():
        out += [f"**{section}**", "", "| key | type | default | meaning |", "|---|---|---|---|"]
        for key in keys:
            kind = f"{key.type} of {key.items}s" if key.items else key.type
            meaning = key.description + (f" {key.pack_note}" if key.pack_note else "")
            out.append(f"| `{key.name}` | {kind} | {_default_text(key)} | {meaning} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
