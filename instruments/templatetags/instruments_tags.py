"""Template helpers of the instruments pages: soles, progress bars and the indicator chart."""

from decimal import Decimal

from django import template

from instruments.charts import series_chart
from instruments.progress import bar_percent, percent_label

register = template.Library()


@register.filter
def soles(value):
    """An amount in soles the Peruvian way: S/ 1,250,000.50."""
    if value is None or value == "":
        return "—"
    return f"S/ {Decimal(value):,.2f}"


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
