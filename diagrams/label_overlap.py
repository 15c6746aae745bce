"""Where Graphviz puts each label, and which labels overlap: the layout `dot` computes
(`dot -Tjson`), not pixels.

Every text `dot` draws is a `T` operation of an object's or edge's `_ldraw_` (label),
`_hldraw_`/`_tldraw_` (head and tail labels), with its anchor point, alignment and width in
points, after an `F` operation giving its font size. A box spans the width around the anchor and
from the baseline's descent to the ascent of that size. Node shapes are boxes of their `width`
and `height` around `pos`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

POINTS_PER_INCH = 72.0
DESCENT, ASCENT = 0.25, 0.85  # of the font size, below and above the baseline
TOLERANCE = 1.0  # points of touching that are not an overlap


@dataclass(frozen=True)
class Box:
    """A rectangle of the layout, in points, and what it belongs to."""

    owner: str
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return (min(self.x1, other.x1) - max(self.x0, other.x0) > TOLERANCE
                and min(self.y1, other.y1) - max(self.y0, other.y0) > TOLERANCE)


def layout(dot_text: str) -> dict[str, Any]:
    """`dot -Tjson` of the graph; raises FileNotFoundError without graphviz."""
    dot = shutil.which("dot")
    if dot is None:
        raise FileNotFoundError("dot")
    done = subprocess.run([dot, "-Tjson"], input=dot_text.encode(), capture_output=True,
                          check=True)
    loaded: dict[str, Any] = json.loads(done.stdout)
    return loaded


def _texts(owner: str, item: dict[str, Any]) -> Iterator[Box]:
    for key in ("_ldraw_", "_hldraw_", "_tldraw_"):
        size = 14.0
        for op in item.get(key, []):
            if op.get("op") == "F":
                size = float(op["size"])
            elif op.get("op") == "T" and str(op.get("text", "")).strip():
                x, y = (float(v) for v in op["pt"])
                width = float(op["width"])
                x0 = {"l": x, "r": x - width}.get(op.get("align", "c"), x - width / 2)
                yield Box(owner, str(op["text"]), x0, y - DESCENT * size, x0 + width,
                          y + ASCENT * size)


def label_boxes(graph: dict[str, Any]) -> list[Box]:
    """Every text of the layout: node, cluster, graph and edge labels, line by line."""
    boxes: list[Box] = list(_texts("graph", graph))
    for item in graph.get("objects", []):
        boxes += _texts(f"object {item.get('name')}", item)
    for edge in graph.get("edges", []):
        boxes += _texts(f"edge {edge.get('_gvid')}", edge)
    return boxes


def node_boxes(graph: dict[str, Any]) -> list[Box]:
    """The box of every node's shape."""
    boxes = []
    for item in graph.get("objects", []):
        if "pos" not in item or "nodes" in item:  # clusters have a bb, not a pos
            continue
        x, y = (float(v) for v in item["pos"].split(","))
        half_w = float(item["width"]) * POINTS_PER_INCH / 2
        half_h = float(item["height"]) * POINTS_PER_INCH / 2
        boxes.append(Box(f"object {item.get('name')}", "", x - half_w, y - half_h, x + half_w,
                         y + half_h))
    return boxes


def overlapping(graph: dict[str, Any]) -> list[tuple[Box, Box]]:
    """Pairs of texts of different owners that overlap, and edge labels over a node's shape."""
    texts = label_boxes(graph)
    found = [(a, b) for i, a in enumerate(texts) for b in texts[i + 1:]
             if a.owner != b.owner and a.overlaps(b)]
    edge_texts = [t for t in texts if t.owner.startswith("edge ")]
    found += [(t, n) for t in edge_texts for n in node_boxes(graph) if t.overlaps(n)]
    return found
