"""Numbers, dates and text as the case study prints them, in the active language.

Call these inside ``translation.override(language)``: separators and month names come from
``config/formats/<lang>`` and Django's catalogues (es: 1,234.50 and "12 de mayo de 2025", the Peruvian
convention; en: 1,234.50 and "12 May 2025").
"""

import datetime
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _

# ReportLab's standard PDF fonts speak Windows-1252: every Spanish letter and the usual punctuation.
_PDF_ENCODING = "cp1252"


def pdf_text(text: str) -> str:
    """Text the standard fonts can draw: composed accents, and other letters reduced to their base letter.

    "n" + combining tilde (as some keyboards send it) becomes "ñ"; "ā" becomes "a". A character with no
    such fallback is left as it is (the PDF shows a box rather than silently dropping it).
    """
    text = unicodedata.normalize("NFC", str(text))
    if _encodable(text):
        return text
    return "".join(char if _encodable(char) else _base_letters(char) for char in text)


def _encodable(text: str) -> bool:
    try:
        text.encode(_PDF_ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def _base_letters(char: str) -> str:
    base = "".join(part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part))
    return base if base and _encodable(base) else char


def markup(text: str) -> str:
    """Data text made safe for a ReportLab Paragraph (which reads a small XML markup)."""
    return escape(pdf_text(text)).replace("\n", "<br/>")


def number(value, decimals: int = 0) -> str:
    """A number rounded half up and grouped: 1234.5 -> "1,234.50" with decimals=2."""
    if isinstance(value, float):
        value = Decimal(repr(value))
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never print "-0.00"
    return formats.number_format(rounded, decimals, use_l10n=True, force_grouping=True)


def quantity(value: Decimal, max_decimals: int = 2) -> str:
    """A measured value with the decimals it needs and no trailing zeros: 87.0000 -> "87", 11.50 -> "11.5"."""
    value = Decimal(value).quantize(Decimal(1).scaleb(-max_decimals), rounding=ROUND_HALF_UP).normalize()
    decimals = max(0, -value.as_tuple().exponent)
    return number(value, decimals)


def money(value: Decimal) -> str:
    """Peruvian soles with cents: "S/ 1,570,000.00"."""
    return f"S/ {number(value, 2)}"


def percent(fraction: float, decimals: int = 0) -> str:
    """A fraction as a percentage: 0.577 -> "58%"."""
    return f"{number(Decimal(repr(float(fraction))) * 100, decimals)}%"


def long_date(value: datetime.date) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    return formats.date_format(value, "DATE_FORMAT", use_l10n=True)


def period(start: datetime.date | None, end: datetime.date | None) -> str:
    """The report's period in words: both ends, one end, or none."""
    if start and end:
        return _("%(start)s to %(end)s") % {"start": long_date(start), "end": long_date(end)}
    if start:
        return _("from %(start)s") % {"start": long_date(start)}
    if end:
        return _("up to %(end)s") % {"end": long_date(end)}
    return _("all records to date")
