"""XLSForm (ODK / KoBoToolbox / SurveyCTO spreadsheets) in and out, over plain dataclasses.

Reading: pyxform, ODK's reference converter, is the one reader of the workbook (``.xlsx`` and ``.xls``,
every header spelling and alias it knows). We guard the file first (size, zip bombs, row counts,
formula cells without a value), let pyxform turn it into its survey structure, and map that structure
onto a ``FormSpec``: groups and repeats at any depth, every question type of XLSForm's core, texts in
every language, every bind. What the site does not interpret but ODK may use (``body::…``,
``bind::…``, ``media::…``, a column of the team's own) is kept in ``extra`` and written back on export,
so an import never drops anything silently; what cannot be kept is refused with the sheet, the row
and the reason, in the user's language. ``read_xlsform`` is all-or-nothing: a ``FormSpec`` or an
``XLSFormError`` listing every problem.

Writing: ``write_xlsform`` writes the spec as an .xlsx that pyxform converts and that ``read_xlsform``
reads back equal (the round trip is tested on every form of the test corpus and on the demo).

Site-specific types travel in the XForm instance's ``casebook`` namespace, which pyxform passes on::

    integer + instance::casebook:type=scale                     scale 1 to 5
    select_one L + instance::casebook:type=yes_no               yes/no (L holds exactly yes and no)
    select_multiple_from_file actors.csv + casebook:type=actor_relationship, casebook:relationship=KIND
                                                                the actors the respondent is tied to
    text + appearance multiline                                 long text
"""

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

import openpyxl
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from surveys import formlogic
from surveys.languages import DEFAULT
from surveys.models import RESERVED_PREFIX, Question

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 500
MAX_SURVEY_ROWS = 5000
MAX_CHOICE_ROWS = 50000
MAX_COLUMNS = 500
# Groups and repeats inside each other: far more than any questionnaire needs, far less than would exhaust
# the recursion of the readers (pyxform's and ours).
MAX_NESTING = 30
# pyxform stops reading a sheet after 60 empty rows; so do we when counting.
EMPTY_RUN = 60

TYPE_MARKER = "casebook:type"
RELATIONSHIP_MARKER = "casebook:relationship"
NAMESPACES = 'casebook="urn:cluster-casebook:xlsform"'
ACTORS_FILE = "actors.csv"
SCALE_MIN, SCALE_MAX = Decimal(1), Decimal(5)
YES_NO_CHOICES = (("yes", "Sí", "Yes"), ("no", "No", "No"))

DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*/>")
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PYXFORM_ROW = re.compile(r"\[row : (\d+)\]")
PYXFORM_SHEET = re.compile(r"(?:sheet: '|On the ')(survey|choices|settings|external_choices|entities)'", re.I)
BOUND = re.compile(r"\.\s*(>=|<=)\s*(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))")
# pyxform writes these XPath references in the questions it adds (or_other's "specify other").
RELATIVE_REFERENCE = re.compile(r"\.\./([A-Za-z_][A-Za-z0-9_.\-]*)")
TRUE_WORDS = frozenset({"yes", "true", "true()", "1"})
FALSE_WORDS = frozenset({"", "no", "false", "false()", "0"})
# Text columns that may carry a language (label::Español (es)); people also write one colon.
LANGUAGE_COLUMNS = (
    "label", "hint", "guidance_hint", "constraint_message", "required_message", "media", "image", "audio",
    "video", "big-image", "bind", "body", "instance", "jr:constraintMsg", "jr:requiredMsg",
)  # fmt: skip
T = Question.Type


# --- The spec ---------------------------------------------------------------------------------------


@dataclass
class ChoiceSpec:
    value: str
    labels: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


@dataclass
class SectionSpec:
    code: str
    kind: str = "group"  # group or repeat
    labels: dict = field(default_factory=dict)
    relevant: str = ""
    appearance: str = ""
    repeat_count: str = ""
    extra: dict = field(default_factory=dict)
    parent: str | None = None


@dataclass
class QuestionSpec:
    code: str
    type: str
    labels: dict = field(default_factory=dict)
    hints: dict = field(default_factory=dict)
    required: bool = False
    required_if: str = ""
    required_messages: dict = field(default_factory=dict)
    relevant: str = ""
    constraint: str = ""
    constraint_messages: dict = field(default_factory=dict)
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    calculation: str = ""
    default: str = ""
    read_only: bool = False
    trigger: str = ""
    choice_filter: str = ""
    appearance: str = ""
    parameters: dict = field(default_factory=dict)
    list_name: str = ""
    relationship_kind: str = ""
    extra: dict = field(default_factory=dict)
    section_code: str | None = None
    choices: list[ChoiceSpec] = field(default_factory=list)


@dataclass
class FormSpec:
    title: str = ""
    form_id: str = ""
    version: str = ""
    languages: list[str] = field(default_factory=list)
    default_language: str = ""
    settings: dict = field(default_factory=dict)
    # Groups, repeats and questions in the order of the form; each names its enclosing group.
    items: list[SectionSpec | QuestionSpec] = field(default_factory=list)
    # Files the form reads (select_one_from_file lists, media in labels): their names.
    files: list[str] = field(default_factory=list)

    @property
    def sections(self):
        return [item for item in self.items if isinstance(item, SectionSpec)]

    @property
    def questions(self):
        return [item for item in self.items if isinstance(item, QuestionSpec)]


@dataclass(frozen=True)
class Problem:
    sheet: str  # "survey", "choices", "settings", or "" for the file as a whole
    row: int | None  # the spreadsheet row number, as Excel shows it
    message: str


class XLSFormError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(f"{p.sheet or 'file'} row {p.row or '-'}: {p.message}" for p in problems))


def _file_problem(message, **params) -> XLSFormError:
    return XLSFormError([Problem("", None, str(message) % params)])


# --- Guarding and opening the file ------------------------------------------------------------------


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


def _scan_xlsx(data: bytes, problems: list[Problem]) -> tuple[set, bool]:
    """Count each sheet's rows (stopping past the limit) and find formula cells, without reading values;
    (the formula cells, whether a sheet holds cells beyond the size it declares)."""
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


def _scan_xls(data: bytes, problems: list[Problem]):
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception:
        raise _file_problem(_("The spreadsheet is damaged and cannot be read.")) from None
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            name = sheet.name.strip().lower()
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
    from pyxform.xls2json_backends import get_xlsform

    if not isinstance(data, bytes | bytearray):
        raise _file_problem(_("The upload is not a file."))
    if len(data) > MAX_FILE_BYTES:
        raise _file_problem(_("The file is larger than %(limit)d MB."), limit=MAX_FILE_BYTES // 2**20)
    problems: list[Problem] = []
    if data[:8] == XLS_MAGIC:
        kind, formulas = "xls", set()
        _scan_xls(bytes(data), problems)
    else:
        kind = "xlsx"
        _check_xlsx_archive(bytes(data))
        formulas, stale = _scan_xlsx(bytes(data), problems)
        if stale and not problems:
            data = _without_declared_sizes(bytes(data))
    if problems:
        raise XLSFormError(problems)
    try:
        workbook = get_xlsform(io.BytesIO(bytes(data)), file_type=f".{kind}")
    except Exception:  # pyxform's readers fail in many ways on a damaged file
        raise _file_problem(_("The spreadsheet is damaged and cannot be read.")) from None
    return _Workbook(workbook, kind, formulas)


# --- Headers ----------------------------------------------------------------------------------------


def _double_colon(header: str) -> str:
    """'label:English' -> 'label::English', 'bind:relevant' -> 'bind::relevant' (people write one colon;
    pyxform would ignore such a column, losing the translation or the rule without a word)."""
    if "::" in header or ":" not in header:
        return header
    for prefix in sorted(LANGUAGE_COLUMNS, key=len, reverse=True):
        if header.lower().startswith(prefix.lower() + ":") and len(header) > len(prefix) + 1:
            return header[: len(prefix)] + "::" + header[len(prefix) + 1 :]
    return header


def _declare_casebook_namespace(workbook) -> None:
    """The site's own columns (instance::casebook:type …) need their namespace declared for the XForm to be
    valid XML; a form written by hand often lacks it: it is added, as the export writes it."""
    headers = {key for row in (workbook.survey or []) for key in row}
    if not any(key.startswith("instance::casebook:") for key in headers):
        return
    settings = [dict(row) for row in (workbook.settings or [{}])] or [{}]
    declared = settings[0].get("namespaces", "") or ""
    if "casebook=" not in declared:
        settings[0]["namespaces"] = f"{declared} {NAMESPACES}".strip()
        workbook.settings = settings
        if getattr(workbook, "settings_header", None):
            workbook.settings_header = [{**workbook.settings_header[0], "namespaces": None}]
        else:
            workbook.settings_header = [dict.fromkeys(settings[0])]


def _normalise_headers(workbook) -> None:
    for sheet in ("survey", "choices", "settings"):
        rows = getattr(workbook, sheet, None)
        if not rows:
            continue
        renames = {}
        for row in rows:
            for key in row:
                if key not in renames:
                    renames[key] = _double_colon(key)
        if any(old != new for old, new in renames.items()):
            setattr(workbook, sheet, [{renames[key]: value for key, value in row.items()} for row in rows])
            header = getattr(workbook, f"{sheet}_header", None)
            if header:
                setattr(workbook, f"{sheet}_header", [{_double_colon(key): None for key in header[0]}])


# --- Mapping pyxform's structure ----------------------------------------------------------------------


def _texts(value) -> dict:
    """A label, hint or message as {language: text}: a plain string is in the 'default' language."""
    if value is None or value == "":
        return {}
    if isinstance(value, dict):
        return {str(language): str(text) for language, text in value.items() if text not in (None, "")}
    return {DEFAULT: str(value)}


def is_file_list(list_name: str) -> bool:
    """select_one_from_file names a file (.csv, .xml, .geojson); select_one names a list."""
    return str(list_name).lower().endswith((".csv", ".xml", ".geojson"))


QUOTED = re.compile(r"""('[^']*'|"[^"]*")""")
ABSOLUTE_PATH = re.compile(r"(?<![\w$}])/[A-Za-z_][A-Za-z0-9_.\-]*(?:/[A-Za-z_][A-Za-z0-9_.\-]*)+")


def _references(expression) -> str:
    """XPath paths to questions as XLSForm references: '../q' and '/data/group/q' -> '${q}' (pyxform writes
    such paths in the rules it adds itself, e.g. or_other's "specify other"; names are unique in a form)."""
    text = str(expression or "")
    if "/" not in text:
        return text
    parts = QUOTED.split(text)  # odd indexes are quoted texts, left as they are
    for index in range(0, len(parts), 2):
        part = RELATIVE_REFERENCE.sub(lambda m: "${" + m.group(1) + "}", parts[index])
        parts[index] = ABSOLUTE_PATH.sub(lambda m: "${" + m.group(0).rsplit("/", 1)[1] + "}", part)
    return "".join(parts)


def _trigger_text(value) -> str:
    """pyxform reads the trigger column '${a}, ${b}' into the names ('a', 'b'): back to the column's text."""
    if isinstance(value, list | tuple):
        return ", ".join("${" + str(name) + "}" for name in value)
    return str(value or "")


def _parse_parameters(value) -> dict:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    parameters = {}
    for part in re.split(r"[\s;,]+", str(value or "").strip()):
        if "=" in part:
            key, _sep, item = part.partition("=")
            parameters[key.strip()] = item.strip()
    return parameters


def _parse_bounds(text: str) -> tuple[Decimal | None, Decimal | None] | None:
    """(min, max) from ". >= a and . <= b" (either part alone is fine); None for anything else."""
    bounds: dict[str, Decimal] = {}
    for part in re.split(r"\s+and\s+", text.strip()):
        match = BOUND.fullmatch(part.strip())
        if not match or match.group(1) in bounds:
            return None
        bounds[match.group(1)] = Decimal(match.group(2))
    return bounds.get(">="), bounds.get("<=")


def _fits_database(value: Decimal) -> bool:
    # Question.min_value / max_value: 20 digits, 6 after the point.
    try:
        return abs(value) < Decimal(10) ** 14 and value.normalize().as_tuple().exponent >= -6
    except InvalidOperation:
        return False


def _canonical_type(name: str):
    """(our type, file) for pyxform's type name, or (None, reason) when the site cannot take it."""
    from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

    entry = QUESTION_TYPE_DICT.get(name)
    if entry is None:
        return None, gettext("The question type '%(type)s' is unknown.") % {"type": name}
    tag = entry.get("control", {}).get("tag")
    bind = entry.get("bind", {})
    kind = bind.get("type")
    preload = bind.get("jr:preloadParams", "")
    if name in ("background-audio", "background-geopoint"):
        return None, gettext("Recording in the background ('%(type)s') is not supported.") % {"type": name}
    if name in ("xml-external", "csv-external"):
        return None, gettext(
            "External data files ('%(type)s') are not supported: put the choices in a file of the form instead."
        ) % {"type": name}
    if name == "select one external":
        return None, gettext(
            "'select_one_external' (the external_choices sheet) is not supported: use choices or select_one_from_file."
        )
    if tag == "odk:rank":
        return None, gettext(
            "Ranking questions ('rank') are not supported: use a select_multiple or one question per rank."
        )
    if name == "start-geopoint":
        return T.START_GEOPOINT, None
    if name == "audit":
        return T.AUDIT, None
    if preload:
        base = preload.removeprefix("uri:")
        mapping = {"start": T.START, "end": T.END, "today": T.TODAY, "deviceid": T.DEVICEID, "username": T.USERNAME,
                   "phonenumber": T.PHONENUMBER, "email": T.EMAIL, "subscriberid": T.SUBSCRIBERID,
                   "simserial": T.SIMSERIAL}  # fmt: skip
        if base in mapping:
            return mapping[base], None
    if bind.get("readonly") == "true()" and kind == "string" and tag == "input":
        return T.NOTE, None
    if tag == "upload":
        media = entry["control"].get("mediatype", "")
        for prefix, qtype in (("image", T.IMAGE), ("audio", T.AUDIO), ("video", T.VIDEO), ("application", T.FILE)):
            if media.startswith(prefix):
                return qtype, None
        return None, gettext("The question type '%(type)s' is not supported.") % {"type": name}
    if tag == "trigger":
        return T.ACKNOWLEDGE, None
    if tag == "range":
        return T.RANGE, None
    if tag == "select1":
        return T.SINGLE_CHOICE, None
    if tag == "select":
        return T.MULTIPLE_CHOICE, None
    if tag is None and kind == "string":
        return (T.HIDDEN if name == "hidden" else T.CALCULATE), None
    simple = {"string": T.TEXT, "int": T.INTEGER, "decimal": T.DECIMAL, "date": T.DATE, "time": T.TIME,
              "dateTime": T.DATETIME, "geopoint": T.GEOPOINT, "geotrace": T.GEOTRACE, "geoshape": T.GEOSHAPE,
              "barcode": T.BARCODE}  # fmt: skip
    if tag == "input" and kind in simple:
        return simple[kind], None
    return None, gettext("The question type '%(type)s' is not supported.") % {"type": name}


# Keys of pyxform's element dicts that the spec models; everything else is kept in ``extra``.
# What pyxform derives from other columns (dynamic defaults and triggers become "actions"): never kept.
def _derived_by_pyxform(key: str) -> bool:
    return key.startswith("_") or key == "actions"


def _default_as_pyxform_reads_it(element) -> str:
    """The question's default, an expression exactly when pyxform (and so ODK) takes it for one.

    pyxform calls a default dynamic when it holds an operator (``5 * 2``, ``12 div 4``, even ``2026-A`` on a
    text question) or a function call; the form logic (surveys.formlogic.is_dynamic_default, and its twin in
    the browser) knows an expression by ``${`` or a parenthesis. A default that pyxform computes is put in
    parentheses, which changes neither its value nor pyxform's reading of the exported form."""
    default = str(element.get("default", "") or "")
    if default and element.get("_dynamic_default") and not formlogic.is_dynamic_default(default):
        return f"({default})"
    return default


QUESTION_KEYS = frozenset(
    {"type", "name", "label", "hint", "bind", "control", "instance", "default", "trigger", "choice_filter",
     "parameters", "itemset", "list_name", "choices", "query"}
)  # fmt: skip
MODELLED_BIND = frozenset({"relevant", "constraint", "required", "calculate", "readonly", "jr:constraintMsg",
                           "jr:requiredMsg", "jr:preload", "jr:preloadParams"})  # fmt: skip


def _modelled_parameter_keys(qtype) -> dict:
    """The bind/control keys pyxform derives from a question's parameters (so not kept twice)."""
    derived = {"bind": set(), "control": set()}
    if qtype == T.RANGE:
        derived["control"] |= {"start", "end", "step"}
    if qtype == T.IMAGE:
        derived["bind"] |= {"orx:max-pixels"}
    if qtype in (T.AUDIO,):
        derived["bind"] |= {"odk:quality"}
    if qtype == T.AUDIT:
        derived["bind"] |= {"odk:location-priority", "odk:location-min-interval", "odk:location-max-age",
                            "odk:track-changes", "odk:track-changes-reasons", "odk:identify-user"}  # fmt: skip
    if qtype in Question.LOCATION_TYPES:
        derived["control"] |= {"accuracyThreshold", "unacceptableAccuracyThreshold"}
        derived["bind"] |= {"odk:allow-mock-accuracy"}
    if qtype in (T.TEXT, T.LONG_TEXT):
        derived["control"] |= {"rows"}
    if qtype in Question.CHOICE_TYPES | {T.YES_NO, T.ACTOR_RELATIONSHIP}:
        derived["control"] |= {"randomize", "seed"}
    return derived


# What pyxform puts in its meta group by itself.
PYXFORM_META = frozenset({"instanceID", "instanceName"})


class _Mapper:
    """pyxform's survey structure -> FormSpec; every problem is told with its row."""

    def __init__(self, rows_by_name, problems, formulas, choice_lists=None):
        # Each name's rows, in order; the first one when a problem names another question.
        self.all_rows = rows_by_name
        self.rows = {name: rows[0] for name, rows in rows_by_name.items()}
        self.seen: Counter = Counter()
        # The form's choice lists: pyxform leaves them out of a randomized select's element.
        self.choice_lists = choice_lists or {}
        self.current: tuple[str | None, int | None] = (None, None)
        self.problems = problems
        self.formulas = formulas
        self.items: list = []
        self.languages: list[str] = []
        self.files: list[str] = []
        self.codes: dict[str, int | None] = {}

    def problem(self, name, message, /, **params):
        self.problems.append(Problem("survey", self.row_of(name), str(message) % params))

    def row_of(self, name):
        return self.current[1] if name == self.current[0] else self.rows.get(name)

    def enter(self, name):
        """The element being mapped is the next one named ``name``: its problems are told on its own row."""
        rows = self.all_rows.get(name, [])
        occurrence = self.seen[name]
        self.seen[name] += 1
        self.current = (name, rows[occurrence] if occurrence < len(rows) else self.rows.get(name))

    def note_languages(self, *text_maps):
        for texts in text_maps:
            for language in texts:
                if language not in self.languages:
                    self.languages.append(language)

    def claim(self, name) -> bool:
        if not name:
            return False
        if name.lower().startswith(RESERVED_PREFIX):
            self.problem(name, _("The name '%(name)s' starts with '%(prefix)s', which the site keeps for its own."),
                         name=name, prefix=RESERVED_PREFIX)  # fmt: skip
            return False
        if name in self.codes:
            self.problem(
                name,
                _("The name '%(name)s' is used twice in the form (also in row %(row)s): names must be unique."),
                name=name,
                row=self.codes[name] or "?",
            )
            return False
        self.codes[name] = self.row_of(name)
        return True

    def walk(self, children, parent, depth=0):
        children = list(children or [])
        skip = self.generated_repeat_counts(children)
        for element in children:
            name = element.get("name", "")
            kind = element.get("type", "")
            if name in skip:
                continue
            if kind == "group" and name == "meta" and parent is None and element.get("control", {}).get("bodyless"):
                # pyxform's own group: instanceID (and instanceName), recorded for every interview; pyxform
                # also moves the form's audit into it, which is the form's.
                self.walk(
                    [child for child in element.get("children") or [] if child.get("name") not in PYXFORM_META], None
                )
                continue
            if kind == "entity" and parent is None:  # pyxform's meta/entity, from the entities sheet
                self.problems.append(
                    Problem(
                        "entities",
                        None,
                        str(
                            _(
                                "Entities (the entities sheet) are not supported: "
                                "answers cannot create or update them here."
                            )
                        ),
                    )
                )
                continue
            self.enter(name)
            if kind in ("group", "repeat"):
                self.section(element, parent, skip, depth + 1)
            elif kind == "loop":
                self.problem(name, _("Loops ('begin loop') are not supported: use a repeat."))
            else:
                self.question(element, parent)

    def generated_repeat_counts(self, children):
        """pyxform turns ``repeat_count`` 3 into a calculate 'REPEAT_count' before the repeat; fold it back."""
        generated = {}
        for element in children:
            name = element.get("name", "")
            bind = element.get("bind", {})
            if element.get("type") == "calculate" and name.endswith("_count") and bind.get("readonly") == "true()":
                generated[name] = bind.get("calculate", "")
        folded = {}
        for element in children:
            if element.get("type") == "repeat":
                count = element.get("control", {}).get("jr:count", "")
                wanted = f"{element.get('name')}_count"
                if count == "${" + wanted + "}" and wanted in generated and wanted not in self.rows:
                    folded[wanted] = generated[wanted]
        return folded

    def section(self, element, parent, folded, depth):
        name = element.get("name", "")
        if depth > MAX_NESTING:
            self.problem(name, _("Groups and repeats nest more than %(limit)d levels deep here."), limit=MAX_NESTING)
            return
        labels = _texts(element.get("label"))
        bind = dict(element.get("bind", {}))
        control = dict(element.get("control", {}))
        spec = SectionSpec(
            code=name,
            kind="repeat" if element["type"] == "repeat" else "group",
            labels=labels,
            relevant=_references(bind.pop("relevant", "")),
            appearance=control.pop("appearance", ""),
            parent=parent,
        )
        if spec.kind == "repeat":
            count = control.pop("jr:count", "")
            generated = f"{name}_count"
            spec.repeat_count = folded.get(generated, count) if count == "${" + generated + "}" else _references(count)
        self.note_languages(labels)
        extra = {}
        if bind:
            extra["bind"] = bind
        if control:
            extra["control"] = control
        for key, value in element.items():
            if key not in ("type", "name", "label", "bind", "control", "children") and not _derived_by_pyxform(key):
                extra[key] = _trigger_text(value) if key == "trigger" else value
        if "hint" in extra:
            self.note_languages(_texts(extra["hint"]))
        spec.extra = extra
        if self.claim(name):
            self.items.append(spec)
        self.walk(element.get("children"), name, depth)

    def question(self, element, parent):
        name = element.get("name", "")
        type_name = element.get("type", "")
        instance = dict(element.get("instance", {}))
        marker = instance.pop(TYPE_MARKER, "")
        relationship = instance.pop(RELATIONSHIP_MARKER, "")
        qtype, reason = _canonical_type(type_name)
        if qtype is None:
            self.problem(name, "%(reason)s", reason=reason)
            return
        bind = dict(element.get("bind", {}))
        control = dict(element.get("control", {}))
        itemset = element.get("itemset", "")
        list_name = element.get("list_name", "") or itemset
        from_file = is_file_list(itemset) and qtype in Question.CHOICE_TYPES
        qtype = self.apply_marker(name, qtype, marker, itemset, element)
        if qtype is None:
            return
        if qtype == T.TEXT and "multiline" in control.get("appearance", "").split():
            qtype = T.LONG_TEXT
            # The type says it: the appearance keeps only what else it holds (the export writes it back).
            control["appearance"] = " ".join(word for word in control["appearance"].split() if word != "multiline")
        spec = QuestionSpec(code=name, type=str(qtype), section_code=parent)
        spec.labels = _texts(element.get("label"))
        spec.hints = _texts(element.get("hint"))
        spec.relevant = _references(bind.pop("relevant", ""))
        spec.calculation = _references(bind.pop("calculate", ""))
        spec.constraint_messages = _texts(bind.pop("jr:constraintMsg", None))
        spec.required_messages = _texts(bind.pop("jr:requiredMsg", None))
        self.read_required(spec, _references(bind.pop("required", "")))
        self.read_constraint(spec, _references(bind.pop("constraint", "")))
        self.read_type_rules(spec, type_name, element)
        read_only = str(bind.pop("readonly", "")).strip()
        if qtype == T.NOTE or read_only.lower() in TRUE_WORDS:
            spec.read_only = qtype != T.NOTE
        elif read_only.lower() not in FALSE_WORDS:
            bind["readonly"] = read_only  # a condition: kept for devices, the web form leaves it editable
        for key in ("jr:preload", "jr:preloadParams"):
            value = bind.pop(key, None)
            if value is not None and qtype not in Question.METADATA_TYPES:
                bind[key] = value
        spec.default = _default_as_pyxform_reads_it(element)
        spec.trigger = _trigger_text(element.get("trigger"))
        spec.choice_filter = str(element.get("choice_filter", "") or "")
        spec.appearance = control.pop("appearance", "")
        spec.parameters = _parse_parameters(element.get("parameters"))
        if relationship:
            spec.relationship_kind = relationship
        derived = _modelled_parameter_keys(qtype)
        for key in derived["bind"]:
            bind.pop(key, None)
        for key in derived["control"]:
            control.pop(key, None)
        if qtype in Question.CHOICE_TYPES or qtype in (T.YES_NO, T.ACTOR_RELATIONSHIP):
            spec.list_name = list_name
            if from_file:
                if itemset not in self.files:
                    self.files.append(itemset)
            elif str(list_name).startswith("${"):
                self.problem(
                    name,
                    _(
                        "Choices taken from the answers to '%(reference)s' (select_one ${name}) are not supported: "
                        "write the choices on the choices sheet."
                    ),
                    reference=list_name,
                )
            elif qtype != T.ACTOR_RELATIONSHIP:
                listed = element.get("choices") or self.choice_lists.get(list_name) or []
                spec.choices = [self.choice(choice) for choice in listed]
                if not spec.choices:
                    self.problem(name, _("The choice list '%(list)s' is not on the choices sheet."), list=list_name)
        self.note_media(element.get("media"))
        extra = {}
        if bind:
            extra["bind"] = bind
        if control:
            extra["control"] = control
        if instance:
            extra["instance"] = instance
        for key, value in element.items():
            if key not in QUESTION_KEYS and not _derived_by_pyxform(key):
                extra[key] = value
        spec.extra.update(extra)
        self.note_languages(spec.labels, spec.hints, spec.constraint_messages, spec.required_messages)
        if qtype == T.YES_NO and sorted(c.value for c in spec.choices) != ["no", "yes"]:
            self.problem(
                name,
                _("A yes/no question needs a list with exactly the choices 'yes' and 'no'; '%(list)s' differs."),
                list=list_name,
            )
        if qtype == T.SCALE:
            spec.min_value = spec.max_value = None
        if self.claim(name):
            self.items.append(spec)

    def apply_marker(self, name, qtype, marker, itemset, element):
        if not marker:
            if itemset == ACTORS_FILE and qtype == T.MULTIPLE_CHOICE:
                return qtype
            return qtype
        allowed = {
            T.INTEGER: (T.SCALE,),
            T.SINGLE_CHOICE: (T.YES_NO,),
            T.MULTIPLE_CHOICE: (T.ACTOR_RELATIONSHIP,),
            T.TEXT: (T.LONG_TEXT,),
        }.get(qtype, ())
        if marker not in allowed:
            self.problem(
                name,
                _("casebook:type '%(marker)s' does not fit the type '%(type)s'."),
                marker=marker,
                type=element.get("type", ""),
            )
            return None
        if marker == T.ACTOR_RELATIONSHIP and itemset != ACTORS_FILE:
            self.problem(name, _("An actor relationship question reads its choices from %(file)s."), file=ACTORS_FILE)
            return None
        return Question.Type(marker)

    def note_media(self, media):
        """Files a label shows (media::image …) are files the form needs. A 'media' column without a kind is
        not one: pyxform leaves it out of the XForm (it is kept as a column of the team's)."""
        if not isinstance(media, dict):
            return
        for value in media.values():
            names = value.values() if isinstance(value, dict) else [value]
            if isinstance(value, dict):
                self.note_languages(value)
            for name in names:
                if name and str(name) not in self.files:
                    self.files.append(str(name))

    def read_type_rules(self, spec, type_name, element):
        """Types with a rule of their own ('phone number', 'percentage', uri:deviceid …) keep their name; the
        rule becomes the question's constraint, which the site checks."""
        from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

        entry = QUESTION_TYPE_DICT.get(type_name, {})
        bind = entry.get("bind", {})
        if bind.get("constraint") and not spec.constraint and spec.min_value is None and spec.max_value is None:
            spec.constraint = bind["constraint"]
        if bind.get("constraint") or str(bind.get("jr:preloadParams", "")).startswith("uri:"):
            spec.extra["xlsform_type"] = type_name

    def choice(self, element) -> ChoiceSpec:
        labels = _texts(element.get("label"))
        self.note_languages(labels)
        self.note_media(element.get("media"))
        extra = {key: value for key, value in element.items() if key not in ("name", "label")}
        return ChoiceSpec(value=str(element.get("name", "")), labels=labels, extra=extra)

    def read_required(self, spec, text):
        answer = str(text).strip()
        if answer.lower() in TRUE_WORDS:
            spec.required = True
        elif answer.lower() not in FALSE_WORDS:
            spec.required_if = answer

    def read_constraint(self, spec, text):
        text = str(text or "").strip()
        if not text:
            return
        if spec.type in (T.INTEGER, T.DECIMAL, T.SCALE, T.RANGE):
            bounds = _parse_bounds(text)
            if bounds is not None:
                low, high = bounds
                if spec.type == T.SCALE:
                    if (low, high) != (SCALE_MIN, SCALE_MAX):
                        self.problem(
                            spec.code, _("A scale takes the values 1 to 5: its constraint is '. >= 1 and . <= 5'.")
                        )
                    return
                for bound in (low, high):
                    if bound is not None and not _fits_database(bound):
                        self.problem(
                            spec.code,
                            _("The limit %(value)s is too large or too precise (at most 14 digits, 6 decimals)."),
                            value=bound,
                        )
                        return
                if low is not None and high is not None and low > high:
                    self.problem(spec.code, _("The minimum %(low)s is above the maximum %(high)s."), low=low, high=high)
                    return
                spec.min_value, spec.max_value = low, high
                return
        spec.constraint = text


def _rows_by_name(workbook) -> dict[str, list[int]]:
    """The spreadsheet rows of each name on the survey sheet (pyxform keeps blank rows, so row = index + 2)."""
    rows: dict[str, list[int]] = {}
    for index, row in enumerate(workbook.survey or []):
        name = row.get("name") or row.get("value")
        if name:
            rows.setdefault(str(name), []).append(index + 2)
    return rows


def _settings(workbook, pyxform_data, problems) -> tuple[dict, dict]:
    """(the settings the spec models, the other settings kept as they came)."""
    from pyxform.aliases import settings_header

    raw = dict((workbook.settings or [{}])[0]) if workbook.settings else {}
    kept = {}
    for key, value in raw.items():
        # set_form_title and set_form_id are pyxform's other names for form_title and form_id.
        if settings_header.get(key.lower(), key.lower()) in ("title", "id_string", "version", "default_language"):
            continue
        if value in (None, ""):
            continue
        if key == "namespaces":
            value = " ".join(part for part in str(value).split() if not part.startswith("casebook="))
            if not value:
                continue
        kept[key] = str(value)
    modelled = {
        "title": str(pyxform_data.get("title") or ""),
        "form_id": str(pyxform_data.get("id_string") or ""),
        "version": str(pyxform_data.get("version") or ""),
        "default_language": str(pyxform_data.get("default_language") or DEFAULT),
    }
    return modelled, kept


def _problem_from_pyxform(error) -> Problem:
    """pyxform's message, on the sheet and row it names ("[row : 3] On the 'choices' sheet …"; a problem of the
    headers is on row 1)."""
    text = str(error)
    match = PYXFORM_ROW.search(text)
    message = gettext("ODK's converter rejects the form: %(detail)s") % {"detail": text}
    named = PYXFORM_SHEET.search(text)
    sheet = named.group(1).lower() if named else ("choices" if "choices" in text.lower()[:40] else "survey")
    row = int(match.group(1)) if match else (1 if "Invalid headers" in text else None)
    return Problem(sheet, row, message)


def _formula_problems(workbook: _Workbook) -> list[Problem]:
    """Formula cells without a value (never computed, or computed to nothing) would read as empty."""
    problems = []
    for sheet, number, header in sorted(workbook.formulas):
        rows = getattr(workbook.data, sheet, None) or []
        index = number - 2
        value = rows[index].get(header) if 0 <= index < len(rows) else None
        if value in (None, ""):
            problems.append(
                Problem(
                    sheet,
                    number,
                    gettext("The cell in column '%(column)s' holds a formula without a value: write the value itself.")
                    % {"column": header},
                )
            )
    return problems


def read_xlsform(data: bytes) -> FormSpec:
    """The questionnaire in an XLSForm (.xlsx or .xls); raises XLSFormError listing every problem."""
    from pyxform.builder import create_survey_element_from_dict
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json

    workbook = _open_workbook(data)
    problems = _formula_problems(workbook)
    _normalise_headers(workbook.data)
    _declare_casebook_namespace(workbook.data)
    warnings: list[str] = []
    try:
        pyxform_data = workbook_to_json(workbook_dict=workbook.data, form_name="data", warnings=warnings)
    except PyXFormError as error:
        raise XLSFormError([*problems, _problem_from_pyxform(error)]) from None
    except RecursionError:
        raise _file_problem(_("An expression in the form nests too deeply to be read.")) from None
    except Exception as error:  # pyxform has more ways to fail than PyXFormError on odd sheets
        raise XLSFormError([*problems, _problem_from_pyxform(error)]) from None
    mapper = _Mapper(_rows_by_name(workbook.data), problems, workbook.formulas, pyxform_data.get("choices"))
    mapper.walk(pyxform_data.get("children"), None)
    modelled, kept = _settings(workbook.data, pyxform_data, problems)
    languages = list(mapper.languages)
    default = modelled["default_language"]
    if default in languages:
        languages.remove(default)
    if default in mapper.languages or not languages:
        languages.insert(0, default)
    spec = FormSpec(
        title=modelled["title"],
        form_id=modelled["form_id"],
        version=modelled["version"],
        languages=languages,
        default_language=default if default in languages else languages[0],
        settings=kept,
        items=mapper.items,
        files=mapper.files,
    )
    if not spec.questions and not problems:
        problems.append(Problem("survey", None, gettext("The form has no questions.")))
    _check_expressions(spec, mapper.rows, problems)
    _check_storage(spec, mapper.codes, _choice_rows(workbook.data), problems)
    if problems:
        order = {"": 0, "settings": 1, "survey": 2, "choices": 3}
        unique = list(dict.fromkeys(problems))  # a list shared by several questions is told once
        raise XLSFormError(sorted(unique, key=lambda p: (order.get(p.sheet, 4), p.row or 0)))
    try:
        xform = create_survey_element_from_dict(pyxform_data).to_xml(validate=False, warnings=[])
        ElementTree.fromstring(xform.encode("utf-8"))  # noqa: S314 (pyxform wrote it; checked only to be XML)
    except ElementTree.ParseError as error:
        raise _file_problem(_("The form does not make a valid XForm: %(detail)s"), detail=error) from None
    except RecursionError:
        raise _file_problem(_("An expression in the form nests too deeply to be read.")) from None
    except Exception as error:  # pyxform's own checks, the last word on what ODK accepts
        raise XLSFormError([_problem_from_pyxform(error)]) from None
    return spec


def _check_expressions(spec: FormSpec, rows: dict[str, int], problems: list[Problem]) -> None:
    """Every expression parses in the site's expression language and names questions that exist."""
    from surveys import formcheck

    for name, message in formcheck.expression_problems(spec):
        problems.append(Problem("survey", rows.get(name), message))


def _choice_rows(workbook) -> dict[tuple[str, str], list[int]]:
    """The choices sheet's rows of each (list, choice name), in order (row = index + 2, as on the survey)."""
    rows: dict[tuple[str, str], list[int]] = {}
    for index, row in enumerate(workbook.choices or []):
        list_name = row.get("list_name", row.get("list name"))
        name = row.get("name", row.get("value"))
        if list_name not in (None, "") and name not in (None, ""):
            rows.setdefault((str(list_name), str(name)), []).append(index + 2)
    return rows


def _check_storage(spec: FormSpec, rows: dict, choice_rows: dict, problems: list[Problem]) -> None:
    """What ODK takes but the questionnaire model cannot hold (names outside ASCII, texts past a column's size,
    choices without a label or twice in a list), told by sheet and row instead of failing when it is saved."""
    from surveys.models import Section

    for item in spec.items:
        row = rows.get(item.code)
        if not Question.CODE_PATTERN.fullmatch(item.code):
            problems.append(
                Problem(
                    "survey",
                    row,
                    gettext(
                        "The name '%(name)s' cannot be used here: write it with a-z, A-Z, digits, _, - and ., "
                        "starting with a letter or _, in at most 255 characters."
                    )
                    % {"name": item.code[:300]},
                )
            )
        model = Section if isinstance(item, SectionSpec) else Question
        for column in ("appearance", "default", "trigger", "list_name", "repeat_count"):
            value = getattr(item, column, None)
            if not value:
                continue
            limit = model._meta.get_field(column).max_length
            if limit and len(value) > limit:
                problems.append(
                    Problem(
                        "survey",
                        row,
                        gettext("The column '%(column)s' holds %(length)d characters: at most %(limit)d.")
                        % {"column": column, "length": len(value), "limit": limit},
                    )
                )
        if isinstance(item, QuestionSpec) and item.choices:
            _check_choices(item, choice_rows, problems)


def _check_choices(question: QuestionSpec, choice_rows: dict, problems: list[Problem]) -> None:
    seen: Counter = Counter()
    for choice in question.choices:
        found = choice_rows.get((question.list_name, choice.value), [])
        row = found[seen[choice.value]] if seen[choice.value] < len(found) else None
        seen[choice.value] += 1
        if seen[choice.value] == 2:
            message = gettext("The option value '%(value)s' appears twice.")
        elif len(choice.value) > 255:
            message = gettext("Option values are one word of at most 255 characters: '%(value)s'.")
        elif not choice.labels and question.type != T.YES_NO:
            message = gettext("Option %(value)s needs a label.")
        else:
            continue
        problems.append(Problem("choices", row, message % {"value": choice.value}))


# --- Writing ----------------------------------------------------------------------------------------


def _language_column(base: str, language: str) -> str:
    return base if language == DEFAULT else f"{base}::{language}"


def _xlsform_type(question: QuestionSpec, list_name: str) -> str:
    qtype = question.type
    if qtype in (T.SINGLE_CHOICE, T.YES_NO):
        return f"select_one_from_file {list_name}" if is_file_list(list_name) else f"select_one {list_name}"
    if qtype == T.ACTOR_RELATIONSHIP:
        return f"select_multiple_from_file {ACTORS_FILE}"
    if qtype == T.MULTIPLE_CHOICE:
        return f"select_multiple_from_file {list_name}" if is_file_list(list_name) else f"select_multiple {list_name}"
    if question.extra.get("xlsform_type"):
        return question.extra["xlsform_type"]
    return {
        T.LONG_TEXT: "text",
        T.SCALE: "integer",
    }.get(qtype, qtype)


def _parameters_text(parameters: dict) -> str:
    return " ".join(f"{key}={value}" for key, value in parameters.items())


def _number_text(value: Decimal) -> str:
    return format(value, "f")


def _constraint_text(question: QuestionSpec) -> str:
    if question.type == T.SCALE:
        return question.constraint or f". >= {SCALE_MIN} and . <= {SCALE_MAX}"
    parts = []
    if question.min_value is not None:
        parts.append(f". >= {_number_text(question.min_value)}")
    if question.max_value is not None:
        parts.append(f". <= {_number_text(question.max_value)}")
    if parts:
        return " and ".join(parts)
    return question.constraint


def _extra_columns(extra: dict) -> dict[str, str]:
    """extra -> {column: value}: bind::, body::, instance:: and media:: keys, and the team's own columns."""
    columns = {}
    for key, value in extra.items():
        if key in ("bind", "control", "instance") and isinstance(value, dict):
            prefix = {"bind": "bind", "control": "body", "instance": "instance"}[key]
            for name, item in value.items():
                # A read-only condition goes in the read_only column: pyxform refuses that column beside
                # bind::readonly (two names for one column), and other rows may need read_only.
                column = "read_only" if (prefix, name) == ("bind", "readonly") else f"{prefix}::{name}"
                if isinstance(item, dict):  # a text in each language (jr:noAppErrorString::English …)
                    for language, text in item.items():
                        columns[_language_column(column, language)] = text
                else:
                    columns[column] = item
        elif key == "media" and isinstance(value, dict):
            for kind, item in value.items():
                if isinstance(item, dict):
                    for language, text in item.items():
                        columns[_language_column(f"media::{kind}", language)] = text
                else:
                    columns[f"media::{kind}"] = item
        elif key in ("guidance_hint",):
            for language, text in _texts(value).items():
                columns[_language_column(key, language)] = text
        elif key == "hint":
            for language, text in _texts(value).items():
                columns[_language_column("hint", language)] = text
        elif key == "xlsform_type":
            continue
        elif isinstance(value, dict):
            for language, text in value.items():
                columns[_language_column(key, language)] = text
        else:
            columns[key] = value
    return columns


class _Sheet:
    """Rows as {column: value}, columns in order of first use."""

    def __init__(self, first_columns):
        self.columns = list(first_columns)
        self.rows: list[dict] = []

    def add(self, row: dict):
        for column, value in row.items():
            if value in (None, "") or (isinstance(value, bool) and not value):
                continue
            if column not in self.columns:
                self.columns.append(column)
        self.rows.append(row)

    def write(self, worksheet):
        _append(worksheet, self.columns)
        for row in self.rows:
            _append(worksheet, [_cell(row.get(column)) for column in self.columns])


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    return str(value)


def _choice_lists(spec: FormSpec) -> dict[int, str]:
    """A list name for each choice question: its own unless two questions share a name with other choices."""
    names: dict[int, str] = {}
    lists: dict[str, list] = {}
    for index, question in enumerate(spec.questions):
        if question.type not in (T.SINGLE_CHOICE, T.MULTIPLE_CHOICE, T.YES_NO):
            continue
        if is_file_list(question.list_name):
            names[index] = question.list_name
            continue
        choices = question.choices
        wanted = question.list_name or ("yes_no" if question.type == T.YES_NO else question.code)
        name, n = wanted, 0
        while name in lists and lists[name] != choices:
            n += 1
            name = f"{wanted}_{n}"
        lists.setdefault(name, choices)
        names[index] = name
    return names


def write_xlsform(spec: FormSpec) -> bytes:
    """The questionnaire as an XLSForm .xlsx, in every language it has, ready for pyxform / KoBo / ODK."""
    languages = spec.languages or [DEFAULT]
    survey = _Sheet(["type", "name", *(_language_column("label", lang) for lang in languages)])
    choices = _Sheet(["list_name", "name", *(_language_column("label", lang) for lang in languages)])
    questions = spec.questions
    list_names = _choice_lists(spec)
    position = {id(q): i for i, q in enumerate(questions)}
    written_lists = set()
    open_sections: list[SectionSpec] = []

    def close_until(parent):
        while open_sections and open_sections[-1].code != parent:
            closing = open_sections.pop()
            survey.add({"type": f"end {closing.kind}"})

    for item in spec.items:
        parent = item.parent if isinstance(item, SectionSpec) else item.section_code
        close_until(parent)
        if isinstance(item, SectionSpec):
            row = {"type": f"begin {item.kind}", "name": item.code}
            for lang, text in item.labels.items():
                row[_language_column("label", lang)] = text
            row["relevant"] = item.relevant
            row["appearance"] = item.appearance
            row["repeat_count"] = item.repeat_count
            row.update(_extra_columns(item.extra))
            survey.add(row)
            open_sections.append(item)
            continue
        question = item
        list_name = list_names.get(position[id(question)], question.list_name)
        row = {"type": _xlsform_type(question, list_name), "name": question.code}
        for lang, text in question.labels.items():
            row[_language_column("label", lang)] = text
        for lang, text in question.hints.items():
            row[_language_column("hint", lang)] = text
        row["required"] = "yes" if question.required else question.required_if
        for lang, text in question.required_messages.items():
            row[_language_column("required_message", lang)] = text
        row["relevant"] = question.relevant
        row["constraint"] = _constraint_text(question)
        for lang, text in question.constraint_messages.items():
            row[_language_column("constraint_message", lang)] = text
        row["calculation"] = question.calculation
        row["default"] = question.default
        row["read_only"] = "yes" if question.read_only else ""
        row["trigger"] = question.trigger
        row["choice_filter"] = question.choice_filter
        appearance = question.appearance
        if question.type == T.LONG_TEXT and "multiline" not in appearance.split():
            appearance = f"{appearance} multiline".strip()
        row["appearance"] = appearance
        row["parameters"] = _parameters_text(question.parameters)
        if question.type in (T.SCALE, T.YES_NO, T.ACTOR_RELATIONSHIP):
            row[f"instance::{TYPE_MARKER}"] = question.type
        if question.type == T.ACTOR_RELATIONSHIP:
            row[f"instance::{RELATIONSHIP_MARKER}"] = question.relationship_kind
        row.update(_extra_columns(question.extra))
        survey.add(row)
        if question.type in (T.SINGLE_CHOICE, T.MULTIPLE_CHOICE, T.YES_NO) and not is_file_list(list_name):
            if list_name in written_lists:
                continue
            written_lists.add(list_name)
            for choice in question.choices:
                choice_row = {"list_name": list_name, "name": choice.value}
                for lang, text in choice.labels.items():
                    choice_row[_language_column("label", lang)] = text
                choice_row.update(_extra_columns(choice.extra))
                choices.add(choice_row)
    close_until(None)

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    survey.write(sheet)
    if choices.rows:
        choices.write(workbook.create_sheet("choices"))
    settings = {
        "form_title": spec.title,
        "form_id": spec.form_id,
        "version": spec.version,
        "default_language": spec.default_language if spec.default_language != DEFAULT else "",
        **spec.settings,
    }
    namespaces = " ".join(part for part in (settings.get("namespaces", ""), NAMESPACES) if part)
    settings["namespaces"] = namespaces
    settings_sheet = workbook.create_sheet("settings")
    columns = [key for key, value in settings.items() if value not in (None, "")]
    _append(settings_sheet, columns)
    _append(settings_sheet, [settings[column] for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append(worksheet, values: list):
    cells = []
    for value in values:
        text = ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
        cells.append(text if text != "" else None)
    worksheet.append(cells)
    for cell in worksheet[worksheet.max_row]:
        # Text such as "=1+1" stays text: never a formula when the file is opened in a spreadsheet.
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"
