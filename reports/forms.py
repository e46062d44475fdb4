from django import forms
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from clusters.access import visible_clusters
from reports.models import ReportEdition, ReportJob


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class EditionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.cluster.name} — {obj.title} ({obj.get_status_display()})"


class _ReportOptions(forms.Form):
    """The options every report takes: a period, a language, which interviews count."""

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
        current = (get_language() or "es")[:2]
        self.fields["language"].initial = current if current in ReportJob.Language.values else "es"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("The end of the period must not be before its start."))
        return cleaned


class ReportRequestForm(_ReportOptions):
    """What a case study is about: a cluster the user may see, its edition, a period, a language."""

    field_order = ["cluster", "edition", "period_start", "period_end", "language", "include_submitted"]

    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=None, to_field_name="slug", empty_label=_("Choose a cluster")
    )
    edition = EditionChoiceField(
        label=_("Edition (the coordination's diagnosis)"),
        queryset=None,
        required=False,
        empty_label=_("The cluster's latest final edition, if any"),
        help_text=_("The diagnosis, lessons and recommendations the report sets."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        clusters = visible_clusters(user).order_by("name")
        self.fields["cluster"].queryset = clusters
        self.fields["edition"].queryset = (
            ReportEdition.objects.filter(cluster__in=clusters)
            .select_related("cluster")
            .order_by("cluster__name", "-updated_at", "-pk")
        )

    def clean(self):
        cleaned = super().clean()
        cluster, edition = cleaned.get("cluster"), cleaned.get("edition")
        if cluster and edition and edition.cluster_id != cluster.pk:
            self.add_error("edition", _("This edition belongs to another cluster."))
        return cleaned


class ProgrammeRequestForm(_ReportOptions):
    """The programme report: every cluster the person may see; a period, a language."""


class EditionForm(forms.ModelForm):
    class Meta:
        model = ReportEdition
        fields = [
            "title",
            "key_findings",
            "strengths",
            "weaknesses",
            "lessons",
            "recommendations",
            "sampling",
            "limitations",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in (
                "key_findings",
                "strengths",
                "weaknesses",
                "lessons",
                "recommendations",
                "sampling",
                "limitations",
            )
        }


class ProgrammeSettingsForm(forms.Form):
    programme_name = forms.CharField(label=_("Programme"), max_length=200, required=False)
    institution = forms.CharField(label=_("Institution"), max_length=200, required=False)
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("A PNG or JPEG image of at most 512 KB, printed on the cover of every report."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    def clean_logo(self):
        from django.core.exceptions import ValidationError

        from reports.services import LOGO_MAX_BYTES, logo_check

        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise ValidationError(_("The logo must be at most 512 KB."))
        data = upload.read()
        logo_check(data)
        return data
