"""The upload form of the actor import: the file read into a table as it is checked."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from clusters.imports import ACTOR_FORMAT, ImportFileError, read_table


class ActorImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("The first row names the columns. At most %(size)s.") % {
            "size": filesizeformat(settings.CASEBOOK_MAX_IMPORT_BYTES)
        }

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.cleaned_data["table"] = read_table(
                uploaded, max_bytes=settings.CASEBOOK_MAX_IMPORT_BYTES, table_format=ACTOR_FORMAT
            )
        except ImportFileError as error:
            raise ValidationError(error.message, code="bad_file") from None
        return uploaded
