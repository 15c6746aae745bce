"""Time the policy pack over 100, 1,000 and 5,000 resources, driven over gRPC as the CLI does.

    venv/bin/python scripts/benchmark_pack.py [--repeat 3] [--sizes 100 1000 5000]

Each stack is made of identical, compliant units of ten resources (a CloudTrail log bucket with
its encryption, versioning, public access block, ownership controls, policy and server access
logging, the trail that writes to it, a KMS key with a key policy and an SNS topic), each with its
own names. One analysis is what `pulumi preview --policy-pack` costs the pack: Configure,
ConfigureStack, one Analyze per resource and one AnalyzeStack. The pack process is started once
and warmed up; the figure is the median of `--repeat` runs. Time per resource staying flat as
the stack grows means the pack is linear in the number of resources. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine_model.analyzer import PolicyPackProcess  # noqa: E402
from engine_model.model import UNKNOWN, CapturedResource  # noqa: E402

PACK_DIR = ROOT / "policies"
PROJECT, STACK = "cloudtrail-logging", "benchmark"
ACCOUNT = "111122223333"
UNIT = 10  # resources per unit
ADMINISTRATOR = f"arn:aws:iam::{ACCOUNT}:role/archive-administrators"


def _resource(type_: str, name: str, inputs: dict[str, Any], **kw: Any) -> CapturedResource:
    urn = f"urn:pulumi:{STACK}::{PROJECT}::{type_}::{name}"
    return CapturedResource(urn=urn, type=type_, name=name, custom=True, inputs=inputs, **kw)


def _policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _bucket_policy(bucket: str, trail: str) -> str:
    arn = f"arn:aws:s3:::{bucket}"
    source = {"aws:SourceArn": f"arn:aws:cloudtrail:*:*:trail/{trail}"}
    cloudtrail = {"Service": "cloudtrail.amazonaws.com"}
    return _policy(
        {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [arn, f"{arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow", "Principal": cloudtrail,
         "Action": "s3:GetBucketAcl", "Resource": arn, "Condition": {"ArnLike": source}},
        {"Sid": "AWSCloudTrailWrite", "Effect": "Allow", "Principal": cloudtrail,
         "Action": "s3:PutObject", "Resource": f"{arn}/AWSLogs/${{aws:SourceAccount}}/*",
         "Condition": {"ArnLike": source,
                       "StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}},
        {"Sid": "DenyCloudTrailFromUnlistedAccounts", "Effect": "Deny", "Principal": cloudtrail,
         "Action": ["s3:GetBucketAcl", "s3:PutObject"], "Resource": [arn, f"{arn}/*"],
         "Condition": {"StringNotEquals": {"aws:SourceAccount": [ACCOUNT]}}},
        {"Sid": "DenyWritesNotFromTrails", "Effect": "Deny", "Principal": "*",
         "Action": "s3:PutObject", "Resource": f"{arn}/*", "Condition": {"ArnNotLike": source}},
        {"Sid": "DenyBucketDeletion", "Effect": "Deny", "Principal": "*",
         "Action": "s3:DeleteBucket", "Resource": arn},
        # The insider guard (cloudtrail_logging/archive/guard.py), which ctl-s3-021 requires.
        {"Sid": "DenyObjectDeletion", "Effect": "Deny", "Principal": "*",
         "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention"],
         "Resource": f"{arn}/*"},
        {"Sid": "DenyReplicationInto", "Effect": "Deny", "Principal": "*",
         "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
         "Resource": f"{arn}/*"},
        {"Sid": "DenyAdministrationByOthers", "Effect": "Deny", "Principal": "*",
         "Action": ["s3:PutBucket*", "s3:DeleteBucketPolicy", "s3:PutLifecycleConfiguration",
                    "s3:PutEncryptionConfiguration", "s3:PutReplicationConfiguration"],
         "Resource": [arn, f"{arn}/*"],
         "Condition": {"ArnNotEquals": {"aws:PrincipalArn": [ADMINISTRATOR]}}},
        {"Sid": "DenyReadsByOthers", "Effect": "Deny", "Principal": "*",
         "Action": ["s3:GetObject*", "s3:RestoreObject"], "Resource": f"{arn}/*"},
    )


def unit(index: int) -> list[CapturedResource]:
    """Ten resources: one compliant CloudTrail log bucket set, trail, key and topic."""
    n = f"u{index:05d}"
    bucket_name, trail_name = f"logs-{n}-{ACCOUNT}", f"trail-{n}"
    bucket = _resource("aws:s3/bucket:Bucket", f"{n}-bucket", {"bucket": bucket_name},
                       protect=True)
    key = _resource("aws:kms/key:Key", f"{n}-key", {
        "enableKeyRotation": True,
        "policy": _policy({"Sid": "KeyAdministrationByNamedAdministrators", "Effect": "Allow",
                           "Principal": {"AWS": [ADMINISTRATOR]},
                           "Action": ["kms:Describe*", "kms:Put*", "kms:Disable*",
                                      "kms:ScheduleKeyDeletion"], "Resource": "*"}),
    })
    deps = {"bucket": (bucket.urn,)}

    def companion(type_: str, suffix: str, inputs: dict[str, Any]) -> CapturedResource:
        return _resource(type_, f"{n}-{suffix}", {"bucket": bucket_name, **inputs},
                         dependencies=(bucket.urn,), property_dependencies=deps)

    topic = _resource("aws:sns/topic:Topic", f"{n}-topic", {"name": n, "kmsMasterKeyId": UNKNOWN},
                      property_dependencies={"kmsMasterKeyId": (key.urn,)})
    return [
        bucket,
        companion(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "sse",
            {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms",
                                                               "kmsMasterKeyId": UNKNOWN}}]},
        ),
        companion("aws:s3/bucketVersioning:BucketVersioning", "versioning",
                  {"versioningConfiguration": {"status": "Enabled"}}),
        companion("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab",
                  dict.fromkeys(("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                                 "restrictPublicBuckets"), True)),
        companion("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "ownership",
                  {"rule": {"objectOwnership": "BucketOwnerEnforced"}}),
        companion("aws:s3/bucketPolicy:BucketPolicy", "policy",
                  {"policy": _bucket_policy(bucket_name, trail_name)}),
        _resource("aws:cloudtrail/trail:Trail", f"{n}-trail", {
            "name": trail_name, "s3BucketName": bucket_name, "isMultiRegionTrail": True,
            "enableLogFileValidation": True, "includeGlobalServiceEvents": True,
            "enableLogging": True, "kmsKeyId": UNKNOWN,
        }, property_dependencies={"s3BucketName": (bucket.urn,), "kmsKeyId": (key.urn,)}),
        key,
        topic,
        # Server access logging into the organization's access-log bucket, another stack's.
        companion("aws:s3/bucketLogging:BucketLogging", "access-logging",
                  {"targetBucket": f"access-logs-{ACCOUNT}", "targetPrefix": f"{n}/"}),
    ]


def stack(size: int) -> list[CapturedResource]:
    resources = [r for i in range(size // UNIT) for r in unit(i)]
    assert len(resources) == size, f"sizes must be multiples of {UNIT}"
    return resources


def measure(pack: PolicyPackProcess, size: int, repeat: int) -> float:
    resources = stack(size)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        report = pack.analyze(resources, project=PROJECT, stack=STACK)
        times.append(time.perf_counter() - start)
        if report.violations:
            raise SystemExit(f"benchmark stack is not compliant: {report.violations[0].message}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    args = parser.parse_args()
    with PolicyPackProcess(PACK_DIR, rpc_timeout=600) as pack:
        measure(pack, UNIT * 2, 1)  # warm up: imports, first Configure, regex caches
        rows = [(size, measure(pack, size, args.repeat)) for size in args.sizes]
        policies = len(pack.info().policies)
    base = rows[0][1] / rows[0][0]
    print(f"Policy pack over gRPC, {policies} policies, median of {args.repeat} runs.\n")
    print("| resources | seconds | ms per resource | vs. smallest |")
    print("|---:|---:|---:|---:|")
    for size, seconds in rows:
        per = seconds / size
        print(f"| {size:,} | {seconds:.2f} | {per * 1000:.2f} | {per / base:.2f}x |")


if __name__ == "__main__":
    main()
