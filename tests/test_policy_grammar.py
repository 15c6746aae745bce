"""Every policy document a plan holds, of every kind of stack and every option, is valid IAM
grammar (tests/support/policy_lint.py: parliament minus its documented false positives).

The documents are found by walking the plan, not listed by hand, so a document a later change
adds is linted too; each configuration below switches on options that change which documents
exist or what they say.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import fields, is_dataclass
from functools import cache
from typing import Any

import pytest

from cloudtrail_logging.outputs import destination_from_outputs, local_destination
from cloudtrail_logging.plan import checked_plan
from cloudtrail_logging.plan.parts import Plan
from tests.conftest import SECURITY, archive_config, member_config, parse_config
from tests.support.policy_lint import lint

ORG = "o-abc123def4"
MANAGEMENT = "333333333333"
OTHER = "444444444444"
READER = f"arn:aws:iam::{SECURITY}:role/log-readers"
ADMIN = f"arn:aws:iam::{SECURITY}:role/cloudtrail-logging-deployer"
LAMBDA = f"arn:aws:lambda:us-east-1:{SECURITY}:function:on-log"
LOG_KEY = f"arn:aws:kms:us-east-1:{SECURITY}:key/0a1b2c3d-0000-4000-8000-000000000001"
FOREIGN_KEY = f"arn:aws:kms:eu-west-1:{OTHER}:key/0a1b2c3d-0000-4000-8000-000000000002"
ALERTS = [
    {"name": "ec2-run-instances", "eventSource": "ec2.amazonaws.com",
     "eventNames": ["RunInstances"]},
    {"name": "root-activity", "eventSource": "signin.amazonaws.com", "eventNames": ["ConsoleLogin"],
     "userIdentityType": "Root"},
]  # fmt: skip
ORGANIZATION = {"organizationId": ORG, "managementAccountId": MANAGEMENT}

ARCHIVES: dict[str, dict[str, Any]] = {
    "defaults": {},
    "sse-s3-no-access-logs-no-tamper-alerts": {
        "encryption": "sse-s3", "accessLogging": False, "tamperAlerts": False,
    },
    "readers-lock-local-replica-notifications": {
        "logReaders": [READER], "archiveAdministrators": [ADMIN],
        "objectLockMode": "COMPLIANCE", "objectLockRetentionDays": 365,
        "replicationRegion": "us-west-2", "bucketNotificationTargets": ["sns", "sqs", "lambda"],
        "bucketNotificationLambdaArn": LAMBDA, "trailNotificationTargets": ["sqs"],
        "apiAlerts": ALERTS, "alertEmail": "alerts@example.com", "insights": True,
    },
    "organization-prefix-per-account-form": {
        **ORGANIZATION, "s3KeyPrefix": "central", "bucketPolicyForm": "per-account",
        "logGroupKms": False, "cisControls": [], "apiAlerts": ALERTS,
    },
    "foreign-replica-sse-s3": {
        "encryption": "sse-s3", "replicationRegion": "eu-west-1", "replicationAccountId": OTHER,
        "replicationBucket": "evidence-copy", "replicationKmsKeyArn": FOREIGN_KEY,
        "objectLockMode": "GOVERNANCE", "objectLockRetentionDays": 30,
    },
    "aws-cn-partition": {"aws:region": "cn-north-1"},
}  # fmt: skip
MEMBERS: dict[str, tuple[str, dict[str, Any]]] = {
    "defaults": ("accounts", {}),
    "alerts-notifications-no-cloudwatch-kms": ("accounts", {
        "apiAlerts": ALERTS, "alertRegions": ["eu-west-1", "us-east-1"],
        "trailNotificationTargets": ["sqs", "lambda"],
        "trailNotificationLambdaArn": "arn:aws:lambda:eu-west-1:111111111111:function:f",
        "logGroupKms": False, "insights": True,
    }),
    "management-organization-trail": ("organization", {
        "aws:allowedAccountIds": [MANAGEMENT], "organizationTrail": True,
        "guardrailPrincipals": ["arn:aws:iam::*:role/platform-deployer"],
        "organizationalUnitIds": ["ou-abcd-12345678"], "apiAlerts": ALERTS,
    }),
    "management-guardrail-without-organization-trail": ("organization", {
        "aws:allowedAccountIds": [MANAGEMENT], "guardrailPolicy": "on",
    }),
}  # fmt: skip


@cache
def archive_plan(name: str) -> Plan:
    overrides = dict(ARCHIVES[name])
    settings = parse_config(archive_config(**overrides))
    return checked_plan(settings, local_destination(settings))


def member_plan(name: str) -> Plan:
    mode, overrides = MEMBERS[name]
    organization = mode == "organization"
    archive = archive_plan("organization-prefix-per-account-form" if organization else "defaults")
    outputs = {**archive.static_outputs(), "kmsKeyArn": LOG_KEY}
    settings = parse_config(member_config(**overrides))
    destination = destination_from_outputs("organization/cloudtrail-logging/security", outputs,
                                           settings)  # fmt: skip
    return checked_plan(settings, destination)


# (owner, field) of the plan's documents that are not resource policies.
KEY_POLICIES = {("KeyPlan", "policy"), ("ReplicationPlan", "key_policy"),
                ("ReplicationPlan", "key_statements")}  # fmt: skip
IDENTITY_POLICIES = {("RolePlan", "policy"), ("GuardrailPlan", "content")}
TRUST_POLICIES = {("RolePlan", "trust_policy")}
# Inside a CloudFormation template (the StackSets): a role's inline policies.
TEMPLATE_IDENTITY_KEYS = {"PolicyDocument"}
TEMPLATE_TRUST_KEYS = {"AssumeRolePolicyDocument"}


# What CloudFormation substitutes in a StackSet instance's account (for the lint to see ARNs).
PSEUDO = {"AWS::Partition": "aws", "AWS::AccountId": "555555555555", "AWS::Region": "eu-west-1"}


def resolved(node: Any) -> Any:
    """A template with `Ref` and `Fn::Sub` of pseudo parameters replaced by their values."""
    if isinstance(node, Mapping):
        if set(node) == {"Ref"} and node["Ref"] in PSEUDO:
            return PSEUDO[node["Ref"]]
        if set(node) == {"Fn::Sub"} and isinstance(node["Fn::Sub"], str):
            text = node["Fn::Sub"]
            for name, value in PSEUDO.items():
                text = text.replace(f"${{{name}}}", value)
            return text
        return {key: resolved(value) for key, value in node.items()}
    if isinstance(node, list):
        return [resolved(value) for value in node]
    return node


def documents(node: Any, where: tuple[str, str] = ("Plan", "")) -> Iterator[tuple[str, str, Any]]:
    """(kind, path, document) for every policy document under `node`: a mapping with a
    `Statement`, or a bare list of statements (a key policy's share another account applies)."""
    if is_dataclass(node) and not isinstance(node, type):
        for f in fields(node):
            if f.name in ("settings", "destination"):
                continue
            yield from documents(getattr(node, f.name), (type(node).__name__, f.name))
    elif isinstance(node, Mapping):
        if "Statement" in node:
            kind = ("key" if where in KEY_POLICIES else
                    "trust" if where in TRUST_POLICIES or where[1] in TEMPLATE_TRUST_KEYS else
                    "identity" if where in IDENTITY_POLICIES or where[1] in TEMPLATE_IDENTITY_KEYS
                    else "resource")  # fmt: skip
            yield kind, ".".join(where), node
            return
        for key, value in node.items():
            yield from documents(value, (where[0], str(key)))
    elif isinstance(node, str) and where[1].endswith("template_body"):
        template = resolved(json.loads(node))
        yield from documents(template, (f"{where[0]}.{where[1]}", ""))
    elif isinstance(node, list | tuple):
        if node and all(isinstance(s, Mapping) and "Effect" in s for s in node):
            statements = {"Version": "2012-10-17", "Statement": list(node)}
            yield from documents(statements, where)
            return
        for value in node:
            yield from documents(value, where)


# Findings of parliament on a statement that follows its AWS guide to the letter (the guide is
# registered under the Sid in cloudtrail_logging/sources.py): (Sid, issue) -> why it is wrong.
DOCUMENTED_FORMS = {
    ("AllowCloudWatchLogsUseForLogGroup", "MISMATCHED_TYPE"):
        "the CloudWatch Logs guide conditions kms:EncryptionContext:aws:logs:arn with ArnEquals; "
        "parliament types every encryption-context key as String",
    ("AllowCloudWatchLogsUseForLogGroup", "UNKNOWN_CONDITION_FOR_ACTION"):
        "the guide's kms:Describe* under that context: parliament expands the wildcard to actions "
        "without an encryption context, which the condition then simply leaves out",
    ("ReplicationBucket", "RESOURCE_MISMATCH"):
        "the S3 guide's cross-account destination policy grants s3:List* on the bucket; the List "
        "actions of other resource types do not apply to it, they are not an error",
}  # fmt: skip
# A role's trust policy has no Resource (IAM User Guide, "IAM JSON policy elements: Resource":
# not in a role trust policy); parliament judges it as a permissions policy.
TRUST_FORM = "MALFORMED: Statement contains neither Resource nor NotResource"


def _lint(kind: str, document: Mapping[str, Any]) -> list[str]:
    found = lint(document, resource_policy=kind != "identity", key_policy=kind == "key")
    return [f for f in found if not (kind == "trust" and TRUST_FORM in f)]


def issue(finding: str) -> str:
    """The issue of a finding "SEVERITY ISSUE: detail"."""
    return finding.split()[1].rstrip(":")


def findings(plan: Plan) -> dict[str, list[str]]:
    """Every finding, by document, less those of DOCUMENTED_FORMS (the statements of a document
    with findings are linted one by one to tell whose they are)."""
    found = {}
    for n, (kind, path, document) in enumerate(documents(plan)):
        problems = set(_lint(kind, document))
        if problems:
            for statement in document["Statement"]:
                alone = _lint(kind, {"Version": "2012-10-17", "Statement": [statement]})
                sid = statement.get("Sid")
                problems -= {f for f in alone if (sid, issue(f)) in DOCUMENTED_FORMS}
        if problems:
            found[f"{n}:{kind}:{path}"] = sorted(problems)
    return found


def kinds(plan: Plan) -> set[str]:
    return {kind for kind, _path, _doc in documents(plan)}


@pytest.mark.parametrize("name", ARCHIVES)
def test_every_document_of_a_log_archive_stack_is_valid_iam_grammar(name: str) -> None:
    plan = archive_plan(name)
    assert kinds(plan) >= {"key", "resource"}
    assert findings(plan) == {}


@pytest.mark.parametrize("name", MEMBERS)
def test_every_document_of_a_member_stack_is_valid_iam_grammar(name: str) -> None:
    plan = member_plan(name)
    assert kinds(plan) >= {"key", "resource"}
    assert findings(plan) == {}


def test_the_walk_finds_every_kind_of_document_the_options_add() -> None:
    """The options above do reach the documents they are chosen for (else the walk, or the
    configuration, has gone stale and the lint proves less than it says)."""
    plan = archive_plan("readers-lock-local-replica-notifications")
    full = {path for _k, path, _d in documents(plan)}
    assert {"ReplicationPlan.key_policy", "ReplicationPlan.bucket_policy", "RolePlan.trust_policy",
            "RolePlan.policy", "KeyPlan.policy", "AccessLogPlan.policy",
            "BucketPlan.policy"} <= full  # fmt: skip
    foreign = {path for _k, path, _d in documents(archive_plan("foreign-replica-sse-s3"))}
    assert "ReplicationPlan.key_statements" in foreign
    management = {path for _k, path, _d in documents(member_plan("management-organization-trail"))}
    assert {"GuardrailPlan.content", "OrganizationPlan.role_template_body.AssumeRolePolicyDocument",
            "OrganizationPlan.role_template_body.PolicyDocument"} <= management  # fmt: skip
    [trust] = [d for _k, p, d in documents(member_plan("management-organization-trail"))
               if p.endswith("AssumeRolePolicyDocument")]  # fmt: skip
    assert "Fn::Sub" not in json.dumps(trust) and "555555555555" in json.dumps(trust)


def test_a_document_without_version_or_with_a_broken_one_is_a_finding() -> None:
    """What the walk would report for a document that lost or misspelt its Version."""
    plan = archive_plan("defaults")
    assert plan.bucket is not None
    policy = dict(plan.bucket.policy)
    del policy["Version"]
    assert any("NO_VERSION" in f for f in lint(policy))
    assert any("INVALID_VERSION" in f for f in lint({**policy, "Version": "2012-10-18"}))
