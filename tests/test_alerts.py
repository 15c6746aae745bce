"""Alert parsing and the two delivery paths derived from one alert definition."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cloudtrail_logging.alerting import event_names
from cloudtrail_logging.alerting.alerts import (
    ALARM,
    ALLOWED_RETENTION_DAYS,
    READ_ONLY_RULE_STATE,
    AlertSettings,
    ApiAlert,
    event_pattern,
    eventbridge_rule_state,
    eventbridge_source,
    metric_filter_pattern,
    metric_filters,
)
from cloudtrail_logging.alerting.cis import CIS_CONTROL_IDS
from cloudtrail_logging.settings import ConfigError
from tests.conftest import archive_config, parse_config

NS = "cloudtrail-logging"
RUN_INSTANCES = {
    "name": "ec2-run-instances",
    "eventSource": "ec2.amazonaws.com",
    "eventNames": ["RunInstances"],
}


class _Problems:
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems


def parse(values: dict[str, Any], partition: str = "aws") -> tuple[AlertSettings, _Problems]:
    region = {"aws": "us-east-1", "aws-us-gov": "us-gov-west-1", "aws-cn": "cn-north-1"}[partition]
    config = archive_config(**{"aws:region": region}, **values)
    try:
        settings = parse_config(config)
    except ConfigError as error:
        return AlertSettings(), _Problems(error.problems)
    return settings.alerting, _Problems([])


def problems(values: dict[str, Any], partition: str = "aws") -> list[str]:
    return parse(values, partition)[1].problems


def only_problem(values: dict[str, Any]) -> str:
    found = problems(values)
    assert len(found) == 1, found
    return found[0]


# --- defaults ---------------------------------------------------------------------------------


def test_defaults() -> None:
    settings, cfg = parse({})
    assert cfg.problems == []
    assert tuple(c.control_id for c in settings.cis_controls) == CIS_CONTROL_IDS
    assert settings.api_alerts == ()
    assert settings.alert_regions == ("us-east-1",)
    assert settings.log_retention_days == 365
    assert settings.alert_email is None
    assert settings.alert_lambda_arn is None
    assert settings.log_group_kms is True
    assert settings.alarm == ALARM


def test_alarm_settings_fire_on_one_event_within_a_minute() -> None:
    assert ALARM.threshold == 1
    assert ALARM.comparison_operator == "GreaterThanOrEqualToThreshold"
    assert (ALARM.evaluation_periods, ALARM.period_seconds) == (1, 60)
    assert ALARM.statistic == "Sum"
    assert ALARM.treat_missing_data == "notBreaching"
    assert ALARM.namespace == "CloudTrailMetrics"


# --- cisControls ------------------------------------------------------------------------------


def test_cis_controls_subset_keeps_canonical_order() -> None:
    settings, cfg = parse({"cisControls": '["CIS.Organizations", "CloudWatch.3"]'})
    assert cfg.problems == []
    assert [c.control_id for c in settings.cis_controls] == ["CloudWatch.3", "CIS.Organizations"]


@pytest.mark.parametrize("empty", [[], "[]"])
def test_empty_cis_controls_disables_all(empty: Any) -> None:
    settings, cfg = parse({"cisControls": empty})
    assert cfg.problems == []
    assert settings.cis_controls == ()


def test_unknown_cis_control_is_refused_with_the_valid_ids() -> None:
    problem = only_problem({"cisControls": ["CloudWatch.1", "CloudWatch.15"]})
    assert problem.startswith("cloudtrail-logging:cisControls[1]: expected one of CloudWatch.1,")
    assert "CIS.Organizations" in problem
    assert '"CloudWatch.15"' in problem


def test_duplicate_cis_control_is_refused() -> None:
    assert "cisControls[1]" in only_problem({"cisControls": ["CloudWatch.1", "CloudWatch.1"]})


# --- apiAlerts: the compliant case and each violation -----------------------------------------


def test_valid_alert_is_parsed() -> None:
    alert = {
        **RUN_INSTANCES,
        "eventNames": ["RunInstances", "StartInstances"],
        "userIdentityType": "Root",
        "userArnLike": ["arn:aws:iam::123456789012:root"],
        "description": "EC2 launched by root",
    }
    settings, cfg = parse({"apiAlerts": json.dumps([alert])})
    assert cfg.problems == []
    assert settings.api_alerts == (
        ApiAlert(
            name="ec2-run-instances",
            event_source="ec2.amazonaws.com",
            event_names=("RunInstances", "StartInstances"),
            user_identity_type="Root",
            user_arn_like=("arn:aws:iam::123456789012:root",),
            description="EC2 launched by root",
        ),
    )


@pytest.mark.parametrize(
    ("change", "key", "fragment"),
    [
        ({"eventNames": []}, "apiAlerts[0].eventNames", "non-empty list"),
        ({"eventNames": "RunInstances"}, "apiAlerts[0].eventNames", "non-empty list"),
        ({"eventNames": ["Run Instances"]}, "apiAlerts[0].eventNames[0]", "event names"),
        ({"eventNames": ["A", "A"]}, "apiAlerts[0].eventNames[1]", "each listed once"),
        ({"eventSource": "ec2.amazonaws.com.cn"}, "apiAlerts[0].eventSource", "amazonaws.com"),
        ({"eventSource": "ec2"}, "apiAlerts[0].eventSource", "<service>.amazonaws.com"),
        ({"eventSource": "EC2.amazonaws.com"}, "apiAlerts[0].eventSource", "amazonaws.com"),
        ({"name": "EC2_Run"}, "apiAlerts[0].name", "lower-case"),
        ({"name": "-run"}, "apiAlerts[0].name", "starting with a letter"),
        ({"name": "x" * 65}, "apiAlerts[0].name", "2-64"),
        ({"userIdentityType": "root"}, "apiAlerts[0].userIdentityType", "one of Root"),
        ({"userArnLike": ["arn:aws:sts::*:assumed-role/x"]}, "apiAlerts[0].userArnLike[0]", "*"),
        ({"userArnLike": ["arn:aws:s3:::bucket"]}, "apiAlerts[0].userArnLike[0]", "IAM or STS"),
        ({"userArnLike": []}, "apiAlerts[0].userArnLike", "non-empty list"),
        ({"eventBridgeSource": "ec2"}, "apiAlerts[0].eventBridgeSource", "aws.<service>"),
        ({"description": "a\nb"}, "apiAlerts[0].description", "one-line"),
        ({"color": "red"}, "apiAlerts[0].color", "only the fields"),
    ],
)
def test_bad_alert_is_refused_naming_the_key(
    change: dict[str, Any], key: str, fragment: str
) -> None:
    problem = only_problem({"apiAlerts": [{**RUN_INSTANCES, **change}]})
    assert problem.startswith(f"cloudtrail-logging:{key}: expected ")
    assert fragment in problem


NAMES = "CloudTrail event names such as RunInstances"
ROOT_ARN = "arn:aws:iam::123456789012:root"
LIST_LINES = {
    "empty": ({"eventNames": []},
              f"apiAlerts[0].eventNames: expected a non-empty list of {NAMES} (got [])"),
    "not-a-list": ({"userArnLike": ROOT_ARN},
                   "apiAlerts[0].userArnLike: expected a non-empty list of IAM or STS ARNs, exact "
                   f'or ending in a single * (a prefix match) (got "{ROOT_ARN}")'),
    "malformed-once": ({"eventNames": ["Run Instances", "RunInstances"]},
                       f'apiAlerts[0].eventNames[0]: expected {NAMES} (got "Run Instances")'),
    "listed-twice": ({"eventNames": ["RunInstances", "RunInstances"]},
                     f"apiAlerts[0].eventNames[1]: expected {NAMES}, each listed once "
                     '(got "RunInstances")'),
}  # fmt: skip


@pytest.mark.parametrize(("change", "line"), LIST_LINES.values(), ids=LIST_LINES)
def test_a_list_field_mistake_is_one_line_with_what_was_written(
    change: dict[str, Any], line: str
) -> None:
    """Only the repeated entry says "each listed once"; the value is shown as written."""
    assert only_problem({"apiAlerts": [{**RUN_INSTANCES, **change}]}) == f"{NS}:{line}"


@pytest.mark.parametrize("missing", ["name", "eventSource", "eventNames"])
def test_required_alert_fields(missing: str) -> None:
    alert = {k: v for k, v in RUN_INSTANCES.items() if k != missing}
    assert f"apiAlerts[0].{missing}" in only_problem({"apiAlerts": [alert]})


def test_duplicate_alert_names_are_refused() -> None:
    other = {**RUN_INSTANCES, "eventNames": ["StopInstances"]}
    problem = only_problem({"apiAlerts": [RUN_INSTANCES, other]})
    assert problem.startswith("cloudtrail-logging:apiAlerts[1].name: expected a name not used")


@pytest.mark.parametrize("value", ['{"name": "x"}', "not json", 42, ["not an object"]])
def test_api_alerts_must_be_a_list_of_objects(value: Any) -> None:
    assert "apiAlerts" in only_problem({"apiAlerts": value})


def test_an_alert_too_long_for_a_filter_pattern_is_refused() -> None:
    # Forty of EC2's longest operation names (real ones: an unknown name is refused first).
    names = sorted(event_names.recorded_names("ec2.amazonaws.com") or {}, key=len)[-40:]
    problem = only_problem({"apiAlerts": [{**RUN_INSTANCES, "eventNames": names}]})
    assert "apiAlerts[0].eventNames" in problem
    assert "1024" in problem


def ec2_names_filling(chars: int) -> list[str]:
    """Real EC2 event names whose metric filter pattern is exactly `chars` characters long."""
    known = sorted(event_names.recorded_names("ec2.amazonaws.com") or {})

    def left(names: list[str]) -> int:
        """What `chars` leaves for one more name after these."""
        pattern = metric_filter_pattern(ApiAlert("a", "ec2.amazonaws.com", tuple(names)))
        return chars - len(pattern) - len(' || ($.eventName = "")')

    chosen: list[str] = []
    for name in known:  # all but room for two more names of about 30 characters
        if left([*chosen, name]) < 60:
            break
        chosen.append(name)
    for first in known:
        rest = left([*chosen, first])
        last = [n for n in known if len(n) == rest and n not in (*chosen, first)]
        if first not in chosen and last:
            return [*chosen, first, last[0]]
    raise AssertionError(f"no EC2 names fill {chars} characters")


def test_a_filter_pattern_of_exactly_1024_characters_is_accepted() -> None:
    """CloudWatch Logs takes filter patterns of at most 1,024 characters: 1,024 is fine, 1,025
    is refused naming both patterns' lengths."""
    fits, too_long = ec2_names_filling(1024), ec2_names_filling(1025)
    longer = ApiAlert("a", "ec2.amazonaws.com", tuple(too_long))
    assert len(metric_filter_pattern(longer)) == 1025
    pattern = len(json.dumps(event_pattern(longer), separators=(",", ":")))
    assert pattern < 2048  # only the filter pattern is too long
    settings, cfg = parse({"apiAlerts": [{**RUN_INSTANCES, "eventNames": fits}]})
    assert cfg.problems == []
    assert settings.api_alerts[0].event_names == tuple(fits)
    assert only_problem({"apiAlerts": [{**RUN_INSTANCES, "eventNames": too_long}]}) == (
        f"{NS}:apiAlerts[0].eventNames: expected fewer event names: the metric filter pattern is "
        f"1025 characters (at most 1024) and the event pattern {pattern} (at most 2048); split "
        f"the alert (got {len(too_long)})"
    )


def test_more_than_100_metric_filters_are_refused() -> None:
    alerts = [{**RUN_INSTANCES, "name": f"alert-{i}"} for i in range(86)]
    assert "at most 85 alerts" in only_problem({"apiAlerts": alerts})
    _, cfg = parse({"apiAlerts": alerts[:85]})
    assert cfg.problems == []


# --- alertRegions -----------------------------------------------------------------------------


def test_alert_regions_always_include_us_east_1_first() -> None:
    settings, cfg = parse({"alertRegions": '["eu-west-1", "ap-south-1", "us-east-1"]'})
    assert cfg.problems == []
    assert settings.alert_regions == ("us-east-1", "ap-south-1", "eu-west-1")


@pytest.mark.parametrize("region", ["us-east-7", "eu-west", "cn-north-1"])
def test_nonexistent_region_is_refused(region: str) -> None:
    problem = only_problem({"alertRegions": ["eu-west-1", region]})
    assert problem.startswith("cloudtrail-logging:alertRegions[1]: expected an existing aws region")


def test_govcloud_partition_uses_its_own_global_region() -> None:
    settings, cfg = parse({"alertRegions": ["us-gov-east-1"]}, partition="aws-us-gov")
    assert cfg.problems == []
    assert settings.alert_regions == ("us-gov-west-1", "us-gov-east-1")


# --- retention, subscribers, kms --------------------------------------------------------------


@pytest.mark.parametrize("days", [365, "400", 3653, 0])
def test_allowed_retention(days: Any) -> None:
    settings, cfg = parse({"logRetentionDays": days})
    assert cfg.problems == []
    assert settings.log_retention_days == int(days)


@pytest.mark.parametrize("days", [30, 180, 364, 366, 1000, 5000, -1, "forever"])
def test_refused_retention(days: Any) -> None:
    problem = only_problem({"logRetentionDays": days})
    assert problem.startswith("cloudtrail-logging:logRetentionDays")


def test_a_refused_retention_lists_the_values_cloudwatch_logs_takes() -> None:
    assert only_problem({"logRetentionDays": 30}) == (
        f"{NS}:logRetentionDays: expected 0 (never expire) or a CloudWatch Logs retention of at "
        "least 365 days: 0, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 30)"
    )


def test_retention_values_are_cloudwatch_logs_values_of_at_least_a_year() -> None:
    assert ALLOWED_RETENTION_DAYS[0] == 0
    assert min(ALLOWED_RETENTION_DAYS[1:]) == 365
    assert 3653 in ALLOWED_RETENTION_DAYS


def test_subscribers_and_kms() -> None:
    lam = "arn:aws:lambda:eu-west-1:123456789012:function:soc-pager:live"
    settings, cfg = parse(
        {"alertEmail": "soc@example.com", "alertLambdaArn": lam, "logGroupKms": "false"}
    )
    assert cfg.problems == []
    assert (settings.alert_email, settings.alert_lambda_arn) == ("soc@example.com", lam)
    assert settings.log_group_kms is False


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:lambda:eu-west-1:123456789012:role/soc",
        "arn:aws:lambda:eu-west-9:123456789012:function:soc",
        "arn:aws-cn:lambda:cn-north-1:123456789012:function:soc",
        "arn:aws:sns:eu-west-1:123456789012:soc",
    ],
)
def test_bad_lambda_arn_is_refused(arn: str) -> None:
    assert only_problem({"alertLambdaArn": arn}).startswith("cloudtrail-logging:alertLambdaArn")


def test_bad_email_and_bool_are_refused() -> None:
    found = problems({"alertEmail": "soc at example", "logGroupKms": "yes"})
    assert [p.split(":")[1] for p in found] == ["alertEmail", "logGroupKms"]


def test_all_problems_are_raised_together() -> None:
    found = problems({"cisControls": ["CloudWatch.0"], "alertRegions": ["mars-1"], "typo": 1})
    assert len(found) == 3
    assert any(p.startswith("cloudtrail-logging:typo: not a setting") for p in found)


# --- one alert, two paths ---------------------------------------------------------------------


def alert(**change: Any) -> ApiAlert:
    base: dict[str, Any] = {
        "name": "ec2-run-instances",
        "event_source": "ec2.amazonaws.com",
        "event_names": ("RunInstances",),
    }
    return ApiAlert(**{**base, **change})


def test_metric_filter_pattern_minimal() -> None:
    assert metric_filter_pattern(alert()) == (
        '{ ($.eventSource = "ec2.amazonaws.com") && (($.eventName = "RunInstances")) }'
    )


def test_metric_filter_pattern_with_identity() -> None:
    pattern = metric_filter_pattern(
        alert(
            event_names=("RunInstances", "StartInstances"),
            user_identity_type="AssumedRole",
            user_arn_like=("arn:aws:sts::123456789012:assumed-role/Admin/*", "arn:aws:iam::*"),
        )
    )
    assert pattern == (
        '{ ($.eventSource = "ec2.amazonaws.com") && (($.eventName = "RunInstances") || '
        '($.eventName = "StartInstances")) && ($.userIdentity.type = "AssumedRole") && '
        '(($.userIdentity.arn = "arn:aws:sts::123456789012:assumed-role/Admin/*") || '
        '($.userIdentity.arn = "arn:aws:iam::*")) }'
    )


def test_event_pattern_minimal() -> None:
    assert event_pattern(alert()) == {
        "source": ["aws.ec2"],
        "detail-type": ["AWS API Call via CloudTrail"],
        "detail": {"eventSource": ["ec2.amazonaws.com"], "eventName": ["RunInstances"]},
    }


def test_event_pattern_with_identity_uses_prefix_for_trailing_wildcards() -> None:
    pattern = event_pattern(
        alert(
            user_identity_type="AssumedRole",
            user_arn_like=("arn:aws:sts::123456789012:assumed-role/Admin/*", "arn:aws:iam::*"),
        )
    )
    assert pattern["detail"]["userIdentity"] == {
        "type": ["AssumedRole"],
        "arn": [
            {"prefix": "arn:aws:sts::123456789012:assumed-role/Admin/"},
            {"prefix": "arn:aws:iam::"},
        ],
    }
    exact = event_pattern(alert(user_arn_like=("arn:aws:iam::123456789012:root",)))
    assert exact["detail"]["userIdentity"] == {"arn": ["arn:aws:iam::123456789012:root"]}


@pytest.mark.parametrize(
    ("event_source", "source"),
    [
        ("ec2.amazonaws.com", "aws.ec2"),
        ("sts.amazonaws.com", "aws.sts"),
        ("iam.amazonaws.com", "aws.iam"),
        ("monitoring.amazonaws.com", "aws.monitoring"),
        ("access-analyzer.amazonaws.com", "aws.access-analyzer"),
    ],
)
def test_eventbridge_source_is_derived_from_the_event_source(
    event_source: str, source: str
) -> None:
    assert eventbridge_source(alert(event_source=event_source)) == source


def test_eventbridge_source_override() -> None:
    assert eventbridge_source(alert(eventbridge_source="aws.custom")) == "aws.custom"


def test_console_sign_in_uses_the_sign_in_detail_types() -> None:
    sign_in = alert(event_source="signin.amazonaws.com", event_names=("ConsoleLogin",))
    pattern = event_pattern(sign_in)
    assert pattern["source"] == ["aws.signin"]
    assert "AWS Console Sign In via CloudTrail" in pattern["detail-type"]
    assert "AWS API Call via CloudTrail" not in pattern["detail-type"]


def test_read_only_alerts_opt_in_to_read_only_management_events() -> None:
    assert eventbridge_rule_state(alert()) == "ENABLED"
    reads = alert(event_source="iam.amazonaws.com", event_names=("CreateUser", "ListUsers"))
    assert reads.read_only
    assert eventbridge_rule_state(reads) == READ_ONLY_RULE_STATE


def test_both_paths_name_the_same_events() -> None:
    one = alert(event_names=("RunInstances", "TerminateInstances"), user_identity_type="Root")
    pattern = event_pattern(one)
    text = metric_filter_pattern(one)
    for name in pattern["detail"]["eventName"]:
        assert f'($.eventName = "{name}")' in text
    assert f'($.eventSource = "{pattern["detail"]["eventSource"][0]}")' in text
    assert f'($.userIdentity.type = "{pattern["detail"]["userIdentity"]["type"][0]}")' in text
    assert text.count("$.eventName") == len(pattern["detail"]["eventName"])


def test_metric_filters_lists_cis_then_api_alerts() -> None:
    settings, _ = parse({"cisControls": ["CloudWatch.1"], "apiAlerts": [RUN_INSTANCES]})
    filters = metric_filters(settings)
    assert [f[:2] for f in filters] == [
        ("CloudWatch.1", "RootAccountUsage"),
        ("ec2-run-instances", "ec2-run-instances"),
    ]
    assert filters[1][2] == metric_filter_pattern(settings.api_alerts[0])
