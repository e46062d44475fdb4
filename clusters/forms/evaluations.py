"""The form of an evaluation: every risk rated, with a note each."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clusters.models import Risk, RiskRating


class EvaluationForm(forms.Form):
    """A dated evaluation: every one of the eleven risks rated, with an optional note each."""

    date = forms.DateField(label=_("Date of the evaluation"), widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, evaluation=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = {}
        if evaluation is not None:
            self.initial.setdefault("date", evaluation.date)
            self.initial.setdefault("summary", evaluation.summary)
            current = {rating.risk: rating for rating in evaluation.ratings.all()}
        for risk in Risk:
            self.fields[f"level_{risk.value}"] = forms.ChoiceField(
                label=risk.label,
                choices=RiskRating.Level.choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Rate this risk.")},
            )
            self.fields[f"note_{risk.value}"] = forms.CharField(
                label=_("Note on “%(risk)s”") % {"risk": risk.label},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            if risk.value in current:
                self.initial.setdefault(f"level_{risk.value}", current[risk.value].level)
                self.initial.setdefault(f"note_{risk.value}", current[risk.value].note)

    def risk_rows(self):
        """(risk, level field, note field) for each risk, for the template."""
        return [(risk, self[f"level_{risk.value}"], self[f"note_{risk.value}"]) for risk in Risk]

    def ratings(self):
        return {
            risk.value: (self.cleaned_data[f"level_{risk.value}"], self.cleaned_data.get(f"note_{risk.value}") or "")
            for risk in Risk
        }
