"""Forms of mapping/: the data import, the candidates' filters and the prioritisation weights."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from clusters import numbers
from clusters.imports import ImportFileError, read_table
from clusters.models import Region, Sector
from mapping.imports import data_format
from mapping.models import Criterion, Dataset


class DataImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    name = forms.CharField(label=_("Name of the dataset"), max_length=200)
    source = forms.CharField(
        label=_("Source"), max_length=300, help_text=_("Who produced the figures, e.g. INEI, Censo Nacional Económico.")
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    illustrative = forms.BooleanField(
        label=_("These figures are illustrative, not official (every page that uses them will say so)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("The first row names the columns. At most %(size)s.") % {
            "size": filesizeformat(settings.MAPPING_MAX_IMPORT_BYTES)
        }

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.cleaned_data["table"] = read_table(
                uploaded, max_bytes=settings.MAPPING_MAX_IMPORT_BYTES, table_format=data_format()
            )
        except ImportFileError as error:
            raise ValidationError(error.message, code="bad_file") from None
        return uploaded


class NumberField(numbers.NumberField):
    """A number as people type it (clusters.numbers.parse_number), at least ``minimum`` (0 unless told)."""

    def __init__(self, *args, minimum=Decimal(0), maximum=None, **kwargs):
        super().__init__(*args, min_value=minimum, max_value=maximum, **kwargs)


STARS = [("0", _("Any")), ("1", _("At least 1 star")), ("2", _("At least 2 stars")), ("3", _("3 stars"))]


class CandidateFilterForm(forms.Form):
    dataset = forms.ModelChoiceField(label=_("Dataset"), queryset=Dataset.objects.none(), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    sector = forms.ModelChoiceField(
        label=_("Sector (section or division)"),
        queryset=Sector.objects.filter(level__in=[Sector.Level.SECTION, Sector.Level.DIVISION]).order_by("code"),
        required=False,
    )
    min_stars = forms.ChoiceField(label=_("Stars"), choices=STARS, required=False)
    min_lq = NumberField(label=_("Location quotient at least"), required=False, maximum=Decimal(10**6))
    min_employment = NumberField(label=_("Employment at least"), required=False, maximum=Decimal(10**12))

    def __init__(self, *args, datasets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = datasets
        self.fields["dataset"].empty_label = _("The newest")
        self.fields["department"].choices = [("", _("All"))] + [
            (code, name)
            for code, name in Region.objects.filter(level=Region.Level.DEPARTMENT)
            .order_by("name")
            .values_list("code", "name")
        ]
        self.fields["sector"].label_from_instance = lambda sector: f"{sector.code} · {sector.name}"
        self.fields["sector"].empty_label = _("All")

    def filters(self):
        """Keyword arguments for ``selectors.candidate_cells`` (nothing for fields left empty or invalid)."""
        self.is_valid()  # cleaned_data keeps the valid fields even when another one is wrong
        data = self.cleaned_data
        department = data.get("department")
        return {
            "department": Region.objects.filter(code=department).first() if department else None,
            "sector": data.get("sector"),
            "min_stars": int(data.get("min_stars") or 0),
            "min_lq": float(data["min_lq"]) if data.get("min_lq") is not None else None,
            "min_employment": int(data["min_employment"]) if data.get("min_employment") is not None else None,
        }


class WeightsForm(forms.Form):
    """One weight per criterion of the article; at least one above zero."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in Criterion:
            self.fields[criterion.value] = NumberField(
                label=criterion.label,
                required=True,
                maximum=Decimal(1000),
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "size": 6, "class": "form-control form-control-sm"}
                ),
            )

    def clean(self):
        data = super().clean()
        weights = [data.get(criterion.value) for criterion in Criterion]
        if all(weight is not None for weight in weights) and not any(weight > 0 for weight in weights):
            raise ValidationError(_("At least one weight must be above zero."), code="all_zero")
        return data

    def weights(self):
        return {Criterion(name): self.cleaned_data[name] for name in Criterion.values}
