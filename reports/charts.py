"""The reports' charts as reportlab.graphics drawings: vector, searchable text, no images.

Each function takes plain values and already formatted strings, and returns a ``Drawing`` that platypus
can place like any flowable. Colours carry meaning only together with a printed label or a line style.
Text is drawn with ``add_text``, which sets the embedded fonts and falls back, character by character, to
the emoji and symbol fonts (``reports.fonts``).
"""

import datetime
import itertools
import math
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from clusters import network
from reports import fonts
from reports.formatting import pdf_text

fonts.register()

FONT = fonts.REGULAR
BOLD = fonts.BOLD
OBLIQUE = fonts.OBLIQUE
INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#666666")
TRACK = colors.HexColor("#E6E6E6")
ACCENT = colors.HexColor("#1F5F8B")
SECOND = colors.HexColor("#E69F00")
GOOD = colors.HexColor("#2E7D32")
BAD = colors.HexColor("#C62828")

# One colour per clusters.models.Actor.Kind value: the network page's (clusters.network.KIND_COLOURS, each
# at least 3:1 against white), so that a kind has the same colour on the site and in the PDF.
KIND_COLOURS = {str(kind): colors.HexColor(colour) for kind, colour in network.KIND_COLOURS.items()}


@dataclass(frozen=True)
class TieStyle:
    colour: colors.Color
    dash: tuple[float, ...] | None
    directed: bool


# One style per clusters.models.Relationship.Kind value. "Collaborates with" and "competes with" go both
# ways: drawn without arrowheads. The others read from the arrow's tail to its head ("A supplies B").
TIE_STYLES = {
    "supplies": TieStyle(colors.HexColor("#1F5F8B"), None, True),
    "buys_from": TieStyle(colors.HexColor("#1F5F8B"), (3, 2), True),
    "trains": TieStyle(colors.HexColor("#7B4FB0"), None, True),
    "finances": TieStyle(colors.HexColor("#9A7B00"), None, True),
    "collaborates": TieStyle(colors.HexColor("#2E7D32"), None, False),
    "competes": TieStyle(colors.HexColor("#C62828"), (1.5, 1.5), False),
}
OTHER_TIE = TieStyle(colors.HexColor("#8A8A8A"), None, True)

# The diagram stays legible (and quick) up to this many actors; beyond, the most connected.
MAX_DRAWN_NODES = 120


def _drawing(width: float, height: float) -> Drawing:
    """A drawing whose text state starts in the embedded font (ReportLab's default is Helvetica, which would
    then be named in the PDF although no text is set in it)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT
    return drawing


def kind_colour(kind: str) -> colors.Color:
    return KIND_COLOURS.get(kind, KIND_COLOURS["other"])


def tie_style(kind: str) -> TieStyle:
    return TIE_STYLES.get(kind, OTHER_TIE)


def text_width(text: str, size: float, font: str = FONT) -> float:
    """The width of user text as ``add_text`` draws it (fallback fonts included)."""
    return sum(stringWidth(piece, run_font, size) for run_font, piece in fonts.runs(pdf_text(text), font))


def add_text(
    drawing: Drawing,
    x: float,
    y: float,
    text: str,
    *,
    size: float,
    font: str = FONT,
    colour=INK,
    anchor: str = "start",
) -> None:
    """Draw one line of text (``anchor``: start, middle or end at ``x``), in as many runs as fonts it needs."""
    pieces = fonts.runs(pdf_text(text).replace("\n", " "), font)
    total = sum(stringWidth(piece, run_font, size) for run_font, piece in pieces)
    left = x - total if anchor == "end" else x - total / 2 if anchor == "middle" else x
    for run_font, piece in pieces:
        drawing.add(String(left, y, piece, fontName=run_font, fontSize=size, fillColor=colour))
        left += stringWidth(piece, run_font, size)


def wrap(text: str, width: float, size: float, font: str = FONT, max_lines: int = 2) -> list[str]:
    """Words broken into lines that fit ``width``; the last line ends in an ellipsis when text is left over."""
    words = pdf_text(text).split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if text_width(candidate, size, font) <= width or not current:
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
    if text_width(text, size, font) <= width:
        return text
    while text and text_width(text + "…", size, font) > width:
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
    text_room = max([text_width(text, size) for _label, bars in rows for _value, text, _colour in bars] + [20])
    bar_left = label_width + 6
    bar_width = max(width - bar_left - text_room - 6, 40)
    top = max([value for _label, bars in rows for value, _text, _colour in bars] + [max_value or 0, 0])
    bar_height = size + 2
    layouts = []
    height = 0.0
    for label, bars in rows:
        lines = wrap(label, label_width, size)
        row_height = max(len(lines) * (size + 1.5), len(bars) * (bar_height + 1)) + 5
        layouts.append((lines, bars, row_height))
        height += row_height
    legend_room = legend_height(legend, width - bar_left, size) + 4 if legend else 0
    drawing = _drawing(width, height + legend_room)
    y = height
    for lines, bars, row_height in layouts:
        label_top = y - (row_height - len(lines) * (size + 1.5)) / 2 - size + 1
        for number, line in enumerate(lines):
            add_text(drawing, label_width, label_top - number * (size + 1.5), line, size=size, anchor="end")
        bar_y = y - (row_height - len(bars) * (bar_height + 1)) / 2 - bar_height
        for value, text, colour in bars:
            length = bar_width * (value / top) if top > 0 else 0
            drawing.add(Rect(bar_left, bar_y, max(length, 0), bar_height, fillColor=colour, strokeColor=None))
            add_text(drawing, bar_left + max(length, 0) + 3, bar_y + 2.5, text, size=size)
            bar_y -= bar_height + 1
        y -= row_height
    drawing.add(Line(bar_left, 0, bar_left, height, strokeColor=MUTED, strokeWidth=0.5))
    if legend:
        _swatch_legend(drawing, legend, bar_left, height + legend_room - size - 2, width - bar_left, size)
    return drawing


def _swatch_legend(drawing, items: list[tuple[str, colors.Color]], x: float, y: float, width: float, size: float):
    """Square swatches with labels from left to right, wrapping onto rows below ``y``."""
    start = x
    for label, colour in items:
        item_width = size + 4 + text_width(label, size) + 12
        if x + item_width > start + width and x > start:
            x = start
            y -= size + 5
        drawing.add(Rect(x, y, size, size, fillColor=colour, strokeColor=None))
        add_text(drawing, x + size + 4, y + 1, label, size=size)
        x += item_width


def legend_height(items: list, width: float, size: float, sample: float | None = None) -> float:
    """The height of a legend of ``items`` (label first) laid out in ``width``."""
    sample = size if sample is None else sample
    rows, x = 1, 0.0
    for item in items:
        item_width = sample + 4 + text_width(item[0], size) + 12
        if x + item_width > width and x > 0:
            rows += 1
            x = 0.0
        x += item_width
    return rows * (size + 5)


def progress_bar(progress: float, text: str, width: float, *, height: float = 9, size: float = 8) -> Drawing:
    """A 0-100 % track filled to ``progress``; beyond the target it is full, green, with the real figure
    printed; a move away from the target (progress < 0) leaves it empty with the figure in red."""
    room = text_width(text, size, BOLD) + 4
    track = max(width - room, 20)
    drawing = _drawing(width, height)
    drawing.add(Rect(0, 0, track, height, fillColor=TRACK, strokeColor=None))
    colour = GOOD if progress >= 1 else ACCENT
    fill = track * min(max(progress, 0.0), 1.0)
    if fill > 0:
        drawing.add(Rect(0, 0, fill, height, fillColor=colour, strokeColor=None))
    add_text(
        drawing, track + 4, (height - size) / 2 + 1.5, text, size=size, font=BOLD, colour=BAD if progress < 0 else INK
    )
    return drawing


def range_strip(
    minimum: float, maximum: float, median: float | None, mean: float | None, labels: dict[str, str], width: float
) -> Drawing:
    """Minimum to maximum on a line, the median as a tick and the mean as a dot, each labelled."""
    size = 7.5
    drawing = _drawing(width, 34)
    left = text_width(labels["minimum"], size) + 8
    right = width - text_width(labels["maximum"], size) - 8
    axis_y = 16.0
    span = (maximum - minimum) or 1.0

    def x_of(value):
        return left + (right - left) * (value - minimum) / span

    drawing.add(Line(left, axis_y, right, axis_y, strokeColor=MUTED, strokeWidth=1.5))
    for value, key, anchor in ((minimum, "minimum", "end"), (maximum, "maximum", "start")):
        x = x_of(value)
        drawing.add(Line(x, axis_y - 4, x, axis_y + 4, strokeColor=MUTED, strokeWidth=1))
        add_text(drawing, x + (-4 if anchor == "end" else 4), axis_y - 3, labels[key], size=size, anchor=anchor)
    if median is not None:
        x = x_of(median)
        drawing.add(Line(x, axis_y - 7, x, axis_y + 7, strokeColor=ACCENT, strokeWidth=2))
        add_text(drawing, x, axis_y + 10, labels["median"], size=size, colour=ACCENT, anchor="middle")
    if mean is not None:
        x = x_of(mean)
        drawing.add(Circle(x, axis_y, 3.2, fillColor=SECOND, strokeColor=colors.white, strokeWidth=0.6))
        add_text(drawing, x, axis_y - 14, labels["mean"], size=size, anchor="middle")
    return drawing


# --- Indicators over time ---


@dataclass(frozen=True)
class TrendPoint:
    date: datetime.date
    value: float
    label: str  # the value as printed, e.g. "87"


def trend_chart(
    baseline: TrendPoint,
    target: TrendPoint,
    measured: list[TrendPoint],
    width: float,
    *,
    height: float = 96,
    date_label=lambda day: day.isoformat(),
    legend: tuple[str, str, str] = ("measured", "path to the target", "target"),
) -> Drawing:
    """An indicator over time: the baseline, each approved measurement (solid), the straight path from
    the baseline to the target (dashed) and the target (a diamond), every point labelled with its value;
    the dates of the baseline, the latest value and the target on the time axis."""
    size = 7
    points = [baseline, *measured, target]
    first = min(point.date for point in points).toordinal()
    last = max(point.date for point in points).toordinal()
    low = min(point.value for point in points)
    high = max(point.value for point in points)
    if high == low:
        high, low = high + 1, low - 1
    legend_room = size + 8
    left, right = 6.0, width - 40.0
    bottom, top = size + 10, height - legend_room - size - 4
    drawing = _drawing(width, height)

    def at(point: TrendPoint) -> tuple[float, float]:
        x = left + (right - left) * ((point.date.toordinal() - first) / ((last - first) or 1))
        y = bottom + (top - bottom) * ((point.value - low) / (high - low))
        return x, y

    drawing.add(Line(left, bottom, right, bottom, strokeColor=MUTED, strokeWidth=0.5))
    start, goal = at(baseline), at(target)
    drawing.add(Line(*start, *goal, strokeColor=MUTED, strokeWidth=0.8, strokeDashArray=(3, 2)))
    path = [start] + [at(point) for point in measured]
    for (x1, y1), (x2, y2) in itertools.pairwise(path):
        drawing.add(Line(x1, y1, x2, y2, strokeColor=ACCENT, strokeWidth=1.4))
    for point in [baseline, *measured]:
        x, y = at(point)
        drawing.add(Circle(x, y, 2.3, fillColor=ACCENT, strokeColor=colors.white, strokeWidth=0.5))
        add_text(drawing, x, y + 4, point.label, size=size, anchor="middle")
    x, y = goal
    drawing.add(Polygon([x, y + 3.5, x + 3.5, y, x, y - 3.5, x - 3.5, y], fillColor=GOOD, strokeColor=None))
    add_text(drawing, x + 6, y - 2.5, target.label, size=size, colour=GOOD, font=BOLD)
    # Dates on the axis: the baseline's, the latest measurement's and the target's (when apart).
    shown: list[float] = []
    for point in [baseline, *measured[-1:], target]:
        x, _y = at(point)
        label = date_label(point.date)
        half = text_width(label, size) / 2 + 3
        if any(abs(x - other) < 2 * half for other in shown):
            continue
        shown.append(x)
        drawing.add(Line(x, bottom - 2, x, bottom + 2, strokeColor=MUTED, strokeWidth=0.5))
        add_text(drawing, min(max(x, left + half), width - half), 1, label, size=size, colour=MUTED, anchor="middle")
    # Legend on top.
    legend_y = height - size - 1
    x = left
    measured_label, path_label, target_label = legend
    drawing.add(Line(x, legend_y + 2.5, x + 14, legend_y + 2.5, strokeColor=ACCENT, strokeWidth=1.4))
    add_text(drawing, x + 17, legend_y, measured_label, size=size)
    x += 17 + text_width(measured_label, size) + 12
    drawing.add(
        Line(x, legend_y + 2.5, x + 14, legend_y + 2.5, strokeColor=MUTED, strokeWidth=0.8, strokeDashArray=(3, 2))
    )
    add_text(drawing, x + 17, legend_y, path_label, size=size)
    x += 17 + text_width(path_label, size) + 12
    drawing.add(
        Polygon(
            [x + 4, legend_y + 6, x + 7.5, legend_y + 2.5, x + 4, legend_y - 1, x + 0.5, legend_y + 2.5],
            fillColor=GOOD,
            strokeColor=None,
        )
    )
    add_text(drawing, x + 11, legend_y, target_label, size=size)
    return drawing


# --- The network ---


@dataclass(frozen=True)
class DiagramNode:
    id: int
    number: int  # printed in the circle; the table under the diagram names it
    kind: str
    degree: int


def network_diagram(
    nodes: list[DiagramNode],
    ties: list[tuple[int, int, str]],
    kinds: list[tuple[str, str]],
    tie_kinds: list[tuple[str, str]],
    width: float,
    height: float,
    positions: dict,
) -> Drawing:
    """Actors as numbered circles coloured by kind and sized by their ties; ties as lines styled by kind.

    ``ties`` are (source id, target id, Relationship kind); directed kinds get an arrowhead at the target,
    two-way kinds (collaborates, competes) none, and the same two-way tie reported in both directions is
    drawn once. ``kinds`` and ``tie_kinds`` are (code, label) pairs for the legend under the plot;
    ``positions`` is the registry's layout ({actor id: (x, y)} in the unit square; an actor without one
    goes on a circle). No name is written in the drawing: the numbers never overlap, and the table that
    follows the diagram names each one.
    """
    size = 7
    legend_room = (
        legend_height([(label,) for _kind, label in kinds], width, size)
        + legend_height([(label,) for _kind, label in tie_kinds], width, size, 18)
        + 8
    )
    plot_height = height - legend_room
    drawing = _drawing(width, height)
    count = max(len(nodes), 1)
    number_size = 6.5 if count <= 40 else 5.5 if count <= 99 else 4.8
    top_degree = max((node.degree for node in nodes), default=0) or 1
    smallest = number_size * (0.75 if count <= 9 else 1.1 if count <= 99 else 1.45)
    radius = {node.id: smallest + (3.5 if count <= 40 else 1.5) * math.sqrt(node.degree / top_degree) for node in nodes}
    placed = _placed(nodes, positions)
    side = min(width, plot_height) - 2 * (max(radius.values(), default=0) + 4)
    left = (width - side) / 2
    bottom = legend_room + (plot_height - side) / 2
    points = {node_id: (left + x * side, bottom + y * side) for node_id, (x, y) in placed.items()}
    _draw_ties(drawing, ties, points, radius)
    for node in nodes:
        x, y = points[node.id]
        fill = kind_colour(node.kind)
        drawing.add(Circle(x, y, radius[node.id], fillColor=fill, strokeColor=colors.white, strokeWidth=0.8))
        add_text(
            drawing,
            x,
            y - number_size * 0.36,
            str(node.number),
            size=number_size,
            font=BOLD,
            colour=_ink_on(fill),
            anchor="middle",
        )
    # Legend: actor kinds, then tie kinds, from the bottom up.
    y = legend_room - size - 4
    x = 0.0
    for _kind, label in tie_kinds:
        style = tie_style(_kind)
        item_width = 18 + 4 + text_width(label, size) + 12
        if x + item_width > width and x > 0:
            x, y = 0.0, y - (size + 5)
        drawing.add(
            Line(
                x,
                y + 2.5,
                x + 16,
                y + 2.5,
                strokeColor=style.colour,
                strokeWidth=1,
                strokeDashArray=list(style.dash) if style.dash else None,
            )
        )
        if style.directed:
            _arrowhead(drawing, (x, y + 2.5), (x + 18, y + 2.5), style.colour)
        add_text(drawing, x + 22, y, label, size=size)
        x += item_width
    y -= size + 5
    x = 0.0
    for kind, label in kinds:
        item_width = size + 4 + text_width(label, size) + 12
        if x + item_width > width and x > 0:
            x, y = 0.0, y - (size + 5)
        drawing.add(Circle(x + size / 2, y + size / 2 - 0.5, size / 2, fillColor=kind_colour(kind), strokeColor=None))
        add_text(drawing, x + size + 4, y, label, size=size)
        x += item_width
    return drawing


def _ink_on(fill: colors.Color):
    """White numbers on dark circles, dark numbers on light ones (contrast above 4.5:1 either way)."""
    luminance = 0.2126 * fill.red + 0.7152 * fill.green + 0.0722 * fill.blue
    return INK if luminance > 0.45 else colors.white


def _draw_ties(drawing, ties, points, radius):
    lines: dict[tuple[int, int], list[tuple[str, int, int]]] = {}
    for source, target, kind in ties:
        if source not in points or target not in points or source == target:
            continue
        pair = (min(source, target), max(source, target))
        drawn = lines.setdefault(pair, [])
        if not tie_style(kind).directed and any(other == kind for other, _s, _t in drawn):
            continue  # a two-way tie reported both ways: one line
        if any(entry == (kind, source, target) for entry in drawn):
            continue
        drawn.append((kind, source, target))
    for drawn in lines.values():
        for index, (kind, source, target) in enumerate(drawn):
            offset = (index - (len(drawn) - 1) / 2) * 2.4
            _tie(drawing, points[source], points[target], radius[source], radius[target], tie_style(kind), offset)


def _tie(drawing, start, end, start_radius, end_radius, style: TieStyle, offset: float):
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1)
    if length < start_radius + end_radius + 2:
        return
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    ox, oy = -uy * offset, ux * offset
    begin = (x1 + ux * (start_radius + 0.6) + ox, y1 + uy * (start_radius + 0.6) + oy)
    tip = (x2 - ux * (end_radius + 0.8) + ox, y2 - uy * (end_radius + 0.8) + oy)
    head = 4.2 if style.directed else 0
    finish = (tip[0] - ux * head, tip[1] - uy * head)
    drawing.add(
        Line(
            *begin,
            *finish,
            strokeColor=style.colour,
            strokeWidth=0.7,
            strokeDashArray=list(style.dash) if style.dash else None,
        )
    )
    if style.directed:
        _arrowhead(drawing, begin, tip, style.colour)


def _arrowhead(drawing, start, tip, colour, head: float = 4.2):
    (x1, y1), (tip_x, tip_y) = start, tip
    length = math.hypot(tip_x - x1, tip_y - y1) or 1.0
    ux, uy = (tip_x - x1) / length, (tip_y - y1) / length
    base_x, base_y = tip_x - ux * head, tip_y - uy * head
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
            fillColor=colour,
            strokeColor=None,
        )
    )


def _placed(nodes: list, positions: dict) -> dict:
    """The given positions of the drawn nodes; any node without one is put on a circle around the centre."""
    missing = [node.id for node in nodes if node.id not in positions]
    placed = {node.id: tuple(positions[node.id]) for node in nodes if node.id in positions}
    for index, node_id in enumerate(missing):
        angle = 2 * math.pi * index / len(missing)
        placed[node_id] = (0.5 + 0.45 * math.cos(angle), 0.5 + 0.45 * math.sin(angle))
    return placed
