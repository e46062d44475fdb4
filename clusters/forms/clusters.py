"""Forms of a cluster: its profile (sectors, regions, coordinator), headline figures, the team."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusters.access import Role
from clusters.collation import spanish
from clusters.forms.common import PersonChoiceField, SectorChoiceField, SectorMultipleChoiceField
from clusters.models import Cluster, HeadlineFigure, Region, Sector
from clusters.numbers import NumberField, WholeNumberField


def coordinators(also=None):
    """Users who may coordinate a cluster: coordinators and administrators (and ``also``, a user id)."""
    may = Q(groups__name=str(Role.COORDINATOR), is_active=True) | Q(is_superuser=True, is_active=True)
    if also is not None:
        may |= Q(pk=also)
    return (
        get_user_model()
        .objects.filter(may)
        .distinct()
        .order_by(spanish("first_name"), spanish("last_name"), "username")
    )


def parse_ubigeo_codes(text):
    """Ubigeo codes separated by commas or spaces, to Regions; unknown codes are an error naming them."""
    codes = [code for code in re.split(r"[\s,;]+", text or "") if code]
    codes = ["0" + code if code.isdigit() and len(code) in (1, 3, 5) else code for code in codes]
    regions = {region.code: region for region in Region.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in regions]
    if unknown:
        raise ValidationError(
            _("Unknown ubigeo codes: %(codes)s."), code="unknown_ubigeo", params={"codes": ", ".join(unknown)}
        )
    return [regions[code] for code in dict.fromkeys(codes)]


class ClusterForm(forms.ModelForm):
    main_sector = SectorChoiceField(label=_("Main sector (CIIU Rev.4)"), queryset=Sector.objects.order_by("code"))
    related_sectors = SectorMultipleChoiceField(
        label=_("Related sectors"),
        queryset=Sector.objects.order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Region.objects.filter(level=Region.Level.DEPARTMENT).order_by(spanish("name")),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_regions = forms.CharField(
        label=_("Provinces or districts (ubigeo codes)"),
        required=False,
        help_text=_("Optional: INEI ubigeo codes separated by commas, e.g. 2101 for the province of Puno."),
    )
    coordinator = PersonChoiceField(label=_("Coordinator"), queryset=coordinators(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Cluster
        fields = [*Cluster.EDITABLE_FIELDS, "related_sectors"]  # field_order puts the sectors together
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"latitude": NumberField, "longitude": NumberField}
        help_texts = {
            "slug": _("The short name in the cluster's web address; made from the name when left empty."),
            "latitude": _("Map point, in decimal degrees (e.g. -15.840221)."),
        }

    field_order = ["name", "slug", "main_sector", "related_sectors", "departments", "other_regions", "description"]

    @staticmethod
    def initial_from_query(query):
        """Initial values from a link: ``main_sector`` (a CIIU code) and ``regions`` (ubigeo codes, commas)."""
        initial = {}
        sector = Sector.objects.filter(code=(query.get("main_sector") or "").strip()[:4]).first()
        if sector is not None:
            initial["main_sector"] = sector.pk
        codes = [code for code in re.split(r"[\s,;]+", (query.get("regions") or "")[:200]) if code]
        regions = list(Region.objects.filter(code__in=codes[:20]))
        departments = [region.pk for region in regions if region.level == Region.Level.DEPARTMENT]
        others = [region.code for region in regions if region.level != Region.Level.DEPARTMENT]
        if departments:
            initial["departments"] = departments
        if others:
            initial["other_regions"] = ", ".join(others)
        return initial

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        # A coordinator who has since changed role still shows (and stays) on the clusters they coordinate.
        self.fields["coordinator"].queryset = coordinators(also=self.instance.coordinator_id)
        if self.instance.pk:
            regions = list(self.instance.regions.all())
            self.initial.setdefault("departments", [r for r in regions if r.level == Region.Level.DEPARTMENT])
            self.initial.setdefault(
                "other_regions", " ".join(r.code for r in regions if r.level != Region.Level.DEPARTMENT)
            )
            self.initial.setdefault("version", self.instance.version)

    def clean_other_regions(self):
        return parse_ubigeo_codes(self.cleaned_data.get("other_regions"))

    def clean(self):
        cleaned = super().clean()
        regions = [*(cleaned.get("departments") or []), *(cleaned.get("other_regions") or [])]
        if not regions and "departments" not in self.errors and "other_regions" not in self.errors:
            self.add_error("departments", _("Choose at least one department, or type ubigeo codes."))
        cleaned["regions"] = regions
        if self.instance.pk and not cleaned.get("version"):
            raise ValidationError(_("The form lost its version number; reload the page."))
        return cleaned

    def profile_fields(self):
        """The cleaned values the cluster services take."""
        data = self.cleaned_data
        return {
            **{name: data.get(name) for name in Cluster.EDITABLE_FIELDS},
            "slug": data.get("slug") or "",  # empty: the services make it from the name
            "description": data.get("description") or "",
        }


class HeadlineFigureForm(forms.ModelForm):
    class Meta:
        model = HeadlineFigure
        fields = ["metric", "value", "year", "source"]
        field_classes = {"value": NumberField, "year": WholeNumberField}
        help_texts = {"source": _("Who published the figure, e.g. INEI, Encuesta Económica Anual 2023.")}

    def __init__(self, *args, cluster, **kwargs):
        self.cluster = cluster
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        metric, year = cleaned.get("metric"), cleaned.get("year")
        if metric and year:
            taken = HeadlineFigure.objects.filter(cluster=self.cluster, metric=metric, year=year)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "year",
                    _("This cluster already has a figure “%(metric)s” for %(year)s: edit that one instead.")
                    % {"metric": dict(HeadlineFigure.Metric.choices)[metric], "year": year},
                )
        value = cleaned.get("value")
        if metric == HeadlineFigure.Metric.REGIONAL_GDP_SHARE and value is not None and value > 100:
            self.add_error("value", _("The share of regional GDP cannot be more than 100 %."))
        return cleaned


class TeamAddForm(forms.Form):
    user = PersonChoiceField(label=_("Person"), queryset=get_user_model().objects.none())

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
