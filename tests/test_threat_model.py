"""The attack matrix: every row of the threat model, decided over all the documents of real plans.

The archive is the shipped security stack's (SSE-KMS, GOVERNANCE Object Lock, a replica in this
account, a log reader); in organization mode it also admits the organization trail, and the
management account's stack (`organizationTrail`, the guardrail SCP) supplies the SCP, built from
the archive's outputs as a `pulumi up` would hand them over. Each `Attempt` of
`cloudtrail_logging.threat_model` must come out exactly as promised: refused by exactly the
listed documents, or allowed. The README's tables are generated from the same rows.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

import pytest
import yaml

from cloudtrail_logging.integrity.object_lock import ObjectLock
from cloudtrail_logging.outputs import destination_from_outputs, local_destination
from cloudtrail_logging.plan import build_plan
from cloudtrail_logging.plan.parts import Plan
from cloudtrail_logging.threat_model import (
    ALLOWED,
    ATTEMPTS,
    BUCKET_POLICY,
    MODES,
    OBJECT_LOCK,
    Attempt,
    markdown_table,
)
from engine_model.mocks import DEPLOYER_ROLE
from tests.conftest import ROOT, member_config, parse_config
from tests.support.archive_access import (
    ADMINISTRATOR_ACCESS,
    Actor,
    Archive,
    Bucket,
    Key,
    as_resource_policy,
    decide_kms,
    decide_other,
    decide_s3,
)
from tests.support.event_match import api_call_event, event_rules
from tests.support.policy_eval import Decision, Principal, Request, evaluate

ARCHIVE = "222222222222"
MEMBER = "111111111111"
MANAGEMENT = "444444444444"
OUTSIDER = "999999999999"
ORG = "o-abcdefghij"
LOG_KEY = f"arn:aws:kms:us-east-1:{ARCHIVE}:key/0a1b2c3d-0000-4000-8000-000000000001"
REPLICA_KEY = f"arn:aws:kms:us-west-2:{ARCHIVE}:key/0a1b2c3d-0000-4000-8000-000000000002"
MESSAGING_KEY = f"arn:aws:kms:us-east-1:{ARCHIVE}:key/0a1b2c3d-0000-4000-8000-000000000003"
MEMBER_KEY = f"arn:aws:kms:eu-west-1:{MEMBER}:key/0a1b2c3d-0000-4000-8000-000000000004"
ALERT_KEY_ALIAS = "alias/cloudtrail-logging-messaging"
MEMBER_DEPLOYER = "platform-deployer"
READER_QUEUES = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"], "Resource": "*"},
]}  # fmt: skip


def shipped_archive_config(**overrides: Any) -> dict[str, Any]:
    """Pulumi.security.yaml's values, as short keys."""
    values = yaml.safe_load((ROOT / "Pulumi.security.yaml").read_text())["config"]
    short = {k.removeprefix("cloudtrail-logging:"): v for k, v in values.items()}
    return {**short, **overrides}


@cache
def archive_plan(mode: str) -> Plan:
    extra = {"organizationId": ORG, "managementAccountId": MANAGEMENT} if mode != "accounts" else {}
    settings = parse_config(shipped_archive_config(**extra))
    return build_plan(settings, local_destination(settings))


@cache
def member_plan() -> Plan:
    """A member account's stack with per-account trails, reading the archive's outputs."""
    outputs = {**archive_plan("accounts").static_outputs(), "kmsKeyArn": LOG_KEY}
    settings = parse_config(member_config())
    destination = destination_from_outputs("organization/cloudtrail-logging/security", outputs,
                                           settings)  # fmt: skip
    return build_plan(settings, destination)


@cache
def management_plan() -> Plan:
    """The management account's stack: the organization trail and the guardrail SCP."""
    # As deployed: the keys' ARNs are known once they exist.
    outputs = {**archive_plan("organization").static_outputs(), "kmsKeyArn": LOG_KEY,
               "replicaKmsKeyArn": REPLICA_KEY}  # fmt: skip
    values = member_config(
        **{"aws:allowedAccountIds": [MANAGEMENT], "organizationTrail": True,
           "guardrailPrincipals": [f"arn:aws:iam::*:role/{MEMBER_DEPLOYER}"]}
    )  # fmt: skip
    settings = parse_config(values)
    destination = destination_from_outputs("organization/cloudtrail-logging/security", outputs,
                                           settings)  # fmt: skip
    return build_plan(settings, destination)


def archive_of(mode: str, object_lock: ObjectLock | str | None = "shipped") -> Archive:
    plan = archive_plan(mode)
    assert plan.bucket and plan.log_key and plan.access_logs and plan.replication
    lock = plan.bucket.object_lock if object_lock == "shipped" else object_lock
    assert not isinstance(lock, str)
    replication = plan.replication
    assert replication.key_policy is not None and plan.messaging_key is not None
    buckets = [
        Bucket(plan.bucket.name, ARCHIVE, plan.bucket.policy, LOG_KEY, lock,
               trail_arn=plan.trail.arn),
        Bucket(plan.access_logs.bucket_name, ARCHIVE, plan.access_logs.policy),
        Bucket(replication.target.bucket, ARCHIVE, replication.bucket_policy, REPLICA_KEY, lock,
               region=replication.target.region),
    ]  # fmt: skip
    scp = None
    if mode == "organization":
        guardrails = management_plan().guardrails
        assert guardrails is not None
        # Deny-only policies on the same targets: their statements deny together.
        scp = {"Version": "2012-10-17", "Statement": [
            *guardrails.content["Statement"], *guardrails.archive_content["Statement"]]}
    tamper = plan.tamper_alerts
    assert tamper is not None and tamper.topic.queue is not None
    return Archive(
        queues={tamper.topic.queue.arn: tamper.topic.queue.policy},
        buckets={b.name: b for b in buckets},
        keys={LOG_KEY: Key(LOG_KEY, plan.log_key.policy),
              REPLICA_KEY: Key(REPLICA_KEY, replication.key_policy),
              MESSAGING_KEY: Key(MESSAGING_KEY, plan.messaging_key.policy)},
        scp=scp,
    )  # fmt: skip


def session(account: str, role: str, name: str = "session") -> Principal:
    return Principal.aws(f"arn:aws:sts::{account}:assumed-role/{role}/{name}")


def actor(who: str, mode: str) -> Actor:
    plan = archive_plan(mode)
    replication = plan.replication
    assert replication is not None
    actors = {
        "archive-admin": Actor(session(ARCHIVE, "AdministratorAccess", "mallory"),
                               ADMINISTRATOR_ACCESS, scp_bound=True),
        "archive-root": Actor(Principal.aws(f"arn:aws:iam::{ARCHIVE}:root"), ADMINISTRATOR_ACCESS,
                              scp_bound=True, root=True),
        "member-admin": Actor(session(MEMBER, "AdministratorAccess", "eve"), ADMINISTRATOR_ACCESS,
                              scp_bound=True),
        "management": Actor(session(MANAGEMENT, "AdministratorAccess", "trent"),
                            ADMINISTRATOR_ACCESS),
        "outsider": Actor(session(OUTSIDER, "AdministratorAccess", "oscar"),
                          ADMINISTRATOR_ACCESS),
        "cloudtrail": Actor(Principal.service("cloudtrail.amazonaws.com")),
        # Reads logs through the bucket policy's grant; consumes the alerts' queue by IAM.
        "reader": Actor(session(ARCHIVE, "security-log-readers", "analyst"), READER_QUEUES,
                        scp_bound=True),
        "administrator": Actor(session(ARCHIVE, DEPLOYER_ROLE, "pipeline"), ADMINISTRATOR_ACCESS,
                               scp_bound=True),
        "replication": Actor(session(ARCHIVE, replication.role.name, "s3-replication"),
                             replication.role.policy, scp_bound=True),
        "log-delivery": Actor(Principal.service("logging.s3.amazonaws.com")),
        "stacksets": Actor(session(MEMBER, "stacksets-exec-0123456789abcdef", "stacksets"),
                           ADMINISTRATOR_ACCESS, scp_bound=True),
        "member-deployer": Actor(session(MEMBER, MEMBER_DEPLOYER, "pipeline"),
                                 ADMINISTRATOR_ACCESS, scp_bound=True),
        "pipeline": Actor(session(ARCHIVE, MEMBER_DEPLOYER, "pipeline"), ADMINISTRATOR_ACCESS,
                          scp_bound=True),
        "rogue-administrator": Actor(session(ARCHIVE, DEPLOYER_ROLE, "rogue"),
                                     ADMINISTRATOR_ACCESS, scp_bound=True),
        "log-group-delivery": Actor(session(ARCHIVE, "cloudtrail-logging-cloudtrail-to-logs",
                                            "cloudtrail"), ADMINISTRATOR_ACCESS, scp_bound=True),
    }  # fmt: skip
    return actors[who]


def request_for(attempt: Attempt, who: Actor, mode: str) -> tuple[Request, str]:
    """The request an attempt makes, and the kind of resource it acts on."""
    plan = archive_plan(mode)
    assert plan.access_logs and plan.replication
    log, access = plan.trail.bucket_name, plan.access_logs.bucket_name
    replica = plan.replication.target.bucket
    account = who.account or MEMBER
    home = "us-east-1" if account == ARCHIVE else "eu-west-1"  # the stacks' Regions
    trail = plan.trail.name
    delivery_trail = f"arn:aws:cloudtrail:us-east-1:{MEMBER}:trail/{trail}"
    key = f"AWSLogs/{MEMBER}/CloudTrail/us-east-1/2026/12/06/{MEMBER}_CloudTrail_x.json.gz"
    context: dict[str, Any] = {"aws:SecureTransport": "true"}
    targets = {
        "log-object": (f"arn:aws:s3:::{log}/{key}", "s3"),
        "log-bucket": (f"arn:aws:s3:::{log}", "s3"),
        "access-log-object": (f"arn:aws:s3:::{access}/s3-access-logs/x", "s3"),
        "access-log-bucket": (f"arn:aws:s3:::{access}", "s3"),
        "replica-object": (f"arn:aws:s3:::{replica}/{key}", "s3"),
        "replica-bucket": (f"arn:aws:s3:::{replica}", "s3"),
        "log-key": (LOG_KEY, "kms"),
        "replica-key": (REPLICA_KEY, "kms"),
        "trail": (f"arn:aws:cloudtrail:{home}:{account}:trail/{trail}", "other"),
        "stackset-rule": (f"arn:aws:events:{home}:{account}:rule/cloudtrail-logging-api-"
                          "ec2-run-instances", "other"),
        "forwarder-role": (f"arn:aws:iam::{account}:role/cloudtrail-logging-event-forwarder",
                           "other"),
        "archive-role": (f"arn:aws:iam::{ARCHIVE}:role/{DEPLOYER_ROLE}", "other"),
        "organization": ("*", "other"),
        "messaging-key": (MESSAGING_KEY, "kms"),
        "tamper-topic": (f"arn:aws:sns:us-east-1:{ARCHIVE}:cloudtrail-logging-tamper-alerts",
                         "other"),
        "log-group": (f"arn:aws:logs:us-east-1:{ARCHIVE}:log-group:cloudtrail-logging-cloudtrail:"
                      "log-stream:o-abcdefghij_CloudTrail_us-east-1", "other"),
        "member-key": (MEMBER_KEY, "other"),
        "tamper-queue": (f"arn:aws:sqs:us-east-1:{ARCHIVE}:cloudtrail-logging-tamper-alerts-queue",
                         "other"),
        "identity-provider": (f"arn:aws:iam::{ARCHIVE}:saml-provider/"
                              "AWSSSO_0123456789abcdef_DO_NOT_DELETE", "other"),
        "central-bus": (f"arn:aws:events:us-east-1:{ARCHIVE}:event-bus/cloudtrail-logging-alerts",
                        "other"),
        "member-key-alias": (f"arn:aws:kms:eu-west-1:{MEMBER}:{ALERT_KEY_ALIAS}", "other"),
    }  # fmt: skip
    resource, kind = targets[attempt.target]
    if attempt.target in ("messaging-key", "member-key", "member-key-alias"):
        context["kms:ResourceAliases"] = [ALERT_KEY_ALIAS]
    if attempt.who == "cloudtrail":
        context |= {"aws:SourceAccount": MEMBER, "aws:SourceArn": delivery_trail,
                    "s3:x-amz-acl": "bucket-owner-full-control",
                    "kms:EncryptionContext:aws:cloudtrail:arn": delivery_trail}  # fmt: skip
    if attempt.who == "log-delivery":
        context |= {"aws:SourceAccount": ARCHIVE, "aws:SourceArn": f"arn:aws:s3:::{log}"}
    if kind == "kms" and attempt.who in ("reader", "archive-admin", "replication"):
        # A decryption through S3 of a log object (or replica), as S3 asks for it.
        bucket = log if attempt.target == "log-key" else replica
        region = "us-east-1" if attempt.target == "log-key" else plan.replication.target.region
        context |= {"kms:ViaService": f"s3.{region}.amazonaws.com",
                    "kms:EncryptionContext:aws:s3:arn": f"arn:aws:s3:::{bucket}"}  # fmt: skip
        if attempt.target == "log-key":
            context["kms:EncryptionContext:aws:cloudtrail:arn"] = plan.trail.arn
    return Request(who.principal, attempt.action, resource, context), kind


def decide(attempt: Attempt, mode: str, archive: Archive | None = None) -> frozenset[str]:
    archive = archive or archive_of(mode)
    who = actor(attempt.who, mode)
    request, kind = request_for(attempt, who, mode)
    if kind == "kms":
        return decide_kms(archive, who, archive.keys[request.resource], request)
    if kind == "s3":
        name = request.resource.split(":::", 1)[1].split("/", 1)[0]
        return decide_s3(archive, who, archive.buckets[name], request,
                         bypass_governance=attempt.bypass_governance)  # fmt: skip
    return decide_other(archive, who, request)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("attempt", ATTEMPTS, ids=[a.id for a in ATTEMPTS])
def test_every_attempt_comes_out_as_the_threat_model_promises(attempt: Attempt, mode: str) -> None:
    assert decide(attempt, mode) == attempt.outcome(mode)


def by_id(name: str) -> Attempt:
    return next(a for a in ATTEMPTS if a.id == name)


def test_without_object_lock_the_bucket_policy_alone_stops_deletion() -> None:
    """The default archive has no Object Lock: every deletion still ends at the bucket policy."""
    archive = archive_of("accounts", object_lock=None)
    for name in ("delete-version", "bypass-governance", "delete-marker", "root-delete-version"):
        assert decide(by_id(name), "accounts", archive) == {BUCKET_POLICY}, name


def test_compliance_mode_refuses_a_bypass_whatever_the_policies_say() -> None:
    archive = archive_of("accounts", object_lock=ObjectLock("COMPLIANCE", 365))
    lenient = {**archive.buckets}
    for name, bucket in archive.buckets.items():
        allow_all = {"Version": "2012-10-17",
                     "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*",
                                    "Resource": "*"}]}  # fmt: skip
        lenient[name] = replace(bucket, policy=allow_all)
    opened = replace(archive, buckets=lenient)
    assert decide(by_id("bypass-governance"), "accounts", opened) == {OBJECT_LOCK}
    # The same bypass under GOVERNANCE would succeed once the bucket policy allowed it.
    governance = replace(opened, buckets={
        n: replace(b, object_lock=ObjectLock("GOVERNANCE", 365) if b.object_lock else None)
        for n, b in opened.buckets.items()
    })  # fmt: skip
    assert decide(by_id("bypass-governance"), "accounts", governance) == ALLOWED


@pytest.mark.parametrize("mode", MODES)
def test_nobody_can_start_an_early_expiration(mode: str) -> None:
    """The lifecycle expires a noncurrent version `noncurrentExpirationDays` after it became
    noncurrent, whatever its age; a version becomes noncurrent only under a delete marker or an
    overwrite. No principal may place a marker, and only trail deliveries (unique keys) write."""
    archive = archive_of(mode)
    for who in ("archive-admin", "archive-root", "administrator", "reader", "replication",
                "member-admin", "management", "stacksets"):  # fmt: skip
        principal = actor(who, mode)
        marker = Attempt("m", who, "", "s3:DeleteObject", "log-object", ALLOWED, ALLOWED)
        assert decide(marker, mode, archive), who
        overwrite = Attempt("w", who, "", "s3:PutObject", "log-object", ALLOWED, ALLOWED)
        assert decide(overwrite, mode, archive), (who, principal)


def test_the_readme_tables_are_generated_from_the_matrix() -> None:
    readme = (ROOT / "README.md").read_text()
    begin, end = "<!-- threat-model:begin -->", "<!-- threat-model:end -->"
    assert readme.split(begin, 1)[1].split(end, 1)[0] == "\n" + markdown_table()


def test_the_scp_fits_the_organizations_limit() -> None:
    guardrails = management_plan().guardrails
    assert guardrails is not None
    from cloudtrail_logging.aws.policy_json import policy_size
    from cloudtrail_logging.organization.service_control_policy import SCP_MAX_CHARS

    sizes = [policy_size(guardrails.content), policy_size(guardrails.archive_content)]
    assert max(sizes) <= SCP_MAX_CHARS
    # The README's figures are these.
    text = " ".join((ROOT / "README.md").read_text().split())
    assert f"make {sizes[0]:,} and {sizes[1]:,} characters" in text


# --- what the tamper rules report -----------------------------------------------------------

# CloudTrail's event names where they differ from the IAM action (S3 User Guide, "Amazon S3
# CloudTrail events").
EVENT_NAMES = {"s3:PutLifecycleConfiguration": "PutBucketLifecycle"}
GLOBAL_SERVICES = ("iam", "organizations")


def attempt_event(attempt: Attempt, mode: str) -> tuple[dict[str, Any], str]:
    """The event CloudTrail hands EventBridge for the attempt, and the account it happens in."""
    who = actor(attempt.who, mode)
    request, _ = request_for(attempt, who, mode)
    service, action = attempt.action.split(":", 1)
    resource = request.resource
    account = resource.split(":")[4] if resource.count(":") >= 5 and resource.split(":")[4] \
        else (who.account or MEMBER)
    region = resource.split(":")[3] if resource.count(":") >= 5 else ""
    parameters: dict[str, Any]
    if service == "s3":
        account, region = ARCHIVE, "us-east-1"
        parameters = {"bucketName": resource.split(":::", 1)[1].split("/", 1)[0]}
    else:
        name = resource.rsplit("/", 1)[-1]
        parameters = {
            "trail": {"name": name}, "stackset-rule": {"name": name},
            "forwarder-role": {"roleName": name}, "archive-role": {"roleName": name},
            "tamper-topic": {"subscriptionArn": f"{resource}:0f0e0d0c-0000-4000-8000-000000000000"},
            "member-key": {"keyId": resource}, "messaging-key": {"keyId": resource},
            "replica-key": {"keyId": resource},
            "member-key-alias": {"aliasName": ALERT_KEY_ALIAS},
            "log-group": {"logGroupName": "cloudtrail-logging-cloudtrail"},
            "identity-provider": {"sAMLProviderArn": resource},
            "central-bus": {"eventBusName": name, "name": name},
            "organization": {},
        }[attempt.target]  # fmt: skip
    if service in GLOBAL_SERVICES:
        region = "us-east-1"
    event = api_call_event(service=service, event_name=EVENT_NAMES.get(attempt.action, action),
                           account=account, region=region, parameters=parameters)  # fmt: skip
    return event, account


def tamper_rules_of(account: str, mode: str) -> tuple[Any, ...]:
    plan = archive_plan(mode) if account == ARCHIVE else member_plan()
    assert plan.tamper_alerts is not None
    return plan.tamper_alerts.rules


POSSIBLE_ATTACKS = [(a, m) for a in ATTEMPTS if a.attack for m in MODES if a.outcome(m) == ALLOWED]


@pytest.mark.parametrize(("attempt", "mode"), POSSIBLE_ATTACKS,
                         ids=[f"{a.id}-{m}" for a, m in POSSIBLE_ATTACKS])  # fmt: skip
def test_every_possible_attack_is_reported_by_a_tamper_rule_or_says_why_not(
    attempt: Attempt, mode: str
) -> None:
    """"possible: tamper alert within seconds" is a claim about a rule: one of the stack that
    holds the target, in the Region the event is recorded in, matches the attempt's event (as
    EventBridge's TestEventPattern decides). An attempt marked `unalerted` matches none."""
    assert mode == "accounts" or attempt.target not in ("stackset-rule", "forwarder-role")
    event, account = attempt_event(attempt, mode)
    rules = tamper_rules_of(account, mode)
    home = "us-east-1" if account == ARCHIVE else "eu-west-1"
    with event_rules() as matching:
        reporting = matching({r.name: r.pattern for r in rules if r.region == event["region"]},
                             event)  # fmt: skip
        if event["region"] != home:  # forwarded to the home bus: a home rule must match it
            reporting = [name for name in reporting if name in matching(
                {r.name: r.pattern for r in rules if r.region == home}, event)]  # fmt: skip
    assert bool(reporting) is not bool(attempt.unalerted), (event, reporting)


def test_a_tamper_rule_ignores_what_is_not_the_projects() -> None:
    """The narrowing holds: another team's rule, topic or role is nobody's alert."""
    rules = tamper_rules_of(MEMBER, "accounts")
    others = [
        api_call_event(service="events", event_name="DeleteRule", account=MEMBER,
                       region="eu-west-1", parameters={"name": "orders-nightly"}),
        api_call_event(service="sns", event_name="DeleteTopic", account=MEMBER,
                       region="eu-west-1",
                       parameters={"topicArn": f"arn:aws:sns:eu-west-1:{MEMBER}:orders"}),
        api_call_event(service="iam", event_name="DeleteRole", account=MEMBER,
                       region="us-east-1", parameters={"roleName": "orders-api"}),
        api_call_event(service="kms", event_name="CreateGrant", account=MEMBER,
                       region="eu-west-1", parameters={"keyId": MEMBER_KEY}),
    ]  # fmt: skip
    with event_rules() as matching:
        assert [matching({r.name: r.pattern for r in rules if r.region == e["region"]}, e)
                for e in others] == [[], [], [], []]  # fmt: skip
        # The same calls on the project's own are reported.
        ours = [{**e, "detail": {**e["detail"], "requestParameters": p}} for e, p in zip(others, [
            {"name": "cloudtrail-logging-api-ec2-run-instances"},
            {"topicArn": f"arn:aws:sns:eu-west-1:{MEMBER}:cloudtrail-logging-security-alerts"},
            {"roleName": "cloudtrail-logging-event-forwarder"},
        ], strict=False)]  # fmt: skip
        assert [matching({r.name: r.pattern for r in rules if r.region == e["region"]}, e)
                for e in ours] == [["cloudtrail-logging-tamper-eventbridge",
                                    "cloudtrail-logging-tamper-eventbridge-witness"],
                                   ["cloudtrail-logging-tamper-topics"],
                                   ["cloudtrail-logging-tamper-roles"]]  # fmt: skip


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        ("cloudtrail:StopLogging", "arn:aws:cloudtrail:us-east-1:{a}:trail/{trail}"),
        ("logs:DeleteLogGroup", "arn:aws:logs:us-east-1:{a}:log-group:cloudtrail-logging-trail"),
        ("cloudwatch:DeleteAlarms", "arn:aws:cloudwatch:us-east-1:{a}:alarm:cloudtrail-logging-x"),
        ("iam:DeleteRole", "arn:aws:iam::{a}:role/cloudtrail-logging-forwarder"),
        ("iam:UpdateSAMLProvider", "arn:aws:iam::{a}:saml-provider/corp"),
        ("iam:UpdateOpenIDConnectProviderThumbprint", "arn:aws:iam::{a}:oidc-provider/idp"),
    ],
)  # fmt: skip
def test_the_archive_accounts_administrators_cannot_silence_its_own_logging(
    action: str, resource: str
) -> None:
    """The archive account's trail, alerting, roles and identity providers are the archive
    SCP's: an administrator of that account who is not named is refused, a named one is not."""
    plan = management_plan()
    assert plan.guardrails is not None and plan.trail is not None
    scp = as_resource_policy(plan.guardrails.archive_content)
    target = resource.format(a=ARCHIVE, trail=plan.trail.name)
    admin = Principal.aws(f"arn:aws:iam::{ARCHIVE}:role/AdministratorAccess")
    named = Principal.aws(f"arn:aws:iam::{ARCHIVE}:role/{DEPLOYER_ROLE.rsplit('/', 1)[-1]}")
    assert evaluate(scp, Request(admin, action, target)) == Decision.EXPLICIT_DENY
    assert evaluate(scp, Request(named, action, target)) != Decision.EXPLICIT_DENY
    elsewhere = target.replace(ARCHIVE, OUTSIDER)
    assert evaluate(scp, Request(admin, action, elsewhere)) != Decision.EXPLICIT_DENY
