"""The archive against its own administrators, as the program registers it: the named archive
administrators (and the deployer among them), the order CreateKey needs, the tamper alerts of
every stack, and the organization's guardrail SCP from the management account's stack."""

from __future__ import annotations

import json
import logging
from typing import Any

import pulumi
import pytest

from cloudtrail_logging.alerting.tamper import BUCKET_EVENTS, GUARDRAIL_EVENTS, KEY_EVENTS
from cloudtrail_logging.archive.guard import BUCKET_ADMINISTRATION_ACTIONS
from offline.mocks import DEPLOYER_ROLE
from offline.preview import ProgramError
from tests.conftest import MEMBER, SECURITY, archive_config, archive_outputs, member_config

DEPLOYER = f"arn:aws:iam::{SECURITY}:role/{DEPLOYER_ROLE}"
OTHER_ADMIN = f"arn:aws:iam::{SECURITY}:role/archive-admins"
ORG = "o-abcdefghij"
MANAGEMENT = "333333333333"
KEY = "aws:kms/key:Key"
RULE = "aws:cloudwatch/eventRule:EventRule"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"
SCP = "aws:organizations/policy:Policy"
ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment"


def refused(run_stack: Any, values: dict[str, Any], **kw: Any) -> list[str]:
    with pytest.raises(ProgramError) as caught:
        run_stack(values, **kw)
    assert isinstance(caught.value.cause, pulumi.RunError)
    assert caught.value.registered == ()
    return str(caught.value.cause).splitlines()


def statements(document: str) -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in json.loads(document)["Statement"]}


# --- the named archive administrators ---------------------------------------------------------


def test_the_deployer_administers_by_default_and_the_preview_says_so(
    run_stack: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        stack = run_stack(archive_config())
    assert stack.result.outputs["archiveAdministrators"] == [DEPLOYER]
    bucket = statements(stack.named("log-archive-policy").inputs["policy"])
    exempt = bucket["DenyAdministrationByOthers"]["Condition"]["ArnNotEquals"]
    assert exempt == {"aws:PrincipalArn": [DEPLOYER]}
    key = statements(stack.named("log-key-key").inputs["policy"])
    assert key["KeyAdministrationByNamedAdministrators"]["Principal"] == {"AWS": [DEPLOYER]}
    assert "archiveAdministrators is not set" in caplog.text and DEPLOYER in caplog.text


def test_named_administrators_reach_every_archive_document(run_stack: Any) -> None:
    admins = [DEPLOYER, OTHER_ADMIN]
    stack = run_stack(archive_config(archiveAdministrators=admins, replicationRegion="us-west-2"))
    for policy in ("log-archive-policy", "access-logs-policy", "replica-policy"):
        found = statements(stack.named(policy).inputs["policy"])["DenyAdministrationByOthers"]
        assert found["Condition"]["ArnNotEquals"]["aws:PrincipalArn"] == sorted(admins), policy
        assert found["Action"] == list(BUCKET_ADMINISTRATION_ACTIONS)
    for key in ("log-key-key", "replica-key"):
        found = statements(stack.named(key).inputs["policy"])
        assert found["KeyAdministrationByNamedAdministrators"]["Principal"] == {
            "AWS": sorted(admins)
        }, key


def test_a_list_without_the_deployer_is_refused_before_anything_is_registered(
    run_stack: Any,
) -> None:
    assert refused(run_stack, archive_config(archiveAdministrators=[OTHER_ADMIN])) == [
        "cloudtrail-logging:archiveAdministrators: expected a list that includes the deploying "
        f"principal {DEPLOYER}: KMS refuses a key policy that locks its caller out, and the bucket "
        f'would refuse the next update (got ["{OTHER_ADMIN}"])'
    ]


def test_a_deployer_that_is_a_path_role_or_a_user_is_named_as_aws_names_it(run_stack: Any) -> None:
    user = f"arn:aws:iam::{SECURITY}:user/ci"
    stack = run_stack(archive_config(), caller=user)
    assert stack.result.outputs["archiveAdministrators"] == [user]


def test_the_root_user_cannot_deploy_the_archive(run_stack: Any) -> None:
    root = f"arn:aws:iam::{SECURITY}:root"
    assert refused(run_stack, archive_config(), caller=root) == [
        "cloudtrail-logging:archiveAdministrators: expected a deployment by an IAM role or user, "
        f"which the archive's policies can name (the deploying principal is {root})"
    ]


def test_an_administrator_of_another_account_is_refused(run_stack: Any) -> None:
    stranger = f"arn:aws:iam::{MEMBER}:role/admin"
    problems = refused(run_stack, archive_config(archiveAdministrators=[DEPLOYER, stranger]))
    assert problems == [
        "cloudtrail-logging:archiveAdministrators[1]: expected a role or user in the log-archive "
        f'account {SECURITY} (got "{stranger}")'
    ]


def test_the_log_key_waits_for_the_replication_role_it_names(run_stack: Any) -> None:
    stack = run_stack(archive_config(replicationRegion="us-west-2"))
    role = stack.named("replica-role")
    key = stack.named("log-key-key")
    assert role.urn in key.dependencies
    assert role.inputs["name"] in statements(key.inputs["policy"])["AllowReplicationDecrypt"][
        "Principal"
    ]["AWS"]
    # The role kept the logical name it had as the Replica's child (an alias records that).
    assert role.parent.endswith("cloudtrail-logging:index:ReplicationRole::replica")


# --- tamper alerts ------------------------------------------------------------------------------


def rules_by_region(stack: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (r.inputs["name"], r.inputs["region"]): json.loads(r.inputs["eventPattern"])
        for r in stack.of_type(RULE)
        if "-tamper-" in r.inputs["name"]
    }


def test_the_log_archive_alerts_on_its_trail_buckets_and_keys(run_stack: Any) -> None:
    stack = run_stack(archive_config(replicationRegion="us-west-2"))
    rules = rules_by_region(stack)
    prefix = "cloudtrail-logging-tamper-"
    assert set(rules) == {
        (f"{prefix}trail", "us-east-1"),
        (f"{prefix}archive", "us-east-1"),
        (f"{prefix}archive", "us-west-2"),
        (f"{prefix}keys", "us-east-1"),
        (f"{prefix}keys", "us-west-2"),
    }
    archive = rules[(f"{prefix}archive", "us-east-1")]
    assert archive["source"] == ["aws.s3"]
    assert archive["detail"]["eventName"] == list(BUCKET_EVENTS)
    assert archive["detail"]["requestParameters"]["bucketName"] == sorted([
        f"cloudtrail-logging-{SECURITY}-us-east-1",
        f"cloudtrail-logging-access-logs-{SECURITY}-us-east-1",
        f"cloudtrail-logging-replica-{SECURITY}-us-west-2",
    ])  # fmt: skip
    assert rules[(f"{prefix}keys", "us-east-1")]["detail"]["eventName"] == list(KEY_EVENTS)
    targets = {t.name: t.inputs for t in stack.of_type(TARGET) if t.name.startswith("tamper-")}
    home = targets["tamper-archive-us-east-1-to-topic"]
    assert home["arn"] == f"arn:aws:sns:us-east-1:{SECURITY}:cloudtrail-logging-tamper-alerts"
    away = targets["tamper-archive-us-west-2-to-home-bus"]
    assert away["arn"] == f"arn:aws:events:us-east-1:{SECURITY}:event-bus/default"
    assert away["roleArn"].endswith(":role/cloudtrail-logging-tamper-forwarder")


def test_the_tamper_topic_admits_only_the_tamper_rules_and_is_encrypted(run_stack: Any) -> None:
    stack = run_stack(archive_config())
    topic = stack.named("tamper-topic-topic")
    assert topic.inputs["kmsMasterKeyId"]
    policy = statements(stack.named("tamper-topic-topic-policy").inputs["policy"])
    assert set(policy) == {"DenyInsecureTransport", "AllowTamperAlertRules"}
    sender = policy["AllowTamperAlertRules"]
    # EventBridge to SNS takes no condition ("Amazon SNS permissions"); only EventBridge publishes.
    assert sender["Principal"] == {"Service": "events.amazonaws.com"}
    assert sender["Action"] == "sns:Publish" and "Condition" not in sender
    assert stack.named("tamper-topic-queue").inputs["kmsMasterKeyId"]


def test_a_member_alerts_on_its_trail_and_can_turn_it_off(run_stack: Any) -> None:
    stack = run_stack(member_config(), outputs=archive_outputs())
    assert set(rules_by_region(stack)) == {("cloudtrail-logging-tamper-trail", "eu-west-1")}
    quiet = run_stack(member_config(tamperAlerts=False), outputs=archive_outputs())
    assert rules_by_region(quiet) == {}


# --- the organization's guardrail SCP -----------------------------------------------------------


def management(run_stack: Any, **overrides: Any) -> Any:
    outputs = archive_outputs(organizationId=ORG, managementAccountId=MANAGEMENT,
                              kmsKeyArn=f"arn:aws:kms:us-east-1:{SECURITY}:key/"
                              "0a1b2c3d-0000-4000-8000-000000000001")  # fmt: skip
    config = member_config(organizationTrail=True, **{"aws:allowedAccountIds": [MANAGEMENT]},
                           **overrides)  # fmt: skip
    return run_stack(config, outputs=outputs)


def test_the_management_stack_attaches_the_guardrail_scp_to_the_root(run_stack: Any) -> None:
    stack = management(run_stack)
    policy = stack.one(SCP)
    assert policy.inputs["type"] == "SERVICE_CONTROL_POLICY" and policy.protect
    content = statements(policy.inputs["content"])
    assert set(content) >= {"ProtectTrails", "ProtectAlerting", "ProtectGuardrailRoles",
                            "ProtectArchiveConfiguration", "ProtectArchiveKeys",
                            "DenyArchiveDeletion", "DenyLeavingOrganization"}  # fmt: skip
    assert content["ProtectTrails"]["Resource"] == "arn:aws:cloudtrail:*:*:trail/cloudtrail-logging"
    deleted = content["DenyArchiveDeletion"]["Resource"]
    assert f"arn:aws:s3:::cloudtrail-logging-{SECURITY}-us-east-1/*" in deleted
    [attachment] = stack.of_type(ATTACHMENT)
    assert attachment.inputs["targetId"].startswith("r-")
    assert policy.urn in attachment.dependencies
    # The management stack also alerts when the policy is detached or changed.
    guard = [r for r in stack.of_type(RULE) if r.inputs["name"].endswith("-tamper-guardrails")]
    assert [json.loads(r.inputs["eventPattern"])["detail"]["eventName"] for r in guard] == [
        list(GUARDRAIL_EVENTS)
    ] * len(guard)


def test_chosen_targets_and_principals(run_stack: Any) -> None:
    deployer = "arn:aws:iam::*:role/platform-deployer"
    stack = management(run_stack, guardrailTargetIds=["ou-abcd-12345678", "ou-abcd-87654321"],
                       guardrailPrincipals=[deployer])  # fmt: skip
    assert sorted(a.inputs["targetId"] for a in stack.of_type(ATTACHMENT)) == [
        "ou-abcd-12345678", "ou-abcd-87654321"
    ]
    content = statements(stack.one(SCP).inputs["content"])
    assert deployer in content["ProtectTrails"]["Condition"]["ArnNotLike"]["aws:PrincipalArn"]
    assert deployer in content["ProtectGuardrailRoles"]["Resource"]


def test_guardrail_policy_off_creates_none(run_stack: Any) -> None:
    assert management(run_stack, guardrailPolicy="off").of_type(SCP) == []


def test_guardrail_policy_on_outside_the_management_account_is_refused(run_stack: Any) -> None:
    config = member_config(guardrailPolicy="on")
    problems = refused(run_stack, config, outputs=archive_outputs(), management=MANAGEMENT)
    assert problems == [
        "cloudtrail-logging:guardrailPolicy: expected only on the stack of the organization's "
        f"management account {MANAGEMENT} (this stack's account is {MEMBER})"
    ]
    # From the management account, with per-account trails, it is created.
    here = member_config(guardrailPolicy="on", **{"aws:allowedAccountIds": [MANAGEMENT]})
    stack = run_stack(here, outputs=archive_outputs(memberAccounts=[MANAGEMENT]),
                      management=MANAGEMENT)  # fmt: skip
    assert len(stack.of_type(SCP)) == 1 and not stack.one("aws:cloudtrail/trail:Trail").inputs.get(
        "isOrganizationTrail"
    )


def test_too_many_guardrail_principals_do_not_fit_the_scp(run_stack: Any) -> None:
    many = [f"arn:aws:iam::*:role/pipeline-number-{n:03d}-with-a-long-name" for n in range(40)]
    problems = refused(run_stack, member_config(organizationTrail=True, guardrailPrincipals=many,
                                                **{"aws:allowedAccountIds": [MANAGEMENT]}),
                       outputs=archive_outputs(organizationId=ORG, managementAccountId=MANAGEMENT))
    assert len(problems) == 1
    assert problems[0].startswith("cloudtrail-logging:guardrailPrincipals: expected a guardrail "
                                  "policy within the 5120-character SCP limit")  # fmt: skip


def test_guardrail_keys_without_the_policy_are_refused(run_stack: Any) -> None:
    problems = refused(run_stack, member_config(guardrailTargetIds=["r-abcd"]),
                       outputs=archive_outputs())  # fmt: skip
    assert problems == [
        "cloudtrail-logging:guardrailTargetIds: expected no value while guardrailPolicy is auto "
        "without organizationTrail"
    ]
