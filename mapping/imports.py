"""Regional economic data in a spreadsheet: its columns, and the row-by-row check before anything is written.

Reading the file (size, type, zip bombs, header aliases) is the actor import's ``clusters.imports.read_table``
with this module's ``DATA_FORMAT``. ``check_table`` then says per row what is wrong, in Spanish: unknown
ubigeo or CIIU codes, a repeated territory x activity x year, negative or unreadable numbers, a row at
another territorial or CIIU level than the rest of the file. It resolves every code with one query per
kind, however long the file is. ``mapping.services.dataset_import`` writes the rows only if none is
rejected: all or nothing.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import tablib
from django.conf import settings
from django.utils.translation import gettext as _

from clusters.imports import TableFormat, cell_too_long
from clusters.models import Region, Sector
from clusters.numbers import parse_number

HEADER_ALIASES = {
    "territory": {"territory", "territorio", "ubigeo", "codigo ubigeo", "ubigeo code", "region", "region code"},
    "activity": {"activity", "actividad", "ciiu", "codigo ciiu", "ciiu rev 4", "ciiu rev4", "isic", "activity code"},
    "year": {"year", "ano", "periodo"},
    "employment": {"employment", "empleo", "empleados", "trabajadores", "puestos de trabajo", "jobs", "employees"},
    "establishments": {"establishments", "establecimientos", "empresas", "unidades economicas", "firms"},
    "wages": {"wages", "remuneraciones", "salarios", "masa salarial"},
    "sales": {"sales", "ventas"},
    "value_added": {"value added", "valor agregado", "valor agregado bruto", "vab"},
    # Names that the template adds for reading; an import ignores them.
    "territory_name": {"territory name", "nombre del territorio"},
    "activity_name": {"activity name", "nombre de la actividad"},
}
COLUMNS = ("territory", "activity", "year", "employment", "establishments", "wages", "sales", "value_added")
REQUIRED = ("territory", "activity", "year", "employment")
# Rows of the preview: every rejected one (up to this many) and the first accepted ones.
SHOWN_REJECTED = 1000
SHOWN_ACCEPTED = 100


def data_format():
    return TableFormat(
        lookup={alias: column for column, aliases in HEADER_ALIASES.items() for alias in aliases},
        required=REQUIRED,
        export_only=("territory_name", "activity_name"),
        max_rows=settings.MAPPING_MAX_IMPORT_ROWS,
    )


@dataclass(frozen=True)
class DataRow:
    line: int
    territory: str
    activity: str
    year: str
    employment: str
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class DataImportReport:
    rows: tuple[DataRow, ...]  # the rows shown in the preview (see SHOWN_*)
    total: int
    rejected: int
    ignored_columns: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()  # problems with the file as a whole
    territory_level: str = ""
    activity_level: str = ""
    years: tuple[int, ...] = ()
    applied: bool = False
    dataset_id: int | None = None
    # Values kept for writing: (region_id, sector_id, year, employment, establishments, wages, sales, value_added).
    values: tuple = field(default=(), repr=False, compare=False)

    @property
    def accepted(self):
        return self.total - self.rejected

    @property
    def can_apply(self):
        return bool(self.total) and not self.rejected and not self.errors

    @property
    def hidden(self):
        return self.total - len(self.rows)

    @property
    def territory_level_label(self):
        return str(Region.Level(self.territory_level).label) if self.territory_level else ""

    @property
    def activity_level_label(self):
        return str(Sector.Level(self.activity_level).label) if self.activity_level else ""


def _territory_code(text):
    code = (text or "").strip()
    return "0" + code if code.isdigit() and len(code) in (1, 3, 5) else code


def _activity_code(text):
    code = (text or "").strip().upper()
    return "0" + code if code.isdigit() and len(code) == 1 else code


def _whole(value, reasons, label):
    """A count (employment, establishments): a whole number, not negative."""
    try:
        number = parse_number(value)
    except ValueError:
        reasons.append(_("%(column)s: «%(value)s» is not a number.") % {"column": label, "value": value})
        return None
    if number is None:
        return None
    if number < 0:
        reasons.append(_("%(column)s cannot be negative (%(value)s).") % {"column": label, "value": value})
        return None
    if number != number.to_integral_value():
        reasons.append(_("%(column)s must be a whole number (%(value)s).") % {"column": label, "value": value})
        return None
    return int(number)


def _amount(value, reasons, label):
    """Money (wages, sales, value added): a number, not negative."""
    try:
        number = parse_number(value)
    except ValueError:
        reasons.append(_("%(column)s: «%(value)s» is not a number.") % {"column": label, "value": value})
        return None
    if number is not None and number < 0:
        reasons.append(_("%(column)s cannot be negative (%(value)s).") % {"column": label, "value": value})
        return None
    return None if number is None else number.quantize(Decimal("0.01"))


def check_table(table):
    """Every row of an economic data table checked; the values to write when the report can be applied."""
    data: tablib.Dataset = table.dataset
    headers = list(data.headers)
    position = {column: headers.index(column) for column in COLUMNS if column in headers}

    def cell(row, column):
        index = position.get(column)
        return (row[index] or "").strip() if index is not None and index < len(row) else ""

    rows = list(data)
    regions = {
        code: (pk, level)
        for pk, code, level in Region.objects.filter(
            code__in={_territory_code(cell(row, "territory")) for row in rows}
        ).values_list("pk", "code", "level")
    }
    sectors = {
        code: (pk, level)
        for pk, code, level in Sector.objects.filter(
            code__in={_activity_code(cell(row, "activity")) for row in rows}
        ).values_list("pk", "code", "level")
    }
    labels = {
        "employment": _("Employment"),
        "establishments": _("Establishments"),
        "wages": _("Wages"),
        "sales": _("Sales"),
        "value_added": _("Value added"),
    }
    checked = []
    seen = {}
    for index, (line, row) in enumerate(zip(table.lines, rows, strict=True), 1):
        reasons = [f"{column}: {cell_too_long(length)}" for column, length in table.overlong.get(index, {}).items()]
        if any((value or "").startswith("=") for value in row):
            reasons.append(_("A cell holds a spreadsheet formula; type the value itself."))
        territory_text, activity_text = cell(row, "territory"), cell(row, "activity")
        territory = regions.get(_territory_code(territory_text))
        activity = sectors.get(_activity_code(activity_text))
        if not territory_text:
            reasons.append(_("The ubigeo code of the territory is missing."))
        elif territory is None:
            reasons.append(_("Unknown ubigeo code «%(code)s».") % {"code": territory_text})
        if not activity_text:
            reasons.append(_("The CIIU code of the activity is missing."))
        elif activity is None:
            reasons.append(
                _(
                    "Unknown CIIU Rev.4 code «%(code)s»: use a section (A to U), a division (2 digits), "
                    "a group (3) or a class (4)."
                )
                % {"code": activity_text}
            )
        year = None
        year_text = cell(row, "year")
        if not year_text:
            reasons.append(_("The year is missing."))
        elif not year_text.isdigit() or not 1950 <= int(year_text) <= 2100:
            reasons.append(_("«%(value)s» is not a year between 1950 and 2100.") % {"value": year_text})
        else:
            year = int(year_text)
        employment_text = cell(row, "employment")
        employment = _whole(employment_text, reasons, labels["employment"])
        if not employment_text:
            reasons.append(_("The employment figure is missing."))
        establishments = _whole(cell(row, "establishments"), reasons, labels["establishments"])
        amounts = [_amount(cell(row, column), reasons, labels[column]) for column in ("wages", "sales", "value_added")]
        if territory and activity and year:
            key = (territory[0], activity[0], year)
            if key in seen:
                reasons.append(_("Repeats row %(line)s: the same territory, activity and year.") % {"line": seen[key]})
            else:
                seen[key] = line
        checked.append(
            (
                DataRow(line, territory_text, activity_text, year_text, employment_text, tuple(reasons)),
                territory,
                activity,
                (year, employment, establishments, *amounts),
            )
        )

    # One dataset, one level of each: the measures compare like with like.
    territory_level = _mode(territory[1] for _row, territory, _activity, _values in checked if territory)
    activity_level = _mode(activity[1] for _row, _territory, activity, _values in checked if activity)
    final = []
    for row, territory, activity, values in checked:
        reasons = list(row.reasons)
        if territory and territory[1] != territory_level:
            reasons.append(
                _("This code is a %(level)s; the rest of the file is at %(file_level)s level.")
                % {
                    "level": Region.Level(territory[1]).label.lower(),
                    "file_level": Region.Level(territory_level).label.lower(),
                }
            )
        if activity and activity[1] != activity_level:
            reasons.append(
                _(
                    "This CIIU code is a %(level)s; the rest of the file is at %(file_level)s level. "
                    "(Did the spreadsheet drop a leading zero? Save the codes as text, e.g. 0111.)"
                )
                % {
                    "level": Sector.Level(activity[1]).label.lower(),
                    "file_level": Sector.Level(activity_level).label.lower(),
                }
            )
        final.append(
            (
                DataRow(row.line, row.territory, row.activity, row.year, row.employment, tuple(reasons)),
                territory,
                activity,
                values,
            )
        )

    rejected = [item for item in final if item[0].reasons]
    accepted = [item for item in final if not item[0].reasons]
    shown = sorted(
        [item[0] for item in rejected[:SHOWN_REJECTED]] + [item[0] for item in accepted[:SHOWN_ACCEPTED]],
        key=lambda row: row.line,
    )
    errors = []
    if not final:
        errors.append(_("The file has no rows."))
    return DataImportReport(
        rows=tuple(shown),
        total=len(final),
        rejected=len(rejected),
        ignored_columns=tuple(table.ignored_columns),
        errors=tuple(errors),
        territory_level=territory_level or "",
        activity_level=activity_level or "",
        years=tuple(sorted({values[0] for _row, _t, _a, values in accepted})),
        values=tuple((territory[0], activity[0], *values) for _row, territory, activity, values in accepted)
        if not rejected
        else (),
    )


def _mode(levels):
    counted = Counter(levels)
    return counted.most_common(1)[0][0] if counted else None


def template_dataset():
    """The file format with example rows: what the "download a template" link gives."""
    dataset = tablib.Dataset(
        headers=["ubigeo", "ciiu", "año", "empleo", "establecimientos", "remuneraciones", "ventas", "valor_agregado"]
    )
    dataset.append(["21", "13", "2019", "5120", "340", "61440000", "250000000", ""])
    dataset.append(["21", "13", "2023", "5890", "365", "75400000", "301000000", ""])
    dataset.append(["21", "14", "2023", "2310", "410", "", "", ""])
    return dataset
