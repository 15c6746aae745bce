"""The names AWS accepts, one rule per resource type, each from its API reference.

Every validator returns ``None`` when AWS would accept the name, or a short phrase of what AWS
expects, written to follow "expected" in a one-line config error ("expected 3 to 128
characters"). ``check_name(kind, name)`` looks the rule up in ``NAME_RULES``, so callers can
validate every name they generate without knowing which rule applies. Where the API model in
botocore (``min``/``max``/``pattern``) and the prose of the reference differ, the stricter one
is used, and the comment says so.

Lengths count characters. AWS's ``\\w`` means ASCII letters, digits and ``_``, so the character
classes here are spelled out in ASCII rather than using Python's Unicode-aware ``\\w``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

Check = Callable[[str], str | None]


@dataclass(frozen=True)
class NameRule:
    """What AWS accepts as the name of one kind of resource, and where AWS says so."""

    kind: str
    summary: str
    source: str
    checks: tuple[Check, ...]

    def check(self, name: str) -> str | None:
        """The first rule `name` breaks, as a phrase to follow "expected", or None."""
        for check in self.checks:
            problem = check(name)
            if problem is not None:
                return problem
        return None


# --- building blocks: each returns a check, each check one phrase -------------------------------

_DOTTED_QUAD = re.compile(r"[0-9]{1,3}(\.[0-9]{1,3}){3}")


def is_ip_address(text: str) -> bool:
    """Whether `text` is formatted as an IP address, the form trail and bucket names may not take.

    AWS's example is ``192.168.5.4`` and it does not say it parses the numbers, so any four
    dot-separated groups of one to three digits count (``999.1.1.1`` too); IPv6 text counts as
    well, although neither rule's character set admits ``:``.
    """
    if _DOTTED_QUAD.fullmatch(text):
        return True
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def _length(low: int, high: int) -> Check:
    def check(name: str) -> str | None:
        return None if low <= len(name) <= high else f"{low} to {high} characters"

    return check


def _characters(allowed: str, described: str) -> Check:
    """Every character in the regex class body `allowed`; the phrase names the first other one."""
    one = re.compile(f"[{allowed}]")

    def check(name: str) -> str | None:
        for char in name:
            if not one.fullmatch(char):
                return f"only {described} (found {char!r})"
        return None

    return check


def _forbidden(chars: str, described: str) -> Check:
    """None of the characters in the regex class body `chars`."""
    one = re.compile(f"[{chars}]")

    def check(name: str) -> str | None:
        found = one.search(name)
        return None if found is None else f"no {described} (found {found[0]!r})"

    return check


def _ends(allowed: str, described: str) -> Check:
    one = re.compile(f"[{allowed}]")

    def check(name: str) -> str | None:
        if name and one.fullmatch(name[0]) and one.fullmatch(name[-1]):
            return None
        return f"{described} first and last"

    return check


def _starts(allowed: str, described: str) -> Check:
    one = re.compile(f"[{allowed}]")

    def check(name: str) -> str | None:
        return None if name and one.fullmatch(name[0]) else f"{described} first"

    return check


def _no_adjacent(chars: str, described: str) -> Check:
    pair = re.compile(f"[{re.escape(chars)}]{{2}}")

    def check(name: str) -> str | None:
        found = pair.search(name)
        return None if found is None else f"no two of {described} in a row (found {found[0]!r})"

    return check


def _no_substring(text: str) -> Check:
    def check(name: str) -> str | None:
        return f"no {text!r}" if text in name else None

    return check


def _not_ip_address(name: str) -> str | None:
    return "a name not formatted as an IP address" if is_ip_address(name) else None


def _no_prefix(prefixes: tuple[str, ...], why: str) -> Check:
    def check(name: str) -> str | None:
        for prefix in prefixes:
            if name.startswith(prefix):
                return f"no {prefix!r} prefix ({why})"
        return None

    return check


def _no_suffix(suffixes: tuple[str, ...], why: str) -> Check:
    def check(name: str) -> str | None:
        for suffix in suffixes:
            if name.endswith(suffix):
                return f"no {suffix!r} suffix ({why})"
        return None

    return check


def _must_prefix(prefix: str) -> Check:
    def check(name: str) -> str | None:
        if name.startswith(prefix) and len(name) > len(prefix):
            return None
        return f"{prefix!r} followed by a name"

    return check


def _not_equal(reserved: str, why: str) -> Check:
    def check(name: str) -> str | None:
        return f"a name other than {reserved!r} ({why})" if name == reserved else None

    return check


# --- the rules ----------------------------------------------------------------------------------

_ALNUM = "A-Za-z0-9"
_LETTERS_DIGITS = "letters, digits"

CLOUDTRAIL_TRAIL = NameRule(
    kind="cloudtrail-trail",
    summary="3-128 letters, digits, '.', '_', '-'; letter or digit first and last; no two of "
    "'.', '_', '-' in a row; not an IP address",
    # AWS CloudTrail API Reference, "CreateTrail", request parameter Name
    # (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html), and
    # CloudTrail user guide, "Naming requirements for CloudTrail resources, S3 buckets, and KMS
    # keys": my-_namespace and my--namespace are not valid.
    source="CloudTrail API Reference, CreateTrail, Name "
    "(https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html)",
    checks=(
        _length(3, 128),
        _characters(f"{_ALNUM}._-", f"ASCII {_LETTERS_DIGITS}, '.', '_' and '-'"),
        _ends(_ALNUM, "a letter or digit"),
        _no_adjacent("._-", "'.', '_', '-'"),
        _not_ip_address,
    ),
)

# Reserved by S3 for other kinds of bucket and for access points ("General purpose bucket
# naming rules"). `sthree-configurator` is listed separately by the guide but `sthree-` covers it.
_S3_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_S3_RESERVED_SUFFIXES = (
    "-s3alias",  # access point aliases
    "--ol-s3",  # Object Lambda Access Point aliases
    ".mrap",  # Multi-Region Access Points
    "--x-s3",  # directory buckets
    "--table-s3",  # S3 Tables table buckets
    # Only buckets in an account regional namespace may end in -an (the guide, and "Namespaces
    # for general purpose buckets"); this project creates buckets in the global namespace.
    "-an",
)

S3_BUCKET = NameRule(
    kind="s3-bucket",
    summary="3-63 lower-case letters, digits, '.', '-'; letter or digit first and last; no '..'; "
    "not an IP address; no reserved prefix (xn--, sthree-, amzn-s3-demo-) or suffix (-s3alias, "
    "--ol-s3, .mrap, --x-s3, --table-s3, -an)",
    # Amazon S3 user guide, "General purpose bucket naming rules"
    # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
    source="S3 user guide, General purpose bucket naming rules "
    "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)",
    checks=(
        _length(3, 63),
        _characters("a-z0-9.-", "lower-case letters, digits, '.' and '-'"),
        _ends("a-z0-9", "a lower-case letter or digit"),
        _no_substring(".."),
        _not_ip_address,
        _no_prefix(_S3_RESERVED_PREFIXES, "reserved by S3"),
        _no_suffix(_S3_RESERVED_SUFFIXES, "reserved by S3"),
    ),
)

SNS_TOPIC = NameRule(
    kind="sns-topic",
    summary="1-256 letters, digits, '_', '-' (standard topic; no .fifo here)",
    # Amazon SNS API Reference, "CreateTopic", Name: "uppercase and lowercase ASCII letters,
    # numbers, underscores, and hyphens ... between 1 and 256 characters". A FIFO topic adds
    # .fifo; this project creates standard topics only, so '.' is refused.
    source="SNS API Reference, CreateTopic, Name "
    "(https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html)",
    checks=(_length(1, 256), _characters(f"{_ALNUM}_-", f"ASCII {_LETTERS_DIGITS}, '_' and '-'")),
)

SQS_QUEUE = NameRule(
    kind="sqs-queue",
    summary="1-80 letters, digits, '_', '-' (standard queue; no .fifo here)",
    # Amazon SQS API Reference, "CreateQueue", QueueName: "up to 80 characters ... alphanumeric
    # characters, hyphens (-), and underscores (_)"; .fifo only for FIFO queues (not used here).
    source="SQS API Reference, CreateQueue, QueueName "
    "(https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html)",
    checks=(_length(1, 80), _characters(f"{_ALNUM}_-", f"ASCII {_LETTERS_DIGITS}, '_' and '-'")),
)

_IAM_NAME = f"{_ALNUM}_+=,.@-"
_IAM_DESCRIBED = f"ASCII {_LETTERS_DIGITS} and '_+=,.@-'"

IAM_ROLE = NameRule(
    kind="iam-role",
    summary="1-64 characters of [A-Za-z0-9_+=,.@-]",
    # IAM API Reference, "CreateRole", RoleName: length 1-64, pattern [\w+=,.@-]+. Names are
    # unique without regard to case, which no single-name check can see.
    source="IAM API Reference, CreateRole, RoleName "
    "(https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html)",
    checks=(_length(1, 64), _characters(_IAM_NAME, _IAM_DESCRIBED)),
)

IAM_ROLE_POLICY = NameRule(
    kind="iam-role-policy",
    summary="1-128 characters of [A-Za-z0-9_+=,.@-]",
    # IAM API Reference, "PutRolePolicy", PolicyName: length 1-128, pattern [\w+=,.@-]+.
    source="IAM API Reference, PutRolePolicy, PolicyName "
    "(https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html)",
    checks=(_length(1, 128), _characters(_IAM_NAME, _IAM_DESCRIBED)),
)

_EVENTS_NAME = f"{_ALNUM}._-"
_EVENTS_DESCRIBED = f"ASCII {_LETTERS_DIGITS}, '.', '_' and '-'"

EVENTBRIDGE_RULE = NameRule(
    kind="eventbridge-rule",
    summary="1-64 letters, digits, '.', '_', '-'",
    # Amazon EventBridge API Reference, "PutRule", Name: length 1-64, pattern [\.\-_A-Za-z0-9]+.
    source="EventBridge API Reference, PutRule, Name "
    "(https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html)",
    checks=(_length(1, 64), _characters(_EVENTS_NAME, _EVENTS_DESCRIBED)),
)

EVENTBRIDGE_TARGET_ID = NameRule(
    kind="eventbridge-target-id",
    summary="1-64 letters, digits, '.', '_', '-'",
    # Amazon EventBridge API Reference, "Target" data type (PutTargets), Id: length 1-64,
    # pattern [\.\-_A-Za-z0-9]+.
    source="EventBridge API Reference, Target, Id "
    "(https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html)",
    checks=(_length(1, 64), _characters(_EVENTS_NAME, _EVENTS_DESCRIBED)),
)

EVENTBRIDGE_BUS = NameRule(
    kind="eventbridge-bus",
    summary="1-256 letters, digits, '.', '_', '-' (custom bus: no '/'), not 'default'",
    # Amazon EventBridge API Reference, "CreateEventBus", Name: length 1-256, pattern
    # [/\.\-_A-Za-z0-9]+; "Custom event bus names can't contain the / character" (only partner
    # buses may) and "You can't use the name default for a custom event bus".
    source="EventBridge API Reference, CreateEventBus, Name "
    "(https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html)",
    checks=(
        _length(1, 256),
        _characters(_EVENTS_NAME, _EVENTS_DESCRIBED),
        _not_equal("default", "the account's default bus"),
    ),
)

KMS_ALIAS = NameRule(
    kind="kms-alias",
    summary="'alias/' then letters, digits, '/', '_', '-'; at most 256 characters in all; "
    "not 'alias/aws/...'",
    # AWS KMS API Reference, "CreateAlias", AliasName: "must begin with alias/ followed by a
    # name ... 1-256 characters ... only alphanumeric characters, forward slashes (/),
    # underscores (_), and dashes (-) ... cannot begin with alias/aws/". The API model's pattern
    # also admits ':', which the prose does not; the prose (stricter) is followed here.
    source="KMS API Reference, CreateAlias, AliasName "
    "(https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html)",
    checks=(
        _must_prefix("alias/"),
        _length(1, 256),
        _characters(f"{_ALNUM}/_-", f"ASCII {_LETTERS_DIGITS}, '/', '_' and '-'"),
        _no_prefix(("alias/aws/",), "reserved for AWS managed keys"),
    ),
)

CLOUDWATCH_LOG_GROUP = NameRule(
    kind="log-group",
    summary="1-512 letters, digits, '.', '_', '-', '/', '#'; not starting 'aws/'",
    # Amazon CloudWatch Logs API Reference, "CreateLogGroup": 1-512 characters of a-z, A-Z, 0-9,
    # '_', '-', '/', '.', '#'; "Log group names can't start with the string aws/".
    source="CloudWatch Logs API Reference, CreateLogGroup, logGroupName "
    "(https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html)",
    checks=(
        _length(1, 512),
        _characters(f"{_ALNUM}._/#-", f"ASCII {_LETTERS_DIGITS}, '.', '_', '-', '/' and '#'"),
        _no_prefix(("aws/",), "reserved for AWS services"),
    ),
)

CLOUDWATCH_METRIC_FILTER = NameRule(
    kind="metric-filter",
    summary="1-512 characters, no ':' or '*'",
    # Amazon CloudWatch Logs API Reference, "PutMetricFilter", filterName: length 1-512,
    # pattern [^:*]*.
    source="CloudWatch Logs API Reference, PutMetricFilter, filterName "
    "(https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html)",
    checks=(_length(1, 512), _forbidden(":*", "':' or '*'")),
)

# Amazon CloudWatch Logs API Reference, "MetricTransformation" data type (PutMetricFilter),
# metricName and metricNamespace: at most 255, pattern [^:*$]*. A metric needs a name, so 1 is
# the floor (CloudWatch API Reference, "PutMetricAlarm", MetricName and Namespace: 1-255).
_METRIC_SOURCE = (
    "CloudWatch Logs API Reference, MetricTransformation "
    "(https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/"
    "API_MetricTransformation.html)"
)
CLOUDWATCH_METRIC_NAME = NameRule(
    kind="metric-name",
    summary="1-255 characters, no ':', '*' or '$'",
    source=_METRIC_SOURCE,
    checks=(_length(1, 255), _forbidden(":*$", "':', '*' or '$'")),
)
CLOUDWATCH_METRIC_NAMESPACE = NameRule(
    kind="metric-namespace",
    summary="1-255 characters, no ':', '*' or '$'",
    source=_METRIC_SOURCE,
    checks=(_length(1, 255), _forbidden(":*$", "':', '*' or '$'")),
)

CLOUDWATCH_ALARM = NameRule(
    kind="cloudwatch-alarm",
    summary="1-255 characters, no ASCII control characters",
    # Amazon CloudWatch API Reference, "PutMetricAlarm", AlarmName: length 1-255; "must contain
    # only UTF-8 characters, and can't contain ASCII control characters". A Python str is
    # always encodable as UTF-8 unless it holds lone surrogates, which the class below refuses.
    source="CloudWatch API Reference, PutMetricAlarm, AlarmName "
    "(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html)",
    checks=(
        _length(1, 255),
        _forbidden(r"\x00-\x1f\x7f", "ASCII control characters"),
        _forbidden(r"\ud800-\udfff", "characters that UTF-8 cannot encode"),
    ),
)

CLOUDFORMATION_STACK_SET = NameRule(
    kind="stack-set",
    summary="1-128 letters, digits, '-', starting with a letter",
    # AWS CloudFormation API Reference, "CreateStackSet", StackSetName: "only alphanumeric
    # characters (case-sensitive) and hyphens. It must start with an alphabetic character and
    # can't be longer than 128 characters."
    source="CloudFormation API Reference, CreateStackSet, StackSetName "
    "(https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html)",
    checks=(
        _length(1, 128),
        _characters(f"{_ALNUM}-", f"ASCII {_LETTERS_DIGITS} and '-'"),
        _starts("A-Za-z", "a letter"),
    ),
)

NAME_RULES: Mapping[str, NameRule] = {
    rule.kind: rule
    for rule in (
        CLOUDTRAIL_TRAIL,
        S3_BUCKET,
        SNS_TOPIC,
        SQS_QUEUE,
        IAM_ROLE,
        IAM_ROLE_POLICY,
        EVENTBRIDGE_RULE,
        EVENTBRIDGE_TARGET_ID,
        EVENTBRIDGE_BUS,
        KMS_ALIAS,
        CLOUDWATCH_LOG_GROUP,
        CLOUDWATCH_METRIC_FILTER,
        CLOUDWATCH_METRIC_NAME,
        CLOUDWATCH_METRIC_NAMESPACE,
        CLOUDWATCH_ALARM,
        CLOUDFORMATION_STACK_SET,
    )
}


def check_name(kind: str, name: str) -> str | None:
    """None if AWS accepts `name` for a resource of `kind`, else what AWS expects instead."""
    try:
        rule = NAME_RULES[kind]
    except KeyError:
        known = ", ".join(sorted(NAME_RULES))
        raise KeyError(f"no name rule for {kind!r}; known: {known}") from None
    return rule.check(name)


# One validator per resource type, for callers that know what they are naming.
check_trail_name = CLOUDTRAIL_TRAIL.check
check_bucket_name = S3_BUCKET.check
check_topic_name = SNS_TOPIC.check
check_queue_name = SQS_QUEUE.check
check_role_name = IAM_ROLE.check
check_role_policy_name = IAM_ROLE_POLICY.check
check_rule_name = EVENTBRIDGE_RULE.check
check_target_id = EVENTBRIDGE_TARGET_ID.check
check_event_bus_name = EVENTBRIDGE_BUS.check
check_kms_alias = KMS_ALIAS.check
check_log_group_name = CLOUDWATCH_LOG_GROUP.check
check_metric_filter_name = CLOUDWATCH_METRIC_FILTER.check
check_metric_name = CLOUDWATCH_METRIC_NAME.check
check_metric_namespace = CLOUDWATCH_METRIC_NAMESPACE.check
check_alarm_name = CLOUDWATCH_ALARM.check
check_stack_set_name = CLOUDFORMATION_STACK_SET.check
