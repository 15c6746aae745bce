"""Log integrity and evidence of access: documents, validation, selectors, components.

Documents are judged by what they allow and refuse (tests.support.policy_eval), not only by shape;
components run under preview-mode mocks, as a policy pack would see them at `pulumi preview`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, cast

import pulumi_aws as aws
import pytest

from cloudtrail_logging.archive.lifecycle import expiry_lifecycle_rule
from cloudtrail_logging.aws import S3_LOGGING_SERVICE
from cloudtrail_logging.integrity.access_logging import (
    access_log_bucket_name,
    access_log_bucket_policy,
    access_log_target,
)
from cloudtrail_logging.integrity.object_lock import (
    ObjectLock,
    object_lock_configuration,
    object_lock_problems,
)
from cloudtrail_logging.integrity.replication import (
    ReplicaTarget,
    replica_bucket_policy,
    replica_key_policy,
    replication_problems,
    replication_role_policy,
    replication_rule,
    replication_source_key_statement,
    replication_trust_policy,
)
from cloudtrail_logging.integrity.trail_selectors import (
    archive_event_selectors,
    existing_archive_selectors,
    insight_selectors,
    selects,
)
from cloudtrail_logging.outputs import local_destination
from cloudtrail_logging.plan import build_plan
from cloudtrail_logging.plan.parts import Plan, ReplicationPlan
from components.access_log_bucket import AccessLogBucket
from components.replica import Replica
from components.replication_role import ReplicationRole
from engine_model.mocks import DEPLOYER_ROLE
from engine_model.model import UNKNOWN, CapturedResource
from tests.conftest import archive_config, parse_config
from tests.support import harness
from tests.support.harness import Run
from tests.support.policy_eval import Decision, Principal, Request, evaluate
from tests.support.policy_lint import lint

ALLOW, DENY, NONE = Decision.ALLOW, Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY
ACCOUNT = "222222222222"
OTHER = "333333333333"
ARCHIVE = f"ctl-{ACCOUNT}-us-east-1"
ACCESS = access_log_bucket_name("ctl", ACCOUNT, "us-east-1")
REPLICA = f"ctl-replica-{ACCOUNT}-eu-west-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ctl-log-replication"
SESSION = Principal.aws(f"arn:aws:sts::{ACCOUNT}:assumed-role/ctl-log-replication/s3-replication")
ADMIN = Principal.aws(f"arn:aws:iam::{ACCOUNT}:role/admin")
ARCHIVE_ADMIN = f"arn:aws:iam::{ACCOUNT}:role/archive-admin"
DEPLOYER = f"arn:aws:iam::{ACCOUNT}:role/{DEPLOYER_ROLE}"
READER = f"arn:aws:iam::{ACCOUNT}:role/auditor"
LOCAL = ReplicaTarget(region="eu-west-1", bucket=REPLICA)
FOREIGN_KEY = f"arn:aws:kms:eu-west-1:{OTHER}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
FOREIGN = ReplicaTarget(
    region="eu-west-1", bucket="evidence-copy", account_id=OTHER, kms_key_arn=FOREIGN_KEY
)
TLS = {"aws:SecureTransport": "true"}


def as_resource_policy(identity_policy: dict[str, Any]) -> dict[str, Any]:
    """An identity policy judged as if attached to the caller (its Resource is the test)."""
    return {
        **identity_policy,
        "Statement": [{**s, "Principal": "*"} for s in identity_policy["Statement"]],
    }


# --- server access logging --------------------------------------------------------------------


@pytest.fixture(scope="module")
def access_policy() -> dict[str, Any]:
    return access_log_bucket_policy(
        partition="aws", bucket=ACCESS, source_bucket=ARCHIVE, source_account=ACCOUNT,
        administrator_arns=[ARCHIVE_ADMIN],
    )


def delivery(source_bucket: str = ARCHIVE, account: str = ACCOUNT, key: str = "x") -> Request:
    return Request(
        Principal.service(S3_LOGGING_SERVICE),
        "s3:PutObject",
        f"arn:aws:s3:::{ACCESS}/s3-access-logs/{key}",
        {**TLS, "aws:SourceArn": f"arn:aws:s3:::{source_bucket}", "aws:SourceAccount": account},
    )


def test_access_log_delivery_statement_is_the_s3_guides_form(access_policy: dict[str, Any]) -> None:
    # S3 User Guide, "Enabling Amazon S3 server access logging", bucket-policy example.
    [statement] = [s for s in access_policy["Statement"] if s["Sid"] == "S3ServerAccessLogsPolicy"]
    assert statement == {
        "Sid": "S3ServerAccessLogsPolicy",
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": ["s3:PutObject"],
        "Resource": f"arn:aws:s3:::{ACCESS}/s3-access-logs/*",
        "Condition": {
            "ArnLike": {"aws:SourceArn": f"arn:aws:s3:::{ARCHIVE}"},
            "StringEquals": {"aws:SourceAccount": ACCOUNT},
        },
    }


def test_only_the_log_buckets_access_logs_are_delivered(access_policy: dict[str, Any]) -> None:
    assert evaluate(access_policy, delivery()) is ALLOW
    # Confused deputy: another bucket's logs, or the same name claimed by another account.
    assert evaluate(access_policy, delivery(source_bucket="someone-elses")) is DENY
    assert evaluate(access_policy, delivery(account=OTHER)) is NONE
    # Outside the target prefix.
    outside = Request(
        delivery().principal, "s3:PutObject", f"arn:aws:s3:::{ACCESS}/x", delivery().context
    )
    assert evaluate(access_policy, outside) is NONE


def test_access_records_cannot_be_forged_or_the_bucket_deleted(
    access_policy: dict[str, Any],
) -> None:
    forged = Request(ADMIN, "s3:PutObject", f"arn:aws:s3:::{ACCESS}/s3-access-logs/x", TLS)
    assert evaluate(access_policy, forged) is DENY
    assert (
        evaluate(access_policy, Request(ADMIN, "s3:DeleteBucket", f"arn:aws:s3:::{ACCESS}", TLS))
        is DENY
    )
    plain = Request(
        ADMIN,
        "s3:GetObject",
        f"arn:aws:s3:::{ACCESS}/s3-access-logs/x",
        {"aws:SecureTransport": "false"},
    )
    assert evaluate(access_policy, plain) is DENY


def test_access_log_target_uses_a_prefix_and_date_partitions() -> None:
    assert access_log_target() == {
        "target_prefix": "s3-access-logs/",
        "target_object_key_format": {"partitioned_prefix": {"partition_date_source": "EventTime"}},
    }


def test_expiry_lifecycle_rule() -> None:
    forever = expiry_lifecycle_rule("r", 0, 30)
    assert "expiration" not in forever
    assert forever["noncurrent_version_expiration"] == {"noncurrent_days": 30}
    assert expiry_lifecycle_rule("r", 365, 30)["expiration"] == {"days": 365}
    with pytest.raises(ValueError):
        expiry_lifecycle_rule("r", 365, 0)


# --- Object Lock ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["GOVERNANCE", "COMPLIANCE"])
def test_both_object_lock_modes_are_accepted(mode: str) -> None:
    assert object_lock_problems(mode, 365, 2557) == []
    assert object_lock_problems(mode, 365, 365) == []  # lock ends the day logs expire
    assert object_lock_problems(mode, 4000, 0) == []  # logs kept forever: any lock fits


@pytest.mark.parametrize(
    ("mode", "days", "expiry", "problem"),
    [
        (None, 365, 2557, ("objectLockMode", "GOVERNANCE or COMPLIANCE, because "
                                             "objectLockRetentionDays is set")),
        ("COMPLIANCE", None, 2557, ("objectLockRetentionDays",
                                    "a number of days >= 1 for objectLockMode COMPLIANCE")),
        ("GOVERNANCE", 0, 2557, ("objectLockRetentionDays",
                                 "a number of days >= 1 for objectLockMode GOVERNANCE")),
        ("COMPLIANCE", 3000, 2557, ("objectLockRetentionDays", "at most expirationDays (2557): "
                                    "lifecycle cannot delete locked versions")),
    ],
)  # fmt: skip
def test_object_lock_problems_are_caught(
    mode: str | None, days: int | None, expiry: int, problem: tuple[str, str]
) -> None:
    """The one line the user reads: the key and the form expected."""
    assert object_lock_problems(mode, days, expiry) == [problem]


def test_the_shortest_object_lock_is_one_day() -> None:
    assert object_lock_problems("GOVERNANCE", 1, 2557) == []


def test_no_object_lock_is_no_problem() -> None:
    assert object_lock_problems(None, None, 2557) == []


def test_object_lock_configuration_args() -> None:
    assert object_lock_configuration(ObjectLock("COMPLIANCE", 400)) == {
        "object_lock_enabled": "Enabled",
        "rule": {"default_retention": {"mode": "COMPLIANCE", "days": 400}},
    }


# --- replication: validation ------------------------------------------------------------------


def problems(**overrides: Any) -> list[str]:
    """The replication problems for the overridden keys, as `key: expected` lines."""
    values: dict[str, Any] = {
        "archive_region": "us-east-1",
        "replication_region": "eu-west-1",
        "replication_account_id": None,
        "replication_bucket": None,
        "replication_kms_key_arn": None,
        "own_account_id": ACCOUNT,
    }
    values.update(overrides)
    return [f"{key}: {expected}" for key, expected in replication_problems(**values)]


def test_replication_config_accepts_same_and_cross_account() -> None:
    assert problems() == []
    cross = {"replication_account_id": OTHER, "replication_bucket": "evidence-copy"}
    assert problems(**cross, replication_kms_key_arn=FOREIGN_KEY) == []


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"replication_region": "us-east-1"}, "replicationRegion: a Region other than"),
        ({"replication_kms_key_arn": FOREIGN_KEY}, "replicationKmsKeyArn: no value unless"),
        (
            {"replication_account_id": OTHER, "replication_kms_key_arn": FOREIGN_KEY},
            "replicationBucket: the other account's bucket",
        ),
        ({"replication_account_id": OTHER, "replication_bucket": "b"}, "replicationKmsKeyArn"),
        (
            {
                "replication_account_id": OTHER,
                "replication_bucket": "b",
                "replication_kms_key_arn": FOREIGN_KEY.replace("eu-west-1", "eu-central-1"),
            },
            "replicationKmsKeyArn",
        ),
    ],
)
def test_replication_config_problems_are_caught(overrides: dict[str, Any], fragment: str) -> None:
    assert any(fragment in p for p in problems(**overrides)), problems(**overrides)


# --- replication: documents -------------------------------------------------------------------


def test_replication_trust_is_the_s3_guides_form() -> None:
    trust = replication_trust_policy()
    assert trust["Statement"] == [
        {
            "Sid": "AllowS3AssumeReplicationRole",
            "Effect": "Allow",
            "Principal": {"Service": "s3.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ]
    as_resource = {**trust, "Statement": [{**s, "Resource": "*"} for s in trust["Statement"]]}

    def assume(who: Principal) -> Decision:
        return evaluate(as_resource, Request(who, "sts:AssumeRole", ROLE))

    assert assume(Principal.service("s3.amazonaws.com")) is ALLOW
    assert assume(Principal.service("lambda.amazonaws.com")) is NONE


def role_policy(target: ReplicaTarget = LOCAL, **kw: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "partition": "aws",
        "account_id": ACCOUNT,
        "source_bucket": ARCHIVE,
        "source_region": "us-east-1",
        "key_prefix": None,
        "source_sse_kms": True,
        "target": target,
    }
    args.update(kw)
    return as_resource_policy(replication_role_policy(**args))


def test_replication_role_can_copy_logs_and_nothing_else() -> None:
    policy = role_policy()

    def can(action: str, resource: str) -> Decision:
        return evaluate(policy, Request(SESSION, action, resource))

    source, replica = f"arn:aws:s3:::{ARCHIVE}", f"arn:aws:s3:::{REPLICA}"
    assert can("s3:GetReplicationConfiguration", source) is ALLOW
    assert can("s3:ListBucket", source) is ALLOW
    assert can("s3:GetObjectVersionForReplication", f"{source}/AWSLogs/{ACCOUNT}/x.gz") is ALLOW
    assert can("s3:GetObjectVersionForReplication", f"{source}/elsewhere/x") is NONE
    assert can("s3:GetObject", f"{source}/AWSLogs/{ACCOUNT}/x.gz") is NONE
    assert can("s3:ReplicateObject", f"{replica}/AWSLogs/x") is ALLOW
    assert can("s3:ReplicateTags", f"{replica}/AWSLogs/x") is ALLOW
    # Delete markers are not replicated, so the role cannot replicate them either.
    assert can("s3:ReplicateDelete", f"{replica}/AWSLogs/x") is NONE
    assert can("s3:ObjectOwnerOverrideToBucketOwner", f"{replica}/AWSLogs/x") is NONE
    assert can("s3:GetObjectRetention", f"{source}/AWSLogs/x") is NONE


def test_replication_kms_use_is_pinned_to_s3_and_each_bucket() -> None:
    policy = role_policy()
    source_key = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/source"
    replica_key = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/replica"

    def kms(action: str, key: str, via: str, bucket: str) -> Decision:
        context = {"kms:ViaService": via, "kms:EncryptionContext:aws:s3:arn": bucket}
        return evaluate(policy, Request(SESSION, action, key, context))

    archive, copy = f"arn:aws:s3:::{ARCHIVE}", f"arn:aws:s3:::{REPLICA}"
    # Bucket Key on: the context is the bucket ARN; off: the object ARN. Both work.
    assert kms("kms:Decrypt", source_key, "s3.us-east-1.amazonaws.com", archive) is ALLOW
    assert kms("kms:Decrypt", source_key, "s3.us-east-1.amazonaws.com", f"{archive}/k") is ALLOW
    assert kms("kms:Encrypt", replica_key, "s3.eu-west-1.amazonaws.com", copy) is ALLOW
    assert kms("kms:Decrypt", replica_key, "s3.eu-west-1.amazonaws.com", copy) is ALLOW
    # Not through S3, not for these buckets, not the source key to encrypt.
    assert kms("kms:Decrypt", source_key, "ec2.us-east-1.amazonaws.com", archive) is NONE
    assert kms("kms:Decrypt", source_key, "s3.us-east-1.amazonaws.com", "arn:aws:s3:::x") is NONE
    assert kms("kms:Encrypt", source_key, "s3.us-east-1.amazonaws.com", archive) is NONE
    assert kms("kms:GenerateDataKey", replica_key, "s3.eu-west-1.amazonaws.com", copy) is NONE


def test_replication_role_options() -> None:
    sse_s3 = role_policy(source_sse_kms=False)  # SSE-S3 logs need no KMS permission at all
    assert not any("kms:" in json.dumps(s["Action"]) for s in sse_s3["Statement"])
    locked = role_policy(object_lock=True)
    retention = Request(SESSION, "s3:GetObjectRetention", f"arn:aws:s3:::{ARCHIVE}/AWSLogs/x")
    assert evaluate(locked, retention) is ALLOW  # "Using S3 Object Lock with replication"
    foreign = role_policy(FOREIGN)
    override = Request(
        SESSION, "s3:ObjectOwnerOverrideToBucketOwner", "arn:aws:s3:::evidence-copy/x"
    )
    assert evaluate(foreign, override) is ALLOW  # "Changing the replica owner"
    encrypt = Request(
        SESSION,
        "kms:Encrypt",
        FOREIGN_KEY,
        {
            "kms:ViaService": "s3.eu-west-1.amazonaws.com",
            "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::evidence-copy",
        },
    )
    assert evaluate(foreign, encrypt) is ALLOW
    assert (
        evaluate(
            foreign,
            Request(
                SESSION, "kms:Encrypt", f"arn:aws:kms:eu-west-1:{OTHER}:key/other", encrypt.context
            ),
        )
        is NONE
    )


def test_log_key_statement_lets_the_role_read_archived_logs_only() -> None:
    statement = replication_source_key_statement(
        partition="aws", role_arn=ROLE, source_bucket=ARCHIVE, source_region="us-east-1"
    )
    policy = {"Version": "2012-10-17", "Statement": [statement]}
    context = {
        "kms:ViaService": "s3.us-east-1.amazonaws.com",
        "kms:EncryptionContext:aws:s3:arn": f"arn:aws:s3:::{ARCHIVE}",
    }
    assert evaluate(policy, Request(SESSION, "kms:Decrypt", "*", context)) is ALLOW
    assert evaluate(policy, Request(ADMIN, "kms:Decrypt", "*", context)) is NONE
    assert (
        evaluate(policy, Request(SESSION, "kms:Decrypt", "*", {**context, "kms:ViaService": "x"}))
        is NONE
    )


def test_replica_key_policy() -> None:
    reader = READER
    policy = replica_key_policy(
        partition="aws",
        administrator_arns=[ARCHIVE_ADMIN],
        role_arn=ROLE,
        replica_bucket=REPLICA,
        replica_region="eu-west-1",
        reader_arns=[reader],
    )
    via_s3 = {
        "kms:ViaService": "s3.eu-west-1.amazonaws.com",
        "kms:EncryptionContext:aws:s3:arn": f"arn:aws:s3:::{REPLICA}",
    }
    assert evaluate(policy, Request(SESSION, "kms:Encrypt", "*", via_s3)) is ALLOW
    assert evaluate(policy, Request(Principal.aws(reader), "kms:Decrypt", "*", via_s3)) is ALLOW
    assert evaluate(policy, Request(Principal.aws(reader), "kms:Decrypt", "*", {})) is NONE
    # Administration without use, by the named administrators only: the account's IAM
    # administrators (and its root user) have no way in, not even a grant.
    admin = Principal.aws(ARCHIVE_ADMIN)
    assert evaluate(policy, Request(admin, "kms:PutKeyPolicy", "*")) is ALLOW
    assert evaluate(policy, Request(admin, "kms:Decrypt", "*", via_s3)) is NONE
    assert evaluate(policy, Request(admin, "kms:CreateGrant", "*")) is NONE
    for who in (Principal.aws(ACCOUNT), ADMIN):
        for action in ("kms:PutKeyPolicy", "kms:CreateGrant", "kms:Decrypt"):
            assert evaluate(policy, Request(who, action, "*", via_s3)) is NONE


@pytest.mark.parametrize("cross_account", [False, True])
def test_replica_bucket_takes_replicas_from_the_role_only(cross_account: bool) -> None:
    bucket = "evidence-copy"
    policy = replica_bucket_policy(
        partition="aws", bucket=bucket, role_arn=ROLE, reader_arns=[READER],
        administrator_arns=None if cross_account else [ARCHIVE_ADMIN],
    )
    obj = f"arn:aws:s3:::{bucket}/AWSLogs/x"

    def ask(who: Principal, action: str, resource: str = obj) -> Decision:
        return evaluate(policy, Request(who, action, resource, TLS))

    # Same account: the role's own policy grants; cross-account: this policy must grant too.
    assert ask(SESSION, "s3:ReplicateObject") is (ALLOW if cross_account else NONE)
    assert ask(SESSION, "s3:ObjectOwnerOverrideToBucketOwner") is (ALLOW if cross_account else NONE)
    assert ask(SESSION, "s3:GetBucketVersioning", f"arn:aws:s3:::{bucket}") is (
        ALLOW if cross_account else NONE
    )
    assert ask(SESSION, "s3:PutBucketVersioning", f"arn:aws:s3:::{bucket}") is (
        NONE if cross_account else DENY
    )
    assert ask(SESSION, "s3:ReplicateDelete") is DENY
    assert ask(Principal.aws(f"arn:aws:iam::{ACCOUNT}:role/other"), "s3:ReplicateObject") is DENY
    assert ask(ADMIN, "s3:PutObject") is DENY
    assert ask(ADMIN, "s3:DeleteBucket", f"arn:aws:s3:::{bucket}") is DENY
    # Nobody deletes a replica; only the readers read one.
    for action in ("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention"):
        assert ask(ADMIN, action) is DENY
    assert ask(ADMIN, "s3:GetObjectVersion") is DENY
    assert ask(Principal.aws(READER), "s3:GetObjectVersion") is ALLOW
    # In this account only the named administrators reconfigure it; another account governs
    # its own configuration.
    configure = ask(ADMIN, "s3:PutBucketPolicy", f"arn:aws:s3:::{bucket}")
    assert configure is (NONE if cross_account else DENY)
    insecure = Request(SESSION, "s3:ReplicateObject", obj, {"aws:SecureTransport": "false"})
    assert evaluate(policy, insecure) is DENY


def test_replication_rule_same_account_sse_kms() -> None:
    rule = replication_rule(
        partition="aws",
        key_prefix="org",
        source_sse_kms=True,
        target=LOCAL,
        replica_kms_key_arn="KEY",
    )
    assert rule == {
        "id": "replicate-cloudtrail-logs",
        "status": "Enabled",
        "filter": {"prefix": "org/AWSLogs/"},
        "delete_marker_replication": {"status": "Disabled"},
        "source_selection_criteria": {"sse_kms_encrypted_objects": {"status": "Enabled"}},
        "destination": {
            "bucket": f"arn:aws:s3:::{REPLICA}",
            "encryption_configuration": {"replica_kms_key_id": "KEY"},
        },
    }


def test_replication_rule_cross_account_and_sse_s3() -> None:
    def rule_to(target: Any, replica_kms_key_arn: str | None) -> dict[str, Any]:
        return replication_rule(
            partition="aws",
            key_prefix=None,
            source_sse_kms=replica_kms_key_arn is not None,
            target=target,
            replica_kms_key_arn=replica_kms_key_arn,
        )

    cross = rule_to(FOREIGN, FOREIGN_KEY)
    assert cross["destination"]["access_control_translation"] == {"owner": "Destination"}
    assert cross["destination"]["account"] == OTHER
    plain = rule_to(LOCAL, None)
    assert "source_selection_criteria" not in plain
    assert "encryption_configuration" not in plain["destination"]
    assert "access_control_translation" not in plain["destination"]


# --- data events and Insights -----------------------------------------------------------------

SELECTORS = archive_event_selectors(partition="aws", bucket=ARCHIVE)
TRAIL_DATA_FIELDS = {"eventCategory", "resources.type", "resources.ARN", "eventName", "readOnly"}


def s3_event(name: str, read_only: bool, arn: str) -> dict[str, str]:
    return {
        "eventCategory": "Data",
        "resources.type": "AWS::S3::Object",
        "eventName": name,
        "readOnly": "true" if read_only else "false",
        "resources.ARN": arn,
    }


def test_management_events_stay_recorded() -> None:
    assert SELECTORS[0] == {
        "name": "Management events",
        "field_selectors": [{"field": "eventCategory", "equals": ["Management"]}],
    }
    assert selects(
        SELECTORS, {"eventCategory": "Management", "eventName": "CreateUser", "readOnly": "false"}
    )


@pytest.mark.parametrize(
    ("name", "read_only", "key"),
    [
        ("GetObject", True, f"AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2025/01/01/x.json.gz"),
        ("HeadObject", True, "AWSLogs/x"),
        ("DeleteObject", False, "AWSLogs/x"),
        ("DeleteObjects", False, ""),  # logged against the bucket with an empty prefix
        ("PutObjectRetention", False, "AWSLogs/x"),
    ],
)
def test_reads_and_changes_of_archived_logs_are_recorded(
    name: str, read_only: bool, key: str
) -> None:
    assert selects(SELECTORS, s3_event(name, read_only, f"arn:aws:s3:::{ARCHIVE}/{key}"))


def test_the_trails_own_deliveries_are_not_recorded() -> None:
    # CloudTrail User Guide, "Logging data events": deliveries to a bucket whose data events
    # the trail logs are PutObject events, which would be logged in turn.
    for key in (
        f"AWSLogs/{ACCOUNT}/CloudTrail/x.json.gz",
        f"AWSLogs/{ACCOUNT}/CloudTrail-Digest/x.json.gz",
    ):
        assert not selects(SELECTORS, s3_event("PutObject", False, f"arn:aws:s3:::{ARCHIVE}/{key}"))


def test_other_buckets_are_not_recorded() -> None:
    for bucket in ("unrelated", f"{ARCHIVE}-other"):  # a name that merely starts like ours
        assert not selects(SELECTORS, s3_event("GetObject", True, f"arn:aws:s3:::{bucket}/x"))


def test_selectors_use_only_what_trails_support() -> None:
    for selector in SELECTORS[1:]:
        fields = {f["field"]: f for f in selector["field_selectors"]}
        assert set(fields) <= TRAIL_DATA_FIELDS
        assert fields["eventCategory"] == {"field": "eventCategory", "equals": ["Data"]}
        assert fields["resources.type"] == {
            "field": "resources.type",
            "equals": ["AWS::S3::Object"],
        }
        assert set(fields["readOnly"]) == {"field", "equals"}  # Equals is its only operator


def test_selector_matcher_semantics() -> None:
    exclude = [{"field_selectors": [{"field": "eventName", "not_equals": ["PutObject"]}]}]
    assert selects(exclude, {"eventName": "GetObject"})
    assert not selects(exclude, {"eventName": "PutObject"})
    require = [{"field_selectors": [{"field": "eventName", "equals": ["GetObject"]}]}]
    assert not selects(require, {})  # an absent field satisfies no positive operator
    assert not selects([], {"eventName": "GetObject"})


def test_insight_selectors() -> None:
    assert insight_selectors(False) == []
    assert insight_selectors(True) == [
        {"insight_type": "ApiCallRateInsight"},
        {"insight_type": "ApiErrorRateInsight"},
    ]


# --- components under preview mocks -----------------------------------------------------------


def run_preview(program: Callable[[], Any]) -> Run:
    return harness.run_preview(program, account=ACCOUNT)


def archive_bucket() -> tuple[aws.s3.Bucket, aws.s3.BucketVersioning]:
    """Stand-in for the log bucket: the component only needs its name output and versioning."""
    bucket = aws.s3.Bucket("archive", bucket=ARCHIVE)
    versioning = aws.s3.BucketVersioning(
        "archive-versioning", bucket=bucket.bucket, versioning_configuration={"status": "Enabled"}
    )
    return bucket, versioning


def plan_for(**config: Any) -> Plan:
    """The plan of a `ctl` log archive in ACCOUNT, us-east-1, with these settings."""
    settings = parse_config(archive_config(namePrefix="ctl", **config))
    return build_plan(settings, local_destination(settings))


ACCESS_PLAN = plan_for(accessLogRetentionDays=365, noncurrentExpirationDays=30).access_logs


@pytest.fixture(scope="module")
def access_run() -> Run:
    def program() -> AccessLogBucket:
        bucket, _ = archive_bucket()
        assert ACCESS_PLAN is not None
        return AccessLogBucket("access", ACCESS_PLAN, source_bucket=bucket.bucket)

    return run_preview(program)


def children(run: Run, component_type: str) -> list[CapturedResource]:
    [component] = run.of_type(component_type)
    return [r for r in run.resources if r.parent == component.urn]


def test_access_log_bucket_settings(access_run: Run) -> None:
    bucket = access_run.named("access-bucket")
    assert bucket.inputs["bucket"] == ACCESS
    assert bucket.protect and bucket.retain_on_delete
    assert bucket.inputs.get("forceDestroy") is False
    assert not bucket.inputs.get("objectLockEnabled")  # S3 refuses Object Lock on the target
    ownership = access_run.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls")
    assert ownership.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    block = access_run.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    for setting in (
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
    ):
        assert block.inputs[setting] is True
    versioning = access_run.named("access-versioning")
    assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}
    encryption = access_run.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    )
    assert encryption.inputs["rules"] == [
        {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}
    ]
    [rule] = access_run.one(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
    ).inputs["rules"]
    assert rule["expiration"] == {"days": 365}
    assert rule["noncurrentVersionExpiration"] == {"noncurrentDays": 30}
    policy = access_run.one("aws:s3/bucketPolicy:BucketPolicy").inputs["policy"]
    assert UNKNOWN not in policy
    assert ACCESS_PLAN is not None and json.loads(policy) == ACCESS_PLAN.policy
    assert ACCESS_PLAN.policy == access_log_bucket_policy(
        partition="aws", bucket=ACCESS, source_bucket=ARCHIVE, source_account=ACCOUNT,
        administrator_arns=[DEPLOYER],
    )


def test_access_logging_is_switched_on_for_the_log_bucket(access_run: Run) -> None:
    logging_ = access_run.one("aws:s3/bucketLogging:BucketLogging")
    assert logging_.inputs["bucket"] == ARCHIVE
    assert logging_.inputs["targetBucket"] == ACCESS
    assert logging_.inputs["targetPrefix"] == "s3-access-logs/"
    assert logging_.inputs["targetObjectKeyFormat"] == {
        "partitionedPrefix": {"partitionDateSource": "EventTime"}
    }
    assert access_run.named("archive").urn in logging_.dependencies


def test_access_log_bucket_ordering(access_run: Run) -> None:

    def urn(name: str) -> str:
        return access_run.named(name).urn

    logging_ = access_run.one("aws:s3/bucketLogging:BucketLogging")
    assert {urn("access-policy"), urn("access-encryption")} <= set(logging_.dependencies)
    assert urn("access-public-access-block") in access_run.named("access-policy").dependencies
    assert urn("access-versioning") in access_run.named("access-lifecycle").dependencies
    kids = children(access_run, "cloudtrail-logging:index:AccessLogBucket")
    assert len(kids) == 8 and all(k.name.startswith("access-") for k in kids)


LOCAL_PLAN = plan_for(
    replicationRegion="eu-west-1", objectLockMode="GOVERNANCE", objectLockRetentionDays=365,
    logReaders=[READER],
).replication
FOREIGN_PLAN = plan_for(
    replicationRegion="eu-west-1", replicationAccountId=OTHER, replicationBucket="evidence-copy",
    replicationKmsKeyArn=FOREIGN_KEY,
).replication


def replica_program(plan: ReplicationPlan | None) -> Callable[[], Replica]:
    def program() -> Replica:
        bucket, versioning = archive_bucket()
        assert plan is not None
        role = ReplicationRole("replica", plan.role)
        return Replica(
            "replica", plan, role=role, source_bucket=bucket.bucket, source_ready=[versioning]
        )

    return program


@pytest.fixture(scope="module")
def local_run() -> Run:
    return run_preview(replica_program(LOCAL_PLAN))


def test_replica_in_this_account_is_protected_like_the_archive(local_run: Run) -> None:
    kids = children(local_run, "cloudtrail-logging:index:Replica")
    regional = [
        k
        for k in kids
        if k.type.startswith(("aws:s3/", "aws:kms/")) and "replication" not in k.type.lower()
    ]
    assert regional and all(k.inputs.get("region") == "eu-west-1" for k in regional)
    bucket = local_run.named("replica-bucket")
    assert bucket.protect and bucket.retain_on_delete
    # Object Lock comes from its own resource after versioning, never from the bucket's
    # creation-time flag, so turning it on later does not replace the bucket.
    assert "objectLockEnabled" not in bucket.inputs
    key = local_run.named("replica-key")
    assert key.protect and key.retain_on_delete and key.inputs["enableKeyRotation"] is True
    assert LOCAL_PLAN is not None and json.loads(key.inputs["policy"]) == LOCAL_PLAN.key_policy
    assert LOCAL_PLAN.key_policy == replica_key_policy(
        partition="aws", administrator_arns=[DEPLOYER], role_arn=ROLE, replica_bucket=REPLICA,
        replica_region="eu-west-1", reader_arns=[READER],
    )
    assert local_run.named("replica-role").urn in key.dependencies  # KMS checks principals exist
    [sse] = local_run.named("replica-encryption").inputs["rules"]
    assert sse["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
    assert sse["bucketKeyEnabled"] is True
    lock = local_run.named("replica-object-lock")
    assert lock.inputs["rule"] == {"defaultRetention": {"mode": "GOVERNANCE", "days": 365}}
    assert local_run.named("replica-versioning").urn in lock.dependencies
    policy = json.loads(local_run.named("replica-policy").inputs["policy"])
    assert policy == LOCAL_PLAN.bucket_policy == replica_bucket_policy(
        partition="aws", bucket=REPLICA, role_arn=ROLE, reader_arns=[READER],
        administrator_arns=[DEPLOYER],
    )
    assert local_run.named("replica-ownership").inputs["rule"] == {
        "objectOwnership": "BucketOwnerEnforced"
    }


def test_replication_waits_for_versioning_of_both_buckets(local_run: Run) -> None:
    replication = local_run.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig")
    needed = {
        "archive-versioning",
        "replica-versioning",
        "replica-role-policy",
        "replica-object-lock",
    }
    assert {local_run.named(n).urn for n in needed} <= set(replication.dependencies)
    assert replication.inputs["bucket"] == ARCHIVE
    assert "region" not in replication.inputs  # configured on the source, in its own Region
    [rule] = replication.inputs["rules"]
    assert rule["deleteMarkerReplication"] == {"status": "Disabled"}
    assert rule["sourceSelectionCriteria"] == {"sseKmsEncryptedObjects": {"status": "Enabled"}}
    assert rule["destination"]["bucket"] == f"arn:aws:s3:::{REPLICA}"
    assert "encryptionConfiguration" in rule["destination"]
    assert "accessControlTranslation" not in rule["destination"]


def test_replication_role_documents_are_known_at_preview(local_run: Run) -> None:
    role = local_run.named("replica-role")
    assert json.loads(role.inputs["assumeRolePolicy"]) == replication_trust_policy()
    policy = local_run.named("replica-role-policy").inputs["policy"]
    assert UNKNOWN not in policy
    assert "s3:GetObjectRetention" in policy  # Object Lock on: retention travels with replicas


@pytest.fixture(scope="module")
def foreign_run() -> Run:
    return run_preview(replica_program(FOREIGN_PLAN))


def test_a_replica_in_another_account_is_documents_not_resources(foreign_run: Run) -> None:
    kids = children(foreign_run, "cloudtrail-logging:index:Replica")
    assert [k.type for k in kids] == ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"]
    role_kids = children(foreign_run, "cloudtrail-logging:index:ReplicationRole")
    assert sorted(k.type for k in role_kids) == [
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
    ]
    [rule] = foreign_run.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig").inputs[
        "rules"
    ]
    assert rule["destination"]["accessControlTranslation"] == {"owner": "Destination"}
    assert rule["destination"]["account"] == OTHER
    assert rule["destination"]["encryptionConfiguration"] == {"replicaKmsKeyId": FOREIGN_KEY}


def test_selectors_fit_pulumi_aws_trail_inputs() -> None:
    run = run_preview(
        lambda: aws.cloudtrail.Trail(
            "trail",
            name="ctl",
            s3_bucket_name=ARCHIVE,
            advanced_event_selectors=cast(
                list[aws.cloudtrail.TrailAdvancedEventSelectorArgsDict], SELECTORS
            ),
            insight_selectors=cast(
                list[aws.cloudtrail.TrailInsightSelectorArgsDict], insight_selectors(True)
            ),
        )
    )
    inputs = run.one("aws:cloudtrail/trail:Trail").inputs
    changes = inputs["advancedEventSelectors"][2]["fieldSelectors"]
    assert {"field": "eventName", "notEquals": ["PutObject"]} in changes
    assert {"field": "resources.ARN", "startsWiths": [f"arn:aws:s3:::{ARCHIVE}/"]} in changes
    assert inputs["insightSelectors"] == [
        {"insightType": "ApiCallRateInsight"},
        {"insightType": "ApiErrorRateInsight"},
    ]


@pytest.mark.parametrize("object_lock", [False, True], ids=["unlocked", "object-lock"])
def test_the_replication_role_reads_what_every_copy_needs_with_or_without_object_lock(
    object_lock: bool,
) -> None:
    """Object Lock adds the retention reads to the base reads ("Using S3 Object Lock with
    replication"); it must not replace them, or S3 could copy no object at all."""
    policy = role_policy(object_lock=object_lock)
    log = f"arn:aws:s3:::{ARCHIVE}/AWSLogs/{ACCOUNT}/x.json.gz"
    base = ("s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl",
            "s3:GetObjectVersionTagging")  # fmt: skip
    locked = ("s3:GetObjectRetention", "s3:GetObjectLegalHold")
    for action in base:
        assert evaluate(policy, Request(SESSION, action, log)) is ALLOW, action
    for action in locked:
        expected = ALLOW if object_lock else NONE
        assert evaluate(policy, Request(SESSION, action, log)) is expected, action


@pytest.mark.parametrize("readers", [(), (READER,)], ids=["no-readers", "readers"])
def test_the_replica_key_lets_the_role_decrypt_for_the_bucket_key(readers: tuple[str, ...]) -> None:
    """With an S3 Bucket Key on the replica, replication needs kms:Decrypt as well as
    kms:Encrypt on the replica key ("Replicating encrypted objects")."""
    policy = replica_key_policy(
        partition="aws", administrator_arns=[ARCHIVE_ADMIN], role_arn=ROLE,
        replica_bucket=REPLICA, replica_region="eu-west-1", reader_arns=readers,
    )  # fmt: skip
    for bucket_or_object in (f"arn:aws:s3:::{REPLICA}", f"arn:aws:s3:::{REPLICA}/AWSLogs/x"):
        via_s3 = {"kms:ViaService": "s3.eu-west-1.amazonaws.com",
                  "kms:EncryptionContext:aws:s3:arn": bucket_or_object}  # fmt: skip
        for action in ("kms:Encrypt", "kms:Decrypt"):
            assert evaluate(policy, Request(SESSION, action, "*", via_s3)) is ALLOW, action
        outside = {**via_s3, "kms:EncryptionContext:aws:s3:arn": f"arn:aws:s3:::{ARCHIVE}"}
        assert evaluate(policy, Request(SESSION, "kms:Decrypt", "*", outside)) is NONE
    assert lint(policy, key_policy=True) == []


@pytest.mark.parametrize("partition", ["aws", "aws-cn", "aws-us-gov"])
def test_the_archive_selectors_name_the_buckets_in_their_partition(partition: str) -> None:
    selectors = archive_event_selectors(partition=partition, bucket=ARCHIVE)
    read = s3_event("GetObject", True, f"arn:{partition}:s3:::{ARCHIVE}/AWSLogs/x")
    assert selects(selectors, read)
    assert not selects(selectors, {**read, "resources.ARN": f"arn:aws-x:s3:::{ARCHIVE}/AWSLogs/x"})


def test_next_to_an_existing_archive_both_buckets_are_read_watched() -> None:
    selectors = existing_archive_selectors(partition="aws", existing_bucket="ct", own_bucket="own")
    for bucket in ("ct", "own"):
        assert selects(selectors, s3_event("GetObject", True, f"arn:aws:s3:::{bucket}/AWSLogs/x"))
        assert selects(selectors, s3_event("DeleteObject", False, f"arn:aws:s3:::{bucket}/k"))
    # Deliveries into the existing bucket come from the organization trail: recorded; this
    # trail's own deliveries into its bucket are not.
    assert selects(selectors, s3_event("PutObject", False, "arn:aws:s3:::ct/AWSLogs/x"))
    assert not selects(selectors, s3_event("PutObject", False, "arn:aws:s3:::own/AWSLogs/x"))


@pytest.mark.parametrize(
    ("field_selector", "matching", "other"),
    [
        ({"ends_withs": [".gz"]}, "x.json.gz", "x.json"),
        ({"not_ends_withs": [".gz"]}, "x.json", "x.json.gz"),
        ({"starts_withs": ["AWSLogs/"]}, "AWSLogs/x", "x/AWSLogs/"),
        ({"not_starts_withs": ["AWSLogs/"]}, "x/AWSLogs/", "AWSLogs/x"),
        ({"equals": ["a", "b"]}, "b", "c"),
        ({"not_equals": ["a", "b"]}, "c", "b"),
    ],
)
def test_each_selector_operator_matches_as_cloudtrail_documents(
    field_selector: dict[str, list[str]], matching: str, other: str
) -> None:
    selectors = [{"field_selectors": [{"field": "resources.ARN", **field_selector}]}]
    assert selects(selectors, {"resources.ARN": matching})
    assert not selects(selectors, {"resources.ARN": other})
