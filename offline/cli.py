"""Command line of the offline tools.

    python -m offline preview <stack> [--diff STATE ...] [--json] [--policy-config FILE]
                              [--no-policy]
    python -m offline diagram [STACK ...] [--org DIR] [--out DIR] [--png] [--json]

Every failure is reported like the CLI reports one: `error: <message>` on stderr, one line per
problem, exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from engine_model.analyzer import AnalyzerError, PolicyConfigError, load_policy_config
from engine_model.program import ProgramError, preview_stack, problem_lines
from engine_model.stack_files import PROJECT_DIR, StackFileError, load_stack_config
from engine_model.state import DeployedState, load_state
from engine_model.steps import generate_steps
from offline.changes import Review, policy_lines, review_text
from offline.digest import preview_digest
from offline.render import preview_document, preview_text

POLICY_PACK_DIR = PROJECT_DIR / "policies"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m offline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    preview = commands.add_parser(
        "preview", help="run a stack as a first `pulumi preview` would, with policy enforcement"
    )
    preview.add_argument("stack", help="stack name, e.g. dev or security")
    preview.add_argument(
        "--diff", dest="states", metavar="STATE", type=Path, action="append", default=[],
        help="what `pulumi stack export` wrote for the deployed stack: preview against it and "
        "show each change; again for another stack the program reads (its outputs)",
    )
    preview.add_argument("--json", action="store_true",
                         help="print the preview as `pulumi preview --json` does")
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


def _states(paths: Sequence[Path], stack: str) -> dict[str, DeployedState]:
    """The deployed states by stack name; one of them must be `stack`'s."""
    states: dict[str, DeployedState] = {}
    for path in paths:
        state = load_state(path)
        states[state.stack] = state
    if paths and stack not in states:
        held = ", ".join(f"{state.source} holds stack '{name}'" for name, state in states.items())
        raise StackFileError(f"--diff: expected an export of stack '{stack}' ({held})")
    return states


def _review_document(review: Review) -> dict[str, object]:
    return {
        "state": review.state_source,
        "errors": review.errors,
        "securityChanges": [
            {"urn": step.urn, "op": step.op, "type": step.type, "properties": list(why)}
            for step, why in review.security()
        ],
        "policyDiffs": {step.urn: lines for step in review.changed
                        if (lines := policy_lines(step))},
    }


def run_preview(args: argparse.Namespace) -> int:
    started = time.monotonic_ns()
    if not args.no_policy:
        try:  # a bad config file is reported before the program runs
            load_policy_config(args.policy_config)
        except PolicyConfigError as error:
            return report_errors(error.problems)
    try:
        states = _states(args.states, args.stack)
        config = load_stack_config(args.stack, args.project_dir)
        for warning in config.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        result = preview_stack(args.stack, args.project_dir, states)
    except StackFileError as error:
        for warning in error.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        return report_errors(error.problems)
    except ProgramError as error:
        return report_errors(error.lines())
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
                                 for line in problem_lines(error))
    review = None
    if args.stack in states:
        state = states[args.stack]
        review = Review(state.source, tuple(generate_steps(result.resources, state)))
    if args.json:
        extras = preview_document(result)
        if report is not None:
            extras["policies"] = report.to_dict()
        if review is not None:
            extras["diff"] = _review_document(review)
        document = preview_digest(
            result, config, review.steps if review else None, report=report,
            warnings=config.warnings, duration_ns=time.monotonic_ns() - started, extras=extras,
        )
        print(json.dumps(document, indent=4))
    else:
        for logged in result.diagnostics:
            if logged.severity in ("warning", "error"):
                print(f"{logged.severity}: {logged.message}", file=sys.stderr)
        print(preview_text(result) if review is None else review_text(review, args.stack))
        if report is not None:
            from offline.policy_report import format_text

            print()
            print(format_text(report, config.values))
    failed = bool(report is not None and report.mandatory_count)
    if review is not None and review.errors:
        report_errors(review.errors)
        failed = True
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["diagram"]:
        from diagrams.diagram import main as diagram_main

        return diagram_main(argv[1:])
    args = _parser().parse_args(argv)
    if args.command == "preview":
        return run_preview(args)
    return 2
