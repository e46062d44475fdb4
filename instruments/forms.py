"""Forms of the instruments pages: they turn what people type into domain values (soles, actors, dates)."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusters.collation import spanish
from clusters.models import Actor, Region, Sector
from clusters.numbers import NumberField, WholeNumberField
from instruments.models import Activity, Goal, Indicator, InstrumentType, Intervention, Measurement
from instruments.money import amount
from instruments.services import MEASUREMENT_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_SOLES = Decimal("999999999999.99")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")
# Points as thousands only when unambiguous (two groups or more, or a decimal comma): "1.234" is 1.234.
_THOUSANDS_POINT = re.compile(r"^\d{1,3}((\.\d{3}){2,}(,\d*)?|(\.\d{3})+,\d*)$")


def parse_soles(text):
    """An amount in soles from what people type: "S/ 1,250,000.50", "S/. 1250000.5", "1 250 000,50", "PEN 300".

    Peru writes a point for decimals and commas for thousands; a lone comma followed by one or two digits
    is read as a decimal comma. Raises ValueError with a message for people.
    """
    cleaned = (text or "").strip()
    cleaned = re.sub(r"^(S/\.?|PEN|S\.)", "", cleaned, flags=re.IGNORECASE).strip()
    cleaned = cleaned.replace(" ", "").replace("\u00a0", "").replace("'", "")
    if not cleaned:
        raise ValueError(_("Enter an amount in soles, for example S/ 1,250,000.50."))
    if cleaned.startswith("-"):
        raise ValueError(_("An amount cannot be negative."))
    if _THOUSANDS_COMMA.match(cleaned):
        cleaned = cleaned.replace(",", "")
    elif _THOUSANDS_POINT.match(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+,\d{1,2}", cleaned):
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d*)?", cleaned):
        raise ValueError(_("Enter an amount in soles, for example S/ 1,250,000.50."))
    try:
        amount = Decimal(cleaned.rstrip(".") or "0")
    except InvalidOperation as error:
        raise ValueError(_("Enter an amount in soles, for example S/ 1,250,000.50.")) from error
    # The size first: quantizing a 400-digit number overflows Decimal's precision.
    if amount > MAX_SOLES:
        raise ValueError(_("This amount is too large."))
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(_("Soles have at most two decimals (céntimos)."))
    return amount.quantize(Decimal("0.01"))


class SolesField(forms.CharField):
    """A money field in soles (PEN) that accepts the ways people write amounts and returns a Decimal."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return amount(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_soles(value)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from error


class ActorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, actor):
        size = actor.get_size_display() if actor.size else actor.get_kind_display()
        return f"{actor.name} ({size})"


class InterventionForm(forms.ModelForm):
    budget_planned = SolesField(label=_("Planned budget (S/)"), help_text=_("For example S/ 1,250,000.50"))
    budget_executed = SolesField(
        label=_("Executed budget (S/)"), required=False, help_text=_("Leave empty while nothing has been spent.")
    )
    implementing_institutions = ActorChoiceField(
        queryset=Actor.objects.none(), required=False, label=_("Implementing institutions")
    )
    funding_institutions = ActorChoiceField(
        queryset=Actor.objects.none(), required=False, label=_("Funding institutions")
    )
    # Any actor is accepted here so that the service can say clearly which ones are not in the cluster.
    beneficiaries = ActorChoiceField(
        queryset=Actor.objects.all(),
        required=False,
        label=_("Beneficiaries"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Actors of this cluster who benefit from the intervention."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Intervention
        fields = Intervention.EDITABLE_FIELDS
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "objective": forms.Textarea(attrs={"rows": 3}),
            "overspend_justification": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.cluster = cluster
        members = Actor.objects.filter(memberships__cluster=cluster).order_by(spanish("name"))
        self.fields["implementing_institutions"].queryset = members
        self.fields["funding_institutions"].queryset = members
        self.fields["beneficiaries"].widget.choices = [
            (actor.pk, self.fields["beneficiaries"].label_from_instance(actor)) for actor in members
        ]
        self.fields["instrument_type"].queryset = InstrumentType.objects.select_related("goal")
        self.fields["instrument_type"].label_from_instance = lambda it: f"{it.goal.name} — {it.name}"
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_budget_executed(self):
        return self.cleaned_data.get("budget_executed") or Decimal("0.00")

    def domain_values(self):
        """The cleaned values as keyword arguments for intervention_create / intervention_update."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = list(Indicator.EDITABLE_FIELDS)
        widgets = {"baseline_date": DATE_WIDGET, "target_date": DATE_WIDGET}
        field_classes = {"baseline_value": NumberField, "target_value": NumberField}
        help_texts = {
            "unit": _("For example: firms, %, tonnes, S/ thousand."),
            "direction": _("Whether a higher or a lower value is better (e.g. fibre waste should decrease)."),
        }


class MeasurementForm(forms.ModelForm):
    class Meta:
        model = Measurement
        fields = MEASUREMENT_FIELDS  # what the service accepts
        widgets = {"date": DATE_WIDGET, "note": forms.Textarea(attrs={"rows": 2})}
        field_classes = {name: NumberField for name in MEASUREMENT_FIELDS if name.startswith("value")}


class ReviewForm(forms.Form):
    APPROVE = "approve"
    RETURN = "return"
    # Radio buttons with none checked: the reviewer decides, a select opening on "Approve" decided for them.
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (RETURN, _("Return for correction"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose to approve or to return the measurement.")},
    )
    reason = forms.CharField(
        label=_("Reason for returning it"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say what has to be corrected: the reason is shown to whoever recorded it."))
        return data


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = Activity.EDITABLE_FIELDS
        widgets = {"date": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 2})}
        field_classes = dict.fromkeys(
            ["women", "men", "firms_micro", "firms_small", "firms_medium", "firms_large"], WholeNumberField
        )

    COUNTERS = ["women", "men", "firms_micro", "firms_small", "firms_medium", "firms_large"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.COUNTERS:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        for name in self.COUNTERS:
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        return data


class InstrumentTypeForm(forms.ModelForm):
    class Meta:
        model = InstrumentType
        fields = ["goal", "name_es", "name_en", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PortfolioFilterForm(forms.Form):
    """The portfolio's filters; empty fields do not filter."""

    goal = forms.ModelChoiceField(queryset=Goal.objects.all(), required=False, label=_("Goal"))
    government_level = forms.ChoiceField(
        choices=[("", _("All levels")), *Intervention.GovernmentLevel.choices],
        required=False,
        label=_("Government level"),
    )
    status = forms.ChoiceField(
        choices=[("", _("All statuses")), *Intervention.Status.choices], required=False, label=_("Status")
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.filter(level=Region.Level.DEPARTMENT),
        required=False,
        label=_("Region"),
        to_field_name="code",
    )
    sector = forms.ModelChoiceField(
        queryset=Sector.objects.filter(Q(main_clusters__isnull=False) | Q(children__main_clusters__isnull=False))
        .distinct()
        .order_by("code"),
        required=False,
        label=_("Sector"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].empty_label = _("All goals")
        self.fields["region"].empty_label = _("All regions")
        self.fields["region"].label_from_instance = lambda region: region.name
        self.fields["sector"].empty_label = _("All sectors")
        self.fields["sector"].label_from_instance = lambda sector: f"{sector.code} · {sector.name}"
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class ExportForm(forms.Form):
    QUARTER = "quarter"
    YEAR = "year"
    period = forms.ChoiceField(
        choices=[(QUARTER, _("Quarters")), (YEAR, _("Years"))], required=False, label=_("Columns by")
    )
    cluster = forms.SlugField(required=False)
