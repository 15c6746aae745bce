"""`python -m verify STACK`: check a deployed stack with boto3 (scripts/verify.sh).

Reads the stack's outputs (`pulumi stack output --json --show-secrets`, or `--outputs FILE`), runs
the checks and prints a table (or `--json`). Exit 0 when nothing failed, 1 when a check failed,
2 when verification could not run.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]
from botocore.exceptions import (  # type: ignore[import-untyped]
    BotoCoreError,
    NoCredentialsError,
    NoRegionError,
)

from verify.checks import (
    Clients,
    Options,
    format_table,
    one_line,
    report_document,
    summary,
    verify,
)
from verify.outputs import VerifyError, load_outputs, parse_outputs


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scripts/verify.sh",
        description="Check a deployed stack against its outputs, with boto3's credentials.",
    )
    parser.add_argument("stack", help="stack name, e.g. security or dev")
    parser.add_argument("--outputs", type=Path, default=None, metavar="FILE",
                        help="stack outputs as JSON (default: `pulumi stack output --json "
                             "--show-secrets --stack STACK`)")
    parser.add_argument("--json", action="store_true", help="print a JSON document")
    parser.add_argument("--probe", action="store_true",
                        help="set an alarm to ALARM and wait for it on the alarm queue")
    parser.add_argument("--probe-timeout", type=float, default=120.0, metavar="SECONDS",
                        help="how long the probe waits for the notification (default 120)")
    parser.add_argument("--silent-hours", type=float, default=24.0, metavar="N",
                        help="flag a trail, account or region with no log file for N hours "
                             "(default 24)")
    return parser


def main(argv: Sequence[str] | None = None, session: Any = None) -> int:
    """Exit 0 when nothing failed, 1 when a check failed, 2 when verification could not run."""
    args = _parser().parse_args(argv)
    if args.silent_hours <= 0 or args.probe_timeout < 0:
        print("error: --silent-hours must be positive and --probe-timeout not negative",
              file=sys.stderr)
        return 2
    try:
        outputs = parse_outputs(load_outputs(args.stack, args.outputs))
        clients = Clients(session or boto3.session.Session(), outputs.region)
        options = Options(silent_hours=args.silent_hours, probe=args.probe,
                          probe_timeout=args.probe_timeout)
        results = verify(clients, outputs, options)
    except VerifyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except NoCredentialsError:
        print("error: no AWS credentials found (environment, shared credentials or config "
              "file, SSO, container or instance role); set AWS_PROFILE or sign in",
              file=sys.stderr)
        return 2
    except NoRegionError:
        print("error: no AWS region: the stack output 'region' is empty", file=sys.stderr)
        return 2
    except BotoCoreError as error:
        print(f"error: {one_line(str(error))}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report_document(args.stack, outputs, results), indent=2,
                         default=str))
    else:
        print(format_table(results))
        counts = summary(results)
        print(", ".join(f"{n} {s}" for s, n in counts.items() if n) or "nothing checked")
    return 1 if any(r.status == "FAIL" for r in results) else 0
