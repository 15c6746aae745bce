"""The policy pack on the shipped stacks' offline previews, and on mutated copies of them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from offline.analyzer import PolicyPackProcess, PolicyReport
from offline.cli import POLICY_PACK_DIR
from offline.model import UNKNOWN, CapturedResource
from offline.preview import preview_stack

Resources = list[CapturedResource]


@pytest.fixture(scope="module")
def pack() -> Iterator[PolicyPackProcess]:
    with PolicyPackProcess(POLICY_PACK_DIR) as process:
        yield process


@pytest.fixture(scope="module")
def shipped() -> dict[str, Resources]:
    return {name: list(preview_stack(name).resources) for name in ("security", "dev")}


def analyze(pack: PolicyPackProcess, resources: Resources, stack: str) -> PolicyReport:
    return pack.analyze(resources, project="cloudtrail-logging", stack=stack)


def mandatory(report: PolicyReport) -> set[str]:
    return {v.policy_name for v in report.violations if v.enforcement_level == "mandatory"}


@pytest.mark.parametrize("stack", ["security", "dev"])
def test_shipped_stacks_have_no_violation(pack, shipped, stack: str) -> None:
    report = analyze(pack, shipped[stack], stack)
    assert list(report.violations) == [], [v.message for v in report.violations]
    assert report.mandatory_count == 0


def by_type(resources: Resources, type_: str) -> CapturedResource:
    return next(r for r in resources if r.type == type_)


def with_inputs(resources: Resources, type_: str, change: Callable[[dict], dict]) -> Resources:
    target = by_type(resources, type_)
    return [replace(r, inputs=change(dict(r.inputs))) if r is target else r for r in resources]


def without(resources: Resources, type_: str) -> Resources:
    return [r for r in resources if r.type != type_]


def edit_bucket_policy(resources: Resources, edit: Callable[[list[dict]], list[dict]]) -> Resources:
    def change(inputs: dict[str, Any]) -> dict[str, Any]:
        document = json.loads(inputs["policy"])
        document["Statement"] = edit(document["Statement"])
        return {**inputs, "policy": json.dumps(document)}

    return with_inputs(resources, "aws:s3/bucketPolicy:BucketPolicy", change)


def widen_write(statements: list[dict]) -> list[dict]:
    for statement in statements:
        if statement["Sid"] == "AWSCloudTrailWrite":
            statement["Resource"] = statement["Resource"].split("/AWSLogs/")[0] + "/*"
    return statements


PUBLIC_READ = {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
               "Resource": "arn:aws:s3:::cloudtrail-logging-222222222222-us-east-1/*"}
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
TRAIL = "aws:cloudtrail/trail:Trail"

MUTATIONS: list[tuple[str, str, Callable[[Resources], Resources], str]] = [
    ("encryption-removed", "security", lambda r: without(r, SSE),
     "ctl-s3-001-bucket-encryption"),
    ("sse-s3-instead-of-kms", "security",
     lambda r: with_inputs(r, SSE, lambda i: {**i, "rules": [
         {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]}),
     "ctl-s3-001-bucket-encryption"),
    ("tls-deny-removed", "security",
     lambda r: edit_bucket_policy(r, lambda s: [x for x in s if x["Sid"] !=
                                                 "DenyInsecureTransport"]),
     "ctl-s3-002-bucket-policy-tls-only"),
    ("public-statement-added", "security",
     lambda r: edit_bucket_policy(r, lambda s: [*s, PUBLIC_READ]),
     "ctl-s3-003-bucket-policy-no-public-principal"),
    ("cloudtrail-write-widened", "security", lambda r: edit_bucket_policy(r, widen_write),
     "ctl-s3-004-cloudtrail-write-scoped"),
    ("account-pinning-deny-removed", "security",
     lambda r: edit_bucket_policy(r, lambda s: [x for x in s if x["Sid"] !=
                                                 "DenyCloudTrailFromUnlistedAccounts"]),
     "ctl-s3-004-cloudtrail-write-scoped"),
    ("public-access-block-incomplete", "security",
     lambda r: with_inputs(r, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                           lambda i: {**i, "restrictPublicBuckets": False}),
     "ctl-s3-006-public-access-block-complete"),
    ("versioning-removed", "security",
     lambda r: without(r, "aws:s3/bucketVersioning:BucketVersioning"),
     "ctl-s3-009-log-bucket-versioning"),
    ("bucket-unprotected", "security",
     lambda r: [replace(x, protect=False) if x.type == "aws:s3/bucket:Bucket" else x for x in r],
     "ctl-s3-010-log-bucket-protected"),
    ("force-destroy", "security",
     lambda r: with_inputs(r, "aws:s3/bucket:Bucket", lambda i: {**i, "forceDestroy": True}),
     "ctl-s3-011-bucket-no-force-destroy"),
    ("trail-single-region", "dev",
     lambda r: with_inputs(r, TRAIL, lambda i: {**i, "isMultiRegionTrail": False}),
     "ctl-ct-001-trail-multi-region"),
    ("trail-without-kms", "dev",
     lambda r: with_inputs(r, TRAIL, lambda i: {k: v for k, v in i.items() if k != "kmsKeyId"}),
     "ctl-ct-005-trail-kms-encryption"),
    ("key-rotation-off", "dev",
     lambda r: with_inputs(r, "aws:kms/key:Key", lambda i: {**i, "enableKeyRotation": False}),
     "ctl-kms-001-key-rotation"),
    ("topic-unencrypted", "dev",
     lambda r: with_inputs(r, "aws:sns/topic:Topic",
                           lambda i: {k: v for k, v in i.items() if k != "kmsMasterKeyId"}),
     "ctl-sns-001-topic-encryption"),
    ("bucket-policy-unknown", "security",
     lambda r: with_inputs(r, "aws:s3/bucketPolicy:BucketPolicy",
                           lambda i: {**i, "policy": UNKNOWN}),
     "ctl-s3-002-bucket-policy-tls-only"),
]


@pytest.mark.parametrize(("case", "stack", "mutate", "policy"), MUTATIONS,
                         ids=[m[0] for m in MUTATIONS])
def test_mutated_stack_is_caught(pack, shipped, case: str, stack: str,
                                 mutate: Callable[[Resources], Resources], policy: str) -> None:
    report = analyze(pack, mutate(list(shipped[stack])), stack)
    assert policy in mandatory(report), [v.message for v in report.violations]
