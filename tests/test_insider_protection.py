"""The archive against its own administrators, as the program registers it: the named archive
administrators (and the deployer among them), the order CreateKey needs, the tamper alerts of
every stack, and the organization's guardrail SCP from the management account's stack."""

from __future__ import annotations

import fnmatch
import functools
import json
import logging
import re
from pathlib import Path
from typing import Any

import parliament
import pulumi
import pytest

from cloudtrail_logging.alerting.tamper import BUCKET_EVENTS, GUARDRAIL_EVENTS, KEY_EVENTS
from cloudtrail_logging.archive.guard import BUCKET_ADMINISTRATION_ACTIONS
from cloudtrail_logging.archive.trust import trust_problems
from engine_model.mocks import DEPLOYER_ROLE
from engine_model.program import ProgramError
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
CENTRAL_BUS = f"arn:aws:events:us-east-1:{SECURITY}:event-bus/cloudtrail-logging-alerts"


def refused(run_stack: Any, values: dict[str, Any], **kw: Any) -> list[str]:
    with pytest.raises(ProgramError) as caught:
        run_stack(values, **kw)
    assert isinstance(caught.value.cause, pulumi.RunError)
    assert caught.value.registered == ()
    return str(caught.value.cause).splitlines()


def statements(document: str) -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in json.loads(document)["Statement"]}


def scp_statements(stack: Any) -> dict[str, dict[str, Any]]:
    """The statements of the stack's guardrail policies, the logging's and the archive's."""
    found: dict[str, dict[str, Any]] = {}
    for policy in stack.of_type(SCP):
        found |= statements(policy.inputs["content"])
    return found


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


def test_a_deployer_on_a_role_path_is_named_as_aws_names_it(run_stack: Any) -> None:
    pathed = f"arn:aws:iam::{SECURITY}:role/pipelines/deployer"
    stack = run_stack(archive_config(), caller=pathed)
    assert stack.result.outputs["archiveAdministrators"] == [pathed]


@pytest.mark.parametrize("caller", [f"arn:aws:iam::{SECURITY}:user/ci",
                                    f"arn:aws:iam::{SECURITY}:root"])  # fmt: skip
def test_a_user_or_the_root_user_cannot_deploy_the_archive(run_stack: Any, caller: str) -> None:
    # An IAM user's access keys are minted by any IAM administrator of the account; a role's
    # trust policy is what the archive can be judged by.
    assert refused(run_stack, archive_config(), caller=caller) == [
        "cloudtrail-logging:archiveAdministrators: expected a deployment by an IAM role, which the "
        "archive's policies can name, never a user or the root user (the deploying principal is "
        f"{caller})"
    ]


_USER = f"arn:aws:iam::{SECURITY}:user/alice"
_STRANGER = f"arn:aws:iam::{MEMBER}:role/admin"


@pytest.mark.parametrize(
    ("administrator", "expected"),
    [
        (_USER, f'expected IAM role ARNs in the log-archive account (got "{_USER}")'),
        (_STRANGER,
         f'expected a role in the log-archive account {SECURITY} (got "{_STRANGER}")'),
    ],
    ids=["a-named-user", "an-administrator-of-another-account"],
)
def test_an_administrator_who_is_not_an_archive_role_is_refused(
    run_stack: Any, administrator: str, expected: str
) -> None:
    problems = refused(run_stack, archive_config(archiveAdministrators=[DEPLOYER, administrator]))
    assert problems == [f"cloudtrail-logging:archiveAdministrators[1]: {expected}"]


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
        (f"{prefix}topics", "us-east-1"),
        (f"{prefix}roles", "us-east-1"),
        (f"{prefix}organization", "us-east-1"),
        (f"{prefix}identity-providers", "us-east-1"),
        # Two rules watch EventBridge in every Region with a tamper rule, each the other's
        # witness: a rule cannot report its own deletion.
        (f"{prefix}eventbridge", "us-east-1"),
        (f"{prefix}eventbridge", "us-west-2"),
        (f"{prefix}eventbridge-witness", "us-east-1"),
        (f"{prefix}eventbridge-witness", "us-west-2"),
    }
    # The roles rule names the archive's own roles, and every role of the project by prefix.
    roles = rules[(f"{prefix}roles", "us-east-1")]["detail"]["requestParameters"]["roleName"]
    assert roles == [DEPLOYER_ROLE, {"prefix": "cloudtrail-logging-"}]
    assert rules[(f"{prefix}topics", "us-east-1")]["detail"]["$or"] == [
        {"requestParameters": {"topicArn": [{"prefix": f"arn:aws:sns:us-east-1:{SECURITY}:"
                                                       "cloudtrail-logging-"}]}},
        {"requestParameters": {"subscriptionArn": [{"prefix": f"arn:aws:sns:us-east-1:{SECURITY}:"
                                                              "cloudtrail-logging-"}]}},
    ]  # fmt: skip
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
    prefix = "cloudtrail-logging-tamper-"
    assert set(rules_by_region(stack)) == {
        (f"{prefix}trail", "eu-west-1"),
        (f"{prefix}keys", "eu-west-1"),
        (f"{prefix}topics", "eu-west-1"),
        # IAM and Organizations events are recorded in us-east-1 only: the rule there forwards
        # them home, where the home copy matches them.
        (f"{prefix}roles", "us-east-1"),
        (f"{prefix}roles", "eu-west-1"),
        (f"{prefix}organization", "us-east-1"),
        (f"{prefix}organization", "eu-west-1"),
        *((f"{prefix}{watcher}", region) for watcher in ("eventbridge", "eventbridge-witness")
          for region in ("eu-west-1", "us-east-1")),
    }
    targets = {t.name: t.inputs for t in stack.of_type(TARGET) if t.name.startswith("tamper-")}
    away = targets["tamper-roles-us-east-1-to-home-bus"]
    assert away["arn"] == f"arn:aws:events:eu-west-1:{MEMBER}:event-bus/default"
    quiet = run_stack(member_config(tamperAlerts=False), outputs=archive_outputs())
    assert rules_by_region(quiet) == {}


# --- the organization's guardrail SCP -----------------------------------------------------------


def management(run_stack: Any, **overrides: Any) -> Any:
    outputs = archive_outputs(organizationId=ORG, managementAccountId=MANAGEMENT,
                              kmsKeyArn=f"arn:aws:kms:us-east-1:{SECURITY}:key/"
                              "0a1b2c3d-0000-4000-8000-000000000001",
                              eventBusArn=CENTRAL_BUS)  # fmt: skip
    config = member_config(organizationTrail=True, **{"aws:allowedAccountIds": [MANAGEMENT]},
                           **overrides)  # fmt: skip
    return run_stack(config, outputs=outputs)


def test_the_management_stack_attaches_the_guardrail_scp_to_the_root(run_stack: Any) -> None:
    stack = management(run_stack)
    policies = {p.inputs["name"]: p for p in stack.of_type(SCP)}
    assert {n: list(statements(p.inputs["content"])) for n, p in policies.items()} == {
        "cloudtrail-logging-guardrails": ["ProtectLogging", "ProtectKeys",
                                          "DenyLeavingOrganization"],
        "cloudtrail-logging-archive-guardrails": ["ProtectArchive", "ProtectArchiveAccount",
                                                  "DenyArchiveDeletion"],
    }  # fmt: skip
    assert all(p.inputs["type"] == "SERVICE_CONTROL_POLICY" and p.protect
               for p in policies.values())  # fmt: skip
    content = scp_statements(stack)
    # The actions that name no resource are denied with "*", in the archive's account only.
    account = content["ProtectArchiveAccount"]
    assert account["Resource"] == "*" and "sns:Unsubscribe" in account["Action"]
    assert account["Condition"]["StringEquals"] == {"aws:PrincipalAccount": SECURITY}
    logging_resources = content["ProtectLogging"]["Resource"]
    assert "arn:aws:cloudtrail:*:*:trail/cloudtrail-logging" in logging_resources
    assert "arn:aws:iam::*:role/cloudtrail-logging-*" in logging_resources
    assert content["ProtectKeys"]["Condition"]["ForAnyValue:StringLike"] == {
        "kms:ResourceAliases": "alias/cloudtrail-logging-*"
    }
    # In the archive's account only its administrators (and CloudTrail's delivery role to its
    # log group) may act: neither a member pipeline nor the StackSets role is exempt there.
    archive = content["ProtectArchive"]
    assert archive["Condition"]["ArnNotLike"]["aws:PrincipalArn"] == [
        DEPLOYER, f"arn:aws:iam::{SECURITY}:role/cloudtrail-logging-cloudtrail-to-logs"
    ]
    assert f"arn:aws:cloudtrail:*:{SECURITY}:trail/cloudtrail-logging" in archive["Resource"]
    deleted = content["DenyArchiveDeletion"]
    assert f"arn:aws:s3:::cloudtrail-logging-{SECURITY}-us-east-1*" in deleted["Resource"]
    assert "Condition" not in deleted and "s3:PutLifecycleConfiguration" in deleted["Action"]
    attachments = stack.of_type(ATTACHMENT)
    assert len(attachments) == 2 and all(a.protect for a in attachments)
    assert all(a.inputs["targetId"].startswith("r-") for a in attachments)
    assert {p.urn for p in policies.values()} == {
        next(d for d in a.dependencies if d in {p.urn for p in policies.values()})
        for a in attachments
    }
    # The management stack also alerts when the policy is detached or changed, or an account
    # is removed or moved out from under it.
    guard = [r for r in stack.of_type(RULE) if r.inputs["name"].endswith("-tamper-guardrails")]
    assert [json.loads(r.inputs["eventPattern"])["detail"]["eventName"] for r in guard] == [
        list(GUARDRAIL_EVENTS)
    ] * 2  # the home copy matches what the us-east-1 rule forwards
    # Every one of its alerts (from the home rules, which also match what the other Regions
    # forward) reaches the log archive's central bus, whose responders the management account
    # does not control: silencing its own alerts first is seen there.
    home = {r.inputs["name"] for r in stack.of_type(RULE)
            if "-tamper-" in r.inputs["name"] and r.inputs["region"] == "eu-west-1"}
    escalated = {t.inputs["rule"] for t in stack.of_type(TARGET)
                 if t.name.endswith("-to-central-bus")}  # fmt: skip
    assert escalated == home and "cloudtrail-logging-tamper-eventbridge-witness" in home
    assert {t.inputs["arn"] for t in stack.of_type(TARGET)
            if t.name.endswith("-to-central-bus")} == {CENTRAL_BUS}  # fmt: skip
    forwarder = statements(stack.named("tamper-forwarder-policy").inputs["policy"])
    assert CENTRAL_BUS in forwarder["AllowPutEventsToCentralBus"]["Resource"]
    assert {"MoveAccount", "CloseAccount", "RemoveAccountFromOrganization"} <= set(
        GUARDRAIL_EVENTS
    )


def test_a_replica_in_another_account_is_protected_from_deletion_only(run_stack: Any) -> None:
    """Its configuration is its account's (whose own stack names its administrators)."""
    replica = "archive-copies"
    outputs = archive_outputs(organizationId=ORG, managementAccountId=MANAGEMENT,
                              replicaBucketName=replica, replicaAccountId="555555555555")
    config = member_config(organizationTrail=True, **{"aws:allowedAccountIds": [MANAGEMENT]})
    content = scp_statements(run_stack(config, outputs=outputs))
    assert f"arn:aws:s3:::{replica}*" in content["DenyArchiveDeletion"]["Resource"]
    assert f"arn:aws:s3:::{replica}*" not in content["ProtectArchive"]["Resource"]


def test_chosen_targets_and_principals(run_stack: Any) -> None:
    deployer = "arn:aws:iam::*:role/platform-deployer"
    stack = management(run_stack, guardrailTargetIds=["ou-abcd-12345678", "ou-abcd-87654321"],
                       guardrailPrincipals=[deployer])  # fmt: skip
    assert sorted(a.inputs["targetId"] for a in stack.of_type(ATTACHMENT)) == [
        "ou-abcd-12345678", "ou-abcd-12345678", "ou-abcd-87654321", "ou-abcd-87654321"
    ]  # each of the two policies on each target
    content = scp_statements(stack)
    assert deployer in content["ProtectLogging"]["Condition"]["ArnNotLike"]["aws:PrincipalArn"]
    # Nobody can create or take over a role of that name to claim the exemption.
    assert deployer in content["ProtectLogging"]["Resource"]
    assert deployer not in content["ProtectArchive"]["Condition"]["ArnNotLike"]["aws:PrincipalArn"]


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
    assert len(stack.of_type(SCP)) == 2 and not stack.one("aws:cloudtrail/trail:Trail").inputs.get(
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
        'without organizationTrail (got ["r-abcd"])'
    ]


# --- who can assume the roles the archive names ---------------------------------------------


def trust(*principals: Any, action: str = "sts:AssumeRole") -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": p, "Action": action} for p in principals
    ]})  # fmt: skip


READER = f"arn:aws:iam::{SECURITY}:role/security-log-readers"


@pytest.mark.parametrize(
    ("principal", "why"),
    [
        ({"AWS": f"arn:aws:iam::{SECURITY}:root"},
         f"its trust policy admits every principal of account {SECURITY} that an IAM policy "
         f"allows (arn:aws:iam::{SECURITY}:root)"),
        ({"AWS": SECURITY}, f"its trust policy admits every principal of account {SECURITY} "
         f"that an IAM policy allows ({SECURITY})"),
        ("*", 'its trust policy admits any principal ("*")'),
        ({"AWS": f"arn:aws:iam::{SECURITY}:user/alice"},
         "its trust policy admits an IAM user of this account, whose access keys an "
         f"administrator can create (arn:aws:iam::{SECURITY}:user/alice)"),
        ({"AWS": f"arn:aws:iam::{SECURITY}:role/ci-runner"},
         "its trust policy admits a role that is not named itself, which an administrator can "
         f"take over (arn:aws:iam::{SECURITY}:role/ci-runner)"),
        # A session of an unnamed role, whose session name its caller picks.
        ({"AWS": f"arn:aws:sts::{SECURITY}:assumed-role/AdministratorAccess/alice"},
         "its trust policy admits a role that is not named itself, which an administrator can "
         f"take over (arn:aws:iam::{SECURITY}:role/AdministratorAccess)"),
        ({"Service": "lambda.amazonaws.com"},
         "its trust policy admits the service lambda.amazonaws.com: whoever can change that "
         "service's resources in the account acts as the role"),
    ],
    ids=["account-root", "account-id", "anyone", "user", "unnamed-role", "session", "service"],
)  # fmt: skip
def test_an_administrator_role_others_can_assume_is_refused(
    run_stack: Any, principal: Any, why: str
) -> None:
    values = archive_config(archiveAdministrators=[DEPLOYER, OTHER_ADMIN])
    assert refused(run_stack, values, roles={"archive-admins": trust(principal)}) == [
        "cloudtrail-logging:archiveAdministrators[1]: expected a role only named principals can "
        f'assume, but {why} (got "{OTHER_ADMIN}")'
    ]


def test_the_deploying_role_is_judged_too(run_stack: Any) -> None:
    open_trust = trust({"AWS": f"arn:aws:iam::{SECURITY}:root"})
    problems = refused(run_stack, archive_config(), roles={DEPLOYER_ROLE: open_trust})
    assert [p.split(": expected")[0] for p in problems] == [
        "cloudtrail-logging:archiveAdministrators"
    ]


def test_a_reader_role_that_does_not_exist_or_others_can_assume_is_refused(
    run_stack: Any,
) -> None:
    values = archive_config(logReaders=[READER])
    assert refused(run_stack, values, roles={"security-log-readers": None}) == [
        f"cloudtrail-logging:logReaders[0]: expected an existing role of account {SECURITY} "
        f'whose trust policy the preview can read (iam:GetRole found none: got "{READER}")'
    ]
    # A reader role assumed from an unnamed role of the account is refused like an administrator.
    hop = trust({"AWS": f"arn:aws:iam::{SECURITY}:role/analysts"})
    assert len(refused(run_stack, values, roles={"security-log-readers": hop})) == 1


def test_roles_only_named_principals_can_assume_are_accepted(run_stack: Any) -> None:
    values = archive_config(archiveAdministrators=[DEPLOYER, OTHER_ADMIN], logReaders=[READER])
    roles = {
        # An administrator assumed from the deploying role, and from a CI role of another account
        # through OIDC (GitHub Actions) and by ARN.
        "archive-admins": json.dumps({"Version": "2012-10-17", "Statement": [
            *json.loads(trust({"AWS": DEPLOYER},
                              {"AWS": f"arn:aws:iam::{MEMBER}:role/pipelines/deployer"}))[
                                  "Statement"],
            *json.loads(trust({"Federated": f"arn:aws:iam::{SECURITY}:oidc-provider/"
                                            "token.actions.githubusercontent.com"},
                              action="sts:AssumeRoleWithWebIdentity"))["Statement"],
        ]}),
        # A reader assumed by an administrator; URL-encoded as IAM returns it.
        "security-log-readers": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B"
        "%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22AWS%22%3A%22arn%3Aaws%3Aiam%3A%3A"
        f"{SECURITY}%3Arole%2Farchive-admins%22%7D%2C"
        "%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D",
    }
    stack = run_stack(values, roles=roles)
    assert stack.result.outputs["logReaders"] == [READER]


@pytest.mark.parametrize(
    ("statement", "problems"),
    [
        # A Deny, or an Allow of something else than assuming the role, admits nobody.
        ({"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"}, 0),
        ({"Effect": "Allow", "Principal": "*", "Action": "sts:TagSession"}, 0),
        # Every form that covers sts:AssumeRole counts.
        ({"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["sts:*"]}, 1),
        ({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "*"}, 1),
        ({"Effect": "Allow", "Principal": "*", "Action": "sts:Assume*"}, 1),
        ({"Effect": "Allow", "Principal": "*", "Action": "STS:ASSUMEROLE"}, 1),
        ({"Effect": "Allow", "Principal": "*", "NotAction": "s3:*"}, 1),
        ({"Effect": "Allow", "Principal": "*", "NotAction": "sts:*"}, 0),
        ({"Effect": "Allow", "NotPrincipal": {"AWS": DEPLOYER}, "Action": "sts:AssumeRole"}, 1),
        # A named role is compared by name: a trust policy names it without its path.
        ({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{SECURITY}:role/"
                                                  f"{DEPLOYER_ROLE}"},
          "Action": "sts:AssumeRole"}, 0),
    ],
    ids=["deny", "other-action", "sts-star", "star", "wildcard", "case", "not-action",
         "not-action-sts", "not-principal", "named-role"],
)  # fmt: skip
def test_what_a_trust_statement_admits(statement: dict[str, Any], problems: int) -> None:
    document = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    found = trust_problems(document, account_id=SECURITY,
                           trusted_arns=[f"arn:aws:iam::{SECURITY}:role/ops/{DEPLOYER_ROLE}"])
    assert len(found) == problems, found


def test_an_unreadable_trust_policy_is_a_problem() -> None:
    assert trust_problems("{not json", account_id=SECURITY, trusted_arns=[]) == [
        "its trust policy is not JSON"
    ]


# --- what `pulumi destroy` cannot take -------------------------------------------------------


def test_destroy_stops_at_every_guard_of_the_archive(run_stack: Any) -> None:
    """Protection is inherited: every resource under the buckets, the replica and the
    replication role is protected, so a destroy (even one that skips its preview) cannot strip
    the bucket of its policy, encryption, lifecycle, logging or replication and leave it bare."""
    stack = run_stack(archive_config(replicationRegion="us-west-2", objectLockMode="GOVERNANCE",
                                     objectLockRetentionDays=30))  # fmt: skip
    guarded = ("LogBucket", "AccessLogBucket", "Replica", "ReplicationRole")
    under = [r for r in stack.resources
             if any(f"cloudtrail-logging:index:{c}" in r.urn.split("::")[2] for c in guarded)]
    kinds = {r.type.rsplit(":", 1)[1] for r in under}
    assert {"Bucket", "BucketPolicy", "BucketServerSideEncryptionConfiguration",
            "BucketLifecycleConfiguration", "BucketLogging", "BucketObjectLockConfiguration",
            "BucketReplicationConfig", "BucketPublicAccessBlock", "BucketVersioning", "Role",
            "RolePolicy"} <= kinds  # fmt: skip
    assert [r.urn for r in under if not r.protect] == []
    trail = stack.one("aws:cloudtrail/trail:Trail")
    assert trail.protect
    # A member's own trail stays its stack's to remove.
    member = run_stack(member_config(), outputs=archive_outputs())
    assert not member.one("aws:cloudtrail/trail:Trail").protect
    assert management(run_stack).one("aws:cloudtrail/trail:Trail").protect


# --- what a Deny that names resources can stop ------------------------------------------------


@functools.cache
def resource_arns() -> dict[str, tuple[str, ...]]:
    """For each IAM action (lower case), the ARN forms of the resource types it names, as globs
    (the Service Authorization Reference's tables, as parliament ships them); () when it names
    none."""
    path = Path(parliament.__file__).parent / "iam_definition.json"
    found: dict[str, tuple[str, ...]] = {}
    for service in json.loads(path.read_text()):
        forms = {r["resource"]: re.sub(r"\$\{[^}]*\}", "*", r["arn"])
                 for r in service["resources"]}  # fmt: skip
        for privilege in service["privileges"]:
            action = f"{service['prefix']}:{privilege['privilege']}".lower()
            types = [r["resource_type"].rstrip("*") for r in privilege["resource_types"]]
            found[action] = tuple(forms[t] for t in types if t in forms)
    return found


def overlap(a: str, b: str) -> bool:
    """Whether two ARN patterns match some ARN in common. As IAM matches ARNs, each of the six
    colon-separated parts is matched on its own, `*` matching anything within it (IAM User
    Guide, "Amazon Resource Names (ARNs)": wildcards within any ARN segment)."""
    parts_a, parts_b = a.split(":", 5), b.split(":", 5)
    return len(parts_a) == len(parts_b) == 6 and all(map(_glob_overlap, parts_a, parts_b))


def _glob_overlap(a: str, b: str) -> bool:
    """Whether two globs (`*` matching anything) match some string in common."""

    @functools.cache
    def match(i: int, j: int) -> bool:
        if i == len(a) and j == len(b):
            return True
        if i < len(a) and a[i] == "*":
            return match(i + 1, j) or (j < len(b) and match(i, j + 1))
        if j < len(b) and b[j] == "*":
            return match(i, j + 1) or (i < len(a) and match(i + 1, j))
        return i < len(a) and j < len(b) and a[i] == b[j] and match(i + 1, j + 1)

    return match(0, 0)


def ineffective(statement: dict[str, Any]) -> list[str]:
    """The actions of a statement listing resources that none of them could be: an action is
    authorized against its resource types' ARNs, or against `*` when it names none."""
    if statement.get("Resource") == "*":
        return []
    listed = statement["Resource"] if isinstance(statement["Resource"], list) else [
        statement["Resource"]]  # fmt: skip
    actions = statement["Action"] if isinstance(statement["Action"], list) else [
        statement["Action"]]  # fmt: skip
    known = resource_arns()
    found = []
    for pattern in actions:
        matched = [a for a in known if fnmatch.fnmatchcase(a, pattern.lower())]
        assert matched, f"{pattern} names no IAM action"
        if not any(overlap(form, arn) for a in matched for form in known[a] for arn in listed):
            found.append(pattern)
    return found


def test_every_scp_statement_that_lists_resources_denies_actions_that_name_them(
    run_stack: Any,
) -> None:
    stack = management(run_stack, guardrailPrincipals=["arn:aws:iam::*:role/platform-deployer"])
    found = {sid: ineffective(s) for sid, s in scp_statements(stack).items()}
    assert {sid: missed for sid, missed in found.items() if missed} == {}
    # The check itself: sns:Unsubscribe names no resource, so a Deny listing topics misses it,
    # and a role ARN is no instance profile.
    assert ineffective({"Action": ["sns:Unsubscribe", "sns:DeleteTopic"],
                        "Resource": ["arn:aws:sns:*:*:t"]}) == ["sns:Unsubscribe"]  # fmt: skip
    assert ineffective({"Action": ["iam:AddRoleToInstanceProfile", "iam:PassRole"],
                        "Resource": "arn:aws:iam::*:role/r"}) == ["iam:AddRoleToInstanceProfile"]
    assert overlap("arn:*:logs:*:*:log-group:*:log-stream:*", "arn:aws:logs:*:*:log-group:p-*")
    assert not overlap("arn:*:iam::*:instance-profile/*", "arn:aws:iam::*:role/p-*")


def test_every_archive_bucket_deny_names_actions_on_its_resources(run_stack: Any) -> None:
    stack = run_stack(archive_config(replicationRegion="us-west-2"))
    for name in ("log-archive-policy", "access-logs-policy", "replica-policy"):
        document = statements(stack.named(name).inputs["policy"])
        found = {sid: ineffective(s) for sid, s in document.items()}
        assert {sid: missed for sid, missed in found.items() if missed} == {}, name
