"""`verify` against moto: a healthy log archive passes, each kind of breakage is caught."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest
from botocore.stub import Stubber  # type: ignore[import-untyped]
from moto import mock_aws

from verify.checks import (
    Clients,
    Options,
    Result,
    check_integrity,
    check_topics,
    check_trail,
    delivery_time,
    denies_insecure_transport,
    probe_alarm_path,
    verify,
)
from verify.cli import main
from verify.outputs import VerifyError, load_outputs, parse_outputs

ACCOUNT = "123456789012"  # moto's default account
MEMBERS = ["111111111111", "333333333333"]
REGION = "us-east-1"
BUCKET = "archive-logs"
TRAIL = "org-trail"
GROUP = "cloudtrail-logging-cloudtrail"
ALARMS = ["root-usage", "unauthorized-calls"]
NOW = datetime.now(UTC)


class SharedSession:
    """One session whose clients are reused: a boto3 client takes ~0.1 s to create, and moto
    intercepts every client while a mock is active, whenever the client was made."""

    def __init__(self) -> None:
        self.session = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing")
        self.clients: dict[tuple[str, str], Any] = {}

    def client(self, service: str, region_name: str = REGION) -> Any:
        if (service, region_name) not in self.clients:
            self.clients[service, region_name] = self.session.client(
                service, region_name=region_name)
        return self.clients[service, region_name]


SHARED = SharedSession()
aws_client = SHARED.client


def _log_key(account: str, region: str, when: datetime, org: str = "") -> str:
    owner = f"{org}/{account}" if org else account
    return (f"AWSLogs/{owner}/CloudTrail/{region}/{when:%Y/%m/%d}/"
            f"{account}_CloudTrail_{region}_{when:%Y%m%dT%H%MZ}_abcdefgh12345678.json.gz")


def _tls_policy() -> str:
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }],
    })


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN", "MOTO_ACCOUNT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws():
        yield


def healthy_log_keys() -> list[str]:
    """Log files from the archive and each member in two regions, three days and minutes old."""
    return [
        _log_key(account, region, NOW - age)
        for account in [ACCOUNT, *MEMBERS]
        for region in (REGION, "eu-west-1")
        for age in (timedelta(days=3), timedelta(minutes=10))
    ]


def archive_outputs(key: str, topic: str, queue_url: str, trail_arn: str) -> dict[str, Any]:
    return {
        "role": "log-archive", "accountId": ACCOUNT, "region": REGION, "partition": "aws",
        "trailName": TRAIL, "trailArn": trail_arn, "logBucketName": BUCKET,
        "logArchiveAccountId": ACCOUNT, "s3KeyPrefix": "", "kmsKeyArn": key,
        "logGroupName": GROUP, "logRetentionDays": 365, "alarmNames": ALARMS,
        "alarmTopicArn": topic, "alarmQueueUrl": queue_url, "topicArns": [topic],
        "memberAccounts": MEMBERS, "encryption": "sse-kms", "organizationId": "",
        "managementAccountId": "", "eventBusArn": "",
    }


def build_archive(log_keys: list[str] | None = None, lock: str = "") -> dict[str, Any]:
    """A healthy log-archive account in moto (or with `log_keys` only), its log bucket under
    Object Lock in mode `lock` if given; returns its outputs."""
    kms = aws_client("kms")
    key = kms.create_key(Description="log key")["KeyMetadata"]["Arn"]
    kms.enable_key_rotation(KeyId=key)
    messaging_key = key  # one key: moto makes an RSA key pair for each, which is slow

    s3 = aws_client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_encryption(Bucket=BUCKET, ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key},
        "BucketKeyEnabled": True,
    }]})
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    if lock:  # while empty: moto refuses it on a bucket with objects (S3 no longer does)
        s3.put_object_lock_configuration(Bucket=BUCKET, ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": lock, "Days": 365}}})
    s3.put_public_access_block(Bucket=BUCKET, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True,
        "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
    })
    s3.put_bucket_ownership_controls(
        Bucket=BUCKET, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    )
    for log_key in healthy_log_keys() if log_keys is None else log_keys:
        s3.put_object(Bucket=BUCKET, Key=log_key, Body=b"{}")
    # Last: moto evaluates the policy and does not see its own requests as TLS.
    s3.put_bucket_policy(Bucket=BUCKET, Policy=_tls_policy())

    logs = aws_client("logs")
    logs.create_log_group(logGroupName=GROUP)
    logs.put_retention_policy(logGroupName=GROUP, retentionInDays=365)
    group_arn = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{GROUP}:*"

    cloudtrail = aws_client("cloudtrail")
    trail_arn = cloudtrail.create_trail(
        Name=TRAIL, S3BucketName=BUCKET, IsMultiRegionTrail=True,
        EnableLogFileValidation=True, KmsKeyId=key, IncludeGlobalServiceEvents=True,
        CloudWatchLogsLogGroupArn=group_arn,
        CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/cloudtrail-to-logs",
    )["TrailARN"]
    cloudtrail.start_logging(Name=TRAIL)

    sns = aws_client("sns")
    topic = sns.create_topic(Name="alarms", Attributes={"KmsMasterKeyId": messaging_key})[
        "TopicArn"]
    sqs = aws_client("sqs")
    queue_url = sqs.create_queue(QueueName="alarms", Attributes={
        "KmsMasterKeyId": messaging_key})["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)

    cloudwatch = aws_client("cloudwatch")
    for name in ALARMS:
        cloudwatch.put_metric_alarm(
            AlarmName=name, MetricName=name, Namespace="CloudTrailMetrics", Statistic="Sum",
            Period=60, EvaluationPeriods=1, Threshold=1,
            ComparisonOperator="GreaterThanOrEqualToThreshold", AlarmActions=[topic],
            ActionsEnabled=True, TreatMissingData="notBreaching",
        )
    return archive_outputs(key, topic, queue_url, trail_arn)


def run(outputs: dict[str, Any], **options: Any) -> list[Result]:
    """verify at the clock the log files were made against (NOW), however long the suite ran."""
    return verify(Clients(SHARED, REGION), parse_outputs(outputs),
                  Options(**{"now": NOW, **options}))


def failures(results: list[Result]) -> list[tuple[str, str]]:
    return [(r.check, r.resource) for r in results if r.status == "FAIL"]


def test_healthy_log_archive_passes(aws: None) -> None:
    results = run(build_archive())
    assert failures(results) == []
    checks = {r.check for r in results}
    assert {"identity", "trail logging", "trail delivery errors", "trail last delivery",
            "trail settings", "bucket encryption", "bucket versioning",
            "bucket public access block", "bucket ownership", "bucket policy", "log key state",
            "log key rotation", "log group retention", "alarm", "topic encryption",
            "topic subscription", "log delivery"} <= checks
    delivered = {r.resource for r in results if r.check == "log delivery"}
    assert delivered == {f"{a}/{r}" for a in [ACCOUNT, *MEMBERS] for r in (REGION, "eu-west-1")}


def test_logging_stopped_fails(aws: None) -> None:
    outputs = build_archive()
    aws_client("cloudtrail").stop_logging(Name=TRAIL)
    assert failures(run(outputs)) == [("trail logging", TRAIL)]


def test_silent_account_and_member_without_logs_fail(aws: None) -> None:
    quiet, missing = MEMBERS
    fresh = {_log_key(quiet, region, NOW - timedelta(minutes=10))
             for region in (REGION, "eu-west-1")}
    keys = [k for k in healthy_log_keys() if f"/{missing}/" not in k and k not in fresh]
    outputs = build_archive(keys)
    outputs["memberAccounts"] = [*MEMBERS, "444444444444"]
    results = run(outputs)
    assert failures(results) == [
        ("log delivery", f"{quiet}/eu-west-1"), ("log delivery", f"{quiet}/{REGION}"),
        ("log delivery", missing), ("log delivery", "444444444444"),
    ]
    silent = next(r for r in results if r.resource == f"{quiet}/{REGION}")
    assert silent.detail.startswith("silent for 72.0 h (over 24 h)")
    # A longer threshold accepts the three-day-old files.
    assert failures(run(outputs, silent_hours=80)) == [
        ("log delivery", missing), ("log delivery", "444444444444"),
    ]


def test_organization_layout_counts_as_delivery(aws: None) -> None:
    org_key = _log_key("555555555555", REGION, NOW, org="o-abc123")
    outputs = build_archive([*healthy_log_keys(), org_key])
    outputs["memberAccounts"] = ["555555555555"]
    assert failures(run(outputs)) == [("log delivery", "555555555555")]
    outputs["organizationId"] = "o-abc123"
    assert failures(run(outputs)) == []


def test_missing_alarm_and_versioning_suspended_fail(aws: None) -> None:
    outputs = build_archive()
    aws_client("cloudwatch").delete_alarms(AlarmNames=[ALARMS[0]])
    aws_client("s3").put_bucket_versioning(
        Bucket=BUCKET, VersioningConfiguration={"Status": "Suspended"})
    results = run(outputs)
    assert failures(results) == [("bucket versioning", BUCKET), ("alarm", ALARMS[0])]
    assert next(r for r in results if r.check == "bucket versioning").detail == (
        "versioning Suspended")


def test_bucket_settings_and_topic_without_subscriber_fail(aws: None) -> None:
    outputs = build_archive()
    s3 = aws_client("s3")
    s3.put_public_access_block(Bucket=BUCKET, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True,
        "BlockPublicPolicy": False, "RestrictPublicBuckets": True,
    })
    s3.put_bucket_encryption(Bucket=BUCKET, ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    s3.delete_bucket_policy(Bucket=BUCKET)
    sns = aws_client("sns")
    bare = sns.create_topic(Name="bare")["TopicArn"]
    outputs["topicArns"] = [*outputs["topicArns"], bare]
    results = run(outputs)
    assert failures(results) == [
        ("bucket encryption", BUCKET), ("bucket public access block", BUCKET),
        ("bucket policy", BUCKET), ("topic encryption", bare), ("topic subscription", bare),
    ]
    assert "off: BlockPublicPolicy" in next(
        r.detail for r in results if r.check == "bucket public access block")


def test_key_group_alarm_actions_ownership_and_managed_topic_key_fail(aws: None) -> None:
    outputs = build_archive()
    kms, key_id = aws_client("kms"), outputs["kmsKeyArn"].rsplit("/", 1)[-1]
    kms.disable_key_rotation(KeyId=key_id)  # moto 5.2.5 looks these two up by key id only
    kms.disable_key(KeyId=key_id)
    aws_client("logs").put_retention_policy(logGroupName=GROUP, retentionInDays=30)
    aws_client("cloudwatch").disable_alarm_actions(AlarmNames=[ALARMS[1]])
    aws_client("s3").put_bucket_ownership_controls(
        Bucket=BUCKET, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]})
    sns = aws_client("sns")
    managed = sns.create_topic(Name="managed", Attributes={"KmsMasterKeyId": "alias/aws/sns"})[
        "TopicArn"]
    sns.subscribe(TopicArn=managed, Protocol="sqs", Endpoint=f"arn:aws:sqs:{REGION}:{ACCOUNT}:x")
    outputs["topicArns"] = [*outputs["topicArns"], managed]
    results = run(outputs)
    assert failures(results) == [
        ("bucket ownership", BUCKET), ("log key state", outputs["kmsKeyArn"]),
        ("log key rotation", outputs["kmsKeyArn"]), ("log group retention", GROUP),
        ("alarm", ALARMS[1]), ("topic encryption", managed),
    ]
    details = {r.check: r.detail for r in results if r.status == "FAIL"}
    assert details["log group retention"] == "30 days (declared 365 days)"
    assert details["alarm"] == "actions disabled"
    assert details["log key state"] == "key state Disabled"


def test_declared_trail_settings_are_compared(aws: None) -> None:
    outputs = build_archive()
    outputs.update(s3KeyPrefix="logs", logGroupName="other-group")
    results = run(outputs)
    settings = next(r for r in results if r.check == "trail settings")
    assert settings.status == "FAIL"
    assert "prefix '' (declared 'logs')" in settings.detail
    assert "CloudWatch Logs group" in settings.detail
    assert ("log group", "other-group") in failures(results)


def test_account_holding_nothing_fails_every_check(
    aws: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT}:alarms"
    queue = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/alarms"
    outputs = archive_outputs(key, topic, queue, f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/x")
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "999999999999")  # credentials of an empty account
    outputs_file = tmp_path / "outputs.json"
    outputs_file.write_text(json.dumps(outputs))
    assert main(["security", "--outputs", str(outputs_file)], session=SHARED) == 1
    header, *rows, total = capsys.readouterr().out.splitlines()
    status_column = header.index("STATUS")
    assert header.split()[:3] == ["CHECK", "RESOURCE", "STATUS"]
    assert [row[status_column:].split()[0] for row in rows] == ["FAIL"] * len(rows)
    assert [row[:header.index("RESOURCE")].strip() for row in rows] == [
        "identity", "trail", "bucket", "log key", "log group", "alarm", "alarm", "topic",
        "log delivery",
    ]
    assert total == f"{len(rows)} FAIL"


def test_json_report(aws: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs_file = tmp_path / "outputs.json"
    outputs_file.write_text(json.dumps(build_archive()))
    assert main(["security", "--outputs", str(outputs_file), "--json"], session=SHARED) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["ok"] is True and document["role"] == "log-archive"
    assert document["summary"]["FAIL"] == 0
    assert {"check", "resource", "status", "detail"} == set(document["results"][0])


def test_member_skips_resources_of_the_archive(aws: None) -> None:
    outputs = build_archive()
    central_key = outputs["kmsKeyArn"].replace(ACCOUNT, "222222222222")
    aws_client("cloudtrail").update_trail(Name=TRAIL, KmsKeyId=central_key)
    for name in ("memberAccounts", "encryption", "organizationId"):
        del outputs[name]
    outputs.update(role="member", logArchiveAccountId="222222222222", kmsKeyArn=central_key)
    results = run(outputs)
    assert failures(results) == []
    assert [(r.check, r.status) for r in results if r.status == "SKIP"] == [
        ("bucket", "SKIP"), ("log key", "SKIP")]
    assert not any(r.check == "log delivery" for r in results)


# ------------------------------------------------------------------ probe
# moto records SetAlarmState but runs no alarm actions (moto 5.2.5 cloudwatch/models.py), so the
# hook below plays CloudWatch: on SetAlarmState(ALARM) it publishes the notification CloudWatch
# would publish to the alarm's topic; moto's SNS then delivers it to the subscribed queue.


@contextmanager
def hooked(client: Any, event: str, handler: Callable[..., None]) -> Iterator[None]:
    """A botocore event handler on a shared client, for one test only."""
    client.meta.events.register(event, handler)
    try:
        yield
    finally:
        client.meta.events.unregister(event, handler)


SET_ALARM_STATE = "provide-client-params.cloudwatch.SetAlarmState"


def test_probe_finds_its_notification_and_resets_the_alarm(aws: None) -> None:
    outputs = parse_outputs(build_archive())
    clients = Clients(SHARED, REGION)
    states: list[str] = []

    def play_cloudwatch(params: dict[str, Any], **_: Any) -> None:
        states.append(params["StateValue"])
        if params["StateValue"] == "ALARM":
            message = {"AlarmName": params["AlarmName"], "NewStateValue": "ALARM",
                       "NewStateReason": params["StateReason"], "OldStateValue": "OK"}
            clients("sns").publish(TopicArn=outputs.alarm_topic_arn, Message=json.dumps(message))

    sqs = clients("sqs")
    sqs.send_message(QueueUrl=outputs.alarm_queue_url, MessageBody="someone else's message")
    with hooked(clients("cloudwatch"), SET_ALARM_STATE, play_cloudwatch):
        [result] = probe_alarm_path(clients, outputs, timeout=5)
    assert (result.check, result.resource, result.status) == ("alarm probe", ALARMS[0], "PASS")
    assert states == ["ALARM", "OK"]
    # Ours was deleted; the other message went back to the queue at once.
    left = sqs.receive_message(QueueUrl=outputs.alarm_queue_url, MaxNumberOfMessages=10)
    assert [m["Body"] for m in left.get("Messages", [])] == ["someone else's message"]


@pytest.mark.parametrize(("timeout", "waits"), [(120, [20] * 6), (50, [20, 20, 10]), (0, [0])])
def test_probe_waits_a_bounded_time_then_fails(
    aws: None, timeout: float, waits: list[int]
) -> None:
    """Long polls of at most 20 s until the total wait is spent; the alarm is reset to OK."""
    outputs = parse_outputs(build_archive())
    clients = Clients(SHARED, REGION)
    clock = [0.0]
    states: list[str] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        states.append(params["StateValue"])

    def advance(params: dict[str, Any], **_: Any) -> None:
        clock[0] += params["WaitTimeSeconds"]

    sqs = clients("sqs")
    # The stubbed queue answers at once; the clock advances by each requested wait instead.
    with hooked(clients("cloudwatch"), SET_ALARM_STATE, record), \
            hooked(sqs, "provide-client-params.sqs.ReceiveMessage", advance), \
            Stubber(sqs) as stub:
        for wait in waits:
            stub.add_response("receive_message", {}, {
                "QueueUrl": outputs.alarm_queue_url, "MaxNumberOfMessages": 10,
                "WaitTimeSeconds": wait})
        [result] = probe_alarm_path(clients, outputs, timeout=timeout, clock=lambda: clock[0])
        stub.assert_no_pending_responses()
    assert result.status == "FAIL" and f"within {timeout:g} s" in result.detail
    assert states == ["ALARM", "OK"]


def test_probe_ignores_a_notification_of_another_probe(aws: None) -> None:
    outputs = parse_outputs(build_archive())
    clients = Clients(SHARED, REGION)
    stale = {"AlarmName": ALARMS[0], "NewStateValue": "ALARM",
             "NewStateReason": "cloudtrail-logging verify probe 0000"}
    clients("sns").publish(TopicArn=outputs.alarm_topic_arn, Message=json.dumps(stale))
    [result] = probe_alarm_path(clients, outputs, timeout=0)
    assert result.status == "FAIL"


def test_probe_needs_an_alarm_that_can_change_state(aws: None) -> None:
    outputs = parse_outputs(build_archive())
    for name in ALARMS:
        aws_client("cloudwatch").set_alarm_state(AlarmName=name, StateValue="ALARM",
                                                 StateReason="real incident")
    [result] = probe_alarm_path(Clients(SHARED, REGION), outputs, timeout=0)
    assert result.status == "FAIL" and "outside the ALARM state" in result.detail


def test_probe_skips_a_stack_without_alarm_queue(aws: None) -> None:
    outputs = build_archive()
    outputs["alarmQueueUrl"] = ""
    [result] = probe_alarm_path(Clients(SHARED, REGION), parse_outputs(outputs))
    assert result.status == "SKIP"


# ------------------------------------------------------------------ stubbed API fields


def _stubbed_trail(status: dict[str, Any]) -> list[Result]:
    outputs = parse_outputs({
        "role": "member", "accountId": ACCOUNT, "region": REGION, "partition": "aws",
        "trailName": TRAIL, "logBucketName": BUCKET, "logArchiveAccountId": "222222222222",
    })
    clients = Clients(SHARED, REGION)
    with Stubber(clients("cloudtrail")) as stub:
        stub.add_response("get_trail", {"Trail": {
            "Name": TRAIL, "S3BucketName": BUCKET, "IsMultiRegionTrail": True,
            "LogFileValidationEnabled": True, "HomeRegion": REGION}})
        stub.add_response("get_trail_status", status)
        return check_trail(clients, outputs, NOW, timedelta(hours=24))


def test_delivery_errors_fail() -> None:
    # moto's GetTrailStatus never reports Latest*Error, so these branches use a Stubber.
    results = _stubbed_trail({
        "IsLogging": True, "LatestDeliveryTime": NOW - timedelta(minutes=5),
        "LatestDeliveryError": "AccessDenied", "LatestCloudWatchLogsDeliveryError": "KMS",
    })
    [errors] = [r for r in results if r.check == "trail delivery errors"]
    assert errors.status == "FAIL"
    assert errors.detail == (
        "LatestDeliveryError: AccessDenied; LatestCloudWatchLogsDeliveryError: KMS")


def test_stale_or_missing_delivery_fails() -> None:
    stale = _stubbed_trail({"IsLogging": True, "LatestDeliveryTime": NOW - timedelta(hours=30)})
    never = _stubbed_trail({"IsLogging": True})
    fresh = _stubbed_trail({"IsLogging": True, "LatestDeliveryTime": NOW - timedelta(hours=1)})
    assert [r.status for r in stale + never + fresh if r.check == "trail last delivery"] == [
        "FAIL", "FAIL", "PASS"]


def _minimal_outputs(**extra: Any) -> Any:
    return parse_outputs({
        "role": "member", "accountId": ACCOUNT, "region": REGION, "partition": "aws",
        "trailName": TRAIL, "logBucketName": BUCKET, "logArchiveAccountId": "222222222222",
        **extra,
    })


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"IsMultiRegionTrail": False}, "not multi-region"),
        ({"LogFileValidationEnabled": False}, "log file validation off"),
        ({"S3BucketName": "elsewhere"}, "bucket 'elsewhere' (declared 'archive-logs')"),
        ({"KmsKeyId": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/other"},
         f"KMS key arn:aws:kms:{REGION}:{ACCOUNT}:key/other (declared none)"),
        ({"HomeRegion": "eu-west-1"}, "home region eu-west-1 (declared us-east-1)"),
    ],
)
def test_trail_settings_differing_from_the_declaration_fail(
    changes: dict[str, Any], problem: str
) -> None:
    clients = Clients(SHARED, REGION)
    trail = {"Name": TRAIL, "S3BucketName": BUCKET, "IsMultiRegionTrail": True,
             "LogFileValidationEnabled": True, "HomeRegion": REGION}
    with Stubber(clients("cloudtrail")) as stub:
        for document in (trail, {**trail, **changes}):
            stub.add_response("get_trail", {"Trail": document})
            stub.add_response("get_trail_status", {"IsLogging": True, "LatestDeliveryTime": NOW})
        good, bad = (check_trail(clients, _minimal_outputs(), NOW, timedelta(hours=1))[-1]
                     for _ in range(2))
    assert (good.check, good.status) == ("trail settings", "PASS")
    assert (bad.status, bad.detail) == ("FAIL", problem)


def test_pending_subscriptions_are_not_subscribers() -> None:
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT}:alarms"
    clients = Clients(SHARED, REGION)
    with Stubber(clients("sns")) as stub:
        for arn in ("PendingConfirmation", f"{topic}:0e0f"):
            stub.add_response("get_topic_attributes", {"Attributes": {
                "KmsMasterKeyId": "alias/alarms", "SubscriptionsConfirmed": "0"}})
            stub.add_response("list_subscriptions_by_topic", {"Subscriptions": [{
                "SubscriptionArn": arn, "Protocol": "email", "Endpoint": "soc@example.com",
                "TopicArn": topic}]})
        pending, confirmed = (check_topics(clients, _minimal_outputs(topicArns=[topic]))[-1]
                              for _ in range(2))
    assert (pending.status, pending.detail) == ("FAIL", "no confirmed subscription (1 pending)")
    assert (confirmed.status, confirmed.detail) == ("PASS", "confirmed: email:soc@example.com")


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        ("ExpiredToken", "AWS rejected the credentials calling sts:GetCallerIdentity"),
        ("Throttling", "FAIL sts:GetCallerIdentity failed: Throttling: slow down"),
    ],
)
def test_other_client_errors(aws: None, code: str, outcome: str) -> None:
    clients = Clients(SHARED, REGION)
    with Stubber(clients("sts")) as sts:
        sts.add_client_error("get_caller_identity", code, "slow down")
        try:
            [first] = verify(clients, _minimal_outputs(trailName="x"))[:1]
        except VerifyError as error:
            assert str(error).startswith(outcome)
        else:
            assert f"{first.status} {first.detail}" == outcome


def test_access_denied_is_one_error_naming_the_call() -> None:
    outputs = parse_outputs({
        "role": "log-archive", "accountId": ACCOUNT, "region": REGION, "partition": "aws",
        "trailName": TRAIL, "logBucketName": BUCKET, "logArchiveAccountId": ACCOUNT,
        "memberAccounts": [],
    })
    clients = Clients(SHARED, REGION)
    with Stubber(clients("sts")) as sts, Stubber(clients("cloudtrail")) as cloudtrail, \
            Stubber(clients("s3")) as s3:
        sts.add_response("get_caller_identity", {"Account": ACCOUNT})
        cloudtrail.add_client_error("get_trail", "TrailNotFoundException")
        s3.add_client_error("get_bucket_encryption", "AccessDenied",
                            "User: arn:aws:iam::123456789012:user/x is not authorized")
        with pytest.raises(VerifyError) as caught:
            verify(clients, outputs)
    assert str(caught.value) == (
        "access denied calling s3:GetBucketEncryption: "
        "User: arn:aws:iam::123456789012:user/x is not authorized")


# ------------------------------------------------------------------ errors and inputs


def test_no_credentials_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in list(os.environ):
        if name.startswith("AWS_") or name == "MOTO_ACCOUNT_ID":
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance-metadata probe
    outputs_file = tmp_path / "outputs.json"
    outputs_file.write_text(json.dumps({
        "role": "member", "accountId": ACCOUNT, "region": REGION, "partition": "aws",
        "trailName": TRAIL, "logBucketName": BUCKET, "logArchiveAccountId": ACCOUNT}))
    # No mock_aws here: it supplies fake credentials. Nothing reaches the network, because
    # botocore must sign the first request (sts:GetCallerIdentity) and has nothing to sign with.
    assert main(["dev", "--outputs", str(outputs_file)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: no AWS credentials found")
    assert captured.err.count("\n") == 1


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"role": "member"}, "stack output 'accountId' is missing"),
        ({"role": "log-archive", "accountId": ACCOUNT, "region": REGION, "partition": "aws",
          "trailName": TRAIL, "logBucketName": BUCKET, "logArchiveAccountId": ACCOUNT},
         "stack output 'memberAccounts' is missing"),
        ({"role": "member", "accountId": ACCOUNT, "region": REGION, "partition": "aws",
          "trailName": TRAIL, "logBucketName": BUCKET, "logArchiveAccountId": ACCOUNT,
          "logGroupName": GROUP}, "stack output 'logRetentionDays' is missing"),
        ({"role": "member", "accountId": ACCOUNT, "region": REGION, "partition": "aws",
          "trailName": TRAIL, "logBucketName": BUCKET, "logArchiveAccountId": ACCOUNT,
          "alarmNames": "root-usage"}, "stack output 'alarmNames' must be a list of strings"),
    ],
)
def test_missing_or_malformed_outputs_are_named(document: dict[str, Any], message: str) -> None:
    with pytest.raises(VerifyError, match=message):
        parse_outputs(document)


def test_outputs_file_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dev", "--outputs", str(tmp_path / "absent.json")]) == 2
    assert capsys.readouterr().err == (
        f"error: cannot read outputs file {tmp_path / 'absent.json'}: No such file or directory\n")
    bad = tmp_path / "bad.json"
    bad.write_text("not json")
    with pytest.raises(VerifyError, match="is not JSON"):
        load_outputs("dev", bad)


def test_pulumi_cli_missing_or_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["dev"]) == 2
    assert capsys.readouterr().err.startswith("error: the pulumi CLI is not installed")
    fake = tmp_path / "pulumi"
    fake.write_text('#!/bin/sh\necho "{\\"args\\": \\"$*\\"}"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    assert load_outputs("dev") == {"args": "stack output --json --show-secrets --stack dev"}
    fake.write_text("#!/bin/sh\necho 'error: no stack named dev found' >&2\nexit 255\n")
    with pytest.raises(VerifyError, match="failed: error: no stack named dev found"):
        load_outputs("dev")


def test_boto3_honours_aws_endpoint_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    # A new client (not a cached one): the variable is read when a client is created.
    client = SHARED.session.client("cloudtrail", region_name=REGION)
    assert client.meta.endpoint_url == "http://127.0.0.1:4566"
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDTRAIL", "http://127.0.0.1:5000")
    client = SHARED.session.client("cloudtrail", region_name=REGION)
    assert client.meta.endpoint_url == "http://127.0.0.1:5000"


# ------------------------------------------------------------------ pure helpers


def test_delivery_time_prefers_the_file_name() -> None:
    modified = datetime(2030, 1, 1, tzinfo=UTC)
    key = "AWSLogs/1/CloudTrail/us-east-2/2015/08/01/" \
          "111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz"
    assert delivery_time(key, modified) == datetime(2015, 8, 1, 2, 10, tzinfo=UTC)
    assert delivery_time("AWSLogs/1/CloudTrail/us-east-2/x.json.gz", modified) == modified


def test_denies_insecure_transport() -> None:
    policy = json.loads(_tls_policy())
    assert denies_insecure_transport(policy)
    policy["Statement"][0]["Condition"]["Bool"]["aws:SecureTransport"] = "true"
    assert not denies_insecure_transport(policy)
    allow = {"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:*",
                           "Condition": {"Bool": {"aws:SecureTransport": False}}}}
    assert not denies_insecure_transport(allow)
    allow["Statement"]["Effect"] = "Deny"
    assert denies_insecure_transport(allow)


# --- log integrity ----------------------------------------------------------------------------

ACCESS_LOGS = "archive-access-logs"
REPLICA_BUCKET = "archive-replica"


def with_integrity(
    outputs: dict[str, Any], *, logging: bool = True, replicate: bool = True
) -> dict[str, Any]:
    """Access logging and replication set up in moto as the stack declares them (each unless
    switched off), and outputs declaring them and GOVERNANCE Object Lock for 365 days."""
    s3 = aws_client("s3")
    s3.create_bucket(Bucket=ACCESS_LOGS)
    s3.put_bucket_policy(Bucket=ACCESS_LOGS, Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
            "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{ACCESS_LOGS}/*"}]}))
    if logging:
        s3.put_bucket_logging(Bucket=BUCKET, BucketLoggingStatus={"LoggingEnabled": {
            "TargetBucket": ACCESS_LOGS, "TargetPrefix": "s3-access-logs/"}})
    s3.create_bucket(Bucket=REPLICA_BUCKET)
    s3.put_bucket_versioning(Bucket=REPLICA_BUCKET, VersioningConfiguration={"Status": "Enabled"})
    if replicate:
        s3.put_bucket_replication(Bucket=BUCKET, ReplicationConfiguration={
            "Role": f"arn:aws:iam::{ACCOUNT}:role/replication",
            "Rules": [{"ID": "r", "Status": "Enabled", "Priority": 1, "Filter": {"Prefix": ""},
                       "DeleteMarkerReplication": {"Status": "Disabled"},
                       "Destination": {"Bucket": f"arn:aws:s3:::{REPLICA_BUCKET}"}}]})
    return {**outputs, "accessLogBucketName": ACCESS_LOGS, "objectLockMode": "GOVERNANCE",
            "objectLockRetentionDays": 365, "replicaBucketName": REPLICA_BUCKET}


def integrity_results(results: list[Result]) -> dict[str, tuple[str, str]]:
    wanted = ("bucket access logging", "bucket object lock", "bucket replication")
    return {r.check: (r.status, r.detail) for r in results if r.check in wanted}


def test_declared_integrity_passes(aws: None) -> None:
    results = run(with_integrity(build_archive(lock="GOVERNANCE")))
    assert failures(results) == []
    assert integrity_results(results) == {
        "bucket access logging": ("PASS", f"to {ACCESS_LOGS}"),
        "bucket object lock": ("PASS", "GOVERNANCE 365 d"),
        "bucket replication": ("PASS", f"to {REPLICA_BUCKET}, no delete markers"),
    }


def test_integrity_not_declared_is_not_checked(aws: None) -> None:
    assert integrity_results(run(build_archive())) == {}


@pytest.mark.parametrize(
    ("setup", "check", "detail"),
    [
        ({"logging": False}, "bucket access logging", "server access logging off"),
        ({"lock": ""}, "bucket object lock", "no Object Lock"),
        ({"lock": "COMPLIANCE"}, "bucket object lock",
         "default retention COMPLIANCE 365 d, declared GOVERNANCE 365 d"),
        ({"replicate": False}, "bucket replication", "no replication"),
    ],
)
def test_integrity_drift_fails(aws: None, setup: dict[str, Any], check: str, detail: str) -> None:
    lock = setup.pop("lock", "GOVERNANCE")
    results = integrity_results(run(with_integrity(build_archive(lock=lock), **setup)))
    assert results[check] == ("FAIL", detail)


def test_replicated_delete_markers_fail() -> None:
    # moto reports DeleteMarkerReplication Disabled whatever was set, so this uses a Stubber.
    outputs = parse_outputs({
        "role": "log-archive", "accountId": ACCOUNT, "region": REGION, "partition": "aws",
        "trailName": TRAIL, "logBucketName": BUCKET, "logArchiveAccountId": ACCOUNT,
        "memberAccounts": [], "replicaBucketName": REPLICA_BUCKET,
    })
    clients = Clients(SHARED, REGION)
    with Stubber(clients("s3")) as stub:
        stub.add_response("get_bucket_replication", {"ReplicationConfiguration": {
            "Role": f"arn:aws:iam::{ACCOUNT}:role/replication",
            "Rules": [{"Status": "Enabled", "DeleteMarkerReplication": {"Status": "Enabled"},
                       "Destination": {"Bucket": f"arn:aws:s3:::{REPLICA_BUCKET}"}}]}})
        [result] = check_integrity(clients, outputs)
    assert (result.check, result.status, result.detail) == (
        "bucket replication", "FAIL", "delete markers are replicated"
    )
