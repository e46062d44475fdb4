"""Forms of an actor: new (in a cluster) and edit, with the department -> province -> district picker."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.access import visible_actors, visible_clusters
from clusters.collation import spanish
from clusters.forms.common import RegionChoiceField
from clusters.models import DEFAULT_ROLE_FOR_KIND, Actor, Cluster, Membership, Region, size_for_sales_uit
from clusters.numbers import NumberField
from clusters.validators import normalise_ruc, validate_ruc

SIZE_HELP = _(
    "Ley 30056, by annual sales in UIT: micro up to 150 UIT; small over 150 up to 1,700 UIT; medium over "
    "1,700 up to 2,300 UIT; large over 2,300 UIT. Leave it empty for organisations that are not businesses."
)


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
        # What people edit about an actor, but the region: the department -> province -> district picker sets it.
        fields = [name for name in Actor.EDITABLE_FIELDS if name != "region"]
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
        return {name: data.get(name) if name == "region" else (data.get(name) or "") for name in Actor.EDITABLE_FIELDS}


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
