"""Regenerate what the config schema, the outputs contract, the threat model, the control index
and the cost model drive: Pulumi.yaml's `config:` block, the configuration and outputs tables
(docs/configuration.md), the README's threat-model tables, docs/controls.md and the cost tables
(docs/costs.md). `--check` exits 1 if anything differs.

    venv/bin/python scripts/sync_contract.py [--check]
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import costs  # noqa: E402

from cloudtrail_logging import controls, outputs, schema, threat_model  # noqa: E402

PULUMI_YAML = ROOT / "Pulumi.yaml"
README = ROOT / "README.md"
CONFIGURATION = ROOT / "docs" / "configuration.md"
COSTS = ROOT / "docs" / "costs.md"
CONTROLS = ROOT / "docs" / "controls.md"
# Each page's generated parts, between `<!-- NAME:begin -->` and `<!-- NAME:end -->`.
MARKERS: dict[Path, dict[str, Callable[[], str]]] = {
    README: {"threat-model": threat_model.markdown_table},
    CONFIGURATION: {"config": schema.markdown_tables, "outputs": outputs.markdown_table},
    COSTS: {"costs": lambda: costs.report(costs.Workload())},
}


def pulumi_yaml(text: str) -> str:
    """Pulumi.yaml with its `config:` block (always last) generated from the schema."""
    note = "# Generated from cloudtrail_logging/schema.py by scripts/sync_contract.py.\n"
    head = text.split("\nconfig:\n", 1)[0].removesuffix(note.rstrip("\n")).rstrip("\n")
    block = yaml.safe_dump(
        {"config": schema.pulumi_yaml_config()}, sort_keys=False, width=100, allow_unicode=True
    )
    return f"{head}\n{note}{block}"


def filled(path: Path, text: str) -> str:
    """The page with each generated part rendered anew between its markers."""
    for marker, render in MARKERS[path].items():
        begin, end = f"<!-- {marker}:begin -->", f"<!-- {marker}:end -->"
        before, _, rest = text.partition(begin)
        _, _, after = rest.partition(end)
        if not rest:
            raise SystemExit(f"{path.name}: missing the {begin} … {end} markers")
        text = f"{before}{begin}\n{render()}{end}{after}"
    return text


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    renders: list[tuple[Path, Callable[[str], str]]] = [
        (PULUMI_YAML, pulumi_yaml),
        *((page, functools.partial(filled, page)) for page in MARKERS),
        (CONTROLS, lambda _text: controls.markdown()),
    ]
    for path, render in renders:
        current = path.read_text() if path.exists() else ""
        wanted = render(current)
        if current != wanted:
            stale.append(path.name)
            if not check:
                path.write_text(wanted)
    if check and stale:
        print(f"out of date: {', '.join(stale)}; run scripts/sync_contract.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
