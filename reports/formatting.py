"""Numbers, dates and text as the reports print them, in the active language.

Call these inside ``translation.override(language)``: separators and month names come from
``config/formats/<lang>`` and Django's catalogues (es: 1,234.50 and "12 de mayo de 2025", the Peruvian
convention; en: 1,234.50 and "12 May 2025").

Text: every string that comes from people (names, answers, notes, titles) reaches the PDF through
``pdf_text`` — the one function that makes user text printable — and, wherever ReportLab would read it
as markup (paragraphs, table cells, the contents, the cover), through ``markup``, which is ``pdf_text``
escaped. Nothing typed by a user is ever read by ReportLab as a tag, so no ``<img src>`` or ``<a href>``
in a name can make it open a file or a link.
"""

import datetime
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from instruments.money import soles
from reports import fonts

NBSP = "\u00a0"
ELLIPSIS = "…"
# C0 controls (other than tab and newline) and DEL are shown as their visible Unicode pictures (␀, ␛ ...):
# the reader sees that something odd was typed, and nothing is silently dropped.
_CONTROL_PICTURES = {code: 0x2400 + code for code in range(0x20) if code not in (0x09, 0x0A)}
_CONTROL_PICTURES[0x7F] = 0x2421


def pdf_text(text) -> str:
    """User text as the PDF prints it: composed accents ("n" + combining tilde is "ñ"), line breaks as
    "\\n", control characters as visible symbols, and unpaired surrogates as "�". Every other
    character is kept: the embedded fonts draw it (see ``reports.fonts``)."""
    text = "" if text is None else str(text)
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_CONTROL_PICTURES)


def markup(text, *, font: str = fonts.REGULAR) -> str:
    """User text made safe for a ReportLab Paragraph: ``pdf_text``, escaped, line breaks as <br/>, and
    characters the paragraph's font lacks (emoji, symbols) set in a fallback font."""
    printable = pdf_text(text)
    if not fonts.needs_fallback(printable, font):
        return escape(printable).replace("\n", "<br/>")
    pieces = []
    for run_font, piece in fonts.runs(printable, font):
        escaped = escape(piece).replace("\n", "<br/>")
        pieces.append(escaped if run_font == font else f'<font name="{run_font}">{escaped}</font>')
    return "".join(pieces)


def clip(text, limit: int) -> str:
    """At most ``limit`` characters of ``text``, cut at a word when one ends near the limit, with "…"."""
    text = pdf_text(text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.7:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + ELLIPSIS


def joined(items: list[str]) -> str:
    """ "A", "A y B", "A, B y C" ("and" in English)."""
    items = [str(item) for item in items if str(item)]
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


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


def year(value) -> str:
    """A year, or an average of years, as a year is written: 1997.73 -> "1998", never "1,997.73"."""
    return str(int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def statistic(value, kind: str) -> str:
    """A summary value of a number question. ``kind``: "year" (whole, no grouping), "integer" (at most
    one decimal, for a mean or a median between two counts) or "decimal" (at most two)."""
    if value is None:
        return "—"
    if kind == "year":
        return year(value)
    if kind == "integer":
        return quantity(value, 1)
    return quantity(value)


def money(value: Decimal) -> str:
    """Peruvian soles with cents as the pages write them (``instruments.money``), never broken at the space:
    "S/ 1,570,000.00" (a no-break space)."""
    return soles(value, space=NBSP)


def percent(fraction: float, decimals: int = 0) -> str:
    """A fraction as a percentage: 0.577 -> "58%"."""
    return f"{number(Decimal(repr(float(fraction))) * 100, decimals)}%"


def of_answers(count: int, total: int) -> str:
    """ "3 de 11 respuestas" / "3 of 11 answers"."""
    return ngettext("%(count)s of %(total)s answer", "%(count)s of %(total)s answers", total) % {
        "count": number(count),
        "total": number(total),
    }


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
