"""What `--diff` adds to the offline preview of the log-archive stack at 1,000 member accounts.

    venv/bin/python scripts/benchmark_diff.py [--repeat 3] [--accounts 1000]

The deployed state is the real engine's export of the shipped security stack
(tests/fixtures/state/security.json.gz) brought to N member accounts (and an organization id,
so that the central bus admits the organization: an account list stops fitting the bus policy
near 650 accounts): the preview at N accounts against that export, its registrations taken as
the deployed inputs, with the export's ids and outputs. Then one more account: the plain preview
and the preview with `--diff` (the run against the state, the steps, the text and JSON
documents) are timed, each the median of --repeat runs, and their difference printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine_model.program import run_program  # noqa: E402
from engine_model.stack_files import StackConfig, load_stack_config  # noqa: E402
from engine_model.state import DeployedState, load_state  # noqa: E402
from engine_model.steps import generate_steps  # noqa: E402
from offline.changes import Review, review_text  # noqa: E402
from offline.digest import preview_digest  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "state" / "security.json.gz"


def accounts(count: int) -> list[str]:
    return [f"{100000000000 + i * 7919:012d}" for i in range(count)]


def config_with(count: int) -> StackConfig:
    base = load_stack_config("security")
    values = dict(base.values)
    values["cloudtrail-logging:memberAccounts"] = json.dumps(accounts(count))
    values["cloudtrail-logging:organizationId"] = "o-exampleorg1"
    values["cloudtrail-logging:managementAccountId"] = "333333333333"
    return replace(base, values=values)


def deployed_at(count: int, fixture: DeployedState) -> DeployedState:
    """The fixture as it would be after `pulumi up` at `count` accounts."""
    result = run_program(config_with(count), prior=fixture)
    resources = dict(fixture.resources)
    for res in result.resources:
        old = resources[res.urn]
        resources[res.urn] = replace(old, inputs=res.inputs,
                                     outputs={**old.outputs, **res.inputs})
    return replace(fixture, resources=resources)


def timed(run: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--accounts", type=int, default=1000)
    args = parser.parse_args()
    state = deployed_at(args.accounts, load_state(FIXTURE))
    config = config_with(args.accounts + 1)
    found: dict[str, object] = {}

    def plain() -> None:
        run_program(config)

    def diffed() -> None:
        result = run_program(config, prior=state)
        steps = generate_steps(result.resources, state)
        review = Review(str(FIXTURE), tuple(steps))
        review_text(review, "security")
        json.dumps(preview_digest(result, config, steps, report=None, warnings=(),
                                  duration_ns=0, extras={}))
        found["ops"] = Counter(s.op for s in steps)

    plain_seconds = timed(plain, args.repeat)
    diff_seconds = timed(diffed, args.repeat)
    print(f"log-archive stack, {args.accounts} member accounts deployed, one more previewed "
          f"(median of {args.repeat}, {len(state.resources)} resources in the state)")
    print(f"steps: {dict(sorted(found['ops'].items()))}")  # type: ignore[union-attr]
    print(f"preview: {plain_seconds:.2f} s; with --diff: {diff_seconds:.2f} s; the diff adds "
          f"{diff_seconds - plain_seconds:.2f} s")


if __name__ == "__main__":
    main()
