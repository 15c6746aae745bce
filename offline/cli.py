"""Command line of the offline tools.

    python -m offline preview <stack> [--json] [--policy-config FILE] [--no-policy]
    python -m offline diagram [STACK ...] [--org N] [--out DIR] [--png] [--json]

Every failure is reported like the CLI reports one: `error: <message>` on stderr, one line per
problem, exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import pulumi

from engine_model.analyzer import AnalyzerError, PolicyConfigError, load_policy_config
from engine_model.program import ProgramError, preview_stack
from engine_model.stack_files import PROJECT_DIR, StackFileError, load_stack_config
from offline.render import preview_document, preview_text

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
        "--policy-config", "--policy-pack-config", dest="policy_config", type=Path,
        default=None, help="policy pack config file (JSON), as `--policy-pack-config`",
    )
    preview.add_argument("--no-policy", action="store_true", help="skip policy enforcement")
    preview.add_argument(
        "--project-dir", type=Path, default=PROJECT_DIR, help="the Pulumi project directory"
    )
    commands.add_parser(
        "diagram", help="draw the stacks' architecture (see `python -m diagrams.diagram -h`)",
        add_help=False,
    )
    return parser


def report_errors(lines: Iterable[str]) -> int:
    """Print each problem as `error: <line>` on stderr; the exit status of a failed command."""
    for line in lines:
        print(f"error: {line}", file=sys.stderr)
    return 1


def _problem_lines(error: BaseException) -> list[str]:
    problems = getattr(error, "problems", None)
    if isinstance(problems, list) and problems:
        return [str(p) for p in problems]
    return [line for line in str(error).splitlines() if line.strip()] or [type(error).__name__]


def _program_error_lines(error: ProgramError) -> list[str]:
    """A pulumi.RunError is shown as its message, as pulumi-language-python-exec logs it; so is a
    config error (a ValueError whose message is one problem per line). Anything else is a
    failure of the program, named with its exception type (the CLI prints a traceback)."""
    lines = _problem_lines(error.cause)
    if isinstance(error.cause, (pulumi.RunError, ValueError)):
        return lines
    return [f"the program failed: {type(error.cause).__name__}: {lines[0]}", *lines[1:]]


def run_preview(args: argparse.Namespace) -> int:
    if not args.no_policy:
        try:  # a bad config file is reported before the program runs
            load_policy_config(args.policy_config)
        except PolicyConfigError as error:
            return report_errors(error.problems)
    try:
        for warning in load_stack_config(args.stack, args.project_dir).warnings:
            print(f"warning: {warning}", file=sys.stderr)
        result = preview_stack(args.stack, args.project_dir)
    except StackFileError as error:
        return report_errors(error.problems)
    except ProgramError as error:
        return report_errors(_program_error_lines(error))
    report = None
    if not args.no_policy:
        from engine_model.analyzer import analyze

        try:
            report = analyze(
                result.resources,
                project=result.project,
                stack=result.stack,
                pack_dir=args.policy_pack,
                config_file=args.policy_config,
            )
        except PolicyConfigError as error:
            return report_errors(error.problems)
        except (AnalyzerError, OSError) as error:
            return report_errors(f"policy pack {args.policy_pack}: {line}"
                                 for line in _problem_lines(error))
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
        from diagrams.diagram import main as diagram_main

        return diagram_main(argv[1:])
    args = _parser().parse_args(argv)
    if args.command == "preview":
        return run_preview(args)
    return 2
