"""A copy of the project whose stack files a test edits, the program and its packages linked."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def project_copy(
    directory: Path, edits: dict[str, Callable[[str], str]] | None = None,
    extra: dict[str, str] | None = None,
) -> Path:
    """Pulumi.yaml and the shipped stack files in `directory`, each edited by `edits[stack]`;
    `extra` adds stack files by name (`Pulumi.<name>.yaml` -> text)."""
    shutil.copyfile(ROOT / "Pulumi.yaml", directory / "Pulumi.yaml")
    for name in ("__main__.py", "cloudtrail_logging", "components"):
        (directory / name).symlink_to(ROOT / name)
    for stack in ("security", "dev"):
        text = (ROOT / f"Pulumi.{stack}.yaml").read_text()
        edit = (edits or {}).get(stack)
        (directory / f"Pulumi.{stack}.yaml").write_text(edit(text) if edit else text)
    for name, text in (extra or {}).items():
        (directory / name).write_text(text)
    return directory
