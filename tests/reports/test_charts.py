"""The charts' text fitting."""

from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.charts import FONT, wrap


def test_wrap_keeps_lines_within_width_and_marks_what_it_cut():
    lines = wrap("Falta de mano de obra calificada en las comunidades altoandinas de Puno", 80, 8)
    assert len(lines) == 2
    assert all(stringWidth(line, FONT, 8) <= 80 for line in lines)
    assert lines[-1].endswith("…")


def test_an_actor_kind_has_the_same_colour_in_the_pdf_as_on_the_network_page():
    from reportlab.lib import colors

    from clusters.models import Actor
    from clusters.network import KIND_COLOURS
    from reports.charts import kind_colour

    for kind in Actor.Kind.values:
        assert kind_colour(kind) == colors.HexColor(KIND_COLOURS[kind]), kind
