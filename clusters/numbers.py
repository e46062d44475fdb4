"""Numbers as people type them, for every form of the site: "1200", "1,200", "12.5" and the phone's "12,5".

The one parser of typed numbers (interview answers, question bounds, measurements, indicators, headline
figures, activity counts ...). It lives on the ground floor so that every app can use it; amounts in soles
have their own field (instruments.forms.SolesField) because they also take "S/" and céntimos.

The fields here are text inputs on purpose: a browser reads an <input type="number"> in its own locale,
and Chromium in es-PE turned "165,5" into 1655 without a word.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

THOUSANDS = re.compile(r"-?\d{1,3}(?:,\d{3})+")


def parse_number(text):
    """'1200', '1,200', '1 200', '12.5', '12,5' -> a Decimal; ValueError otherwise.

    es-PE writes a point for decimals and commas for thousands; a lone comma that is not followed by
    exactly three digits is read as a decimal comma, as people type on a phone.
    """
    text = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "." in text or THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 14 or (value and abs(value) < Decimal(10) ** -6):
        raise ValueError(text)  # beyond what a column holds (20 digits, 6 decimals), or silently rounded to 0
    return value


def plain_number(value):
    """A Decimal as people write it back: no exponent, no trailing zeros ("1980", "165.5")."""
    if not isinstance(value, Decimal):
        return value
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class NumberField(forms.CharField):
    """A decimal number typed as people type it (parse_number); returns a Decimal or None.

    Takes the arguments Django gives a model's DecimalField or IntegerField (digits, decimals, bounds), so
    that a ModelForm uses it through Meta.field_classes and the column's range is checked on the field."""

    default_error_messages = {"invalid": _("Write a number, e.g. 12 or 3.5.")}
    inputmode = "decimal"

    def __init__(self, *, max_value=None, min_value=None, max_digits=None, decimal_places=None, **kwargs):
        kwargs.pop("step_size", None)
        super().__init__(**kwargs)
        if min_value is not None:
            self.validators.append(validators.MinValueValidator(min_value))
        if max_value is not None:
            self.validators.append(validators.MaxValueValidator(max_value))
        if max_digits is not None or decimal_places is not None:
            self.validators.append(validators.DecimalValidator(max_digits, decimal_places))

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": self.inputmode, "autocomplete": "off"}

    def to_python(self, value):
        text = super().to_python(value)
        try:
            return parse_number(text)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        return plain_number(value)


class WholeNumberField(NumberField):
    """A count or a year: a whole number typed as people type it ("1,200", "2024"); returns an int or None."""

    default_error_messages = {"invalid": _("Write a whole number, e.g. 12.")}
    inputmode = "numeric"

    def to_python(self, value):
        number = super().to_python(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)
