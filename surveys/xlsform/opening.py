"""Guarding and opening the file before pyxform reads it: size, zip bombs, row counts, formula cells."""

import io
import zipfile
from dataclasses import dataclass, field

import openpyxl
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from surveys.xlsform.spec import (
    DIMENSION,
    EMPTY_RUN,
    MAX_CHOICE_ROWS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_SURVEY_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_ZIP_MEMBERS,
    XLS_MAGIC,
    Problem,
    XLSFormError,
    _file_problem,
)


@dataclass
class _Workbook:
    data: object  # pyxform's DefinitionData
    kind: str  # "xlsx" or "xls"
    # (sheet, row, header) of cells that hold a formula: pyxform reads their last computed value.
    formulas: set = field(default_factory=set)


def _check_xlsx_archive(data: bytes):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise _file_problem(_("This file is not an Excel spreadsheet (.xlsx or .xls).")) from None
    declared = sum(member.file_size for member in members)
    if len(members) > MAX_ZIP_MEMBERS or declared > MAX_UNCOMPRESSED_BYTES:
        raise _file_problem(
            _("The spreadsheet would take more than %(limit)d MB once uncompressed: it is not an XLSForm."),
            limit=MAX_UNCOMPRESSED_BYTES // 2**20,
        )
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise _file_problem(_("This file is not an Excel spreadsheet (.xlsx or .xls)."))


def _limit_for(sheet_name: str) -> int:
    return MAX_SURVEY_ROWS if sheet_name == "survey" else MAX_CHOICE_ROWS


def _scan_xlsx(data: bytes, problems: list[Problem], headers_by_sheet: dict) -> tuple[set, bool]:
    """Count each sheet's rows (stopping past the limit) and find formula cells, without reading values;
    (the formula cells, whether a sheet holds cells beyond the size it declares). Each sheet's header row goes
    into ``headers_by_sheet``."""
    formulas = set()
    stale = False
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl fails in many ways on a damaged file; all mean the same to the user
        raise _file_problem(_("The spreadsheet is damaged and cannot be read.")) from None
    try:
        for title in workbook.sheetnames:
            name = title.strip().lower()
            sheet = workbook[title]
            declared = (sheet.max_row, sheet.max_column) if sheet.max_row and sheet.max_column else None
            sheet.reset_dimensions()  # the declared size may lie; read what is there
            headers, rows, empty_run = [], 0, 0
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                if declared and not stale:
                    used = [index for index, cell in enumerate(cells, start=1) if cell.value not in (None, "")]
                    stale = bool(used) and (number > declared[0] or used[-1] > declared[1])
                if number == 1:
                    headers = [str(cell.value).strip() if cell.value is not None else "" for cell in cells]
                    headers_by_sheet[name] = headers
                    if len(headers) > MAX_COLUMNS and any(headers[MAX_COLUMNS:]):
                        problems.append(
                            Problem(
                                name, 1, gettext("The sheet has more than %(limit)d columns.") % {"limit": MAX_COLUMNS}
                            )
                        )
                        break
                    continue
                filled = False
                for column, cell in enumerate(cells[: len(headers)]):
                    value = cell.value
                    if value is None or value == "":
                        continue
                    filled = True
                    if getattr(cell, "data_type", None) == "f" and headers[column]:
                        formulas.add((name, number, headers[column]))
                if filled:
                    rows, empty_run = rows + 1, 0
                else:
                    empty_run += 1
                    if empty_run > EMPTY_RUN:
                        break
                if rows > _limit_for(name):
                    problems.append(
                        Problem(
                            name,
                            number,
                            gettext("The sheet has more than %(limit)d rows.") % {"limit": _limit_for(name)},
                        )
                    )
                    break
    except XLSFormError:
        raise
    except Exception:
        raise _file_problem(_("The spreadsheet is damaged and cannot be read.")) from None
    finally:
        workbook.close()
    return formulas, stale


def _without_declared_sizes(data: bytes) -> bytes:
    """The workbook without its sheets' declared sizes (<dimension>), which pyxform's reader obeys: a stale one
    would make it skip the rows and columns beyond it without a word."""
    rewritten = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as copy:
        for member in original.infolist():
            content = original.read(member)
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                content = DIMENSION.sub(b"", content, count=1)
            copy.writestr(member, content)
    return rewritten.getvalue()


def _scan_xls(data: bytes, problems: list[Problem], headers_by_sheet: dict):
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception:
        raise _file_problem(_("The spreadsheet is damaged and cannot be read.")) from None
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            name = sheet.name.strip().lower()
            if sheet.nrows:
                headers_by_sheet[name] = [str(value).strip() for value in sheet.row_values(0)]
            if sheet.ncols > MAX_COLUMNS:
                problems.append(
                    Problem(name, 1, gettext("The sheet has more than %(limit)d columns.") % {"limit": MAX_COLUMNS})
                )
            if sheet.nrows - 1 > _limit_for(name):
                problems.append(
                    Problem(
                        name, None, gettext("The sheet has more than %(limit)d rows.") % {"limit": _limit_for(name)}
                    )
                )
            book.unload_sheet(index)
    except Exception:  # xlrd reads each sheet on demand, and fails in many ways on a damaged one
        raise _file_problem(_("The spreadsheet is damaged and cannot be read.")) from None
    finally:
        book.release_resources()


def _open_workbook(data: bytes) -> _Workbook:
    from pyxform.errors import PyXFormError
    from pyxform.xls2json_backends import get_xlsform

    if not isinstance(data, bytes | bytearray):
        raise _file_problem(_("The upload is not a file."))
    if len(data) > MAX_FILE_BYTES:
        raise _file_problem(_("The file is larger than %(limit)d MB."), limit=MAX_FILE_BYTES // 2**20)
    problems: list[Problem] = []
    headers: dict[str, list[str]] = {}
    if data[:8] == XLS_MAGIC:
        kind, formulas = "xls", set()
        _scan_xls(bytes(data), problems, headers)
    else:
        kind = "xlsx"
        _check_xlsx_archive(bytes(data))
        formulas, stale = _scan_xlsx(bytes(data), problems, headers)
        if stale and not problems:
            data = _without_declared_sizes(bytes(data))
    if problems:
        raise XLSFormError(problems)
    try:
        workbook = get_xlsform(io.BytesIO(bytes(data)), file_type=f".{kind}")
    except PyXFormError as error:  # a sheet pyxform will not read, such as two columns of one name
        raise XLSFormError([_header_problem(str(error), headers)]) from None
    except Exception:  # pyxform's readers fail in many ways on a damaged file
        raise _file_problem(_("The spreadsheet is damaged and cannot be read.")) from None
    return _Workbook(workbook, kind, formulas)


def _header_problem(text: str, headers: dict[str, list[str]]) -> Problem:
    """pyxform's refusal of a sheet's headers ("Duplicate column header: label"), on the header row of the sheet
    that has the header twice (the first sheet otherwise)."""
    repeated = text.rpartition(":")[2].strip()
    sheet = next(
        (name for name, row in headers.items() if [" ".join(h.split()) for h in row].count(repeated) > 1),
        next(iter(headers), ""),
    )
    return Problem(
        sheet, 1 if sheet else None, gettext("ODK's converter rejects the form: %(detail)s") % {"detail": text}
    )
