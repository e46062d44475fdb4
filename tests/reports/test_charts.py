"""The network diagram's layout and the charts' text fitting."""

import math

from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.charts import FONT, wrap
from reports.layout import spring_layout


def test_layout_of_no_node_or_one_node_is_trivial():
    assert spring_layout([], []) == {}
    assert spring_layout(["a"], []) == {"a": (0.5, 0.5)}


def test_layout_is_the_same_for_the_same_seed_and_changes_with_another():
    nodes = list(range(12))
    ties = [(i, (i + 1) % 12) for i in range(12)]
    assert spring_layout(nodes, ties, seed=7) == spring_layout(nodes, ties, seed=7)
    assert spring_layout(nodes, ties, seed=7) != spring_layout(nodes, ties, seed=8)


def test_layout_fits_the_unit_square():
    nodes = list(range(40))
    ties = [(i, (i * 7) % 40) for i in range(40)]
    positions = spring_layout(nodes, ties)
    assert set(positions) == set(nodes)
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in positions.values())


def test_tied_actors_end_up_closer_than_untied_ones():
    # Two triangles with no tie between them.
    ties = [("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"), ("z", "x")]
    positions = spring_layout(["a", "b", "c", "x", "y", "z"], ties)

    def distance(p, q):
        return math.dist(positions[p], positions[q])

    assert max(distance("a", "b"), distance("x", "y")) < min(distance("a", "x"), distance("c", "z"))


def test_wrap_keeps_lines_within_width_and_marks_what_it_cut():
    lines = wrap("Falta de mano de obra calificada en las comunidades altoandinas de Puno", 80, 8)
    assert len(lines) == 2
    assert all(stringWidth(line, FONT, 8) <= 80 for line in lines)
    assert lines[-1].endswith("…")
