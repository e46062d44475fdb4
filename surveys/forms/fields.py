"""Fields that turn what people type into domain values (Decimals, durations, times, locations), and the
field that asks each type of question (``answer_field``)."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from clusters.numbers import NumberDoesNotFit, parse_number  # the site's one parser of typed numbers
from surveys import values
from surveys.models import Question

ISO_DATE = "%Y-%m-%d"
DATE_INPUTS = [ISO_DATE, "%d/%m/%Y", "%d/%m/%y"]

# --- Text to values ---------------------------------------------------------------------------------

HOURS = r"(?:h|hr|hrs|hora|horas|hour|hours)"
MINUTES = r"(?:m|min|mins|minuto|minutos|minute|minutes)"
DURATION_WORDS = re.compile(rf"(?:(?P<h>\d+)\s*{HOURS}\.?)?\s*(?:(?P<m>\d+)\s*(?:{MINUTES}\.?)?)?", re.IGNORECASE)
DURATION_CLOCK = re.compile(r"(?P<h>\d+):(?P<m>[0-5]?\d)")
MAX_DURATION = datetime.timedelta(hours=24)


def parse_duration(text):
    """'90', '1:30', '1h 30', '1 h 30 min', '45 min', '2h' -> a timedelta; ValueError otherwise."""
    text = (text or "").strip().lower()
    if not text:
        return None
    # No real interview lasts a number of minutes with more than five digits; a longer one would overflow.
    if any(len(digits) > 5 for digits in re.findall(r"\d+", text)):
        raise ValueError(text)
    if text.isdigit():
        duration = datetime.timedelta(minutes=int(text))
    elif match := DURATION_CLOCK.fullmatch(text):
        duration = datetime.timedelta(hours=int(match["h"]), minutes=int(match["m"]))
    elif (match := DURATION_WORDS.fullmatch(text)) and (match["h"] or match["m"]):
        if match["h"] is None and not re.search(MINUTES, text):
            raise ValueError(text)
        duration = datetime.timedelta(hours=int(match["h"] or 0), minutes=int(match["m"] or 0))
    else:
        raise ValueError(text)
    if duration > MAX_DURATION:
        raise ValueError(text)
    return duration


def format_duration(duration):
    if duration is None:
        return ""
    minutes = int(duration.total_seconds() // 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


class DurationTextField(forms.CharField):
    default_error_messages = {
        "invalid": _("Write the duration as minutes (90), hours and minutes (1:30) or 1h 30, up to 24 hours.")
    }

    def to_python(self, value):
        text = super().to_python(value)
        try:
            return parse_duration(text)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        return format_duration(value) if isinstance(value, datetime.timedelta) else value


class NumberAnswerField(forms.CharField):
    """A number as people type it (``parse_number``). Its limits are the form logic's to check, after the
    answers of hidden questions are discarded (a hidden question's number never blocks a save)."""

    default_error_messages = {"invalid": _("Write a number, e.g. 12 or 3.5.")}

    def to_python(self, value):
        text = super().to_python(value)
        try:
            return parse_number(text)
        except NumberDoesNotFit as error:
            raise ValidationError(error.message, code="does_not_fit") from None
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return value


DATETIME_INPUTS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
TIME_INPUTS = ["%H:%M", "%H:%M:%S"]


class LocationWidget(forms.MultiWidget):
    """Latitude and longitude typed (or filled by the browser's location), plus altitude and accuracy kept."""

    template_name = "surveys/widgets/location.html"

    def __init__(self, attrs=None):
        number = {"inputmode": "decimal", "autocomplete": "off", "class": "form-control"}
        super().__init__(
            [
                forms.TextInput({**number, "data-part": "latitude"}),
                forms.TextInput({**number, "data-part": "longitude"}),
                forms.HiddenInput({"data-part": "altitude"}),
                forms.HiddenInput({"data-part": "accuracy"}),
            ],
            attrs,
        )

    def decompress(self, value):
        parts = (value or "").split()
        return [parts[i] if i < len(parts) else "" for i in range(4)]


class LocationField(forms.MultiValueField):
    """A geopoint: 'latitude longitude altitude accuracy' (ODK's text), from up to four numbers."""

    widget = LocationWidget
    default_error_messages = {
        "invalid": _("A location is a latitude and a longitude in degrees, e.g. -13.52 and -71.97."),
    }

    def __init__(self, **kwargs):
        part = {"required": False}
        super().__init__(
            fields=[forms.CharField(**part), forms.CharField(**part), forms.CharField(**part), forms.CharField(**part)],
            require_all_fields=False,
            **kwargs,
        )

    def compress(self, data_list):
        parts = [(part or "").strip().replace(",", ".") for part in (data_list or [])]
        if not any(parts[:2]):
            return None
        if not all(parts[:2]):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            numbers = [Decimal(part) for part in parts if part]
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not (-90 <= numbers[0] <= 90 and -180 <= numbers[1] <= 180):
            raise ValidationError(
                _("The latitude must be between -90 and 90 and the longitude between -180 and 180."), code="invalid"
            )
        return " ".join(values.plain_number(number) for number in numbers)


T = Question.Type


# --- The field that asks a question -------------------------------------------------------------------

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
SCALE = [(str(n), str(n)) for n in range(1, 6)]
# Questions that the web form shows nothing to answer: the form computes or records them.
NOT_ASKED = frozenset({T.NOTE} | Question.METADATA_TYPES)
# Computed in the page (a hidden input the form logic fills, posted back so that once() keeps its value).
COMPUTED = frozenset({T.CALCULATE, T.HIDDEN})


def _choices(question):
    return [(c.value, c.label) for c in question.choices.all()]


def _range_attrs(question):
    parameters = question.parameters or {}
    return {
        "min": parameters.get("start", "0"),
        "max": parameters.get("end", "10"),
        "step": parameters.get("step", "1"),
    }


def answer_field(question, actor_choices):
    """The form field that asks ``question`` (None for what is not asked: notes, calculations, metadata)."""
    if question.type in NOT_ASKED:
        return None
    if question.type in COMPUTED:
        return forms.CharField(widget=forms.HiddenInput, required=False, max_length=20000)
    # Django and crispy print help_text as HTML: the hint goes in escaped, so that questionnaire text stays text
    # however the field is drawn (the form's own template prints question.help through form_text).
    common = {"label": question.label or question.code, "required": False, "help_text": escape(question.help or "")}
    minimal = "minimal" in (question.appearance or "").split()
    qtype = question.type
    if qtype in (T.TEXT, T.BARCODE):
        return forms.CharField(max_length=20000, **common)
    if qtype == T.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=100000, **common)
    if qtype in (T.INTEGER, T.DECIMAL):
        mode = "numeric" if qtype == T.INTEGER else "decimal"
        return NumberAnswerField(widget=forms.TextInput(attrs={"inputmode": mode, "autocomplete": "off"}), **common)
    if qtype == T.RANGE:
        return NumberAnswerField(widget=forms.NumberInput(attrs=_range_attrs(question)), **common)
    if qtype == T.SCALE:
        return forms.TypedChoiceField(
            choices=SCALE,
            coerce=Decimal,
            empty_value=None,
            widget=forms.RadioSelect(attrs={"class": "scale"}),
            **common,
        )
    if qtype == T.YES_NO:
        labels = {c.value: c.label for c in question.choices.all()}
        choices = [(value, labels.get(value, default)) for value, default in YES_NO]
        return forms.TypedChoiceField(
            choices=choices, coerce=lambda v: v == "yes", empty_value=None, widget=forms.RadioSelect, **common
        )
    if qtype == T.SINGLE_CHOICE:
        widget = forms.Select if minimal else forms.RadioSelect
        choices = [("", "---------"), *_choices(question)] if minimal else _choices(question)
        return forms.ChoiceField(choices=choices, widget=widget, **common)
    if qtype == T.MULTIPLE_CHOICE:
        widget = forms.SelectMultiple if minimal else forms.CheckboxSelectMultiple
        return forms.MultipleChoiceField(choices=_choices(question), widget=widget, **common)
    if qtype == T.DATE:
        return forms.DateField(
            input_formats=DATE_INPUTS, widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE), **common
        )
    if qtype == T.TIME:
        return forms.TimeField(
            input_formats=TIME_INPUTS, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), **common
        )
    if qtype == T.DATETIME:
        return forms.DateTimeField(
            input_formats=DATETIME_INPUTS,
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            **common,
        )
    if qtype == T.GEOPOINT:
        return LocationField(**common)
    if qtype in (T.GEOTRACE, T.GEOSHAPE):
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
            max_length=20000,
            **{**common, "help_text": common["help_text"] or _("Points as 'latitude longitude', separated by ';'.")},
        )
    if qtype == T.ACKNOWLEDGE:
        return forms.BooleanField(**common)
    if qtype in (T.IMAGE, T.AUDIO, T.VIDEO, T.FILE):
        accept = {T.IMAGE: "image/*", T.AUDIO: "audio/*", T.VIDEO: "video/*"}.get(qtype, "")
        attrs = {"accept": accept} if accept else {}
        if qtype == T.IMAGE:
            attrs["capture"] = "environment"
        return forms.FileField(widget=forms.ClearableFileInput(attrs=attrs), **common)
    if qtype == T.ACTOR_RELATIONSHIP:
        return forms.TypedMultipleChoiceField(
            choices=actor_choices, coerce=int, widget=forms.CheckboxSelectMultiple, **common
        )
    raise ValueError(qtype)
