"""The policy pack on the shipped stacks' offline previews, and on mutated copies of them.

Every mutation is an insecure edit someone could make to the program; each must give a
mandatory violation of the named policy, reported on the resource that was edited (or, for a
bucket-wide rule, on the bucket). The unedited stacks stay clean.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest

from engine_model.analyzer import PolicyPackProcess, PolicyReport
from engine_model.model import UNKNOWN, CapturedResource
from engine_model.program import preview_stack
from offline.cli import POLICY_PACK_DIR

Resources = list[CapturedResource]
Mutation = Callable[[Resources], tuple[Resources, str]]
OUTSIDER = "999999999999"

BUCKET = "aws:s3/bucket:Bucket"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
TRAIL = "aws:cloudtrail/trail:Trail"
KEY = "aws:kms/key:Key"
TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy"
BUS_POLICY = "aws:cloudwatch/eventBusPolicy:EventBusPolicy"
ROLE = "aws:iam/role:Role"


@pytest.fixture(scope="module")
def pack() -> Iterator[PolicyPackProcess]:
    with PolicyPackProcess(POLICY_PACK_DIR) as process:
        yield process


@pytest.fixture(scope="module")
def shipped() -> dict[str, Resources]:
    return {name: list(preview_stack(name).resources) for name in ("security", "dev")}


def analyze(pack: PolicyPackProcess, resources: Resources, stack: str) -> PolicyReport:
    return pack.analyze(resources, project="cloudtrail-logging", stack=stack)


@pytest.mark.parametrize("stack", ["security", "dev"])
def test_shipped_stacks_have_no_violation(
    pack: PolicyPackProcess, shipped: dict[str, Resources], stack: str
) -> None:
    report = analyze(pack, shipped[stack], stack)
    assert list(report.violations) == [], [v.message for v in report.violations]
    assert report.mandatory_count == 0


# --- edits ---------------------------------------------------------------------------------------


def of_type(resources: Resources, type_: str) -> CapturedResource:
    """The resource of this type; of several (log and access-log buckets), the log archive's."""
    found = [r for r in resources if r.type == type_]
    return next((r for r in found if r.name.startswith("log-archive-")), found[0])


def key_with_statement(resources: Resources, sid: str) -> CapturedResource:
    """The KMS key whose policy has a statement with this Sid (the log key: AllowCloudTrail...)."""
    return next(
        r
        for r in resources
        if r.type == KEY and any(s.get("Sid") == sid for s in statements_of(r, "policy"))
    )


def unconditional_role(resources: Resources) -> CapturedResource:
    """A role whose trust statements carry no condition (CloudTrail's delivery role)."""
    return next(
        r
        for r in resources
        if r.type == ROLE
        and not any("Condition" in s for s in statements_of(r, "assumeRolePolicy"))
    )


def statements_of(resource: CapturedResource, prop: str) -> list[dict[str, Any]]:
    return list(json.loads(resource.inputs[prop])["Statement"])


@dataclass(frozen=True)
class Edit:
    """A change to one resource of a stack: which resource it picks and what it does."""

    pick: Callable[[Resources], CapturedResource]
    change: Callable[[dict[str, Any]], dict[str, Any]]

    def __call__(self, resources: Resources) -> tuple[Resources, str]:
        target = self.pick(resources)
        changed = replace(target, inputs=self.change(dict(target.inputs)))
        return [changed if r is target else r for r in resources], target.name


def statements(
    prop: str, edit: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def change(inputs: dict[str, Any]) -> dict[str, Any]:
        document = json.loads(inputs[prop])
        document["Statement"] = edit(list(document["Statement"]))
        return {**inputs, prop: json.dumps(document)}

    return change


def add(statement: dict[str, Any]) -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    return lambda s: [*s, statement]


def drop(sid: str) -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    def edit(existing: list[dict[str, Any]]) -> list[dict[str, Any]]:
        assert any(s.get("Sid") == sid for s in existing), f"no statement {sid}"
        return [s for s in existing if s.get("Sid") != sid]

    return edit


def rewrite(sid: str, **fields: Any) -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    def edit(existing: list[dict[str, Any]]) -> list[dict[str, Any]]:
        assert any(s.get("Sid") == sid for s in existing), f"no statement {sid}"
        return [{**s, **fields} if s.get("Sid") == sid else s for s in existing]

    return edit


def without_condition(sid: str) -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    return lambda s: [
        {k: v for k, v in x.items() if k != "Condition"} if x.get("Sid") == sid else x for x in s
    ]


def inputs(**values: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda i: {**i, **values}


def basic_selectors(selectors: list[dict[str, Any]]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Basic event selectors instead of the trail's own (CloudTrail takes one kind or the other)."""
    return lambda i: {
        **{k: v for k, v in i.items() if k != "advancedEventSelectors"},
        "eventSelectors": selectors,
    }


def allow_everywhere(sid: str, principal: Any, action: Any) -> dict[str, Any]:
    """An Allow statement of `principal` on every resource."""
    return {
        "Sid": sid, "Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*"
    }


PUBLIC_KMS_ADMIN = allow_everywhere("Everyone", "*", "kms:*")
PUBLIC_DECRYPT = allow_everywhere("EveryoneDecrypts", {"AWS": "*"}, "kms:Decrypt")
OPEN_TOPIC = allow_everywhere("Open", "*", ["sns:Publish", "sns:Subscribe"])
OPEN_QUEUE = allow_everywhere("Open", {"AWS": "*"}, "sqs:*")


def outsider_read(resources: Resources) -> dict[str, Any]:
    bucket = of_type(resources, BUCKET).inputs["bucket"]
    return {
        "Sid": "Outsider",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{OUTSIDER}:root"},
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
    }


def org_wildcard_read(resources: Resources) -> dict[str, Any]:
    bucket = of_type(resources, BUCKET).inputs["bucket"]
    return {
        "Sid": "OrgWildcard",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
        "Condition": {"StringLike": {"aws:PrincipalOrgID": "o-*"}},
    }


def with_bucket_statement(make: Callable[[Resources], dict[str, Any]]) -> Mutation:
    """Add the statement `make` builds to the log bucket's policy; the finding names the policy."""

    def mutate(resources: Resources) -> tuple[Resources, str]:
        edit = Edit(lambda r: of_type(r, BUCKET_POLICY), statements("policy", add(make(resources))))
        return edit(resources)

    return mutate


def on_bucket(edit: Edit) -> Callable[[Resources], tuple[Resources, str]]:
    """Apply `edit` and expect the finding on the bucket (bucket-wide rules report there)."""

    def mutate(resources: Resources) -> tuple[Resources, str]:
        changed, _ = edit(resources)
        return changed, of_type(changed, BUCKET).name

    return mutate


def bucket_policy_edit(
    change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
) -> Callable[[Resources], tuple[Resources, str]]:
    """`change` the bucket policy's statements and expect the finding on the bucket."""
    return on_bucket(Edit(lambda r: of_type(r, BUCKET_POLICY), statements("policy", change)))


def inline_bucket_policy(resources: Resources) -> Resources:
    """The legacy form: the bucket policy as the Bucket's inline `policy`, no BucketPolicy."""
    policy = of_type(resources, BUCKET_POLICY)
    bucket = of_type(resources, BUCKET)
    return [
        replace(r, inputs={**r.inputs, "policy": policy.inputs["policy"]}) if r is bucket else r
        for r in resources
        if r is not policy
    ]


def inline_encryption_and_versioning(resources: Resources) -> Resources:
    """The legacy forms: SSE and versioning inline on the Bucket."""
    sse, versioning = of_type(resources, SSE), of_type(resources, VERSIONING)
    bucket = of_type(resources, BUCKET)
    inline = {
        "serverSideEncryptionConfiguration": {"rule": sse.inputs["rules"][0]},
        "versioning": {"enabled": True},
    }
    return [
        replace(r, inputs={**r.inputs, **inline}) if r is bucket else r
        for r in resources
        if r is not sse and r is not versioning
    ]


def legacy_inline_without(sid: str) -> Callable[[Resources], tuple[Resources, str]]:
    def mutate(resources: Resources) -> tuple[Resources, str]:
        inline = inline_bucket_policy(resources)
        edited, _ = Edit(lambda r: of_type(r, BUCKET), statements("policy", drop(sid)))(inline)
        return edited, of_type(edited, BUCKET).name

    return mutate


KMS_EXCLUDED = [
    {
        "name": "management without KMS",
        "fieldSelectors": [
            {"field": "eventCategory", "equals": ["Management"]},
            {"field": "eventSource", "notEquals": ["kms.amazonaws.com"]},
        ],
    }
]
S3_DATA = {
    "name": "S3 data events",
    "fieldSelectors": [
        {"field": "eventCategory", "equals": ["Data"]},
        {"field": "resources.type", "equals": ["AWS::S3::Object"]},
        # Without this the trail would record its own log deliveries (ctl-ct-008).
        {"field": "eventName", "notEquals": ["PutObject"]},
    ],
}
ALL_MANAGEMENT = {"fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]}

# (case, stack, mutation returning (resources, name of the resource the finding must name), policy)
MUTATIONS: list[tuple[str, str, Mutation, str]] = [
    # A key policy granting everyone administration or decryption.
    ("kms-admin-to-everyone", "security",
     Edit(lambda r: key_with_statement(r, "AllowCloudTrailEncrypt"),
          statements("policy", add(PUBLIC_KMS_ADMIN))),
     "ctl-kms-002-key-policy-not-public"),
    ("kms-decrypt-to-everyone", "dev",
     Edit(lambda r: of_type(r, KEY), statements("policy", add(PUBLIC_DECRYPT))),
     "ctl-kms-002-key-policy-not-public"),
    # (b) SNS topic / SQS queue / EventBridge bus policies open to everyone.
    ("topic-open-to-everyone", "security",
     Edit(lambda r: of_type(r, TOPIC_POLICY), statements("policy", add(OPEN_TOPIC))),
     "ctl-sns-002-topic-policy-not-public"),
    ("topic-inline-policy-open", "dev",
     Edit(lambda r: of_type(r, TOPIC), inputs(policy=json.dumps(
         {"Version": "2012-10-17", "Statement": [OPEN_TOPIC]}))),
     "ctl-sns-002-topic-policy-not-public"),
    ("queue-open-to-everyone", "dev",
     Edit(lambda r: of_type(r, QUEUE_POLICY), statements("policy", add(OPEN_QUEUE))),
     "ctl-sqs-002-queue-policy-not-public"),
    ("bus-open-to-every-account", "security",
     Edit(lambda r: of_type(r, BUS_POLICY),
          statements("policy", without_condition("AllowMemberAccountsPutEvents"))),
     "ctl-events-001-bus-policy-not-public"),
    # (c) a role trusting any principal.
    ("role-trusts-everyone", "security",
     Edit(lambda r: of_type(r, ROLE), statements("assumeRolePolicy", lambda s: [
         {**{k: v for k, v in x.items() if k != "Condition"}, "Principal": {"AWS": "*"}}
         for x in s])),
     "ctl-iam-001-role-trust-not-public"),
    ("role-trusts-star", "dev",
     Edit(unconditional_role, statements("assumeRolePolicy", lambda s: [
         {**x, "Principal": "*"} for x in s])),
     "ctl-iam-001-role-trust-not-public"),
    # (d) trail selectors that drop management events or exclude KMS.
    ("trail-write-only", "security",
     Edit(lambda r: of_type(r, TRAIL), basic_selectors([{"readWriteType": "WriteOnly"}])),
     "ctl-ct-007-trail-records-all-management-events"),
    ("trail-no-management-events", "dev",
     Edit(lambda r: of_type(r, TRAIL), basic_selectors([{
         "includeManagementEvents": False,
         "dataResources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}])),
     "ctl-ct-007-trail-records-all-management-events"),
    ("trail-excludes-kms", "dev",
     Edit(lambda r: of_type(r, TRAIL), inputs(advancedEventSelectors=KMS_EXCLUDED)),
     "ctl-ct-007-trail-records-all-management-events"),
    ("trail-basic-excludes-kms", "security",
     Edit(lambda r: of_type(r, TRAIL), basic_selectors([
         {"readWriteType": "All", "excludeManagementEventSources": ["kms.amazonaws.com"]}])),
     "ctl-ct-007-trail-records-all-management-events"),
    # (e) a grant on the log bucket to an account outside the members and the organization.
    ("log-bucket-grant-to-outsider", "security", with_bucket_statement(outsider_read),
     "ctl-s3-020-log-bucket-grants-in-organization"),
    # (f) the Deny statements the bucket policy relies on, removed one at a time.
    *((f"{name}-removed", "security", bucket_policy_edit(drop(sid)),
       "ctl-s3-021-log-bucket-policy-keeps-denies")
      for name, sid in (("deny-bucket-deletion", "DenyBucketDeletion"),
                        ("deny-writes-not-from-trails", "DenyWritesNotFromTrails"),
                        ("deny-reads-by-others", "DenyReadsByOthers"))),
    ("deny-reads-by-others-widened", "security",
     bucket_policy_edit(rewrite(
         "DenyReadsByOthers",
         Condition={"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::222222222222:role/*"}})),
     "ctl-s3-021-log-bucket-policy-keeps-denies"),
    ("legacy-inline-policy-without-deletion-deny", "security",
     legacy_inline_without("DenyBucketDeletion"),
     "ctl-s3-021-log-bucket-policy-keeps-denies"),
    # (g) a wildcard condition value is not a scope.
    ("org-wildcard-counted-as-scope", "security", with_bucket_statement(org_wildcard_read),
     "ctl-s3-003-bucket-policy-no-public-principal"),
    ("bus-org-wildcard", "security",
     Edit(lambda r: of_type(r, BUS_POLICY), statements("policy", rewrite(
         "AllowMemberAccountsPutEvents",
         Condition={"StringLike": {"aws:PrincipalOrgID": "o-*"}}))),
     "ctl-events-001-bus-policy-not-public"),
    # Rules that were there before.
    ("encryption-removed", "security",
     lambda r: ([x for x in r if x.type != SSE], of_type(r, BUCKET).name),
     "ctl-s3-001-bucket-encryption"),
    ("tls-deny-removed", "security",
     bucket_policy_edit(drop("DenyInsecureTransport")),
     "ctl-s3-002-bucket-policy-tls-only"),
    ("cloudtrail-write-widened", "security",
     Edit(lambda r: of_type(r, BUCKET_POLICY), statements("policy", lambda s: [
         {**x, "Resource": x["Resource"].split("/AWSLogs/")[0] + "/*"}
         if x.get("Sid") == "AWSCloudTrailWrite" else x for x in s])),
     "ctl-s3-004-cloudtrail-write-scoped"),
    ("account-pinning-deny-removed", "security",
     Edit(lambda r: of_type(r, BUCKET_POLICY),
          statements("policy", drop("DenyCloudTrailFromUnlistedAccounts"))),
     "ctl-s3-004-cloudtrail-write-scoped"),
    ("bucket-unprotected", "security",
     lambda r: ([replace(x, protect=False) if x.type == BUCKET else x for x in r],
                of_type(r, BUCKET).name),
     "ctl-s3-010-log-bucket-protected"),
    ("trail-single-region", "dev",
     Edit(lambda r: of_type(r, TRAIL), inputs(isMultiRegionTrail=False)),
     "ctl-ct-001-trail-multi-region"),
    ("key-rotation-off", "dev",
     Edit(lambda r: of_type(r, KEY), inputs(enableKeyRotation=False)),
     "ctl-kms-001-key-rotation"),
    ("bucket-policy-unknown", "security",
     on_bucket(Edit(lambda r: of_type(r, BUCKET_POLICY), inputs(policy=UNKNOWN))),
     "ctl-s3-002-bucket-policy-tls-only"),
]


@pytest.mark.parametrize(
    ("case", "stack", "mutate", "policy"), MUTATIONS, ids=[m[0] for m in MUTATIONS]
)
def test_mutated_stack_is_caught(
    pack: PolicyPackProcess,
    shipped: dict[str, Resources],
    case: str,
    stack: str,
    mutate: Mutation,
    policy: str,
) -> None:
    resources, named = mutate(list(shipped[stack]))
    report = analyze(pack, resources, stack)
    hits = [
        v
        for v in report.violations
        if v.policy_name == policy and v.enforcement_level == "mandatory"
    ]
    assert hits, [(v.policy_name, v.resource_name, v.detail) for v in report.violations]
    assert named in {v.resource_name for v in hits}, [(v.resource_name, v.detail) for v in hits]


# Edits that must stay clean: legacy inline forms count as the split resources, and data-event
# selectors next to all management events change nothing.
CLEAN: list[tuple[str, str, Callable[[Resources], Resources]]] = [
    ("legacy-inline-bucket-policy", "security", inline_bucket_policy),
    ("legacy-inline-encryption-and-versioning", "security", inline_encryption_and_versioning),
    ("data-selector-alongside-management", "security",
     lambda r: Edit(lambda x: of_type(x, TRAIL),
                    inputs(advancedEventSelectors=[ALL_MANAGEMENT, S3_DATA]))(r)[0]),
]


@pytest.mark.parametrize(("case", "stack", "mutate"), CLEAN, ids=[c[0] for c in CLEAN])
def test_equivalent_forms_stay_clean(
    pack: PolicyPackProcess,
    shipped: dict[str, Resources],
    case: str,
    stack: str,
    mutate: Callable[[Resources], Resources],
) -> None:
    report = analyze(pack, mutate(list(shipped[stack])), stack)
    assert list(report.violations) == [], [(v.policy_name, v.detail) for v in report.violations]
