"""An answer's three forms, for every question type, in one place:

- the *domain value* the services store and read back (``str``, ``Decimal``, ``date``, ``time``, aware
  ``datetime``, ``bool``, a list of choice values, a list of actor ids);
- the *instance text* of ODK's XForms (what Collect sends, what the form logic computes on): numbers
  as written, ``yes``/``no``, choices joined by spaces, dates ``YYYY-MM-DD``, times ``HH:MM:SS.sss+hh:mm``,
  locations ``lat lon alt accuracy``;
- the *display text* pages, the change log and exports show.

``to_instance`` and ``from_instance`` are inverse for every valid value (a property test checks it).
"""

import datetime
import enum
import re
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.numbers import NumberDoesNotFit, check_fits
from surveys.models import Question

T = Question.Type
DATE_TYPES = frozenset({T.DATE, T.TODAY})
DATETIME_TYPES = frozenset({T.DATETIME, T.START, T.END})
LIST_TYPES = frozenset({T.MULTIPLE_CHOICE, T.ACTOR_RELATIONSHIP})
# Largest magnitude and finest precision the answer's number column holds (max_digits=20, decimal_places=6).
NUMBER_DIGITS = 20
NUMBER_PLACES = 6
LOCATION = re.compile(r"-?\d+(\.\d+)?(\s+-?\d+(\.\d+)?){1,3}")


class ValueProblem(ValueError):
    """A text that is not a valid answer for its question; ``message`` says why, in the user's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def is_empty(value):
    return value is None or value == "" or (isinstance(value, list | tuple | set | frozenset) and not value)


def number_fits(value: Decimal) -> bool:
    """Whether the number column stores exactly ``value``: no overflow, no rounding (to zero or otherwise)."""
    if not value.is_finite():
        return False
    try:
        check_fits(value, max_digits=NUMBER_DIGITS, decimal_places=NUMBER_PLACES)
    except NumberDoesNotFit:
        return False
    return True


def plain_number(value) -> str:
    """12, 3.5, -0.25: no exponent, no trailing zeros."""
    text = format(Decimal(value).normalize(), "f")
    return "0" if text in ("-0", "") else text


def _time_text(value: datetime.time) -> str:
    text = value.strftime("%H:%M:%S") + f".{value.microsecond // 1000:03d}"
    if value.tzinfo is not None:
        offset = value.utcoffset() or datetime.timedelta(0)
        text += _offset(offset)
    return text


def _offset(offset: datetime.timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _datetime_text(value: datetime.datetime) -> str:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    local = timezone.localtime(value)
    return local.strftime("%Y-%m-%dT%H:%M:%S") + f".{local.microsecond // 1000:03d}" + _offset(local.utcoffset())


def to_instance(question, value) -> str:
    """The domain value as ODK's instance text ('' when unanswered)."""
    if is_empty(value):
        return ""
    qtype = question.type
    if qtype in Question.NUMBER_TYPES:
        return plain_number(value)
    if qtype == T.YES_NO:
        return "yes" if value else "no"
    if qtype in LIST_TYPES:
        return " ".join(str(item) for item in value)
    if qtype in DATETIME_TYPES:
        return _datetime_text(value) if isinstance(value, datetime.datetime) else str(value)
    if qtype in DATE_TYPES:
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    if qtype == T.TIME:
        return _time_text(value) if isinstance(value, datetime.time) else str(value)
    if qtype == T.CALCULATE and isinstance(value, Decimal):
        return plain_number(value)
    return str(value)


def _parse_time(text):
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*(Z|[+-]\d{2}:?\d{2})?", text)
    if not match:
        raise ValueProblem(_("Write a time as HH:MM, e.g. 14:30."))
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    micro = int((match[4] or "0").ljust(6, "0")[:6])
    if hour > 23 or minute > 59 or second > 59:
        raise ValueProblem(_("Write a time as HH:MM, e.g. 14:30."))
    return datetime.time(hour, minute, second, micro)


def _parse_datetime(text):
    normal = text.strip().replace(" ", "T", 1)
    if normal.endswith("Z"):
        normal = normal[:-1] + "+00:00"
    normal = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", normal)
    try:
        value = datetime.datetime.fromisoformat(normal)
    except ValueError:
        raise ValueProblem(_("Write a date and time, e.g. 2026-03-15 14:30.")) from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def parse_decimal(text) -> Decimal:
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise ValueProblem(_("Write a number, e.g. 12 or 3.5.")) from None
    if not number_fits(value):
        raise ValueProblem(_("The number is too large or too small to be stored (at most 14 digits, 6 decimals)."))
    return value


def from_instance(question, text):
    """ODK's instance text as the domain value (None when empty); raises ValueProblem when it is not one."""
    text = "" if text is None else str(text)
    if text.strip() == "" and question.type not in Question.TEXT_TYPES:
        return None
    if text == "":
        return None
    qtype = question.type
    if qtype in Question.NUMBER_TYPES:
        value = parse_decimal(text)
        if qtype in (T.INTEGER, T.SCALE) and value != value.to_integral_value():
            raise ValueProblem(_("The answer must be a whole number."))
        return value
    if qtype == T.YES_NO:
        word = text.strip().lower()
        if word in ("yes", "1", "true", "si", "sí"):
            return True
        if word in ("no", "0", "false"):
            return False
        raise ValueProblem(_("Answer yes or no."))
    if qtype == T.SINGLE_CHOICE:
        return text.strip()
    if qtype == T.MULTIPLE_CHOICE:
        return list(dict.fromkeys(text.split()))
    if qtype == T.ACTOR_RELATIONSHIP:
        try:
            return list(dict.fromkeys(int(item) for item in text.split()))
        except ValueError:
            raise ValueProblem(_("Choose actors of the list.")) from None
    if qtype in DATE_TYPES:
        try:
            return datetime.date.fromisoformat(text.strip()[:10])
        except ValueError:
            raise ValueProblem(_("Write a date as YYYY-MM-DD.")) from None
    if qtype in DATETIME_TYPES:
        return _parse_datetime(text)
    if qtype == T.TIME:
        return _parse_time(text.strip())
    if qtype in Question.LOCATION_TYPES and qtype != T.GEOTRACE and qtype != T.GEOSHAPE:
        if not LOCATION.fullmatch(text.strip()):
            raise ValueProblem(
                _("A location is latitude and longitude (and altitude and accuracy), e.g. -13.52 -71.97.")
            )
        latitude, longitude = (Decimal(part) for part in text.split()[:2])
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValueProblem(_("The latitude must be between -90 and 90 and the longitude between -180 and 180."))
        return " ".join(text.split())
    return text


def as_domain(question, value):
    """A value given by a caller in a nearby type (an int or a float for a number) as the domain value."""
    if question.type in Question.NUMBER_TYPES and isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def location_parts(text):
    """(latitude, longitude, altitude, accuracy) of a geopoint's text, as Decimals or None."""
    parts = (text or "").split()
    values = []
    for index in range(4):
        try:
            values.append(Decimal(parts[index]))
        except (IndexError, InvalidOperation):
            values.append(None)
    return tuple(values)


class Shown(enum.Enum):
    """Which of an answer's stored columns holds what is shown of it, and so how it is shown: the one rule
    for every question type, read by the pages (``display``) and the exports (surveys.exports writes the
    cells in Python, surveys.export_sql in SQL; tests/integration/test_exports.py compares the two)."""

    LOCATION = "location"  # latitude, longitude, altitude and accuracy, from the text
    TIME = "time"
    MOMENT = "moment"  # a date and time
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    FLAG = "flag"  # yes or no
    CHOSEN = "chosen"  # the chosen options' labels (or codes), in the options' order, joined by LIST_SEPARATOR
    ACTORS = "actors"  # the named actors' names, joined by LIST_SEPARATOR
    NOTHING = "nothing"


LIST_SEPARATOR = "; "


def shown_as(question):
    """How an answer to ``question`` is shown (``Shown``)."""
    qtype = question.type
    if qtype == T.GEOPOINT:
        return Shown.LOCATION
    if qtype == T.TIME:
        return Shown.TIME
    if qtype in DATETIME_TYPES:
        return Shown.MOMENT
    if qtype in Question.TEXT_TYPES or qtype in Question.MEDIA_TYPES or qtype == T.CALCULATE:
        return Shown.TEXT
    if qtype in Question.NUMBER_TYPES:
        return Shown.NUMBER
    if qtype in DATE_TYPES:
        return Shown.DATE
    if qtype == T.YES_NO:
        return Shown.FLAG
    if qtype in Question.CHOICE_TYPES:
        return Shown.CHOSEN
    if qtype == T.ACTOR_RELATIONSHIP:
        return Shown.ACTORS
    return Shown.NOTHING


def yes_no(flag):
    """A yes/no answer in the reader's language."""
    return _("Yes") if flag else _("No")


def display(question, value, *, actor_names=None, choice_labels=None):
    """How a page and the change log show an answer (None when unanswered); the exports show the same
    columns (``shown_as``) with the precision a file keeps (seconds, every decimal, one cell per coordinate).

    ``choice_labels``: {value: label} of the question's options (read from the question otherwise);
    ``actor_names``: {actor id: name} for actor-relationship answers."""
    if is_empty(value):
        return None
    shown = shown_as(question)
    if shown == Shown.FLAG:
        return yes_no(value)
    if shown == Shown.CHOSEN:
        if choice_labels is None:
            choice_labels = {c.value: c.label for c in question.choices.all()}
        values = [value] if isinstance(value, str) else value
        return LIST_SEPARATOR.join(choice_labels.get(item, item) for item in values)
    if shown == Shown.ACTORS:
        names = actor_names or {}
        return LIST_SEPARATOR.join(names.get(int(item), str(item)) for item in value)
    if shown == Shown.NUMBER:
        return plain_number(value)
    if shown == Shown.MOMENT and isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if shown == Shown.DATE and isinstance(value, datetime.date):
        return value.isoformat()
    if shown == Shown.TIME and isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if question.type == T.ACKNOWLEDGE:
        return _("Acknowledged")
    return str(value)
