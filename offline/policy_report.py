"""Print a PolicyReport the way `pulumi preview` prints policy results, or as JSON."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Mapping
from typing import TextIO

from engine_model.analyzer import PolicyReport, Violation
from offline.remediation import config_remediation

PASS_MARK = "✅"
FAIL_MARK = "❌"
_LEVEL_ORDER = {"mandatory": 0, "remediate": 1, "advisory": 2, "disabled": 3}


def _subject(v: Violation) -> str:
    if v.resource_type:
        return f"  ({v.resource_type}: {v.resource_name})"
    return ""


def _metadata_lines(v: Violation, config: Mapping[str, str] | None) -> list[str]:
    lines = []
    head = " | ".join(
        part for part in (f"severity: {v.severity}" if v.severity else "", *v.compliance) if part
    )
    if head:
        lines.append(head)
    if v.remediation:
        lines.append(f"remediation: {v.remediation}")
    in_project = config_remediation(v.policy_name, config) if config is not None else None
    if in_project:
        lines.append(f"in this project: {in_project}")
    if v.url:
        lines.append(f"see: {v.url}")
    return lines


def format_text(report: PolicyReport, config: Mapping[str, str] | None = None) -> str:
    """Text as the CLI prints it: a `Policies:` block with one entry per pack and violation.

    Violations are grouped by pack, mandatory first, then by policy name and URN; each entry is
    `- [level]  <policy>  (<type>: <name>)` followed by the indented message lines, as the CLI
    prints them. Then lines the CLI does not print, from the policy's own metadata (PolicyInfo
    severity, framework and tags, remediation_steps, url): `severity: <s> | <controls>`,
    `remediation: <steps>` and `see: <url>`; given the stack's `config`, for a rule that refuses
    a documented choice, `in this project: <the key to set, or the policy config that admits it>`.
    """
    lines = ["Policies:"]
    by_pack: dict[tuple[str, str], list[Violation]] = defaultdict(list)
    for v in report.violations:
        by_pack[(v.policy_pack or report.pack_name, v.policy_pack_version)].append(v)
    packs = by_pack or {(report.pack_name, report.pack_version): []}
    for (pack, version), violations in packs.items():
        failed = any(v.enforcement_level == "mandatory" for v in violations)
        mark = FAIL_MARK if failed else PASS_MARK
        lines.append(f"    {mark} {pack}@v{version or report.pack_version}")
        ordered = sorted(
            violations,
            key=lambda v: (_LEVEL_ORDER.get(v.enforcement_level, 9), v.policy_name, v.urn),
        )
        for v in ordered:
            lines.append(f"        - [{v.enforcement_level}]  {v.policy_name}{_subject(v)}")
            for text_line in v.message.splitlines():
                lines.append(f"          {text_line}")
            lines.extend(f"          {extra}" for extra in _metadata_lines(v, config))
    summary = (
        f"{report.mandatory_count} mandatory, {report.advisory_count} advisory "
        f"({len(report.undecided)} could not be judged at preview)"
    )
    lines.append(f"    {summary}")
    return "\n".join(lines) + "\n"


def format_json(report: PolicyReport) -> str:
    """The report as indented JSON (see PolicyReport.to_dict)."""
    return json.dumps(report.to_dict(), indent=2, sort_keys=False) + "\n"


def print_report(
    report: PolicyReport, *, as_json: bool = False, file: TextIO | None = None
) -> None:
    """Write the text (or JSON) form to `file` (stdout by default)."""
    out = file if file is not None else sys.stdout
    out.write(format_json(report) if as_json else format_text(report))
