"""Spreadsheets (CSV, XLSX) read into tables of text, safely.

``read_table`` refuses what is not a spreadsheet, too big, or a zip bomb, before any row is looked at, and
turns every cell into plain text under canonical column names (a ``TableFormat`` says which). The actor
import (``clusters.imports.actors``) and the economic data of ``mapping/`` both read their files here.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

import tablib
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from clusters.models import fold_text

MAX_ROWS = 5000

MAX_COLUMNS = 40

# No actor's cell needs more (names and addresses take 255, notes a few paragraphs). A longer cell is cut to
# this length as it is read, and its row rejected saying so: a 55 MB cell once came back whole in the preview.
MAX_CELL_CHARS = 5000

# How much of a rejected or ignored text the preview shows.
PREVIEW_CHARS = 80

# A 5 MB XLSX can hide gigabytes of XML: refuse files that expand beyond this.
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024


class ImportFileError(Exception):
    """The file cannot be read as a table of actors; ``message`` says why, for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class TableFormat:
    """What a file must look like: folded header aliases to column names, the required columns, how many
    rows at most, and columns that an export adds for reading (an import ignores them)."""

    lookup: dict
    required: tuple
    export_only: tuple = ()
    max_rows: int = MAX_ROWS


@dataclass
class Table:
    """A file read into rows of text under canonical column names."""

    dataset: tablib.Dataset
    lines: list[int]  # the spreadsheet line of each row (the header is line 1)
    ignored_columns: list[str] = field(default_factory=list)
    # Cells longer than MAX_CELL_CHARS, cut as they were read: {row index (from 1): {column: full length}}.
    overlong: dict[int, dict[str, int]] = field(default_factory=dict)


def cell_too_long(length):
    """Why a row with a cell over MAX_CELL_CHARS is rejected (the column is named by the caller)."""
    return _("The cell has %(length)s characters; at most %(limit)s are allowed.") % {
        "length": number_format(length, force_grouping=True),
        "limit": number_format(MAX_CELL_CHARS, force_grouping=True),
    }


def preview_text(text, limit=PREVIEW_CHARS):
    """A cell as the preview shows it: cut short with an ellipsis when it is long."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(value):
    """A cell as text: numbers without a spurious .0 (RUCs, ubigeo codes), dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _csv_rows(data, max_rows=MAX_ROWS):
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("This file is not a CSV text file. Save the sheet as CSV (UTF-8) or XLSX."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    # The csv module refuses fields over 128 KB for the whole file; the file's size is already bounded, and a
    # long cell is refused on its own row (MAX_CELL_CHARS), so no field limit below the file's size applies.
    csv.field_size_limit(max(csv.field_size_limit(), len(data)))
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        rows = []
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            if len(rows) > max_rows + 1:
                break
        return rows
    except csv.Error as error:
        raise ImportFileError(_("The CSV file could not be read: %(error)s.") % {"error": error}) from None


def _xlsx_rows(data, max_rows=MAX_ROWS):
    import openpyxl

    not_xlsx = _("This file is not an XLSX workbook. Save the sheet as XLSX (Excel 2007 or later) or CSV.")
    if not data.startswith(b"PK\x03\x04"):
        raise ImportFileError(not_xlsx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(not_xlsx) from None
    if expanded > MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(
            _("The workbook expands to %(size)s, more than the %(limit)s allowed. Split it into smaller files.")
            % {"size": filesizeformat(expanded), "limit": filesizeformat(MAX_UNCOMPRESSED_BYTES)}
        )
    try:
        # data_only=False: a formula cell reads as its formula ("=..."), which the rows then refuse.
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            sheet = workbook.worksheets[0]
            rows = [list(row) for row in sheet.iter_rows(max_row=max_rows + 2, max_col=MAX_COLUMNS, values_only=True)]
        finally:
            workbook.close()
    except Exception:
        raise ImportFileError(not_xlsx) from None
    return rows


def read_table(uploaded_file, *, max_bytes, table_format):
    """Read an uploaded CSV or XLSX file into a Table, or raise ImportFileError with a message for the user.

    ``table_format`` says which columns the file has (``clusters.imports.actors.ACTOR_FORMAT``; mapping/
    reads economic data).
    """
    name = (getattr(uploaded_file, "name", "") or "").lower()
    size = getattr(uploaded_file, "size", None)
    limit_message = _("The file is larger than %(limit)s. Split it into smaller files.") % {
        "limit": filesizeformat(max_bytes)
    }
    if size is not None and size > max_bytes:
        raise ImportFileError(limit_message)
    data = uploaded_file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImportFileError(limit_message)
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if name.endswith(".csv") or name.endswith(".txt"):
        rows = _csv_rows(data, table_format.max_rows)
    elif name.endswith(".xlsx"):
        rows = _xlsx_rows(data, table_format.max_rows)
    else:
        raise ImportFileError(_("Upload a CSV or an XLSX file (a name ending in .csv or .xlsx)."))
    return _table(rows, table_format)


def _table(rows, table_format):
    texts = [[_text(value) for value in row[:MAX_COLUMNS]] for row in rows]
    numbered = [(line, row) for line, row in enumerate(texts, 1) if any(row)]
    if not numbered:
        raise ImportFileError(_("The file has no rows."))
    (_header_line, header), body = numbered[0], numbered[1:]
    if len(body) > table_format.max_rows:
        raise ImportFileError(
            _("The file has more than %(limit)s rows. Split it into smaller files.") % {"limit": table_format.max_rows}
        )
    columns, ignored = [], []
    for position, title in enumerate(header):
        column = table_format.lookup.get(fold_text(title))
        if column is None or column in table_format.export_only:
            if title:
                ignored.append(preview_text(title))
            column = f"__ignored_{position}"
        elif column in columns:
            raise ImportFileError(_("The column «%(column)s» appears twice.") % {"column": title})
        columns.append(column)
    missing = [column for column in table_format.required if column not in columns]
    if missing:
        raise ImportFileError(
            _("The first row must name the columns; these are missing: %(columns)s. See the file format below.")
            % {"columns": ", ".join(missing)}
        )
    kept = [position for position, column in enumerate(columns) if not column.startswith("__ignored_")]
    dataset = tablib.Dataset(headers=[columns[position] for position in kept])
    overlong = {}
    for index, (_line, row) in enumerate(body, 1):
        padded = row + [""] * (len(columns) - len(row))
        cells = [padded[position] for position in kept]
        for column, cell in zip(dataset.headers, cells, strict=True):
            if len(cell) > MAX_CELL_CHARS:
                overlong.setdefault(index, {})[column] = len(cell)
        dataset.append([cell[:MAX_CELL_CHARS] for cell in cells])
    return Table(dataset=dataset, lines=[line for line, _row in body], ignored_columns=ignored, overlong=overlong)
