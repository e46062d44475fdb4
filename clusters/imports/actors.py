"""Actors in and out of spreadsheets with django-import-export.

The mapping of columns to an actor is ``ActorResource``: it finds the actor a row is about (by RUC, else by
exact name), checks every cell and says per row why it is rejected, and writes through the registry's
services (``actor_create``, ``actor_update``, ``membership_create``). ``clusters.services.actors_import`` runs
it: as a preview (nothing written) or for real (all rows or none).
"""

from dataclasses import dataclass

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from clusters.imports.tables import TableFormat, cell_too_long, preview_text
from clusters.models import DEFAULT_ROLE_FOR_KIND, Actor, Cluster, Membership, Region, actor_name_key, fold_text
from clusters.spreadsheets import safe_cell
from clusters.validators import normalise_ruc

# The columns of the file, in the order of the export and the template. name and kind are required.
COLUMNS = (
    *Actor.EDITABLE_FIELDS,
    "cluster",
    "role",
)

REQUIRED_COLUMNS = ("name", "kind")

# Columns the export adds for reading; an import ignores them.
EXPORT_ONLY_COLUMNS = ("region_name", "clusters")

# Headers people write, folded (lower case, no accents): Spanish and English.
HEADER_ALIASES = {
    "name": {"name", "nombre", "razon social", "actor", "organizacion"},
    "kind": {"kind", "tipo", "tipo de actor", "clase"},
    "ruc": {"ruc", "n ruc", "numero de ruc"},
    "size": {"size", "tamano", "tamano de empresa", "firm size"},
    "region": {"region", "ubigeo", "codigo ubigeo", "region code", "ubigeo code"},
    "address": {"address", "direccion"},
    "website": {"website", "web", "sitio web", "pagina web"},
    "contact_name": {"contact name", "contact", "contacto", "persona de contacto", "nombre del contacto"},
    "contact_position": {"contact position", "cargo", "cargo del contacto"},
    "email": {"email", "e mail", "correo", "correo electronico"},
    "phone": {"phone", "telefono", "celular"},
    "notes": {"notes", "notas", "observaciones"},
    "cluster": {"cluster", "cluster slug"},
    "role": {"role", "rol", "rol en el cluster", "membership role"},
    "region_name": {"region name", "nombre de region"},
    "clusters": {"clusters"},
}

HEADER_LOOKUP = {alias: column for column, aliases in HEADER_ALIASES.items() for alias in aliases}

# Spanish words people use for sizes, besides the codes and the labels.
SIZE_ALIASES = {
    "microempresa": Actor.Size.MICRO,
    "pequena": Actor.Size.SMALL,
    "pequena empresa": Actor.Size.SMALL,
    "mediana": Actor.Size.MEDIUM,
    "mediana empresa": Actor.Size.MEDIUM,
    "grande": Actor.Size.LARGE,
    "gran empresa": Actor.Size.LARGE,
}

ACTOR_FORMAT = TableFormat(lookup=HEADER_LOOKUP, required=REQUIRED_COLUMNS, export_only=EXPORT_ONLY_COLUMNS)


def _choice_lookup(choices, aliases=None):
    """Codes, English labels and Spanish labels (folded) to codes."""
    from django.utils import translation

    lookup = {}
    for code, label in choices:
        lookup[fold_text(code)] = code
        for language in ("en", "es"):
            with translation.override(language):
                lookup[fold_text(str(label))] = code
    lookup.update(aliases or {})
    return lookup


class ChoiceWidget(widgets.Widget):
    """A code (``firm``) or a label in English or Spanish (``Empresa``), any case and accents, to a code."""

    def __init__(self, choices, message, aliases=None):
        super().__init__()
        self.choices = choices
        self.message = message
        self.aliases = aliases
        self.lookup = None

    def clean(self, value, row=None, **kwargs):
        text = fold_text(value or "")
        if not text:
            return ""
        if self.lookup is None:
            self.lookup = _choice_lookup(self.choices, self.aliases)
        code = self.lookup.get(text)
        if code is None:
            raise ValueError(self.message % {"value": value, "codes": ", ".join(code for code, _label in self.choices)})
        return code


class RucWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return normalise_ruc(value or "")


class RegionWidget(widgets.Widget):
    """A ubigeo code (department 2 digits, province 4, district 6) to a Region."""

    def clean(self, value, row=None, **kwargs):
        code = (value or "").strip()
        if not code:
            return None
        if code.isdigit() and len(code) in (1, 3, 5):
            code = "0" + code  # a spreadsheet dropped the leading zero of 01..09
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise ValueError(_("Unknown ubigeo code «%(code)s».") % {"code": value})
        return region

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return (value or "").strip()


KIND_MESSAGE = gettext_lazy("Unknown kind «%(value)s»: use one of %(codes)s.")

SIZE_MESSAGE = gettext_lazy("Unknown size «%(value)s»: use one of %(codes)s, or leave it empty.")

ROLE_MESSAGE = gettext_lazy("Unknown role «%(value)s»: use one of %(codes)s.")


class ActorResource(resources.ModelResource):
    name = fields.Field(attribute="name", column_name="name", widget=TextWidget())
    kind = fields.Field(attribute="kind", column_name="kind", widget=ChoiceWidget(Actor.Kind.choices, KIND_MESSAGE))
    ruc = fields.Field(attribute="ruc", column_name="ruc", widget=RucWidget())
    size = fields.Field(
        attribute="size",
        column_name="size",
        widget=ChoiceWidget(Actor.Size.choices, SIZE_MESSAGE, aliases=SIZE_ALIASES),
    )
    region = fields.Field(attribute="region", column_name="region", widget=RegionWidget())
    region_name = fields.Field(column_name="region_name", readonly=True)
    address = fields.Field(attribute="address", column_name="address", widget=TextWidget())
    website = fields.Field(attribute="website", column_name="website", widget=TextWidget())
    contact_name = fields.Field(attribute="contact_name", column_name="contact_name", widget=TextWidget())
    contact_position = fields.Field(attribute="contact_position", column_name="contact_position", widget=TextWidget())
    email = fields.Field(attribute="email", column_name="email", widget=TextWidget())
    phone = fields.Field(attribute="phone", column_name="phone", widget=TextWidget())
    notes = fields.Field(attribute="notes", column_name="notes", widget=TextWidget())
    cluster = fields.Field(column_name="cluster", readonly=True)
    role = fields.Field(column_name="role", readonly=True)
    clusters = fields.Field(column_name="clusters", readonly=True)

    class Meta:
        model = Actor
        fields = (*COLUMNS[:5], "region_name", *COLUMNS[5:], "clusters")
        export_order = fields
        import_id_fields = ()
        chunk_size = 1000
        clean_model_instances = True
        skip_diff = True
        use_transactions = True

    def __init__(self, *, user=None, export_cluster=None):
        super().__init__()
        self.user = user
        self.export_cluster = export_cluster
        self.lines = []
        self.overlong = {}
        self.seen = {}
        self.clusters = {}
        self.role_widget = ChoiceWidget(Membership.Role.choices, ROLE_MESSAGE)

    # Import ---------------------------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        self.seen = {}
        self.clusters = {}

    def get_instance(self, instance_loader, row):
        """The actor a row is about: the one with its RUC, else the one with exactly its name (and no RUC)."""
        ruc = normalise_ruc(row.get("ruc") or "")
        if ruc:
            actor = Actor.objects.filter(ruc=ruc).first()
            if actor is not None:
                return actor
        name = (row.get("name") or "").strip()
        if not name:
            return None
        candidates = Actor.objects.filter(name=name)
        if ruc:
            candidates = candidates.filter(ruc="")
        return candidates.order_by("pk").first()

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # On an actor already registered, an empty cell keeps what is stored (a sparse file never erases).
        if instance.pk and not (row.get(field.column_name) or "").strip():
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        # A cell cut short as it was read rejects its row, and nothing else is checked (nor echoed) on it.
        overlong = self.overlong.get(kwargs.get("row_number"), {})
        instance._import_overlong = bool(overlong)
        if overlong:
            raise ValidationError(
                {column: ValidationError(cell_too_long(length), code="too_long") for column, length in overlong.items()}
            )
        errors = {}
        for column, value in row.items():
            if isinstance(value, str) and value.startswith("="):
                errors[column] = ValidationError(
                    _("The cell holds a spreadsheet formula; type the value itself."), code="formula"
                )
        try:
            if not errors:
                super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
        if not instance.name:
            errors["name"] = ValidationError(_("The name is missing."), code="required")
        if not instance.kind:
            errors["kind"] = ValidationError(_("The kind is missing."), code="required")
        if instance.ruc:
            owner = Actor.objects.filter(ruc=instance.ruc).exclude(pk=instance.pk).first()
            if owner is not None:
                errors["ruc"] = ValidationError(
                    _("The RUC %(ruc)s is already registered for «%(name)s».") % {"ruc": instance.ruc, "name": owner},
                    code="ruc_taken",
                )
        self._check_duplicate_in_file(instance, row, kwargs.get("row_number"), errors)
        self._read_membership(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # A row with a cell cut short is rejected for that alone: the rest of it was never read into the actor.
        if getattr(instance, "_import_overlong", False):
            raise ValidationError(import_validation_errors)
        # A row already rejected gets the model's reasons too, all at once. A row without reasons is checked by
        # actor_create / actor_update as they write it (do_instance_save): their ValidationError rejects the
        # row just the same, and the actor is not checked twice.
        if import_validation_errors:
            super().validate_instance(instance, import_validation_errors, validate_unique)

    def _check_duplicate_in_file(self, instance, row, row_number, errors):
        ruc = normalise_ruc(row.get("ruc") or "")
        key = ("ruc", ruc) if ruc else ("name", actor_name_key(row.get("name") or ""))
        if not key[1]:
            return
        line = self.lines[row_number - 1] if row_number and self.lines else row_number
        earlier = self.seen.get(key)
        if earlier is not None:
            message = (
                _("Same RUC as row %(line)s of the file.")
                if key[0] == "ruc"
                else _("Same name as row %(line)s of the file (and no RUC to tell them apart).")
            )
            errors["ruc" if key[0] == "ruc" else "name"] = ValidationError(
                message % {"line": earlier}, code="duplicate_in_file"
            )
        else:
            self.seen[key] = line

    def _read_membership(self, instance, row, errors):
        instance._import_membership = None
        reference = (row.get("cluster") or "").strip()
        role_text = (row.get("role") or "").strip()
        if not reference:
            if role_text:
                errors["role"] = ValidationError(_("A role was given without a cluster: fill in the «cluster» column."))
            return
        if reference not in self.clusters:
            self.clusters[reference] = (
                Cluster.objects.filter(slug=reference).first() or Cluster.objects.filter(name=reference).first()
            )
        cluster = self.clusters[reference]
        if cluster is None:
            errors["cluster"] = ValidationError(
                _("Unknown cluster «%(cluster)s»: use the cluster's short name (slug) or its exact name.")
                % {"cluster": reference}
            )
            return
        role = ""
        if role_text:
            try:
                role = self.role_widget.clean(role_text)
            except ValueError as error:
                errors["role"] = ValidationError(str(error))
                return
        instance._import_membership = (cluster, role)

    def do_instance_save(self, instance, is_create):
        """Write the row's actor through the services, as the actor's pages do: an update bumps the version
        (an edit form opened before the import will not overwrite it) and fails if someone saved since the
        row was read."""
        from clusters.services import actor_create, actor_update

        fields = {name: getattr(instance, name) for name in Actor.EDITABLE_FIELDS}
        if is_create:
            instance.pk = actor_create(created_by=self.user, **fields).pk
        else:
            actor_update(actor=instance, expected_version=instance.version, **fields)

    def after_save_instance(self, instance, row, **kwargs):
        from clusters.services import membership_create, membership_update

        if not getattr(instance, "_import_membership", None):
            return
        cluster, role = instance._import_membership
        membership = membership_create(
            cluster=cluster, actor=instance, role=role or DEFAULT_ROLE_FOR_KIND.get(instance.kind, "other")
        )
        if role and membership.role != role:
            membership_update(membership=membership, role=role)

    # Export ---------------------------------------------------------------------------------------------

    def export_field(self, field, instance, **kwargs):
        return safe_cell(super().export_field(field, instance, **kwargs))

    def _export_membership(self, instance):
        if self.export_cluster is None:
            return None
        for membership in getattr(instance, "visible_memberships", ()):
            if membership.cluster_id == self.export_cluster.pk:
                return membership
        return None

    def dehydrate_region_name(self, instance):
        return instance.region.name if instance.region else ""

    def dehydrate_cluster(self, instance):
        return self.export_cluster.slug if self._export_membership(instance) else ""

    def dehydrate_role(self, instance):
        membership = self._export_membership(instance)
        return membership.role if membership else ""

    def dehydrate_clusters(self, instance):
        return "; ".join(membership.cluster.name for membership in getattr(instance, "visible_memberships", ()))


@dataclass(frozen=True)
class ImportRow:
    line: int
    action: str  # "create", "update" or "reject"
    name: str
    ruc: str
    actor_id: int | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ImportReport:
    rows: tuple[ImportRow, ...]
    ignored_columns: tuple[str, ...]
    applied: bool
    errors: tuple[str, ...] = ()  # problems with the file as a whole

    @property
    def created(self):
        return sum(1 for row in self.rows if row.action == "create")

    @property
    def updated(self):
        return sum(1 for row in self.rows if row.action == "update")

    @property
    def rejected(self):
        return sum(1 for row in self.rows if row.action == "reject")

    @property
    def can_apply(self):
        return bool(self.rows) and not self.rejected and not self.errors


def _reasons(row_result):
    from import_export.results import RowResult

    reasons = []
    if row_result.validation_error is not None:
        error = row_result.validation_error
        if hasattr(error, "error_dict"):
            for column, messages in error.message_dict.items():
                for message in messages:
                    reasons.append(message if column == "__all__" else f"{column}: {message}")
        else:
            reasons.extend(error.messages)
    for error in row_result.errors:
        reasons.append(_("Could not be saved: %(error)s") % {"error": error.error})
    if not reasons and row_result.import_type in (RowResult.IMPORT_TYPE_ERROR, RowResult.IMPORT_TYPE_INVALID):
        reasons.append(_("Rejected."))
    return tuple(reasons)


def report_from_result(table, result, *, applied):
    from import_export.results import RowResult

    rows = []
    for index, (row_result, data) in enumerate(zip(result.rows, table.dataset.dict, strict=False)):
        reasons = _reasons(row_result)
        if reasons or row_result.import_type in (RowResult.IMPORT_TYPE_ERROR, RowResult.IMPORT_TYPE_INVALID):
            action = "reject"
        elif row_result.import_type == RowResult.IMPORT_TYPE_UPDATE:
            action = "update"
        else:
            action = "create"
        rows.append(
            ImportRow(
                line=table.lines[index],
                action=action,
                name=preview_text(data.get("name", "")),
                ruc=preview_text(data.get("ruc", "")),
                actor_id=row_result.object_id if action == "update" else None,
                reasons=reasons,
            )
        )
    return ImportReport(
        rows=tuple(rows),
        ignored_columns=tuple(table.ignored_columns),
        applied=applied,
        errors=tuple(str(error.error) for error in result.base_errors),
    )


def template_dataset():
    """The file format with one example row: what the "download a template" link gives."""
    dataset = tablib.Dataset(headers=list(COLUMNS))
    dataset.append(
        [
            "Textiles Altiplano S.A.C.",
            "firm",
            "20512333797",
            "medium",
            "210101",
            "Jr. Lima 123, Puno",
            "https://example.org",
            "Rosa Quispe",
            "Gerente general",
            "contacto@example.org",
            "951 000 000",
            "",
            "",
            "",
        ]
    )
    return dataset
