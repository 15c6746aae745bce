"""A policy document's change, statement by statement, for a reviewer to read.

Statements are matched by `Sid` (by position when a statement has none); within a matched
statement each changed field is named by its path, and a list of values (accounts, actions,
principals) shows the values added and removed rather than positions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any


def parse_document(value: Any) -> dict[str, Any] | None:
    """A policy document from a property value (a JSON string or an object), else None."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return None
    if isinstance(value, dict) and "Statement" in value:
        return value
    return None


def _statements(document: dict[str, Any]) -> dict[str, Any]:
    raw = document.get("Statement", [])
    listed = raw if isinstance(raw, list) else [raw]
    return {
        str(s["Sid"]) if isinstance(s, dict) and s.get("Sid") else f"#{index}": s
        for index, s in enumerate(listed)
    }


def _shown(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _as_set(value: Any) -> list[Any] | None:
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return value
    if isinstance(value, (str, int, float, bool)):
        return [value]
    return None


def _field_changes(old: Any, new: Any, path: str) -> Iterator[str]:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            sub = f"{path}.{key}" if path else key
            if key not in old:
                yield f"{sub}: added {_shown(new[key])}"
            elif key not in new:
                yield f"{sub}: removed {_shown(old[key])}"
            else:
                yield from _field_changes(old[key], new[key], sub)
        return
    before, after = _as_set(old), _as_set(new)
    if before is not None and after is not None:
        added = [v for v in after if v not in before]
        removed = [v for v in before if v not in after]
        parts = [f"+ {_shown(v)}" for v in added] + [f"- {_shown(v)}" for v in removed]
        yield f"{path}: {', '.join(parts) if parts else 'reordered'}"
        return
    yield f"{path}: {_shown(old)} -> {_shown(new)}"


def statement_diff(old: Any, new: Any) -> list[str]:
    """One line per added, removed or changed statement (`+ Sid`, `- Sid`, `~ Sid: field: ...`);
    empty when either side is not a policy document or nothing changed."""
    before, after = parse_document(old), parse_document(new)
    if before is None or after is None:
        return []
    lines: list[str] = []
    for key in ("Version", "Id"):
        if before.get(key) != after.get(key):
            lines.append(f"~ {key}: {_shown(before.get(key))} -> {_shown(after.get(key))}")
    old_statements, new_statements = _statements(before), _statements(after)
    for sid, statement in new_statements.items():
        if sid not in old_statements:
            effect = statement.get("Effect", "?") if isinstance(statement, dict) else "?"
            lines.append(f"+ {sid} ({effect})")
        else:
            lines.extend(f"~ {sid}: {change}"
                         for change in _field_changes(old_statements[sid], statement, ""))
    lines.extend(f"- {sid}" for sid in old_statements if sid not in new_statements)
    return lines
