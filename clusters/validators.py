"""Validators for Peruvian identifiers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.pe import ruc as stdnum_ruc


def normalise_ruc(value):
    """The RUC without spaces, dots or dashes, as stored."""
    return "".join(ch for ch in (value or "") if ch not in " .-\t")


def validate_ruc(value):
    """Check a RUC's length, prefix and check digit (SUNAT's algorithm, via python-stdnum)."""
    if not value:
        return
    try:
        stdnum_ruc.validate(value)
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(
            _("The RUC %(ruc)s has a wrong check digit: please check the eleven digits."),
            code="ruc_checksum",
            params={"ruc": value},
        ) from None
    except stdnum_exceptions.InvalidLength:
        raise ValidationError(
            _("The RUC must have eleven digits (this one has %(count)s)."),
            code="ruc_length",
            params={"count": len(value)},
        ) from None
    except stdnum_exceptions.InvalidFormat:
        raise ValidationError(
            _("The RUC must have only digits and start with 10, 15, 17 or 20."), code="ruc_format"
        ) from None
    except stdnum_exceptions.InvalidComponent:
        raise ValidationError(_("The RUC must start with 10, 15, 17 or 20."), code="ruc_prefix") from None
