"""The indicator tracking table as an XLSX workbook, like a performance tracking table.

Rows are indicators; columns: baseline, target, the actual of each period (quarters or years, the latest
approved measurement dated in the period), the latest approved value and the % of target reached
(instruments.progress). Text cells go through safe_cell so that nothing typed by a user runs as a formula.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from clusters.spreadsheets import safe_cell
from instruments.tracking import period_label

NUMBER_FORMAT = "#,##0.####"
DATE_FORMAT = "yyyy-mm-dd"


def tracking_workbook(table, *, by):
    """XLSX bytes of indicator_tracking()'s table."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Indicators")
    fixed = [
        _("Cluster"),
        _("Intervention"),
        _("Instrument"),
        _("Indicator"),
        _("Unit"),
        _("Direction"),
        _("Baseline"),
        _("Baseline date"),
        _("Target"),
        _("Target date"),
    ]
    periods = [period_label(period) for period in table["periods"]]
    header = [*fixed, *periods, _("Latest approved value"), _("% of target")]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table["rows"]:
        indicator = row["indicator"]
        sheet.append(
            [
                safe_cell(row["cluster"]),
                safe_cell(row["intervention"]),
                safe_cell(row["instrument"]),
                safe_cell(indicator.name),
                safe_cell(indicator.unit),
                str(indicator.get_direction_display()),
                indicator.baseline_value,
                indicator.baseline_date,
                indicator.target_value,
                indicator.target_date,
                *row["actuals"],
                row["latest"],
                row["progress"],
            ]
        )
        current = sheet.max_row
        for column in (7, 9, *range(11, 11 + len(periods) + 1)):
            sheet.cell(current, column).number_format = NUMBER_FORMAT
        for column in (8, 10):
            sheet.cell(current, column).number_format = DATE_FORMAT
        sheet.cell(current, len(header)).number_format = "0%"
    widths = [28, 34, 30, 34, 12, 12, 12, 12, 12, 12, *([11] * len(periods)), 14, 12]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "E2"
    notes = workbook.create_sheet(_("About this table"))
    for line in (
        _("Indicator tracking table of Cluster Casebook."),
        _("Columns by quarter.") if by == "quarter" else _("Columns by year."),
        _("Each period shows the latest approved measurement dated in it; empty when there is none."),
        _("Only approved measurements count. % of target = (latest - baseline) / (target - baseline)."),
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
