"""Who publishes the reports: the programme and institution on every cover, and the institution's logo."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reports.models import ProgrammeSettings

LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_PIXELS = 4000


def logo_check(data: bytes) -> tuple[str, int, int]:
    """(content type, width, height) of a logo, decided by its content; ValidationError if it is not a
    PNG or JPEG image of reasonable size (a renamed file, a broken image or a decompression bomb)."""
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError

    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo must be at most 512 KB."), code="too_big")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        content_type, expected = "image/png", "PNG"
    elif data.startswith(b"\xff\xd8\xff"):
        content_type, expected = "image/jpeg", "JPEG"
    else:
        raise ValidationError(_("The logo must be a PNG or JPEG image."), code="not_an_image")
    try:
        with Image.open(BytesIO(data)) as image:
            if image.format != expected:
                raise ValidationError(_("The logo must be a PNG or JPEG image."), code="not_an_image")
            width, height = image.size
            if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
                raise ValidationError(
                    _("The logo may be at most %(size)s pixels wide and high.") % {"size": LOGO_MAX_PIXELS},
                    code="too_large",
                )
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("The logo could not be read as an image."), code="broken") from None
    return content_type, width, height


@transaction.atomic
def programme_settings_update(*, by, programme_name, institution, logo=None, remove_logo=False):
    """Set the programme and institution printed on every report cover, and its logo (bytes, checked)."""
    current = ProgrammeSettings.objects.select_for_update().filter(pk=ProgrammeSettings.SINGLETON).first()
    current = current or ProgrammeSettings(pk=ProgrammeSettings.SINGLETON)
    current.programme_name = programme_name
    current.institution = institution
    current.updated_by = by
    if logo is not None:
        content_type, width, height = logo_check(logo)
        current.logo, current.logo_type, current.logo_width, current.logo_height = logo, content_type, width, height
    elif remove_logo:
        current.logo, current.logo_type, current.logo_width, current.logo_height = None, "", None, None
    current.full_clean()
    current.save()
    return current
