"""How the findings page writes the statistics of number questions (the PDF has its own formatting)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from surveys.models import Question

register = template.Library()

WHOLE_TYPES = {Question.Type.INTEGER, Question.Type.SCALE}
# Four digits stand alone (a year, 1500 workers), as Spanish style writes them; from five, thousands are grouped.
GROUP_FROM = 10_000


@register.filter
def finding_number(value, question_type):
    """A mean, median, minimum or maximum as people read it: whole for whole numbers (at most one decimal for
    a mean or a median between two), two decimals at most otherwise, no trailing zeros; "—" when there is none."""
    if value is None:
        return "—"
    value = Decimal(value)
    places = Decimal("0.1") if question_type in WHOLE_TYPES else Decimal("0.01")
    value = value.quantize(places, rounding=ROUND_HALF_UP)
    text = f"{value:,f}" if abs(value) >= GROUP_FROM else f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
