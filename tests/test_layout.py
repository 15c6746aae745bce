"""The README's layout table matches the tree."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = (ROOT / "README.md").read_text().split("## Layout", 1)[1]


def named() -> set[str]:
    """Every path the table names, with `dir/a.py`, `b.py` read as `dir/a.py`, `dir/b.py`."""
    found: set[str] = set()
    for row in SECTION.splitlines():
        if not row.startswith("| `"):
            continue
        cells = row.split("|")
        first = re.findall(r"`([^`]+)`", cells[1])
        base = first[0].rsplit("/", 1)[0] + "/" if "/" in first[0] else ""
        found |= {p if "/" in p or not base else base + p for p in first}
        folder = first[0] if first[0].endswith("/") else ""
        found |= {folder + p for p in re.findall(r"`([\w.-]+\.(?:py|sh))`", cells[2])}
    return found


def test_every_named_path_exists() -> None:
    for path in named():
        assert (ROOT / path).exists(), path


def test_every_module_and_script_is_named() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "cloudtrail_logging", "offline", "engine_model", "diagrams", "verify",
         "scripts"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()
    names = named()
    for path in tracked:
        if path.endswith("__init__.py") or path.endswith("__main__.py"):
            continue
        assert path in names, f"{path} is not in the README's layout table"
