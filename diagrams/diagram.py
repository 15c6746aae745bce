"""Architecture diagrams of the stacks, drawn from their offline previews.

    python -m diagrams.diagram [STACK ...] [--org DIR] [--out DIR] [--png] [--markdown FILE]
                               [--json]

Mermaid (`flowchart LR`) always; SVG (and PNG with --png) through Graphviz `dot` when it is
installed. `--org DIR` adds the organization view, drawn from the organization-mode stacks in DIR
(examples/organization): the log archive, the management account's stack and a member account
as its StackSets reach it (offline/org_view.py). Every view shows its trust boundaries: each
account is a box, with the keys and roles of the stack and who may use them (offline/trust.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from diagrams.graph import Graph, Node, stack_graph
from diagrams.org_view import example_project, organization_graph
from engine_model.program import ProgramError, preview_stack
from engine_model.stack_files import PROJECT_DIR, StackFileError, load_stack_config

NAMESPACE = "cloudtrail-logging"
GRAPHVIZ_MISSING = (
    "graphviz is not installed (no `dot` on PATH): SVG/PNG not written, Mermaid only. "
    "Install it with `apt-get install graphviz` (Debian/Ubuntu) or `brew install graphviz`."
)

TITLES = {
    "trail": "CloudTrail trail",
    "bucket": "S3 bucket",
    "topic": "SNS topic",
    "queue": "SQS queue",
    "function": "Lambda function",
    "log-group": "CloudWatch Logs group",
    "metric-filter": "metric filter",
    "alarm": "CloudWatch alarm",
    "event-rule": "EventBridge rule",
    "event-bus": "EventBridge bus",
    "account": "member account",
    "email": "e-mail",
    "storage-class": "",
    "stack-set": "CloudFormation StackSet",
    "scp": "service control policy",
    "key": "KMS key",
    "role": "IAM role",
    "principal": "principal",
    "service": "AWS service",
}
ORDER = list(TITLES)
MERMAID_SHAPES = {
    "bucket": ('[("', '")]'),
    "storage-class": ('[("', '")]'),
    "log-group": ('[("', '")]'),
    "topic": ('(["', '"])'),
    "queue": ('[["', '"]]'),
    "function": ('{{"', '"}}'),
    "alarm": ('>"', '"]'),
    "metric-filter": ('[/"', '"/]'),
    "event-rule": ('[/"', '"\\]'),
    "event-bus": ('[\\"', '"/]'),
    "account": ('("', '")'),
    "key": ('{{"', '"}}'),
    "role": ('[/"', '"/]'),
    "principal": ('(["', '"])'),
    "service": ('(["', '"])'),
    "scp": ('[["', '"]]'),
}
DOT_SHAPES = {
    "bucket": "cylinder", "storage-class": "cylinder", "log-group": "cylinder",
    "topic": "ellipse", "queue": "box3d", "function": "hexagon", "alarm": "box",
    "metric-filter": "note", "event-rule": "component", "event-bus": "cds",
    "trail": "box", "account": "box", "stack-set": "box3d", "scp": "octagon",
    "key": "doubleoctagon", "role": "house", "principal": "box", "service": "box",
}
COLORS = {
    "trail": "#dbeafe", "bucket": "#dcfce7", "storage-class": "#ecfccb", "topic": "#ffedd5",
    "queue": "#ffedd5", "function": "#fef9c3", "log-group": "#fce7f3",
    "metric-filter": "#fce7f3", "alarm": "#fee2e2", "event-rule": "#f3e8ff",
    "event-bus": "#f3e8ff", "account": "#f1f5f9", "email": "#f1f5f9",
    "stack-set": "#e0f2fe", "scp": "#fecaca", "key": "#fde68a", "role": "#fef3c7",
    "principal": "#e2e8f0", "service": "#f8fafc",
}
# Trust edges (who may use what) are drawn apart from data flows.
TRUST_COLOR = "#b45309"
LEGEND_EDGES = (
    ("data flow, reacts within seconds", "solid", "#334155"),
    ("data flow, minutes or more", "dashed", "#334155"),
    ("trust: who may assume, read, write, encrypt, decrypt or administer", "dotted",
     TRUST_COLOR),
    ("the key encrypts it", "bold", TRUST_COLOR),
)


def _sorted_nodes(graph: Graph) -> list[Node]:
    clusters = list(graph.clusters)

    def key(node: Node) -> tuple[int, int, str]:
        cluster = clusters.index(node.stack) if node.stack in clusters else len(clusters)
        kind = ORDER.index(node.kind) if node.kind in ORDER else len(ORDER)
        return cluster, kind, node.id

    return sorted(graph.nodes.values(), key=key)


def _lines(node: Node, graph: Graph) -> tuple[str, str, list[str]]:
    """(title, name, notes) of a node's label."""
    title = TITLES.get(node.kind, node.kind)
    if node.count > 1:
        title = f"{node.count} {title}s"
    notes = list(node.notes)
    if node.kind in ("event-rule", "event-bus") and node.region:
        notes.insert(0, node.region)
    return title, node.label, notes


def wrap(notes: Sequence[str], width: int = 44) -> list[str]:
    """Notes joined with ' · ' into lines of about `width` characters."""
    lines: list[str] = []
    for note in notes:
        if lines and len(lines[-1]) + 3 + len(note) <= width:
            lines[-1] += f" · {note}"
        else:
            lines.append(note)
    return lines


def _edge_text(label: str, latency: str) -> str:
    return f"{label} · {latency}" if latency else label


def _slow(latency: str) -> bool:
    return latency not in ("", "seconds") and not latency.endswith(" s")


def to_mermaid(graph: Graph) -> str:
    """Mermaid `flowchart LR`; solid arrows react in seconds, dotted ones in minutes or more."""

    def esc(text: str) -> str:
        return text.replace('"', "#quot;")

    def node_line(node: Node) -> str:
        title, name, notes = _lines(node, graph)
        parts = [f"<b>{esc(title)}</b>"] if title else []
        parts.append(esc(name))
        if notes:
            parts.append(f"<i>{'<br/>'.join(esc(line) for line in wrap(notes))}</i>")
        start, end = MERMAID_SHAPES.get(node.kind, ('["', '"]'))
        return f"{node.id}{start}{'<br/>'.join(parts)}{end}"

    out = ["flowchart LR", f"  %% {graph.title}; generated by python -m diagrams.diagram"]
    nodes = _sorted_nodes(graph)
    for cluster, title in graph.clusters.items():
        members = [n for n in nodes if n.stack == cluster]
        if not members:
            continue
        out.append(f'  subgraph {cluster.replace("-", "_")}_stack["{esc(title)}"]')
        out.extend(f"    {node_line(n)}" for n in members)
        out.append("  end")
    out.extend(f"  {node_line(n)}" for n in nodes if n.stack not in graph.clusters)
    trust: list[int] = []
    edges = sorted(graph.edges, key=lambda e: (e.src, e.dst, e.label))
    for index, edge in enumerate(edges):
        arrow = {"trust": "-.->", "encrypts": "==>"}.get(
            edge.kind, "-.->" if _slow(edge.latency) else "-->")
        text = _edge_text(edge.label, edge.latency)
        out.append(f'  {edge.src} {arrow}' + (f'|"{esc(text)}"| ' if text else " ") + edge.dst)
        if edge.kind != "flow":
            trust.append(index)
    out += _mermaid_legend(len(edges), trust)
    for kind, color in COLORS.items():
        ids = [n.id for n in nodes if n.kind == kind]
        if ids:
            out.append(f"  classDef {kind.replace('-', '_')} fill:{color},stroke:#475569")
            out.append(f"  class {','.join(ids)} {kind.replace('-', '_')}")
    external = [n.id for n in nodes if n.external]
    if external:
        out.append("  classDef external stroke-dasharray:4 3")
        out.append(f"  class {','.join(external)} external")
    return "\n".join(out) + "\n"


def _mermaid_legend(first: int, trust: list[int]) -> list[str]:
    """A legend subgraph; `first` is the index its first link gets, `trust` the trust links."""
    out = ['  subgraph legend["legend"]', '    legend_box["box: one AWS account, a trust boundary'
           '<br/>dashed border: not created by these stacks"]']
    for index, (text, style, _color) in enumerate(LEGEND_EDGES):
        arrow = {"solid": "-->", "bold": "==>"}.get(style, "-.->")
        out.append(f'    legend_{index}a[" "] {arrow}|"{text}"| legend_{index}b[" "]')
    out.append("  end")
    trust = [*trust, first + len(LEGEND_EDGES) - 2, first + len(LEGEND_EDGES) - 1]
    out.append(f"  linkStyle {','.join(map(str, trust))} stroke:{TRUST_COLOR},"
               "stroke-dasharray:2 3")
    return out


def _dot_legend() -> list[str]:
    out = ["  subgraph cluster_legend {",
           '    label="legend"; style="rounded,dashed"; color="#94a3b8"; fontsize=11;',
           '    legend_box [label="box: one AWS account, a trust boundary\\ndashed border: '
           'not created by these stacks", shape=box, style="rounded"];']
    for index, (text, style, color) in enumerate(LEGEND_EDGES):
        out.append(f'    legend_{index}a [label="", shape=point, width=0.05]; legend_{index}b '
                   '[label="", shape=point, width=0.05];')
        out.append(f'    legend_{index}a -> legend_{index}b [label="{text}", style={style}, '
                   f'color="{color}", fontcolor="{color}"];')
    out.append("  }")
    return out


# Node and rank separations (inches) tried in turn until dot lays no label over another.
SPACINGS = ((0.8, 0.8), (0.6, 1.0), (1.0, 1.2), (0.8, 1.0), (0.6, 0.8), (1.0, 0.8))


def to_dot(graph: Graph, spacing: tuple[float, float] = SPACINGS[0]) -> str:
    """Graphviz DOT of the same graph; trust edges span two ranks, so their labels stand
    apart from the flows'."""

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace('"', '\\"')

    def node_line(node: Node) -> str:
        title, name, notes = _lines(node, graph)
        label = "\\n".join(esc(p) for p in [title, name, *wrap(notes)] if p)
        style = "filled,dashed" if node.external else "filled"
        if node.kind in ("trail", "account", "email"):
            style += ",rounded"
        return (f'{node.id} [label="{label}", shape={DOT_SHAPES.get(node.kind, "box")}, '
                f'style="{style}", fillcolor="{COLORS.get(node.kind, "#ffffff")}"];')

    out = [
        "digraph architecture {",
        f"  rankdir=LR; newrank=true; nodesep={spacing[0]}; ranksep={spacing[1]};",
        f'  label="{esc(graph.title)}"; labelloc=t; fontsize=14;',
        '  fontname="Helvetica"; node [fontname="Helvetica", fontsize=10, color="#475569"];',
        '  edge [fontname="Helvetica", fontsize=9, color="#334155"];',
    ]
    nodes = _sorted_nodes(graph)
    for index, (cluster, title) in enumerate(graph.clusters.items()):
        members = [n for n in nodes if n.stack == cluster]
        if not members:
            continue
        out.append(f"  subgraph cluster_{index} {{")
        out.append(f'    label="{esc(title)}"; style="rounded"; color="#94a3b8"; fontsize=11;')
        out.extend(f"    {node_line(n)}" for n in members)
        out.append("  }")
    out.extend(f"  {node_line(n)}" for n in nodes if n.stack not in graph.clusters)
    for edge in sorted(graph.edges, key=lambda e: (e.src, e.dst, e.label)):
        style = "dashed" if _slow(edge.latency) else "solid"
        text = esc(edge.label) + (f"\\n{esc(edge.latency)}" if edge.latency else "")
        trust = f', color="{TRUST_COLOR}", fontcolor="{TRUST_COLOR}"'
        style = {"trust": "dotted", "encrypts": "bold"}.get(edge.kind, style)
        out.append(f'  {edge.src} -> {edge.dst} [label="{text}", style={style}'
                   f'{trust + ", minlen=2" if edge.kind != "flow" else ""}];')
    out += _dot_legend()
    out.append("}")
    return "\n".join(out) + "\n"


def graph_document(graph: Graph) -> dict[str, object]:
    """The graph model as JSON-ready data."""
    return {
        "title": graph.title,
        "clusters": graph.clusters,
        "nodes": [asdict(n) for n in _sorted_nodes(graph)],
        "edges": [asdict(e) for e in graph.edges],
    }


def render_graphviz(dot_text: str, target: Path, fmt: str) -> None:
    """Run `dot -T<fmt>`; raises FileNotFoundError without graphviz."""
    dot = shutil.which("dot")
    if dot is None:
        raise FileNotFoundError("dot")
    subprocess.run([dot, f"-T{fmt}", "-o", str(target)], input=dot_text.encode(), check=True)


def _stack_names(project_dir: Path) -> list[str]:
    return sorted(p.name[len("Pulumi."):-len(".yaml")] for p in project_dir.glob("Pulumi.*.yaml"))


def _context(stack: str, project_dir: Path) -> tuple[str, str, str]:
    """(role, account, region) from the stack's config file."""
    values = load_stack_config(stack, project_dir).values
    try:
        accounts = json.loads(values.get("aws:allowedAccountIds", "[]"))
    except ValueError:
        accounts = []
    account = str(accounts[0]) if accounts else ""
    return values.get(f"{NAMESPACE}:role", ""), account, values.get("aws:region", "")


def build_views(
    stacks: Sequence[str],
    org: Path | None = None,
    *,
    project_dir: Path = PROJECT_DIR,
) -> dict[str, Graph]:
    """View name -> graph: one per stack, plus `organization` from the organization-mode stack
    files in `org` (a log-archive stack and the management account's `organizationTrail` one)."""
    contexts = {s: _context(s, project_dir) for s in _stack_names(project_dir)}
    for stack in stacks:
        contexts.setdefault(stack, _context(stack, project_dir))
    views: dict[str, Graph] = {}
    ordered = sorted(stacks, key=lambda s: (contexts[s][0] != "log-archive", stacks.index(s)))
    for stack in ordered:
        role, account, region = contexts[stack]
        views[stack] = stack_graph(preview_stack(stack, project_dir), account, region)
        if role:
            views[stack].title = f"{role} stack {stack}"
    if org is not None:
        views["organization"] = _organization_view(org, project_dir)
    return views


def _organization_view(org: Path, project_dir: Path) -> Graph:
    """The organization view of the stack files in `org`, previewed beside the program."""
    with tempfile.TemporaryDirectory(prefix="organization-") as where:
        project = example_project(org, Path(where), project_dir)
        names = _stack_names(project)
        configs = {s: load_stack_config(s, project).values for s in names}
        archive = next((s for s in names
                        if configs[s].get(f"{NAMESPACE}:role") == "log-archive"), None)
        management = next((s for s in names
                           if configs[s].get(f"{NAMESPACE}:organizationTrail") == "true"), None)
        if archive is None or management is None:
            raise StackFileError(f"{org}: the organization view needs a log-archive stack and "
                                 "the management account's organizationTrail stack")
        return organization_graph(preview_stack(archive, project),
                                  preview_stack(management, project))


def dot_without_overlaps(graph: Graph) -> tuple[str, int]:
    """The DOT text of the first spacing whose layout has no overlapping labels, and how many
    overlaps it has (0, or the fewest found); needs graphviz."""
    from diagrams.label_overlap import layout, overlapping

    best: tuple[str, int] | None = None
    for spacing in SPACINGS:
        text = to_dot(graph, spacing)
        count = len(overlapping(layout(text)))
        if best is None or count < best[1]:
            best = (text, count)
        if count == 0:
            break
    assert best is not None
    return best


def write_views(
    views: dict[str, Graph], out: Path, *, png: bool = False
) -> tuple[list[Path], bool]:
    """Write <view>.mmd, .dot and, with graphviz, .svg (.png); returns (files, graphviz found)."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    have_dot = shutil.which("dot") is not None
    for name, graph in views.items():
        mermaid, dot = out / f"{name}.mmd", out / f"{name}.dot"
        mermaid.write_text(to_mermaid(graph))
        text, overlaps = dot_without_overlaps(graph) if have_dot else (to_dot(graph), 0)
        if overlaps:
            print(f"warning: {name}: {overlaps} overlapping labels in every spacing tried",
                  file=sys.stderr)
        dot.write_text(text)
        written += [mermaid, dot]
        if have_dot:
            for fmt in ("svg", "png") if png else ("svg",):
                target = out / f"{name}.{fmt}"
                render_graphviz(dot.read_text(), target, fmt)
                written.append(target)
    return written, have_dot


VIEW_HEADINGS = {
    "organization": "Organization: the log archive, the management account and a member account",
}


def markdown(views: dict[str, Graph], image_dir: Path | None, base: Path) -> str:
    """A README section: per view an image link (when rendered) and the Mermaid block."""
    lines = [
        "## Architecture",
        "",
        "Drawn from the offline previews of the stacks themselves (`bash scripts/diagrams.sh`, "
        "i.e. `python -m diagrams.diagram`): each solid or dashed arrow is a reference between "
        "real resources, labelled with how soon the next hop reacts (solid: seconds, dashed: "
        "minutes or more, S3 log delivery ~5 min). Each box is an AWS account, a trust "
        "boundary: its keys and roles are drawn, and dotted arrows say who may assume, read, "
        "write, encrypt, decrypt or administer them, read from the key, trust and bucket "
        "policies; a bold arrow leads from a key to what it encrypts. Block Public Access, "
        "versioning and the like are folded into the notes of the box they configure.",
        "",
    ]
    for name, graph in views.items():
        heading = VIEW_HEADINGS.get(name, graph.title.replace(name, f"`{name}`").capitalize())
        lines += [f"### {heading}", ""]
        if image_dir is not None and (image_dir / f"{name}.svg").exists():
            link = os.path.relpath(image_dir / f"{name}.svg", base)
            lines += [f"![{graph.title}]({link})", ""]
        lines += ["```mermaid", to_mermaid(graph).rstrip(), "```", ""]
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m diagrams.diagram", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stacks", nargs="*", help="stacks to draw (default: every Pulumi.*.yaml)")
    parser.add_argument("--org", type=Path, metavar="DIR",
                        help="add the organization view of the organization-mode stack files "
                        "in DIR (examples/organization)")
    parser.add_argument("--out", type=Path, help="write <view>.mmd/.dot/.svg into DIR")
    parser.add_argument("--png", action="store_true", help="also write PNG (with --out)")
    parser.add_argument("--markdown", type=Path, help="write a README section to FILE")
    parser.add_argument("--json", action="store_true", help="print the graph model as JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    stacks = args.stacks or _stack_names(PROJECT_DIR)
    try:
        views = build_views(stacks, args.org)
    except StackFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ProgramError as error:
        print(f"error: the program failed: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({name: graph_document(g) for name, g in views.items()}, indent=2))
    elif args.out is None:
        for name, graph in views.items():
            print(f"%% view: {name}")
            print(to_mermaid(graph))
    have_dot = True
    if args.out is not None:
        written, have_dot = write_views(views, args.out, png=args.png)
        for path in written:
            print(f"wrote {path}")
    elif args.png:
        print("warning: --png needs --out", file=sys.stderr)
    if args.markdown is not None:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        # Image links relative to the page itself, so they work wherever it is rendered.
        args.markdown.write_text(markdown(views, args.out, args.markdown.parent))
        print(f"wrote {args.markdown}")
    if not have_dot:
        print(f"warning: {GRAPHVIZ_MISSING}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
