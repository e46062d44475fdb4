"""Amounts in soles as the site and the reports write them: "S/ 1,250,000.50".

The one formatter of money. Peru writes a point for céntimos and commas for thousands (SUNAT, INEI; the
Spanish and English formats of config/formats agree), so the figure is the same in both languages. The
pages put an ordinary space after "S/" (an HTML cell says ``text-nowrap`` where it matters); the PDF asks
for a no-break space, so that "S/" never ends a line apart from its amount. Reading typed amounts is
``instruments.forms.parse_soles``.
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def amount(value) -> str:
    """An amount rounded half up to céntimos and grouped: 1250000.5 -> "1,250,000.50" (never "-0.00")."""
    if isinstance(value, float):
        value = repr(value)
    rounded = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:,.2f}"


def soles(value, *, space=" ") -> str:
    """An amount in soles: "S/ 1,250,000.50"; "—" when there is none."""
    if value is None or value == "":
        return "—"
    return f"S/{space}{amount(value)}"
