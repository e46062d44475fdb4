"""Drawing a cluster's network as SVG: positions, sizes and colours from ``selectors.network_summary``.

The colours are shared with anything else that draws actors (the PDF report draws with KIND_COLOURS). Colour is
never the only cue: each node's kind is in its tooltip, in the legend's text and in the page's table.
"""

import math
from dataclasses import dataclass

from clusters.collation import sort_key
from clusters.models import Actor, Relationship

# Distinct hues, dark enough for 3:1 against white with the dark outline every node gets.
KIND_COLOURS = {
    Actor.Kind.FIRM: "#1f77b4",
    Actor.Kind.SUPPLIER: "#d95f02",
    Actor.Kind.BUYER: "#2a9d3c",
    Actor.Kind.UNIVERSITY: "#c62828",
    Actor.Kind.RESEARCH_CENTRE: "#7b4fb0",
    Actor.Kind.PUBLIC_AGENCY: "#8c564b",
    Actor.Kind.FINANCIAL_INSTITUTION: "#d6338f",
    Actor.Kind.BUSINESS_ASSOCIATION: "#5f6b73",
    Actor.Kind.NGO: "#8a8a00",
    Actor.Kind.OTHER: "#138f9e",
}
# Names are written next to the nodes when there are few; with many, only the best connected are named.
LABEL_ALL_UP_TO = 30
LABEL_TOP = 12


@dataclass(frozen=True)
class DrawnNode:
    id: int
    x: float
    y: float
    r: float
    colour: str
    name: str
    short_name: str
    kind_label: str
    degree: int
    labelled: bool
    label_x: float
    anchor: str


@dataclass(frozen=True)
class DrawnEdge:
    x1: float
    y1: float
    x2: float
    y2: float
    title: str
    dashed: bool


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    nodes: tuple[DrawnNode, ...]
    edges: tuple[DrawnEdge, ...]
    legend: tuple[tuple[str, str, str, int], ...]  # kind, label, colour, count


def _short(name, limit=26):
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def radius(degree):
    return min(7 + 3 * math.sqrt(degree), 24)


def draw(summary, *, width=760, height=520, margin=60):
    """Place the summary's nodes in a width x height box: radius grows with degree, colour tells the kind."""
    by_id = {}
    ranked = sorted(summary.nodes, key=lambda node: (-node.degree, sort_key(node.name)))
    labelled_all = len(ranked) <= LABEL_ALL_UP_TO
    named = {node.id for node in ranked[:LABEL_TOP]}
    nodes = []
    for node in summary.nodes:
        px, py = summary.positions.get(node.id, (0.5, 0.5))
        x = margin + px * (width - 2 * margin)
        y = margin / 2 + py * (height - margin)
        r = radius(node.degree)
        right_side = px > 0.5
        drawn = DrawnNode(
            id=node.id,
            x=round(x, 1),
            y=round(y, 1),
            r=round(r, 1),
            colour=KIND_COLOURS.get(node.kind, KIND_COLOURS[Actor.Kind.OTHER]),
            name=node.name,
            short_name=_short(node.name),
            kind_label=node.kind_label,
            degree=node.degree,
            labelled=labelled_all or node.id in named,
            label_x=round(x - r - 4 if right_side else x + r + 4, 1),
            anchor="end" if right_side else "start",
        )
        by_id[node.id] = drawn
        nodes.append(drawn)
    # One line per ordered pair; its tooltip lists every kind of tie between them.
    pairs = {}
    for edge in summary.edges:
        pairs.setdefault((edge.source_id, edge.target_id), []).append(edge.kind_label)
    competes = str(Relationship.Kind.COMPETES.label)
    edges = []
    for (source_id, target_id), kinds in pairs.items():
        source, target = by_id.get(source_id), by_id.get(target_id)
        if source is None or target is None:
            continue
        dx, dy = target.x - source.x, target.y - source.y
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        # A tie both ways is drawn as two slightly apart lines.
        offset = 3 if (target_id, source_id) in pairs else 0
        ox, oy = -uy * offset, ux * offset
        edges.append(
            DrawnEdge(
                x1=round(source.x + ux * source.r + ox, 1),
                y1=round(source.y + uy * source.r + oy, 1),
                x2=round(target.x - ux * (target.r + 5) + ox, 1),
                y2=round(target.y - uy * (target.r + 5) + oy, 1),
                title=f"{source.name} → {target.name}: {', '.join(kinds)}",
                dashed=all(kind == competes for kind in kinds),
            )
        )
    counts = {}
    for node in summary.nodes:
        counts[node.kind] = counts.get(node.kind, 0) + 1
    legend = tuple(
        (kind, str(label), KIND_COLOURS[kind], counts[kind]) for kind, label in Actor.Kind.choices if counts.get(kind)
    )
    return Drawing(width=width, height=height, nodes=tuple(nodes), edges=tuple(edges), legend=legend)
