from django import forms
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from clusters.access import visible_clusters
from reports.models import ReportJob


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ReportRequestForm(forms.Form):
    """What a case study is about: a cluster the user may see, a period, a language, which interviews."""

    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=None, to_field_name="slug", empty_label=_("Choose a cluster")
    )
    period_start = forms.DateField(
        label=pgettext_lazy("period", "From"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty to start from the first record."),
    )
    period_end = forms.DateField(
        label=pgettext_lazy("period", "To"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty to include everything up to today."),
    )
    language = forms.ChoiceField(
        label=_("Language of the report"), choices=ReportJob.Language.choices, widget=forms.RadioSelect
    )
    include_submitted = forms.BooleanField(
        label=_("Also count interviews submitted but not yet approved"),
        required=False,
        help_text=_("Off: only interviews approved by a coordinator count."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = visible_clusters(user).order_by("name")
        current = (get_language() or "es")[:2]
        self.fields["language"].initial = current if current in ReportJob.Language.values else "es"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("The end of the period must not be before its start."))
        return cleaned
