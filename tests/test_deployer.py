"""The deployer's IAM policy (cloudtrail_logging/deployer), judged by evaluating it: for every
stack shipped or in examples/, it allows every call the reviewed table says pulumi-aws makes for
each resource the stack registers, and refuses the same calls on another stack's names, another
account and another Region; each document fits the managed-policy quota and passes parliament;
the table names real API operations (botocore) and IAM actions (parliament's definitions)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from parliament import iam_definition

from cloudtrail_logging.deployer import (
    Deployment,
    deployment,
    grants,
    policy_documents,
    requested_calls,
)
from cloudtrail_logging.deployer.calls import INVOKES, TYPES
from cloudtrail_logging.deployer.documents import MANAGED_POLICY_MAX_CHARS, documents, size
from cloudtrail_logging.deployer.scope import Grant, Scope
from engine_model.program import preview_stack
from engine_model.stack_files import load_stack_config
from tests.conftest import MEMBER, ROOT, SECURITY
from tests.support.policy_eval import Decision, Principal, Request, evaluate, evaluate_all
from tests.support.policy_lint import lint
from tests.test_examples import EXAMPLES, project_with, stacks_of

DEPLOYER = "arn:aws:iam::{account}:role/cloudtrail-logging-deployer"
OTHER_ACCOUNT = "999999999999"
OTHER_REGION = "ap-south-1"
# What AWS makes up where the policy has a `*`, for concrete requests.
MADE_UP = (
    (r"key/\*$", "key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    (r"o-\*/", "o-abcdefghij/"),
    (r"/p-\*$", "/p-1a2b3c4d"),
    (r"stackset-target/\*$", "stackset-target/ou-ab12-cdef3456"),
    (r"type/resource/\*$", "type/resource/AWS-Events-Rule"),
    (r"(stackset/[^:]+):\*$", r"\1:8f0e2d3c-4b5a-4978-8796-a5b4c3d2e1f0"),
)


@dataclass(frozen=True)
class Planned:
    label: str
    deployment: Deployment
    name_prefix: str


def _planned(label: str, stack: str, project_dir: Path) -> Planned:
    result = preview_stack(stack, project_dir)
    prefix = load_stack_config(stack, project_dir).values.get(
        "cloudtrail-logging:namePrefix", "cloudtrail-logging")
    return Planned(label, deployment(result.resources, result.outputs, result.invokes, prefix),
                   prefix)


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> list[Planned]:
    found = [_planned(stack, stack, ROOT) for stack in ("security", "dev")]
    for example in sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir()):
        where = project_with(example, tmp_path_factory.mktemp(example))
        found += [_planned(f"{example}/{stack}", stack, where) for stack in stacks_of(example)]
    return found


def identity(document: dict[str, Any]) -> dict[str, Any]:
    """An identity policy judged like a resource policy: every statement applies to the caller."""
    return {**document, "Statement": [{**s, "Principal": "*"} for s in document["Statement"]]}


def concrete(arn: str) -> str:
    for pattern, made_up in MADE_UP:
        arn = re.sub(pattern, made_up, arn)
    return arn


def requests(planned: Planned, grant: Grant) -> Iterator[Request]:
    """A request the grant is for: each resource made concrete, each condition key holding one
    of its values."""
    account = planned.deployment.place.account_id
    context: dict[str, Any] = {}
    for op, key, values in grant.condition:
        context[key] = [values[0]] if op.startswith("For") else values[0]
    for resource in grant.resources:
        if (resource.endswith(":*") and ":log-group:" in resource) or "role/*/" in resource:
            continue  # the same grant's other form is the one requested
        yield Request(Principal.aws(DEPLOYER.format(account=account)), grant.action,
                      concrete(resource), context)


def decide(documents: list[dict[str, Any]], request: Request) -> Decision:
    return evaluate_all([identity(d) for d in documents], request)


def every_request(planned: Planned) -> Iterator[Request]:
    for grant in grants(planned.deployment):
        yield from requests(planned, grant)


# -- the reviewed table ----------------------------------------------------------------------


@cache
def _privileges() -> dict[str, dict[str, Any]]:
    """Action -> its definition; parliament lists IAM twice, the newer reference first."""
    found: dict[str, dict[str, Any]] = {}
    for service in iam_definition:
        for privilege in service["privileges"]:
            found.setdefault(f"{service['prefix']}:{privilege['privilege']}".lower(), privilege)
    return found


@cache
def _arn_formats(prefix: str) -> dict[str, str]:
    return {r["resource"]: r["arn"] for service in reversed(iam_definition)
            if service["prefix"] == prefix for r in service["resources"]}


def _arn_matches(template: str, arn: str) -> bool:
    """An ARN (`*` where AWS makes a part up) of the form the reference gives a resource type."""
    pattern = re.sub(r"\\\$\\\{[A-Za-z]+\\\}", ".+", re.escape(template))
    return re.fullmatch(pattern, arn.replace("*", "x")) is not None


def test_every_row_names_a_real_api_operation_and_iam_action() -> None:
    session = botocore.session.get_session()
    models: dict[str, Any] = {}
    rows = [(t, c) for t, table in {**TYPES, **INVOKES}.items() for c in table.calls]
    assert len(rows) > 150
    for type_, call in rows:
        service, operation = call.api.split(".")
        if service not in models:
            models[service] = session.get_service_model(service)
        assert operation in models[service].operation_names, (type_, call.api)
        assert call.action.lower() in _privileges(), (type_, call.action)
    for table in TYPES.values():
        assert table.source.startswith("hashicorp/terraform-provider-aws internal/service/")


def test_every_granted_resource_is_of_a_type_its_action_is_authorized_on(
    plans: list[Planned],
) -> None:
    checked = 0
    for planned in plans:
        for grant in grants(planned.deployment):
            privilege = _privileges()[grant.action.lower()]
            kinds = [r["resource_type"].rstrip("*") for r in privilege["resource_types"]]
            formats = _arn_formats(grant.action.split(":")[0])
            for resource in grant.resources:
                if resource == "*":
                    # Only an action that names no resource type is granted on everything.
                    assert "" in kinds and not any(k.endswith("*") for k in
                        (r["resource_type"] for r in privilege["resource_types"])), grant.action
                    continue
                assert any(_arn_matches(formats[k], resource) for k in kinds if k), (
                    planned.label, grant.action, resource)
                checked += 1
    assert checked > 1000


def test_every_registered_type_has_reviewed_calls(plans: list[Planned]) -> None:
    types = {r.type for p in plans for r in p.deployment.resources if r.custom and not r.read}
    assert types <= set(TYPES)
    assert len(types) >= 30  # every type the program registers, across the stacks


# -- the documents ---------------------------------------------------------------------------


def test_each_document_fits_the_managed_policy_quota_and_passes_parliament(
    plans: list[Planned],
) -> None:
    for planned in plans:
        documents = policy_documents(planned.deployment)
        assert 1 <= len(documents) <= 10, (planned.label, len(documents))
        for document in documents:
            assert size(document) <= MANAGED_POLICY_MAX_CHARS, planned.label
            # What IAM counts: no white space outside strings.
            text = json.dumps(document, indent=2)
            assert len(re.sub(r'\s+(?=(?:[^"]*"[^"]*")*[^"]*$)', "", text)) == size(document)
            findings = lint(document, resource_policy=False)
            assert [f for f in findings if not _writes_its_buckets_policy(planned, f)] == [], (
                planned.label)


ESCALATION = re.compile(
    r"MEDIUM RESOURCE_POLICY_PRIVILEGE_ESCALATION: Possible resource policy privilege escalation"
    r" on arn:aws[\w-]*:s3:::(?P<bucket>\S+) due to s3:\w+ not being allowed, but does allow "
    r"s3:(PutBucketPolicy|PutLifecycleConfiguration)"
)


def _writes_its_buckets_policy(planned: Planned, finding: str) -> bool:
    """parliament's one finding the deployer keeps: whoever writes a bucket's policy (or its
    lifecycle) could write one that lets it read or delete objects. Deploying the archive is
    writing those documents; only for the stack's own buckets, and the archive's policies
    refuse it to everyone but the named archive administrators."""
    found = ESCALATION.fullmatch(finding)
    buckets = {r.inputs.get("bucket") for r in planned.deployment.resources
               if r.type == "aws:s3/bucket:Bucket"}
    return found is not None and found["bucket"] in buckets


def test_it_allows_every_call_of_every_resource_of_the_plan(plans: list[Planned]) -> None:
    counted = 0
    for planned in plans:
        documents = policy_documents(planned.deployment)
        for request in every_request(planned):
            assert decide(documents, request) is Decision.ALLOW, (planned.label, request)
            counted += 1
    assert counted > 3000


def _other_prefix(planned: Planned, request: Request) -> Request | None:
    prefix = planned.name_prefix
    parts = request.resource.split(":", 5)
    context = {k: (json.loads(json.dumps(v).replace(prefix, "other")) if "Aliases" in k else v)
               for k, v in request.context.items()}
    if len(parts) == 6 and prefix in parts[5]:
        resource = ":".join([*parts[:5], parts[5].replace(prefix, "other", 1)])
        return Request(request.principal, request.action, resource, context)
    if context != dict(request.context):
        return Request(request.principal, request.action, request.resource, context)
    return None


def _other_account(request: Request) -> Request | None:
    parts = request.resource.split(":", 5)
    if len(parts) < 6 or not parts[4]:
        return None
    resource = ":".join([*parts[:4], OTHER_ACCOUNT, parts[5]])
    return Request(request.principal, request.action, resource, request.context)


def _other_region(request: Request) -> Request | None:
    if "aws:RequestedRegion" not in request.context:
        return None  # a global service: IAM, Organizations
    parts = request.resource.split(":", 5)
    resource = request.resource
    if len(parts) == 6 and parts[3]:
        resource = ":".join([*parts[:3], OTHER_REGION, *parts[4:]])
    context = {**request.context, "aws:RequestedRegion": OTHER_REGION}
    return Request(request.principal, request.action, resource, context)


def test_it_refuses_the_same_calls_outside_the_stack(plans: list[Planned]) -> None:
    refused = {"prefix": 0, "account": 0, "region": 0}
    for planned in plans:
        documents = policy_documents(planned.deployment)
        for request in every_request(planned):
            for kind, other in (("prefix", _other_prefix(planned, request)),
                                ("account", _other_account(request)),
                                ("region", _other_region(request))):
                if other is None:
                    continue
                assert decide(documents, other) is not Decision.ALLOW, (planned.label, kind,
                                                                        other)
                refused[kind] += 1
    assert all(n > 500 for n in refused.values()), refused


# -- what it grants, by hand -----------------------------------------------------------------


def _documents(plans: list[Planned], label: str) -> list[dict[str, Any]]:
    (planned,) = [p for p in plans if p.label == label]
    return policy_documents(planned.deployment)


def _ask(account: str, action: str, resource: str, **context: Any) -> Request:
    return Request(Principal.aws(DEPLOYER.format(account=account)), action, resource, context)


def test_the_archive_deployer_writes_its_bucket_and_never_deletes_it(plans: list[Planned]) -> None:
    documents = _documents(plans, "security")
    bucket = f"arn:aws:s3:::cloudtrail-logging-{SECURITY}-us-east-1"
    here = {"aws:RequestedRegion": "us-east-1"}
    for action in ("s3:PutBucketPolicy", "s3:PutLifecycleConfiguration", "s3:CreateBucket",
                   "s3:PutEncryptionConfiguration", "s3:PutBucketObjectLockConfiguration"):
        assert decide(documents, _ask(SECURITY, action, bucket, **here)) is Decision.ALLOW
    # The bucket and every setting that guards it are protected: no delete is granted.
    for action in ("s3:DeleteBucket", "s3:DeleteBucketPolicy"):
        assert decide(documents, _ask(SECURITY, action, bucket, **here)) is not Decision.ALLOW
    assert decide(documents, _ask(SECURITY, "s3:PutBucketPolicy",
                                  "arn:aws:s3:::someone-elses-bucket", **here)) is not (
        Decision.ALLOW)


def test_roles_are_passed_only_to_their_service(plans: list[Planned]) -> None:
    documents = _documents(plans, "dev")
    role = f"arn:aws:iam::{MEMBER}:role/cloudtrail-logging-cloudtrail-to-logs"
    passed = _ask(MEMBER, "iam:PassRole", role, **{"iam:PassedToService":
                                                    "cloudtrail.amazonaws.com"})
    assert decide(documents, passed) is Decision.ALLOW
    elsewhere = _ask(MEMBER, "iam:PassRole", role, **{"iam:PassedToService": "ec2.amazonaws.com"})
    assert decide(documents, elsewhere) is not Decision.ALLOW
    forwarder = f"arn:aws:iam::{MEMBER}:role/cloudtrail-logging-event-forwarder"
    assert decide(documents, _ask(MEMBER, "iam:PassRole", forwarder, **{
        "iam:PassedToService": "cloudtrail.amazonaws.com"})) is not Decision.ALLOW


def test_a_members_keys_are_administered_only_under_the_stacks_aliases(
    plans: list[Planned],
) -> None:
    documents = _documents(plans, "dev")
    key = f"arn:aws:kms:eu-west-1:{MEMBER}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    region = {"aws:RequestedRegion": "eu-west-1"}
    ours = _ask(MEMBER, "kms:PutKeyPolicy", key, **region,
                **{"kms:ResourceAliases": ["alias/cloudtrail-logging-messaging"]})
    assert decide(documents, ours) is Decision.ALLOW
    theirs = _ask(MEMBER, "kms:PutKeyPolicy", key, **region,
                  **{"kms:ResourceAliases": ["alias/payments"]})
    assert decide(documents, theirs) is not Decision.ALLOW
    # Created symmetric, single-Region, of KMS's own material: nothing else.
    spec = {"kms:KeySpec": "SYMMETRIC_DEFAULT", "kms:KeyUsage": "ENCRYPT_DECRYPT",
            "kms:KeyOrigin": "AWS_KMS", "kms:MultiRegion": "false", **region}
    assert decide(documents, _ask(MEMBER, "kms:CreateKey", "*", **spec)) is Decision.ALLOW
    external = {**spec, "kms:KeyOrigin": "EXTERNAL"}
    assert decide(documents, _ask(MEMBER, "kms:CreateKey", "*", **external)) is not (
        Decision.ALLOW)


def test_the_archives_keys_are_administered_by_their_key_policy(plans: list[Planned]) -> None:
    """Necessary, not sufficient: the archive's key policies name the archive administrators
    and not the account, so no IAM policy reaches them; the deploying administrator gets every
    key-level call of the table from the key policy itself."""
    (planned,) = [p for p in plans if p.label == "security"]
    deployer = Principal.aws(DEPLOYER.format(account=SECURITY))
    key_calls = {c.action for c in TYPES["aws:kms/key:Key"].calls if c.on == "key"
                 and c.op != "delete"}
    keys = [r for r in planned.deployment.resources if r.type == "aws:kms/key:Key"]
    assert len(keys) == 4  # the log key, the replica's, the messaging key, the logs group's
    for key in keys:
        policy = json.loads(key.inputs["policy"])
        arn = concrete(Scope(planned.deployment.place, []).arns(key, "key")[0])
        for action in key_calls:
            assert evaluate(policy, Request(deployer, action, arn)) is Decision.ALLOW, action
        # Administration is not the account's to delegate: no IAM policy reaches it.
        for who in (Principal.aws(SECURITY), Principal.aws(f"arn:aws:iam::{SECURITY}:role/Admin")):
            for action in ("kms:PutKeyPolicy", "kms:UpdateKeyDescription"):
                assert evaluate(policy, Request(who, action, arn)) is not Decision.ALLOW


def test_an_organizations_deployer_changes_only_service_control_policies(
    plans: list[Planned],
) -> None:
    documents = _documents(plans, "organization/org-management")
    scp = "arn:aws:organizations::333333333333:policy/o-abcdefghij/service_control_policy/p-1"
    scp_type = {"organizations:PolicyType": "SERVICE_CONTROL_POLICY"}
    assert decide(documents, _ask("333333333333", "organizations:UpdatePolicy", scp,
                                  **scp_type)) is Decision.ALLOW
    tagging = scp.replace("service_control_policy", "tag_policy")
    assert decide(documents, _ask("333333333333", "organizations:UpdatePolicy", tagging, **{
        "organizations:PolicyType": "TAG_POLICY"})) is not Decision.ALLOW
    # The StackSets reach only the stack's target Regions.
    stack_set = "arn:aws:cloudformation:us-east-1:333333333333:stackset/cloudtrail-logging-"
    requests_ = [r for r in every_request(next(p for p in plans
                                               if p.label == "organization/org-management"))
                 if r.action == "cloudformation:CreateStackInstances"
                 and r.resource.startswith(stack_set)]
    assert requests_
    far = Request(requests_[0].principal, requests_[0].action, requests_[0].resource,
                  {**requests_[0].context, "cloudformation:TargetRegion": [OTHER_REGION]})
    assert decide(documents, far) is not Decision.ALLOW


def test_delete_is_granted_only_for_resources_that_are_not_protected(
    plans: list[Planned],
) -> None:
    for planned in plans:
        for resource, call in requested_calls(planned.deployment):
            if call.op == "delete":
                assert not resource.protect, (planned.label, resource.urn)
        protected = [r for r in planned.deployment.resources if r.protect and r.custom]
        assert protected, planned.label


def test_the_command_prints_the_documents(capsys: pytest.CaptureFixture[str]) -> None:
    import scripts.deployer_policy as command

    assert command.main(["dev"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["stack"] == "dev"
    names = [d["name"] for d in printed["documents"]]
    assert names[0] == "cloudtrail-logging-deployer-dev-1"
    assert all(d["characters"] <= MANAGED_POLICY_MAX_CHARS for d in printed["documents"])
    assert command.main(["no-such-stack"]) == 1
    assert "no such stack file" in capsys.readouterr().err


def test_a_statement_too_long_for_one_document_is_split_by_its_resources() -> None:
    """Each part fits the limit, keeps the action, and together they name every resource."""
    resources = tuple(f"arn:aws:s3:::bucket-{n:03d}" for n in range(60))
    docs = documents([Grant("s3:GetBucketPolicy", resources)], limit=1_000)
    assert len(docs) > 1 and all(size(d) <= 1_000 for d in docs)
    parts = [s for d in docs for s in d["Statement"]]
    assert {a for s in parts for a in s["Action"]} == {"s3:GetBucketPolicy"}
    assert sorted(r for s in parts for r in s["Resource"]) == sorted(resources)
