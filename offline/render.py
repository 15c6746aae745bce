"""Print an offline preview like the CLI does: a resource tree, the outputs, a count."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from engine_model.model import SECRET_SIG, UNKNOWN, CapturedResource, PreviewResult


def display_value(value: Any) -> Any:
    """Unknown values as the CLI shows them; secrets masked."""
    if value == UNKNOWN:
        return "output<string>"
    if isinstance(value, dict):
        if SECRET_SIG in value:
            return "[secret]"
        return {k: display_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [display_value(v) for v in value]
    return value


def _children(result: PreviewResult) -> dict[str, list[CapturedResource]]:
    urns = {r.urn for r in result.resources}
    children: dict[str, list[CapturedResource]] = defaultdict(list)
    for resource in result.resources:
        parent = resource.parent if resource.parent in urns else ""
        children[parent].append(resource)
    for items in children.values():
        items.sort(key=lambda r: (r.name, r.type))
    return children


def tree_lines(result: PreviewResult) -> list[str]:
    """`Type  Name  Plan` rows, indented under their parents with box-drawing guides."""
    children = _children(result)
    rows: list[tuple[str, str, str]] = [
        ("pulumi:pulumi:Stack", f"{result.project}-{result.stack}", "create")
    ]

    def walk(parent: str, prefix: str) -> None:
        items = children.get(parent, [])
        for index, resource in enumerate(items):
            last = index == len(items) - 1
            branch = "└─ " if last else "├─ "
            plan = "read" if resource.read else "import" if resource.import_id else "create"
            rows.append((f"{prefix}{branch}{resource.type}", resource.name, plan))
            walk(resource.urn, prefix + ("   " if last else "│  "))

    walk("", "")
    type_width = max(len(r[0]) for r in rows) + 2
    name_width = max(len(r[1]) for r in rows) + 2
    lines = [f"     {'Type':<{type_width}}{'Name':<{name_width}}Plan"]
    marks = {"read": ">-", "import": " =", "create": " +"}  # the CLI's op symbols
    for type_, name, plan in rows:
        mark = marks[plan]
        lines.append(f" {mark}  {type_:<{type_width}}{name:<{name_width}}{plan}")
    return lines


def preview_text(result: PreviewResult) -> str:
    managed = [r for r in result.resources if not r.read]
    imported = [r for r in managed if r.import_id]
    lines = [f"Previewing update ({result.stack}) offline:", "", *tree_lines(result), ""]
    lines.append("Outputs:")
    for key in sorted(result.outputs):
        lines.append(f"    {key}: {json.dumps(display_value(result.outputs[key]))}")
    lines += ["", "Resources:", f"    + {len(managed) - len(imported) + 1} to create"]
    if imported:
        # The engine reads each one and then diffs the program's inputs against it: review
        # what it would change with `pulumi preview --diff` (README, "Adopting existing ...").
        lines.append(f"    = {len(imported)} to import")
    reads = len(result.resources) - len(managed)
    if reads:
        lines.append(f"    > {reads} to read")
    return "\n".join(lines)


def preview_document(result: PreviewResult) -> dict[str, Any]:
    """The same preview as a machine-readable document."""
    return {
        "project": result.project,
        "stack": result.stack,
        "resourceCount": len([r for r in result.resources if not r.read]) + 1,
        "resources": [
            {
                "urn": r.urn,
                "type": r.type,
                "name": r.name,
                "parent": r.parent,
                "custom": r.custom,
                "read": r.read,
                "protect": r.protect,
                "retainOnDelete": r.retain_on_delete,
                "importId": r.import_id,
                "dependencies": list(r.dependencies),
                "propertyDependencies": {k: list(v) for k, v in r.property_dependencies.items()},
                "inputs": display_value(r.inputs),
            }
            for r in result.resources
        ],
        "outputs": display_value(result.outputs),
    }
