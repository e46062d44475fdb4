"""Template helpers of the instruments pages: soles, progress bars and the indicator chart."""

from decimal import Decimal

from django import template
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

from clusters.addresses import address_maker
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
def gap_header(clusters):
    """The gap matrix's column headers: each cluster, linked to its instruments tab."""
    address_of = address_maker("instruments:cluster")
    return format_html_join(
        "", '<th scope="col"><a href="{}">{}</a></th>', ((address_of(c.slug), c.name) for c in clusters)
    )


@register.simple_tag
def gap_cells(row):
    """The cells of one goal's row of the gap matrix: its count in each cluster, or a marked gap.

    Made here rather than by a template loop: the matrix has a cell per goal and cluster (400 for a
    national programme), and a loop in the template costs thirty times as much per cell. Counts are
    integers and the one label is escaped, so the joined cells are safe."""
    # Outside the f-string: xgettext cannot read a call inside its braces, and "none" went untranslated.
    none = escape(pgettext("no interventions in a cell of the gap matrix", "none"))
    gap = f'<td class="text-center gap-cell" data-gap="1">{none}</td>'
    return mark_safe(  # noqa: S308 - integers and one escaped label, as the docstring says
        "".join(f'<td class="text-center">{int(cell["count"])}</td>' if cell["count"] else gap for cell in row["cells"])
    )


_INTERVENTION_ROW = (
    '<tr><td><a href="{}">{}</a></td><td><a href="{}">{}</a></td><td class="small">{}</td><td>{}</td>'
    '<td>{}</td><td class="text-end text-nowrap">{}</td><td class="text-end text-nowrap">{}</td>'
    '<td class="text-end">{}</td></tr>'
)


@register.simple_tag
def intervention_rows(rows):
    """The rows of the portfolio's list (instruments.selectors.portfolio_rows), every value escaped.

    Written here rather than by a template loop, like the gap matrix's cells: at national volume the
    list shows a full page of 25 rows, and the loop cost a third of a millisecond per row."""
    return format_html_join(
        "",
        _INTERVENTION_ROW,
        (
            (
                row["url"],
                row["title"],
                row["cluster_url"],
                row["cluster_name"],
                row["goal_name"],
                row["level"],
                row["status"],
                soles(row["budget_planned"]),
                soles(row["budget_executed"]),
                row["beneficiaries_count"],
            )
            for row in rows
        ),
    )
