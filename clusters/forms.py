"""Forms of the registry: they turn what people type into domain values (regions, sizes, actors, ratings)."""

import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusters.access import Role, visible_actors, visible_clusters
from clusters.collation import spanish
from clusters.imports import ImportFileError, read_table
from clusters.models import (
    DEFAULT_ROLE_FOR_KIND,
    Actor,
    Cluster,
    HeadlineFigure,
    Membership,
    Region,
    Relationship,
    Risk,
    RiskRating,
    Sector,
    size_for_sales_uit,
)
from clusters.numbers import NumberField, WholeNumberField
from clusters.validators import normalise_ruc, validate_ruc

# Django 6.1's label for an empty choice has no Spanish translation in Django itself: ours provides it.
BLANK_CHOICE_LABEL = _("- Select an option -")

SIZE_HELP = _(
    "Ley 30056, by annual sales in UIT: micro up to 150 UIT; small over 150 up to 1,700 UIT; medium over "
    "1,700 up to 2,300 UIT; large over 2,300 UIT. Leave it empty for organisations that are not businesses."
)


class SectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.name}"


class SectorMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.name}"


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


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


# --- Clusters ---------------------------------------------------------------------------------------------


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
        fields = [
            "name",
            "slug",
            "main_sector",
            "related_sectors",
            "description",
            "stage",
            "status",
            "coordinator",
            "latitude",
            "longitude",
        ]
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
            "name": data["name"],
            "slug": data.get("slug") or "",
            "main_sector": data["main_sector"],
            "description": data.get("description") or "",
            "stage": data["stage"],
            "status": data["status"],
            "coordinator": data.get("coordinator"),
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
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


# --- Actors -----------------------------------------------------------------------------------------------


class RegionPickerMixin(forms.Form):
    """Department -> province -> district selects; the deepest one chosen is the actor's region.

    The province and district selects offer only the children of the department and province chosen
    (static/clusters/js/region_picker.js refills them as the user picks), so 2,114 regions stay usable.
    """

    department = RegionChoiceField(
        label=_("Department"),
        queryset=Region.objects.filter(level=Region.Level.DEPARTMENT).order_by(spanish("name")),
        to_field_name="code",
        required=False,
        empty_label=_("— choose —"),
    )
    province = RegionChoiceField(
        label=_("Province"), queryset=Region.objects.none(), to_field_name="code", required=False, empty_label="—"
    )
    district = RegionChoiceField(
        label=_("District"), queryset=Region.objects.none(), to_field_name="code", required=False, empty_label="—"
    )

    def setup_region_picker(self, region):
        chain = {}
        while region is not None:
            chain[region.level] = region
            region = region.parent
        if not self.is_bound:
            for level in ("department", "province", "district"):
                if level in chain:
                    self.initial.setdefault(level, chain[level].code)
        department = self._chosen("department", chain)
        province = self._chosen("province", chain)
        self.fields["province"].queryset = (
            Region.objects.filter(parent__code=department).order_by(spanish("name"))
            if department
            else Region.objects.none()
        )
        self.fields["district"].queryset = (
            Region.objects.filter(parent__code=province).order_by(spanish("name"))
            if province
            else Region.objects.none()
        )
        children_url = reverse("clusters:region_children", kwargs={"code": "000000"})
        self.fields["department"].widget.attrs.update(
            {"data-region-child": "id_province", "data-children-url": children_url}
        )
        self.fields["province"].widget.attrs.update(
            {"data-region-child": "id_district", "data-children-url": children_url}
        )

    def _chosen(self, level, chain):
        if self.is_bound:
            return self.data.get(self.add_prefix(level)) or ""
        return chain[level].code if level in chain else ""

    def picked_region(self):
        cleaned = self.cleaned_data
        department, province, district = cleaned.get("department"), cleaned.get("province"), cleaned.get("district")
        if district and province and district.parent_id != province.pk:
            self.add_error("district", _("This district is not in the province chosen."))
        if province and department and province.parent_id != department.pk:
            self.add_error("province", _("This province is not in the department chosen."))
        return district or province or department


class ActorForm(RegionPickerMixin, forms.ModelForm):
    # Longer than the 11 stored digits: people type 20-51233379-7 or 20 5123 33797.
    ruc = forms.CharField(
        label=_("RUC"),
        max_length=20,
        required=False,
        help_text=_("11 digits, checked with SUNAT's check digit. Spaces and dashes are removed."),
    )
    sales_uit = NumberField(
        label=_("Annual sales in UIT (optional)"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        help_text=_("When you type the annual sales in UIT, the size is worked out by Ley 30056."),
    )

    class Meta:
        model = Actor
        fields = [
            "name",
            "kind",
            "ruc",
            "size",
            "address",
            "website",
            "contact_name",
            "contact_position",
            "email",
            "phone",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"size": SIZE_HELP}

    field_order = ["name", "kind", "ruc", "size", "sales_uit", "department", "province", "district"]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["ruc"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.setup_region_picker(self.instance.region if self.instance.pk else None)

    def clean_ruc(self):
        ruc = normalise_ruc(self.cleaned_data.get("ruc"))
        validate_ruc(ruc)
        if ruc:
            owner = Actor.objects.filter(ruc=ruc).exclude(pk=self.instance.pk).first()
            if owner is not None:
                if visible_actors(self.user).filter(pk=owner.pk).exists():
                    raise ValidationError(
                        _("The RUC %(ruc)s is already registered for “%(name)s”. Open that actor instead."),
                        code="ruc_taken",
                        params={"ruc": ruc, "name": owner.name},
                    )
                raise ValidationError(
                    _(
                        "The RUC %(ruc)s is already registered for an actor of a cluster you do not work on. "
                        "Ask a coordinator to add it to your cluster."
                    ),
                    code="ruc_taken",
                    params={"ruc": ruc},
                )
        return ruc

    def clean(self):
        cleaned = super().clean()
        cleaned["region"] = self.picked_region()
        sales = cleaned.get("sales_uit")
        if sales is not None:
            computed = size_for_sales_uit(sales)
            chosen = cleaned.get("size")
            if chosen and chosen != computed:
                self.add_error(
                    "size",
                    _("By Ley 30056, annual sales of %(sales)s UIT make a %(size)s business.")
                    % {"sales": sales, "size": Actor.Size(computed).label},
                )
            else:
                cleaned["size"] = computed
        return cleaned

    def actor_fields(self):
        """The cleaned values the actor services take."""
        data = self.cleaned_data
        return {name: data.get(name) if name == "region" else (data.get(name) or "") for name in ACTOR_FORM_FIELDS}


ACTOR_FORM_FIELDS = Actor.EDITABLE_FIELDS


class ActorCreateForm(ActorForm):
    """A new actor, in a cluster: required for researchers (no orphan actors), optional for coordinators."""

    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=Cluster.objects.none(), to_field_name="slug", required=False
    )
    role = forms.ChoiceField(
        label=_("Role in the cluster"),
        choices=[("", _("The usual role of its kind")), *Membership.Role.choices],
        required=False,
    )
    create_anyway = forms.BooleanField(
        label=_("Yes, this is a different organisation: create it anyway"), required=False, widget=forms.HiddenInput
    )

    field_order = ["cluster", "role", *ActorForm.field_order]

    def __init__(self, *args, user, researcher, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["cluster"].queryset = visible_clusters(user).order_by(spanish("name"))
        if researcher:
            self.fields["cluster"].required = True
            self.fields["cluster"].help_text = _("You add actors to the clusters you work on.")
        else:
            self.fields["cluster"].help_text = _("Optional: the actor can join clusters later.")

    def membership_role(self):
        role = self.cleaned_data.get("role")
        return role or DEFAULT_ROLE_FOR_KIND.get(self.cleaned_data.get("kind"), Membership.Role.OTHER)

    def ask_to_confirm(self):
        """Show the "create anyway" box: the name looks like an actor already registered."""
        self.fields["create_anyway"].widget = forms.CheckboxInput()


class ActorEditForm(ActorForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "since", "notes"]
        widgets = {"since": forms.DateInput(attrs={"type": "date"}), "notes": forms.Textarea(attrs={"rows": 2})}


ACTOR_REFERENCE = re.compile(r"#(\d+)\s*\)?\s*$")


class MembershipAddForm(forms.Form):
    """Add an actor already registered: typed by name or RUC (the page suggests names as you type)."""

    actor = forms.CharField(
        label=_("Actor"),
        max_length=300,
        help_text=_("Type part of the name or the RUC and choose from the suggestions."),
    )
    role = forms.ChoiceField(
        label=_("Role in the cluster"),
        choices=[("", _("The usual role of its kind")), *Membership.Role.choices],
        required=False,
    )

    def __init__(self, *args, cluster, user, **kwargs):
        self.cluster = cluster
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["actor"].widget.attrs.update(
            {
                "list": "actor-suggestions",
                "autocomplete": "off",
                "data-autocomplete-url": reverse("clusters:actor_autocomplete"),
            }
        )

    def clean_actor(self):
        text = self.cleaned_data["actor"].strip()
        actors = visible_actors(self.user)
        reference = ACTOR_REFERENCE.search(text)
        digits = normalise_ruc(text)
        ruc = re.search(r"\b(\d{11})\b", text)
        if reference:
            found = list(actors.filter(pk=int(reference.group(1))))
        elif digits.isdigit() and len(digits) == 11:
            found = list(actors.filter(ruc=digits))
        elif ruc:
            found = list(actors.filter(ruc=ruc.group(1)))
        else:
            found = list(actors.filter(name__iexact=text)[:2])
        if not found:
            raise ValidationError(_("No actor you can see has this name or RUC."), code="not_found")
        if len(found) > 1:
            raise ValidationError(
                _("Several actors have this name: choose one from the suggestions."), code="ambiguous"
            )
        actor = found[0]
        if Membership.objects.filter(cluster=self.cluster, actor=actor).exists():
            raise ValidationError(
                _("%(name)s is already a member of this cluster."), code="member", params={"name": actor.name}
            )
        return actor

    def membership_role(self):
        role = self.cleaned_data.get("role")
        actor = self.cleaned_data["actor"]
        return role or DEFAULT_ROLE_FOR_KIND.get(actor.kind, Membership.Role.OTHER)


# --- The network ------------------------------------------------------------------------------------------


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class RelationshipForm(forms.Form):
    source = MemberChoiceField(
        label=pgettext_lazy("tie", "From"), queryset=Actor.objects.none(), empty_label=_("— choose —")
    )
    kind = forms.ChoiceField(label=_("Kind of tie"), choices=Relationship.Kind.choices)
    target = MemberChoiceField(
        label=pgettext_lazy("tie", "To"), queryset=Actor.objects.none(), empty_label=_("— choose —")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, cluster, **kwargs):
        self.cluster = cluster
        super().__init__(*args, **kwargs)
        members = Actor.objects.filter(memberships__cluster=cluster).order_by(spanish("name"))
        self.fields["source"].queryset = members
        self.fields["target"].queryset = members

    def clean(self):
        cleaned = super().clean()
        source, target, kind = cleaned.get("source"), cleaned.get("target"), cleaned.get("kind")
        if source and target and source == target:
            self.add_error("target", _("A tie must join two different actors."))
        elif source and target and kind:
            exists = Relationship.objects.filter(
                cluster=self.cluster, source=source, target=target, kind=kind, interview__isnull=True
            ).exists()
            if exists:
                self.add_error(None, _("This tie is already recorded."))
        return cleaned


# --- Evaluations ------------------------------------------------------------------------------------------


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


# --- Import -----------------------------------------------------------------------------------------------


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
            self.cleaned_data["table"] = read_table(uploaded, max_bytes=settings.CASEBOOK_MAX_IMPORT_BYTES)
        except ImportFileError as error:
            raise ValidationError(error.message, code="bad_file") from None
        return uploaded


def add_service_errors(form, error, renames=None):
    """Put a service's ValidationError on the form's fields (by name, renamed where they differ), or on the
    form as a whole when it names no field the form has."""
    renames = renames or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = renames.get(name, name)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error)
