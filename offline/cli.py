"""Command line of the offline tools.

    python -m offline preview <stack> [--json] [--policy-config FILE] [--no-policy]
    python -m offline diagram [STACK ...] [--org N] [--out DIR] [--png] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from cloudtrail_logging.raw_config import ConfigError
from offline.preview import ProgramError, preview_stack
from offline.render import preview_document, preview_text
from offline.stack_files import PROJECT_DIR, StackFileError

POLICY_PACK_DIR = PROJECT_DIR / "policies"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m offline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    preview = commands.add_parser(
        "preview", help="run a stack as a first `pulumi preview` would, with policy enforcement"
    )
    preview.add_argument("stack", help="stack name, e.g. dev or security")
    preview.add_argument("--json", action="store_true", help="print a JSON document")
    preview.add_argument(
        "--policy-pack", type=Path, default=POLICY_PACK_DIR, help="policy pack directory"
    )
    preview.add_argument(
        "--policy-config", type=Path, default=None, help="policy pack config file (JSON)"
    )
    preview.add_argument("--no-policy", action="store_true", help="skip policy enforcement")
    commands.add_parser(
        "diagram", help="draw the stacks' architecture (see `python -m offline.diagram -h`)",
        add_help=False,
    )
    return parser


def run_preview(args: argparse.Namespace) -> int:
    try:
        result = preview_stack(args.stack)
    except StackFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ProgramError as error:
        kind = "" if isinstance(error.cause, ConfigError) else "the program failed: "
        print(f"error: {kind}{error}", file=sys.stderr)
        return 1
    report = None
    if not args.no_policy:
        from offline.analyzer import analyze

        report = analyze(
            result.resources,
            project=result.project,
            stack=result.stack,
            pack_dir=args.policy_pack,
            config_file=args.policy_config,
        )
    if args.json:
        document = preview_document(result)
        if report is not None:
            document["policies"] = report.to_dict()
        print(json.dumps(document, indent=2))
    else:
        print(preview_text(result))
        if report is not None:
            from offline.policy_report import format_text

            print()
            print(format_text(report))
    return 1 if report is not None and report.mandatory_count else 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["diagram"]:
        from offline.diagram import main as diagram_main

        return diagram_main(argv[1:])
    args = _parser().parse_args(argv)
    if args.command == "preview":
        return run_preview(args)
    return 2
