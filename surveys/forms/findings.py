"""The findings page's form: which questionnaire version, which interviews, which dates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clusters.collation import spanish
from surveys.forms.fields import DATE_INPUTS, ISO_DATE
from surveys.models import Interview, QuestionnaireVersion
from surveys.selectors import visible_versions


class FindingsForm(forms.Form):
    STATUS_CHOICES = [
        ("approved", _("Approved only")),
        ("submitted", _("Submitted and approved")),
    ]
    version = forms.ModelChoiceField(label=_("Questionnaire"), queryset=QuestionnaireVersion.objects.none())
    statuses = forms.ChoiceField(label=_("Interviews"), choices=STATUS_CHOICES, initial="approved", required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = (
            visible_versions(user)
            .exclude(status=QuestionnaireVersion.Status.DRAFT)
            .order_by(spanish("questionnaire__name"), "-number")
        )
        self.fields["version"].label_from_instance = lambda v: f"{v.questionnaire.name} (v{v.number})"
        self.fields["version"].empty_label = None

    def status_values(self):
        if self.cleaned_data.get("statuses") == "submitted":
            return [Interview.Status.SUBMITTED, Interview.Status.APPROVED]
        return [Interview.Status.APPROVED]
