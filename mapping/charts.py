"""Server-drawn charts of mapping/ (inline SVG written by templates from these coordinates)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    rank: int
    score: float
    stability: float
    y: float
    width: float
    label_y: float


@dataclass(frozen=True)
class RankingChart:
    width: int
    height: int
    left: int
    plot_width: int
    bar_height: int
    bars: list


def ranking_chart(rows, *, width=640, left=230, bar_height=22, gap=8):
    """Horizontal bars: one per ranked cluster, its score (0-1) as length; the table beside it has the numbers."""
    plot_width = width - left - 70
    bars = []
    for index, row in enumerate(rows):
        y = 10 + index * (bar_height + gap)
        bars.append(
            Bar(
                label=row.name if len(row.name) <= 34 else row.name[:33] + "…",
                rank=row.rank,
                score=row.score,
                stability=row.stability,
                y=y,
                width=max(1.0, row.score * plot_width),
                label_y=y + bar_height * 0.7,
            )
        )
    height = 20 + len(rows) * (bar_height + gap)
    return RankingChart(width, height, left, plot_width, bar_height, bars)
