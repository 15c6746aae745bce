"""AWS name rules: for every kind, names AWS accepts pass and each rule catches its breach."""

from __future__ import annotations

import re
import string

import botocore.session  # type: ignore[import-untyped]
import pytest

from cloudtrail_logging.aws import names as aws_names
from cloudtrail_logging.aws.names import NAME_RULES, check_name, is_ip_address

# (kind, name, phrase fragment or None when AWS accepts it). The comment on each group names the
# rule from the API reference that the cases prove.
CASES: list[tuple[str, str, str | None]] = [
    # CloudTrail CreateTrail Name: 3-128; letters, digits, . _ -; letter/digit first and last;
    # no adjacent . _ -; not an IP address.
    ("cloudtrail-trail", "abc", None),
    ("cloudtrail-trail", "a" * 128, None),
    ("cloudtrail-trail", "org.trail_v2-main", None),
    ("cloudtrail-trail", "1.2.3", None),  # three groups: not an IP address
    ("cloudtrail-trail", "ab", "3 to 128 characters"),
    ("cloudtrail-trail", "a" * 129, "3 to 128 characters"),
    ("cloudtrail-trail", "my trail", "found ' '"),
    ("cloudtrail-trail", "my/trail", "found '/'"),
    ("cloudtrail-trail", "-trail", "first and last"),
    ("cloudtrail-trail", "trail.", "first and last"),
    ("cloudtrail-trail", "my--trail", "in a row (found '--')"),
    ("cloudtrail-trail", "my._trail", "in a row (found '._')"),
    ("cloudtrail-trail", "my-_namespace", "in a row"),
    ("cloudtrail-trail", "my..trail", "in a row"),
    ("cloudtrail-trail", "my__trail", "in a row"),
    ("cloudtrail-trail", "192.168.5.4", "IP address"),
    # S3 General purpose bucket naming rules.
    ("s3-bucket", "abc", None),
    ("s3-bucket", "a" * 63, None),
    ("s3-bucket", "logs.example-123", None),
    ("s3-bucket", "cloudtrail-logs-111122223333-us-east-1", None),
    ("s3-bucket", "my-xn--bucket", None),  # reserved only as a prefix
    ("s3-bucket", "ab", "3 to 63 characters"),
    ("s3-bucket", "a" * 64, "3 to 63 characters"),
    ("s3-bucket", "Logs", "found 'L'"),
    ("s3-bucket", "my_bucket", "found '_'"),
    ("s3-bucket", "-bucket", "first and last"),
    ("s3-bucket", "bucket.", "first and last"),
    ("s3-bucket", "my..bucket", "no '..'"),
    ("s3-bucket", "192.168.5.4", "IP address"),
    ("s3-bucket", "xn--bucket", "'xn--' prefix"),
    ("s3-bucket", "sthree-bucket", "'sthree-' prefix"),
    ("s3-bucket", "sthree-configurator-x", "'sthree-' prefix"),
    ("s3-bucket", "amzn-s3-demo-bucket", "'amzn-s3-demo-' prefix"),
    ("s3-bucket", "bucket-s3alias", "'-s3alias' suffix"),
    ("s3-bucket", "bucket--ol-s3", "'--ol-s3' suffix"),
    ("s3-bucket", "bucket.mrap", "'.mrap' suffix"),
    ("s3-bucket", "bucket--usw2-az1--x-s3", "'--x-s3' suffix"),
    ("s3-bucket", "bucket--table-s3", "'--table-s3' suffix"),
    ("s3-bucket", "logs-111122223333-us-west-2-an", "'-an' suffix"),
    # SNS CreateTopic Name: 1-256 letters, digits, _ -.
    ("sns-topic", "a", None),
    ("sns-topic", "Security_Alerts-1" + "x" * 239, None),
    ("sns-topic", "", "1 to 256 characters"),
    ("sns-topic", "a" * 257, "1 to 256 characters"),
    ("sns-topic", "alerts.fifo", "found '.'"),
    # SQS CreateQueue QueueName: 1-80 letters, digits, _ -.
    ("sqs-queue", "q", None),
    ("sqs-queue", "a" * 80, None),
    ("sqs-queue", "a" * 81, "1 to 80 characters"),
    ("sqs-queue", "queue.fifo", "found '.'"),
    ("sqs-queue", "queue:1", "found ':'"),
    # IAM CreateRole RoleName: 1-64 of [\w+=,.@-].
    ("iam-role", "CloudTrail_CWLogs+=,.@-Role", None),
    ("iam-role", "a" * 64, None),
    ("iam-role", "", "1 to 64 characters"),
    ("iam-role", "a" * 65, "1 to 64 characters"),
    ("iam-role", "role/name", "found '/'"),
    ("iam-role", "rôle", "found 'ô'"),  # \w is ASCII in AWS's pattern
    # IAM PutRolePolicy PolicyName: 1-128 of [\w+=,.@-].
    ("iam-role-policy", "a" * 128, None),
    ("iam-role-policy", "a" * 129, "1 to 128 characters"),
    ("iam-role-policy", "write logs", "found ' '"),
    # EventBridge PutRule Name and Target Id: 1-64 of [.\-_A-Za-z0-9].
    ("eventbridge-rule", "root-sign-in.v2_x", None),
    ("eventbridge-rule", "a" * 64, None),
    ("eventbridge-rule", "a" * 65, "1 to 64 characters"),
    ("eventbridge-rule", "rule/x", "found '/'"),
    ("eventbridge-target-id", "central-bus", None),
    ("eventbridge-target-id", "", "1 to 64 characters"),
    ("eventbridge-target-id", "a" * 65, "1 to 64 characters"),
    ("eventbridge-target-id", "target id", "found ' '"),
    # EventBridge CreateEventBus Name: 1-256; custom bus: no '/', not 'default'.
    ("eventbridge-bus", "security-events", None),
    ("eventbridge-bus", "a" * 256, None),
    ("eventbridge-bus", "a" * 257, "1 to 256 characters"),
    ("eventbridge-bus", "default", "other than 'default'"),
    ("eventbridge-bus", "aws.partner/x/y", "found '/'"),
    # KMS CreateAlias AliasName: alias/ + letters, digits, / _ -; 1-256; not alias/aws/.
    ("kms-alias", "alias/cloudtrail/logs_key-1", None),
    ("kms-alias", "alias/" + "a" * 250, None),
    ("kms-alias", "alias/" + "a" * 251, "1 to 256 characters"),
    ("kms-alias", "cloudtrail", "'alias/' followed by a name"),
    ("kms-alias", "alias/", "'alias/' followed by a name"),
    ("kms-alias", "alias/a:b", "found ':'"),
    ("kms-alias", "alias/aws/s3", "'alias/aws/' prefix"),
    # CloudWatch Logs CreateLogGroup: 1-512 of letters, digits, . - _ / #; not aws/.
    ("log-group", "/cloudtrail/org#1_a.b-c", None),
    ("log-group", "a" * 512, None),
    ("log-group", "a" * 513, "1 to 512 characters"),
    ("log-group", "trail logs", "found ' '"),
    ("log-group", "aws/cloudtrail", "'aws/' prefix"),
    ("log-group", "/aws/cloudtrail", None),  # only the leading 'aws/' is reserved
    # CloudWatch Logs PutMetricFilter filterName: 1-512, no ':' or '*'.
    ("metric-filter", "CIS 4.1 Unauthorized API calls (#1)", None),
    ("metric-filter", "a" * 513, "1 to 512 characters"),
    ("metric-filter", "cis:3.1", "found ':'"),
    ("metric-filter", "all*", "found '*'"),
    # MetricTransformation metricName / metricNamespace: 1-255, no ':', '*', '$'.
    ("metric-name", "UnauthorizedAPICalls", None),
    ("metric-name", "a" * 256, "1 to 255 characters"),
    ("metric-name", "cost$", "found '$'"),
    ("metric-namespace", "CloudTrailMetrics/Org", None),
    ("metric-namespace", "", "1 to 255 characters"),
    ("metric-namespace", "AWS:Custom", "found ':'"),
    # CloudWatch PutMetricAlarm AlarmName: 1-255, UTF-8, no ASCII control characters.
    ("cloudwatch-alarm", "CIS 4.3 \u2013 root account usage", None),
    ("cloudwatch-alarm", "a" * 255, None),
    ("cloudwatch-alarm", "a" * 256, "1 to 255 characters"),
    ("cloudwatch-alarm", "line\nbreak", "ASCII control characters"),
    ("cloudwatch-alarm", "del\x7f", "ASCII control characters"),
    ("cloudwatch-alarm", "half \ud800", "UTF-8"),
    # CloudFormation CreateStackSet StackSetName: 1-128 letters, digits, -, letter first.
    ("stack-set", "cloudtrail-logging-members", None),
    ("stack-set", "a" * 128, None),
    ("stack-set", "a" * 129, "1 to 128 characters"),
    ("stack-set", "1stack", "a letter first"),
    ("stack-set", "stack_set", "found '_'"),
]


@pytest.mark.parametrize(("kind", "name", "expected"), CASES)
def test_name_rules(kind: str, name: str, expected: str | None) -> None:
    problem = check_name(kind, name)
    if expected is None:
        assert problem is None, f"{kind} {name!r}: {problem}"
    else:
        assert problem is not None and expected in problem, f"{kind} {name!r}: {problem}"


def test_every_kind_has_an_accepted_and_a_refused_case() -> None:
    accepted = {kind for kind, _, expected in CASES if expected is None}
    refused = {kind for kind, _, expected in CASES if expected is not None}
    assert accepted == refused == set(NAME_RULES)


def test_kinds_the_settings_module_relies_on_exist() -> None:
    assert {"cloudtrail-trail", "s3-bucket"} <= set(NAME_RULES)


def test_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(KeyError, match="known: "):
        check_name("s3-buckets", "abc")


def test_per_kind_validators_are_the_rules() -> None:
    assert aws_names.check_trail_name("my--trail") == check_name("cloudtrail-trail", "my--trail")
    assert aws_names.check_bucket_name("Bad") is not None
    assert aws_names.check_event_bus_name("default") is not None
    assert aws_names.check_kms_alias("alias/cloudtrail") is None


def test_every_rule_cites_an_aws_page() -> None:
    for rule in NAME_RULES.values():
        assert "https://docs.aws.amazon.com/" in rule.source, rule.kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("192.168.5.4", True),
        ("10.0.0.1", True),
        ("999.1.1.1", True),  # IP-address *format*: AWS does not say it parses the numbers
        ("::1", True),
        ("2001:db8::1", True),
        ("1.2.3", False),
        ("1.2.3.4.5", False),
        ("1.2.3.a", False),
        ("1234.1.1.1", False),
        ("my.bucket.1.2", False),
        ("", False),
    ],
)
def test_is_ip_address(text: str, expected: bool) -> None:
    assert is_ip_address(text) is expected


# --- agreement with AWS's own API models (botocore's service-2.json) ----------------------------

# kind -> (service, operation, member path), where the model gives min/max/pattern.
MODELED = {
    "iam-role": ("iam", "CreateRole", ("RoleName",)),
    "iam-role-policy": ("iam", "PutRolePolicy", ("PolicyName",)),
    "eventbridge-rule": ("events", "PutRule", ("Name",)),
    "eventbridge-target-id": ("events", "PutTargets", ("Targets", "Id")),
    "eventbridge-bus": ("events", "CreateEventBus", ("Name",)),
    "kms-alias": ("kms", "CreateAlias", ("AliasName",)),
    "log-group": ("logs", "CreateLogGroup", ("logGroupName",)),
    "metric-filter": ("logs", "PutMetricFilter", ("filterName",)),
    "metric-name": ("logs", "PutMetricFilter", ("metricTransformations", "metricName")),
    "metric-namespace": ("logs", "PutMetricFilter", ("metricTransformations", "metricNamespace")),
    "cloudwatch-alarm": ("cloudwatch", "PutMetricAlarm", ("AlarmName",)),
}
# Characters the model's pattern admits but the reference's prose refuses (the stricter wins).
PROSE_STRICTER = {"eventbridge-bus": {"/"}, "kms-alias": {":"}}


def _model(service: str, operation: str, path: tuple[str, ...]) -> dict[str, object]:
    shape = (
        botocore.session.get_session()
        .get_service_model(service)
        .operation_model(operation)
        .input_shape
    )
    for member in path:
        shape = shape.members[member]
        while hasattr(shape, "member"):  # lists: look at their element
            shape = shape.member
    return dict(shape.metadata)


def _sample(kind: str, middle: str) -> str:
    return f"alias/a{middle}a" if kind == "kms-alias" else f"a{middle}a"


@pytest.mark.parametrize("kind", sorted(MODELED))
def test_rules_agree_with_the_api_model(kind: str) -> None:
    model = _model(*MODELED[kind])
    high = int(str(model["max"]))
    assert check_name(kind, _sample(kind, "a" * (high - len(_sample(kind, ""))))) is None
    assert check_name(kind, _sample(kind, "a" * (high + 1 - len(_sample(kind, ""))))) is not None
    pattern = model.get("pattern")
    if pattern is None:
        return
    regex = re.compile(str(pattern).removeprefix("^").removesuffix("$"))
    differences = set()
    for char in string.printable:
        name = _sample(kind, char)
        ours = check_name(kind, name) is None
        theirs = regex.fullmatch(name) is not None
        assert not (ours and not theirs), f"{kind}: we accept {name!r}, the API model does not"
        if theirs and not ours:
            differences.add(char)
    assert differences == PROSE_STRICTER.get(kind, set())
