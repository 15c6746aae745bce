"""Bucket and key policy sizes, and offline-preview time of the log-archive stack, by account count.

    venv/bin/python scripts/benchmark.py [--repeat 3]

Sizes are of the compact JSON that the program sends (S3 limit 20 KB, KMS limit 32 KB). The
stack is the shipped security stack with N member accounts and an organization id, so that its
central event bus admits the organization (an account list stops fitting the bus policy's
10,240-character quota near 650 accounts).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import pulumi

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cloudtrail_logging.archive.bucket_policy import S3_POLICY_LIMIT_BYTES  # noqa: E402
from cloudtrail_logging.aws.kms import KMS_POLICY_LIMIT_BYTES  # noqa: E402
from engine_model.program import ProgramError, run_program  # noqa: E402
from engine_model.stack_files import load_stack_config  # noqa: E402

COUNTS = (10, 100, 1000, 2000)


def accounts(count: int) -> list[str]:
    return [f"{100000000000 + i * 7919:012d}" for i in range(count)]


def measure(count: int, repeat: int) -> dict[str, object]:
    base = load_stack_config("security")
    values = dict(base.values)
    values["cloudtrail-logging:memberAccounts"] = json.dumps(accounts(count))
    values["cloudtrail-logging:organizationId"] = "o-exampleorg1"
    values["cloudtrail-logging:managementAccountId"] = "333333333333"
    config = type(base)(project=base.project, stack=base.stack, values=values)
    times: list[float] = []
    row: dict[str, object] = {"accounts": count}
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            result = run_program(config)
        except ProgramError as error:
            if not isinstance(error.cause, pulumi.RunError):
                raise
            row["refused"] = str(error.cause).splitlines()[0]
            result = None
        times.append(time.perf_counter() - start)
    row["preview_seconds"] = statistics.median(times)
    if result is not None:
        row["resources"] = len(result.resources) + 1
        # The log bucket's policy (the access-log and replica buckets have their own).
        policy = next(r for r in result.resources if r.name == "log-archive-policy")
        row["bucket_policy_bytes"] = len(policy.inputs["policy"])
        key = next(r for r in result.resources if r.name == "log-key-key")
        row["key_policy_bytes"] = len(key.inputs["policy"])
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'accounts':>8}  {'resources':>9}  {'bucket policy':>22}  {'key policy':>22}  "
          f"{'preview':>8}")
    for count in COUNTS:
        row = measure(count, args.repeat)
        if "refused" in row:
            print(f"{count:>8}  {'-':>9}  {'refused at validation: ' + row['refused']}  "
                  f"{row['preview_seconds']:.2f}s")
            continue
        bucket, key = row["bucket_policy_bytes"], row["key_policy_bytes"]
        print(
            f"{count:>8}  {row['resources']:>9}  "
            f"{bucket:>7} B ({100 * bucket / S3_POLICY_LIMIT_BYTES:4.1f}% of 20 KB)  "
            f"{key:>7} B ({100 * key / KMS_POLICY_LIMIT_BYTES:4.1f}% of 32 KB)  "
            f"{row['preview_seconds']:>7.2f}s"
        )


if __name__ == "__main__":
    main()
