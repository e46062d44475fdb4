"""The dashboard's charts as geometry for inline SVG (templates/home/_chart_*.html): pure functions of
numbers, no drawing library and no script. Each chart's page also shows its numbers as a table."""

import math
from dataclasses import dataclass

WIDTH = 400
LEFT = 34  # room for the value axis
TOP = 8
BOTTOM = 22  # room for the labels under the bars


def nice_top(value):
    """A round number at or above ``value`` for the top of an axis (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


@dataclass(frozen=True)
class Segment:
    y: float
    height: float
    series: int  # which colour (0 ..)


@dataclass(frozen=True)
class Column:
    x: float
    width: float
    label: str
    label_x: float
    segments: tuple


@dataclass(frozen=True)
class ColumnChart:
    width: int
    height: int
    baseline: float
    top_value: float
    ticks: tuple  # ((y, label), ...)
    columns: tuple


def column_chart(stacks, labels, *, height=200, label_every=1):
    """Stacked columns: ``stacks`` is one tuple of values per column (one value per series)."""
    top = nice_top(max((sum(stack) for stack in stacks), default=0))
    plot_height = height - TOP - BOTTOM
    baseline = TOP + plot_height
    slot = (WIDTH - LEFT) / max(len(stacks), 1)
    columns = []
    for index, (stack, label) in enumerate(zip(stacks, labels, strict=True)):
        x = LEFT + index * slot + slot * 0.15
        y, segments = baseline, []
        for series, value in enumerate(stack):
            if not value:
                continue
            bar = plot_height * value / top
            y -= bar
            segments.append(Segment(round(y, 1), round(bar, 1), series))
        columns.append(
            Column(
                x=round(x, 1),
                width=round(slot * 0.7, 1),
                label=label if index % label_every == 0 else "",
                label_x=round(x + slot * 0.35, 1),
                segments=tuple(segments),
            )
        )
    ticks = tuple((round(baseline - plot_height * share, 1), _short(top * share)) for share in (0, 0.5, 1))
    return ColumnChart(WIDTH, height, baseline, top, ticks, tuple(columns))


@dataclass(frozen=True)
class PairBar:
    label: str
    y: float
    planned_width: float
    executed_width: float


@dataclass(frozen=True)
class PairChart:
    width: int
    height: int
    left: int
    bars: tuple
    scale_label: str


def planned_executed_chart(rows, *, row_height=36):
    """One row per item: its name above a light bar (planned) with a dark one over it (executed)."""
    left, right = 4, WIDTH - 4
    top = nice_top(max((float(max(planned, executed)) for _label, planned, executed in rows), default=0))
    span = right - left
    bars = tuple(
        PairBar(
            label=label,
            y=index * row_height,
            planned_width=round(span * float(planned) / top, 1),
            executed_width=round(span * float(executed) / top, 1),
        )
        for index, (label, planned, executed) in enumerate(rows)
    )
    return PairChart(WIDTH, row_height * len(rows) + 4, left, bars, _short(top))


def _short(value):
    """An axis label: 1.5 M, 250 k, 40."""
    if value >= 1_000_000:
        return f"{value / 1_000_000:g} M"
    if value >= 1_000:
        return f"{value / 1_000:g} k"
    return f"{value:g}"
