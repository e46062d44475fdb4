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
from django.utils.translation import ngettext

THOUSANDS = re.compile(r"-?\d{1,3}(?:,\d{3})+")
# The widest numeric column typed numbers go to: an interview answer, numeric(20, 6).
MAX_DIGITS = 20
DECIMAL_PLACES = 6


class NumberDoesNotFit(ValueError):
    """A number that its column cannot hold exactly (it would overflow, or be rounded, perhaps to 0).

    ``message`` says why, in words for the field; it is a ValueError so that callers that only ask
    "is this a number we can keep?" need not know the difference."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def check_fits(value: Decimal, *, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES) -> Decimal:
    """``value`` when a numeric(max_digits, decimal_places) column stores exactly it; NumberDoesNotFit otherwise.

    "99999999999999.9999999" would be rounded up to 10^14 and overflow numeric(20, 6); "1e-400" would be
    rounded to 0. Both are refused, with the limit that was crossed."""
    whole_digits = max_digits - decimal_places
    if value.copy_abs() >= Decimal(10) ** whole_digits:
        limit = f"{10**whole_digits:,}"
        raise NumberDoesNotFit(
            _("Write a number smaller than %(limit)s and greater than -%(limit)s.") % {"limit": limit}
        )
    _sign, digits, exponent = value.as_tuple()
    significant = "".join(map(str, digits)).rstrip("0")
    decimals = -(exponent + len(digits) - len(significant)) if significant else 0
    if decimals > decimal_places:
        raise NumberDoesNotFit(
            ngettext(
                "Write at most %(places)s decimal place.", "Write at most %(places)s decimal places.", decimal_places
            )
            % {"places": decimal_places}
        )
    return value


def parse_number(text, *, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES):
    """'1200', '1,200', '1 200', '12.5', '12,5' -> a Decimal; ValueError otherwise.

    es-PE writes a point for decimals and commas for thousands; a lone comma that is not followed by
    exactly three digits is read as a decimal comma, as people type on a phone. A number its column
    (by default an answer's numeric(20, 6)) cannot hold exactly raises NumberDoesNotFit, a ValueError.
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
    if not value.is_finite():
        raise ValueError(text)
    return check_fits(value, max_digits=max_digits, decimal_places=decimal_places)


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
        # The column's digits and decimals are checked as the number is read (parse_number), with the limit.
        self.max_digits = max_digits or MAX_DIGITS
        self.decimal_places = decimal_places if decimal_places is not None else DECIMAL_PLACES
        if max_digits is not None and decimal_places is None:
            self.decimal_places = 0

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": self.inputmode, "autocomplete": "off"}

    def to_python(self, value):
        text = super().to_python(value)
        try:
            return parse_number(text, max_digits=self.max_digits, decimal_places=self.decimal_places)
        except NumberDoesNotFit as error:
            raise ValidationError(error.message, code="does_not_fit") from None
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
