"""Config contract: defaults, and every bad value refused naming its key, before any resource."""

from __future__ import annotations

from typing import Any

import pytest

from cloudtrail_logging.raw_config import ConfigError
from cloudtrail_logging.settings import parse_settings
from offline.preview import ProgramError, run_program
from tests.conftest import MEMBER, SECURITY, archive_config, member_config, stack_config


def split(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    project = {k: v for k, v in values.items() if not k.startswith("aws:")}
    aws = {k[4:]: v for k, v in values.items() if k.startswith("aws:")}
    return project, aws


def parse(values: dict[str, Any]):
    return parse_settings(*split(values))


def test_log_archive_defaults() -> None:
    settings = parse(archive_config())
    assert settings.encryption == "sse-s3"
    assert settings.log_bucket_name == f"cloudtrail-logging-{SECURITY}-us-east-1"
    assert settings.trail_name == "cloudtrail-logging"
    assert settings.writer_accounts == (SECURITY, MEMBER)
    assert settings.lifecycle.glacier_after_days == 90
    assert settings.lifecycle.expire_after_days == 2557
    assert settings.partition == "aws"


def test_structured_values_arrive_as_json_strings() -> None:
    settings = parse(archive_config(memberAccounts=f'["{MEMBER}"]', glacierTransitionDays="30"))
    assert settings.member_accounts == (MEMBER,)
    assert settings.lifecycle.glacier_after_days == 30


def test_member_defaults_to_the_security_stack_reference() -> None:
    settings = parse(member_config())
    assert settings.central is not None
    assert settings.central.stack == "organization/cloudtrail-logging/security"


def test_partition_follows_region() -> None:
    settings = parse(archive_config(**{"aws:region": "cn-north-1"}))
    assert settings.partition == "aws-cn"


BAD_VALUES = [
    ({"role": "archive"}, "cloudtrail-logging:role"),
    ({"encryption": "sse-c"}, "cloudtrail-logging:encryption"),
    ({"memberAccounts": ["12345"]}, "cloudtrail-logging:memberAccounts[0]"),
    ({"memberAccounts": [MEMBER, MEMBER]}, "cloudtrail-logging:memberAccounts[1]"),
    ({"memberAccounts": [SECURITY]}, "cloudtrail-logging:memberAccounts"),
    ({"memberAccounts": "111111111111"}, "cloudtrail-logging:memberAccounts"),
    ({"glacierTransitionDays": "soon"}, "cloudtrail-logging:glacierTransitionDays"),
    ({"glacierTransitionDays": 0}, "cloudtrail-logging:glacierTransitionDays"),
    ({"expirationDays": 30}, "cloudtrail-logging:expirationDays"),
    ({"logBucketName": "Bad_Bucket"}, "cloudtrail-logging:logBucketName"),
    ({"s3KeyPrefix": "AWSLogs"}, "cloudtrail-logging:s3KeyPrefix"),
    ({"s3KeyPrefix": "/leading"}, "cloudtrail-logging:s3KeyPrefix"),
    ({"namePrefix": "X"}, "cloudtrail-logging:namePrefix"),
    ({"trailName": "a b"}, "cloudtrail-logging:trailName"),
    ({"bucketNotificationTargets": ["email"]}, "cloudtrail-logging:bucketNotificationTargets[0]"),
    ({"bucketNotificationTargets": ["sqs", "lambda"],
      "bucketNotificationLambdaArn": "arn:aws:lambda:us-east-1:222222222222:function:f"},
     "cloudtrail-logging:bucketNotificationTargets"),
    ({"bucketNotificationTargets": ["lambda"]}, "cloudtrail-logging:bucketNotificationLambdaArn"),
    ({"trailNotificationLambdaArn": "arn:aws:lambda:us-east-1:222222222222:function:f"},
     "cloudtrail-logging:trailNotificationTargets"),
    ({"trailNotificationTargets": ["sns"]}, "cloudtrail-logging:trailNotificationTargets[0]"),
    ({"logReaders": ["arn:aws:iam::333333333333:role/r"]}, "cloudtrail-logging:logReaders[0]"),
    ({"logReaders": ["not-an-arn"]}, "cloudtrail-logging:logReaders[0]"),
    ({"centralStack": "security"}, "cloudtrail-logging:centralStack"),
    ({"encrytion": "sse-kms"}, "cloudtrail-logging:encrytion"),
    ({"aws:allowedAccountIds": []}, "aws:allowedAccountIds"),
    ({"aws:allowedAccountIds": [SECURITY, MEMBER]}, "aws:allowedAccountIds"),
    ({"aws:region": "moon-1"}, "aws:region"),
]


@pytest.mark.parametrize(("overrides", "key"), BAD_VALUES)
def test_bad_archive_value_is_refused_naming_the_key(overrides: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(archive_config(**overrides))
    assert any(problem.startswith(f"{key}:") for problem in caught.value.problems), (
        caught.value.problems
    )
    assert "expected" in str(caught.value) or "not a setting" in str(caught.value)


BAD_MEMBER_VALUES = [
    ({"memberAccounts": [MEMBER]}, "cloudtrail-logging:memberAccounts"),
    ({"encryption": "sse-kms"}, "cloudtrail-logging:encryption"),
    ({"centralBucketName": "central-bucket"}, "cloudtrail-logging:centralAccountId"),
    ({"centralBucketName": "central-bucket", "centralAccountId": MEMBER},
     "cloudtrail-logging:centralAccountId"),
    ({"centralStack": "o/p/s", "centralBucketName": "b-b-b", "centralAccountId": SECURITY},
     "cloudtrail-logging:centralStack"),
    ({"centralBucketName": "b-b-b", "centralAccountId": SECURITY, "centralKmsKeyArn": "key"},
     "cloudtrail-logging:centralKmsKeyArn"),
]


@pytest.mark.parametrize(("overrides", "key"), BAD_MEMBER_VALUES)
def test_bad_member_value_is_refused_naming_the_key(overrides: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(member_config(**overrides))
    assert any(problem.startswith(f"{key}:") for problem in caught.value.problems)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        parse(archive_config(encryption="x", glacierTransitionDays="y", typo=1))
    assert len(caught.value.problems) == 3


def test_unknown_key_suggests_the_close_one() -> None:
    with pytest.raises(ConfigError, match="did you mean encryption"):
        parse(archive_config(encrytion="sse-kms"))


@pytest.mark.parametrize(
    "values",
    [archive_config(encryption="sse-c"), archive_config(typo="x"), member_config(centralStack="x")],
)
def test_bad_config_registers_nothing(values: dict[str, Any]) -> None:
    with pytest.raises(ProgramError) as caught:
        run_program(stack_config(values))
    assert isinstance(caught.value.cause, ConfigError)
    assert caught.value.registered == ()
