"""The case study's charts as reportlab.graphics drawings: vector, searchable text, no images.

Each function takes plain values and already formatted strings, and returns a ``Drawing`` that platypus
can place like any flowable. Colours carry meaning only together with a printed label.
"""

import math
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.formatting import pdf_text

FONT = "Helvetica"
BOLD = "Helvetica-Bold"
INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#666666")
TRACK = colors.HexColor("#E6E6E6")
ACCENT = colors.HexColor("#1F5F8B")
SECOND = colors.HexColor("#E69F00")
GOOD = colors.HexColor("#2E7D32")
BAD = colors.HexColor("#C62828")

# Okabe-Ito colours (readable by colour-blind readers), one per clusters.models.Actor.Kind value.
KIND_COLOURS = {
    "firm": colors.HexColor("#0072B2"),
    "supplier": colors.HexColor("#E69F00"),
    "buyer": colors.HexColor("#009E73"),
    "university": colors.HexColor("#CC79A7"),
    "research_centre": colors.HexColor("#56B4E9"),
    "public_agency": colors.HexColor("#D55E00"),
    "financial_institution": colors.HexColor("#B8A200"),
    "business_association": colors.HexColor("#6A3D9A"),
    "ngo": colors.HexColor("#8C564B"),
    "other": colors.HexColor("#999999"),
}

# The diagram stays legible (and its layout quick) up to this many actors; beyond, the most connected.
MAX_DRAWN_NODES = 120
# Name every node of a small network; in a larger one only the most connected.
LABEL_ALL_UP_TO = 30
LABELLED_IN_LARGE = 12


def kind_colour(kind: str) -> colors.Color:
    return KIND_COLOURS.get(kind, KIND_COLOURS["other"])


def wrap(text: str, width: float, size: float, font: str = FONT, max_lines: int = 2) -> list[str]:
    """Words broken into lines that fit ``width``; the last line ends in an ellipsis when text is left over."""
    words = pdf_text(text).split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if stringWidth(candidate, font, size) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _ellipsis(lines[-1] + " …", width, size, font)
    return [_ellipsis(line, width, size, font) for line in lines] or [""]


def _ellipsis(text: str, width: float, size: float, font: str) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # what is printed at the end of the bar, e.g. "8 (44%)"
    colour: colors.Color = ACCENT


def bar_chart(bars: list[Bar], width: float, *, max_value: float | None = None, size: float = 8) -> Drawing:
    """Horizontal bars, one labelled row each, values printed at the bar ends."""
    return grouped_bar_chart(
        [(bar.label, [(bar.value, bar.text, bar.colour)]) for bar in bars], width, max_value=max_value, size=size
    )


def grouped_bar_chart(
    rows: list[tuple[str, list[tuple[float, str, colors.Color]]]],
    width: float,
    *,
    legend: list[tuple[str, colors.Color]] | None = None,
    max_value: float | None = None,
    size: float = 8,
) -> Drawing:
    """Rows of one or more horizontal bars (e.g. planned and executed budget), with an optional legend."""
    label_width = width * 0.36
    text_width = max(
        [stringWidth(pdf_text(text), FONT, size) for _label, bars in rows for _value, text, _colour in bars] + [20]
    )
    bar_left = label_width + 6
    bar_width = max(width - bar_left - text_width - 6, 40)
    top = max([value for _label, bars in rows for value, _text, _colour in bars] + [max_value or 0, 0])
    bar_height = size + 2
    layouts = []
    height = 0.0
    for label, bars in rows:
        lines = wrap(label, label_width, size)
        row_height = max(len(lines) * (size + 1.5), len(bars) * (bar_height + 1)) + 5
        layouts.append((lines, bars, row_height))
        height += row_height
    legend_height = size + 8 if legend else 0
    drawing = Drawing(width, height + legend_height)
    y = height
    for lines, bars, row_height in layouts:
        label_top = y - (row_height - len(lines) * (size + 1.5)) / 2 - size + 1
        for number, line in enumerate(lines):
            drawing.add(
                String(
                    label_width,
                    label_top - number * (size + 1.5),
                    line,
                    fontName=FONT,
                    fontSize=size,
                    fillColor=INK,
                    textAnchor="end",
                )
            )
        bar_y = y - (row_height - len(bars) * (bar_height + 1)) / 2 - bar_height
        for value, text, colour in bars:
            length = bar_width * (value / top) if top > 0 else 0
            drawing.add(Rect(bar_left, bar_y, max(length, 0), bar_height, fillColor=colour, strokeColor=None))
            drawing.add(
                String(
                    bar_left + max(length, 0) + 3,
                    bar_y + 2.5,
                    pdf_text(text),
                    fontName=FONT,
                    fontSize=size,
                    fillColor=INK,
                )
            )
            bar_y -= bar_height + 1
        y -= row_height
    drawing.add(Line(bar_left, 0, bar_left, height, strokeColor=MUTED, strokeWidth=0.5))
    if legend:
        _legend(drawing, legend, bar_left, height + 4, width - bar_left, size)
    return drawing


def _legend(drawing: Drawing, items: list[tuple[str, colors.Color]], x: float, y: float, width: float, size: float):
    """Swatches with labels from left to right, wrapping onto rows below ``y``."""
    start = x
    for label, colour in items:
        text = pdf_text(label)
        item_width = size + 4 + stringWidth(text, FONT, size) + 12
        if x + item_width > start + width and x > start:
            x = start
            y -= size + 5
        drawing.add(Rect(x, y, size, size, fillColor=colour, strokeColor=None))
        drawing.add(String(x + size + 4, y + 1, text, fontName=FONT, fontSize=size, fillColor=INK))
        x += item_width


def legend_height(items: list[tuple[str, colors.Color]], width: float, size: float) -> float:
    rows, x = 1, 0.0
    for label, _colour in items:
        item_width = size + 4 + stringWidth(pdf_text(label), FONT, size) + 12
        if x + item_width > width and x > 0:
            rows += 1
            x = 0.0
        x += item_width
    return rows * (size + 5)


def progress_bar(progress: float, text: str, width: float, *, height: float = 9, size: float = 8) -> Drawing:
    """A 0-100 % track filled to ``progress``; beyond the target it is full, green, with the real figure
    printed; a move away from the target (progress < 0) leaves it empty with the figure in red."""
    text = pdf_text(text)
    text_width = stringWidth(text, BOLD, size) + 4
    track = max(width - text_width, 20)
    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, track, height, fillColor=TRACK, strokeColor=None))
    colour = GOOD if progress >= 1 else ACCENT
    fill = track * min(max(progress, 0.0), 1.0)
    if fill > 0:
        drawing.add(Rect(0, 0, fill, height, fillColor=colour, strokeColor=None))
    drawing.add(
        String(
            track + 4,
            (height - size) / 2 + 1.5,
            text,
            fontName=BOLD,
            fontSize=size,
            fillColor=BAD if progress < 0 else INK,
        )
    )
    return drawing


def range_strip(
    minimum: float, maximum: float, median: float | None, mean: float | None, labels: dict[str, str], width: float
) -> Drawing:
    """Minimum to maximum on a line, the median as a tick and the mean as a dot, each labelled."""
    size = 7.5
    drawing = Drawing(width, 34)
    left, right, axis_y = 40.0, width - 40.0, 16.0
    span = (maximum - minimum) or 1.0

    def x_of(value):
        return left + (right - left) * (value - minimum) / span

    drawing.add(Line(left, axis_y, right, axis_y, strokeColor=MUTED, strokeWidth=1.5))
    for value, key, anchor in ((minimum, "minimum", "end"), (maximum, "maximum", "start")):
        x = x_of(value)
        drawing.add(Line(x, axis_y - 4, x, axis_y + 4, strokeColor=MUTED, strokeWidth=1))
        drawing.add(
            String(
                x + (-4 if anchor == "end" else 4),
                axis_y - 3,
                pdf_text(labels[key]),
                fontName=FONT,
                fontSize=size,
                fillColor=INK,
                textAnchor=anchor,
            )
        )
    if median is not None:
        x = x_of(median)
        drawing.add(Line(x, axis_y - 7, x, axis_y + 7, strokeColor=ACCENT, strokeWidth=2))
        drawing.add(
            String(
                x,
                axis_y + 10,
                pdf_text(labels["median"]),
                fontName=FONT,
                fontSize=size,
                fillColor=ACCENT,
                textAnchor="middle",
            )
        )
    if mean is not None:
        x = x_of(mean)
        drawing.add(Circle(x, axis_y, 3.2, fillColor=SECOND, strokeColor=colors.white, strokeWidth=0.6))
        drawing.add(
            String(
                x,
                axis_y - 14,
                pdf_text(labels["mean"]),
                fontName=FONT,
                fontSize=size,
                fillColor=INK,
                textAnchor="middle",
            )
        )
    return drawing


@dataclass(frozen=True)
class DiagramNode:
    id: int
    name: str
    kind: str
    degree: int


def network_diagram(
    nodes: list[DiagramNode],
    ties: list[tuple[int, int]],
    kinds: list[tuple[str, str]],
    width: float,
    height: float,
    positions: dict,
) -> Drawing:
    """Actors as circles coloured by kind and sized by degree, directed ties as arrows, a legend below.

    ``kinds`` are (kind code, label) pairs for the legend; ``positions`` is the registry's layout
    ({actor id: (x, y)} in the unit square; an actor without one goes on a circle). Callers pass at most
    MAX_DRAWN_NODES nodes.
    """
    size = 7
    legend_items = [(label, kind_colour(kind)) for kind, label in kinds]
    legend_space = legend_height(legend_items, width, size) + 6
    plot_height = height - legend_space
    drawing = Drawing(width, height)
    margin = 12.0
    positions = _stretch(_placed(nodes, positions))
    top_degree = max((node.degree for node in nodes), default=0) or 1
    radius = {node.id: 2.5 + 6.5 * math.sqrt(node.degree / top_degree) for node in nodes}
    # Fewer pixels per node as the network grows, so that the circles do not cover each other.
    if len(nodes) > 40:
        radius = {node_id: r * 0.6 for node_id, r in radius.items()}
    inner_width = width - 2 * margin
    inner_height = plot_height - 2 * margin
    points = {
        node_id: (margin + x * inner_width, legend_space + margin + y * inner_height)
        for node_id, (x, y) in positions.items()
    }
    for source, target in ties:
        if source in points and target in points and source != target:
            _arrow(drawing, points[source], points[target], radius[target])
    for node in nodes:
        x, y = points[node.id]
        drawing.add(
            Circle(x, y, radius[node.id], fillColor=kind_colour(node.kind), strokeColor=colors.white, strokeWidth=0.7)
        )
    labelled = nodes
    if len(nodes) > LABEL_ALL_UP_TO:
        labelled = sorted(nodes, key=lambda node: (-node.degree, node.name))[:LABELLED_IN_LARGE]
    label_size = 6.5 if len(nodes) <= 20 else 5.5
    for node in labelled:
        x, y = points[node.id]
        name = _ellipsis(pdf_text(node.name), 110, label_size, FONT)
        name_width = stringWidth(name, FONT, label_size)
        # Names go on the side with room, on a pale band so that the arrows under them do not hide them.
        left_side = x > width * 0.6
        start = x - radius[node.id] - 2 - name_width if left_side else x + radius[node.id] + 2
        drawing.add(
            Rect(
                start - 1,
                y - label_size / 3 - 1.5,
                name_width + 2,
                label_size + 1.5,
                fillColor=colors.white,
                fillOpacity=0.75,
                strokeColor=None,
            )
        )
        drawing.add(String(start, y - label_size / 3, name, fontName=FONT, fontSize=label_size, fillColor=INK))
    _legend(drawing, legend_items, 0, legend_space - size - 6, width, size)
    return drawing


def _placed(nodes: list, positions: dict) -> dict:
    """The given positions of the drawn nodes; any node without one is put on a circle around the centre."""
    missing = [node.id for node in nodes if node.id not in positions]
    placed = {node.id: positions[node.id] for node in nodes if node.id in positions}
    for index, node_id in enumerate(missing):
        angle = 2 * math.pi * index / len(missing)
        placed[node_id] = (0.5 + 0.45 * math.cos(angle), 0.5 + 0.45 * math.sin(angle))
    return placed


def _stretch(positions: dict) -> dict:
    """The layout spread over the whole (wide) drawing: each axis scaled to [0, 1] on its own."""
    if len(positions) < 2:
        return positions
    xs = [x for x, _y in positions.values()]
    ys = [y for _x, y in positions.values()]
    low_x, low_y = min(xs), min(ys)
    span_x, span_y = max(xs) - low_x, max(ys) - low_y
    return {
        node: ((x - low_x) / span_x if span_x else 0.5, (y - low_y) / span_y if span_y else 0.5)
        for node, (x, y) in positions.items()
    }


def _arrow(drawing: Drawing, start: tuple[float, float], end: tuple[float, float], end_radius: float):
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1)
    if length < 1e-6:
        return
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    tip_x, tip_y = x2 - ux * (end_radius + 0.8), y2 - uy * (end_radius + 0.8)
    head = 4.0
    base_x, base_y = tip_x - ux * head, tip_y - uy * head
    edge = colors.HexColor("#8A8A8A")
    drawing.add(Line(x1, y1, base_x, base_y, strokeColor=edge, strokeWidth=0.6))
    drawing.add(
        Polygon(
            [
                tip_x,
                tip_y,
                base_x - uy * head * 0.45,
                base_y + ux * head * 0.45,
                base_x + uy * head * 0.45,
                base_y - ux * head * 0.45,
            ],
            fillColor=edge,
            strokeColor=None,
        )
    )
