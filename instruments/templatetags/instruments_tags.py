"""Template helpers of the instruments pages: soles, numbers, progress bars, the indicator chart and the
gap matrix's cells."""

from decimal import Decimal

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

from instruments.charts import series_chart
from instruments.money import soles
from instruments.progress import bar_percent, percent_label

register = template.Library()


# An amount in soles the Peruvian way: S/ 1,250,000.50 (instruments.money, which the reports print with too).
register.filter("soles", soles)


@register.filter
def number(value):
    """A decimal without trailing zeros, with thousands separators: 1,250.5."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text


@register.inclusion_tag("instruments/_progress_bar.html")
def progress_bar(value, label="", kind="indicator"):
    """A progress bar with its value written beside it (colour is never the only cue).

    Indicator bars turn green when the target is reached; budget bars stay neutral (overspending is no success).
    """
    return {"width": bar_percent(value), "text": percent_label(value), "label": label, "value": value, "kind": kind}


@register.inclusion_tag("instruments/_series_chart.html")
def indicator_chart(indicator):
    return {"chart": series_chart(indicator), "indicator": indicator}


@register.simple_tag
def gap_cells(row):
    """The cells of one goal's row of the gap matrix: its count in each cluster, or a marked gap.

    Made here rather than by a template loop: the matrix has a cell per goal and cluster (25 goals x 50
    clusters in the national benchmark's portfolio, bench/run.py part "pages"). Measured on 2026-12-07,
    rendering that matrix's cells alone (the fastest of 7 x 100 renders, on a shared machine): this tag
    0.70 ms, the same cells by a template loop (its label translated once) 11.5 ms; 10.8 ms saved on a
    page served in 26 to 84 ms. The page's other writers did not earn their keep and are template loops
    again: the list's 25 rows took 1.36 ms written here and 2.11 ms by the loop (0.03 ms a row), the 50
    column headers 0.78 and 0.73 ms once their addresses are made once (``goal_matrix``).
    Counts are integers and the one label is escaped, so the joined cells are safe."""
    # Outside the f-string: xgettext cannot read a call inside its braces, and "none" went untranslated.
    none = escape(pgettext("no interventions in a cell of the gap matrix", "none"))
    gap = f'<td class="text-center gap-cell" data-gap="1">{none}</td>'
    return mark_safe(  # noqa: S308 - integers and one escaped label, as the docstring says
        "".join(f'<td class="text-center">{int(cell["count"])}</td>' if cell["count"] else gap for cell in row["cells"])
    )
