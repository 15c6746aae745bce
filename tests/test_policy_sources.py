"""Every generated policy statement follows a cited AWS page (`cloudtrail_logging.sources`)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cloudtrail_logging.alerting import policies as alerting
from cloudtrail_logging.archive.bucket_policy import log_bucket_policy
from cloudtrail_logging.archive.key_policy import log_key_policy
from cloudtrail_logging.aws.kms import key_administration
from cloudtrail_logging.integrity.access_logging import access_log_bucket_policy
from cloudtrail_logging.integrity.replication import (
    ReplicaTarget,
    replica_bucket_policy,
    replica_key_policy,
    replication_role_policy,
    replication_source_key_statement,
    replication_trust_policy,
)
from cloudtrail_logging.messaging.key_policy import MESSAGING_PUBLISHERS, messaging_key_policy
from cloudtrail_logging.messaging.resource_policies import Sender, queue_policy, topic_policy
from cloudtrail_logging.organization.service_control_policy import guardrail_policies
from cloudtrail_logging.outputs import ArchiveView
from cloudtrail_logging.sources import SOURCES, missing_sources, require_source, statement_sids

ACCT, MEMBER, MGMT = "111111111111", "222222222222", "333333333333"
ORG = "o-abc123def4"
READER = f"arn:aws:iam::{ACCT}:role/log-readers"
ADMIN = f"arn:aws:iam::{ACCT}:role/archive-admin"
ROLE = f"arn:aws:iam::{ACCT}:role/replication"
TOPIC = f"arn:aws:sns:eu-west-1:{ACCT}:alerts"
QUEUE = f"arn:aws:sqs:eu-west-1:{ACCT}:alerts-queue"
GROUP = f"arn:aws:logs:eu-west-1:{ACCT}:log-group:cloudtrail"
BUS = f"arn:aws:events:us-east-1:{ACCT}:event-bus/alerts"
RULES = [f"arn:aws:events:*:{MEMBER}:rule/alerts-*"]
ROOT = Path(__file__).resolve().parent.parent
# Where senders are declared: the plan (cloudtrail_logging/plan/) and any component.
SENDER_DIRECTORIES = (ROOT / "cloudtrail_logging", ROOT / "components")

# The senders the plan declares (Sid as it names them), with sources of the right kind.
TOPIC_SENDERS = [
    Sender("cloudtrail.amazonaws.com", f"arn:aws:cloudtrail:*:{ACCT}:trail/t",
           "AllowTrailNotifications"),
    Sender("s3.amazonaws.com", "arn:aws:s3:::org-logs", "AllowLogBucketEvents"),
    Sender("cloudwatch.amazonaws.com", f"arn:aws:cloudwatch:eu-west-1:{ACCT}:alarm:ctl-*",
           "AllowCloudWatchAlarms"),
    Sender("events.amazonaws.com", f"arn:aws:events:eu-west-1:{ACCT}:rule/ctl-*",
           "AllowApiCallRules"),
    Sender("events.amazonaws.com", f"arn:aws:events:us-east-1:{ACCT}:rule/alerts/central",
           "AllowCentralBusRule"),
    Sender("events.amazonaws.com", f"arn:aws:events:eu-west-1:{ACCT}:rule/ctl-tamper-*",
           "AllowTamperAlertRules"),
]
QUEUE_SENDERS = [
    Sender("sns.amazonaws.com", TOPIC, "AllowTopicDelivery"),
    Sender("s3.amazonaws.com", "arn:aws:s3:::org-logs", "AllowLogBucketEvents"),
]


def archive_documents() -> Iterator[dict[str, Any]]:
    """Bucket and log key policies: account trail, organization, readers, SSE-KMS, both forms."""
    for per_account in (False, True):
        for organization in (False, True):
            for readers in ((), (READER,)):
                yield log_bucket_policy(
                    partition="aws", bucket="org-logs", writer_accounts=[ACCT, MEMBER, MGMT],
                    trail_name="t", administrator_arns=[ADMIN], key_prefix="central",
                    reader_arns=readers, replication_role_arn=ROLE if readers else None,
                    organization_id=ORG if organization else None,
                    management_account_id=MGMT if organization else None,
                    per_account_prefixes=per_account,
                )
    for bucket_key in (False, True):
        for readers in ((), (READER,)):
            yield log_key_policy(partition="aws", writer_accounts=[ACCT], trail_name="t",
                                 administrator_arns=[ADMIN], reader_arns=readers,
                                 bucket_key=bucket_key)


def messaging_documents() -> Iterator[dict[str, Any]]:
    """The messaging key with each publisher alone and all together; every topic and queue."""
    for publisher in MESSAGING_PUBLISHERS:
        yield messaging_key_policy(partition="aws", account_id=ACCT, publishers=[publisher])
    yield messaging_key_policy(partition="aws-cn", account_id=ACCT,
                               publishers=list(MESSAGING_PUBLISHERS))
    for sender in TOPIC_SENDERS:
        yield topic_policy(TOPIC, ACCT, [sender])
    for sender in QUEUE_SENDERS:
        yield queue_policy(QUEUE, ACCT, [sender])
        yield queue_policy(QUEUE, ACCT, [sender], consumers=[ADMIN, READER])


def alerting_documents() -> Iterator[dict[str, Any]]:
    yield alerting.cloudtrail_logs_role_trust_policy()
    yield alerting.cloudtrail_logs_role_policy(GROUP)
    yield alerting.cloudtrail_logs_role_policy(GROUP, organization_id=ORG)
    yield {"Version": "2012-10-17", "Statement": [
        key_administration("aws", ACCT), alerting.cloudwatch_logs_kms_statement(GROUP)]}
    yield alerting.central_event_bus_policy(BUS, organization_id=ORG)
    yield alerting.central_event_bus_policy(BUS, member_account_ids=[ACCT, MEMBER])
    yield alerting.event_forwarder_trust_policy(MEMBER)
    yield alerting.event_forwarder_trust_policy(MEMBER, RULES)
    yield alerting.event_forwarder_role_policy(BUS)


def integrity_documents() -> Iterator[dict[str, Any]]:
    """Access-log bucket, replication role, replica bucket and key: each form."""
    yield access_log_bucket_policy(
        partition="aws", bucket="access", source_bucket="org-logs", source_account=ACCT,
        administrator_arns=[ADMIN],
    )
    role = ROLE
    yield replication_trust_policy()
    for other in (None, MEMBER):
        target = ReplicaTarget("eu-west-1", "copy", other, None)
        for lock in (False, True):
            yield replication_role_policy(
                partition="aws", account_id=ACCT, source_bucket="org-logs",
                source_region="us-east-1", key_prefix=None, source_sse_kms=True, target=target,
                object_lock=lock,
            )
        for readers in ((), (READER,)):
            yield replica_bucket_policy(
                partition="aws", bucket="copy", role_arn=role, reader_arns=readers,
                administrator_arns=None if other else [ADMIN],
            )
    yield {"Statement": [replication_source_key_statement(
        partition="aws", role_arn=role, source_bucket="org-logs", source_region="us-east-1")]}
    yield replica_key_policy(partition="aws", administrator_arns=[ADMIN], role_arn=role,
                             replica_bucket="copy", replica_region="eu-west-1",
                             reader_arns=[READER])


def guardrail_documents() -> Iterator[dict[str, Any]]:
    """The organization's service control policy, with and without a log key."""
    for keys in ((), (f"arn:aws:kms:us-east-1:{ACCT}:key/0a1b2c3d-0000-4000-8000-000000000000",)):
        yield from guardrail_policies(
            partition="aws", name_prefix="ctl", trail_name="t",
            archive=ArchiveView(account_id=ACCT, name_prefix="ctl",
                                bucket_names=("org-logs", "access"),
                                foreign_bucket_names=("copy",), kms_key_arns=keys,
                                administrator_arns=(ADMIN,), reader_arns=(READER,),
                                replication_role_arn=ROLE),
            principals=["arn:aws:iam::*:role/deployer"],
        )


def every_document() -> list[dict[str, Any]]:
    return [
        *archive_documents(), *messaging_documents(), *alerting_documents(),
        *integrity_documents(), *guardrail_documents(),
    ]


def test_every_generated_statement_has_a_sid_with_a_source() -> None:
    assert missing_sources(every_document()) == []


def test_no_source_is_unused() -> None:
    used = {sid for document in every_document() for sid in statement_sids(document)}
    assert set(SOURCES) - used == set()


def test_every_source_is_an_aws_documentation_page() -> None:
    for sid, source in SOURCES.items():
        pages = [(source.title, source.url), *source.see_also]
        for title, url in pages:
            assert title.strip() and url.startswith("https://docs.aws.amazon.com/"), sid
            assert url.endswith(".html") and " " not in url, sid
        assert source.note, sid


def test_a_statement_without_sid_or_source_is_caught() -> None:
    documents: list[dict[str, Any]] = [
        {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]},
        {"Statement": {"Sid": "Invented", "Effect": "Allow", "Action": "*", "Resource": "*"}},
    ]
    assert missing_sources(documents) == ["statement 0 has no Sid", "Sid 'Invented' has no Source"]
    with pytest.raises(ValueError, match="Invented"):
        require_source("Invented")
    assert require_source("AWSCloudTrailWrite").url.endswith(
        "create-s3-bucket-policy-for-cloudtrail.html"
    )


def declared_sender_sids() -> set[str]:
    """Every Sid literal the program hands to Sender(...) or to a `sid=` keyword."""
    sids: set[str] = set()
    for path in sorted(p for d in SENDER_DIRECTORIES for p in d.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            named = isinstance(node.func, ast.Name) and node.func.id == "Sender"
            candidates = [*node.args[2:3]] if named else []
            candidates += [k.value for k in node.keywords if k.arg == "sid"]
            sids |= {c.value for c in candidates
                     if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    return sids


def test_the_sids_the_program_chooses_are_registered_and_generated_here() -> None:
    sids = declared_sender_sids()
    assert sids, "no Sender Sid found: the scan is broken"
    assert sids - set(SOURCES) == set()
    generated = {s.sid for s in (*TOPIC_SENDERS, *QUEUE_SENDERS)}
    assert sids <= generated
