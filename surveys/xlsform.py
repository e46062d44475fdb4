"""XLSForm (ODK / KoBoToolbox spreadsheet) import and export of questionnaires, over plain dataclasses.

``read_xlsform`` is all-or-nothing: it returns a ``FormSpec`` or raises ``XLSFormError`` listing every
problem with its sheet and spreadsheet row. A form that passes our checks is then converted with
pyxform (ODK's reference converter), so what we accept ODK accepts too. ``write_xlsform`` writes a
form that pyxform converts and that ``read_xlsform`` reads back equal.

Mapping (survey sheet ``type`` column, plus our marker column ``instance::casebook:type``, which
pyxform turns into an attribute in the ``casebook`` namespace of the XForm instance)::

    text                                  text (appearance multiline: long_text)
    integer / decimal                     integer / decimal; constraint ". >= a and . <= b" -> min, max
    integer + casebook:type=scale         scale, constraint ". >= 1 and . <= 5"
    select_one L / select_multiple L      single_choice / multiple_choice with list L's choices
    select_one L + casebook:type=yes_no   yes_no; L holds exactly the values yes and no
    select_multiple_from_file actors.csv  actor_relationship (casebook:type=actor_relationship),
                                          the kind of tie in instance::casebook:relationship
    date                                  date
    begin group / end group               a section (one level, no condition on the group)
    start, end, today, deviceid, ...      ignored: metadata the device records, not questions

Labels and hints come from ``label::Español (es)`` / ``label::English (en)`` (any ``(es)`` / ``(en)``
column, or a plain ``label`` for Spanish); other languages are ignored. Refused, with the row and
why: repeats, notes, calculations, media, locations, choices from files, ``or_other``,
``choice_filter``, nested groups, conditions on groups, constraints of another shape, conditional
``required`` and unknown types.
"""

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import openpyxl
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from pyxform.xls2json_backends import xlsx_value_to_str
from pyxform.xls2xform import convert

from clusters.models import Relationship
from surveys import relevance
from surveys.models import Question

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 500
MAX_SURVEY_ROWS = 2000
MAX_CHOICE_ROWS = 20000
MAX_COLUMNS = 200

SPANISH = "Español (es)"
ENGLISH = "English (en)"
TYPE_COLUMN = "instance::casebook:type"
RELATIONSHIP_COLUMN = "instance::casebook:relationship"
NAMESPACES = 'casebook="urn:cluster-casebook:xlsform"'
ACTORS_FILE = "actors.csv"
SCALE_MIN, SCALE_MAX = Decimal(1), Decimal(5)
YES_NO_CHOICES = (("yes", "Sí", "Yes"), ("no", "No", "No"))

CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")
CHOICE_VALUE = re.compile(r"\S{1,64}")
BOUND = re.compile(r"\.\s*(>=|<=)\s*(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))")
PYXFORM_ROW = re.compile(r"\[row : (\d+)\]")
# Type names are case-sensitive, as in pyxform; these are its spellings of the types we take.
SELECT = re.compile(r"(select_one|select one|select_multiple|select all that apply|select_multiple_from_file) (\S+)")
T = Question.Type
# What a casebook:type marker may say about each XLSForm type, the first being the default.
MARKERS = {
    "text": (T.TEXT, T.LONG_TEXT),
    "integer": (T.INTEGER, T.SCALE),
    "decimal": (T.DECIMAL,),
    "select_one": (T.SINGLE_CHOICE, T.YES_NO),
    "select_multiple": (T.MULTIPLE_CHOICE,),
    "select_multiple_from_file": (T.ACTOR_RELATIONSHIP,),
    "date": (T.DATE,),
}
METADATA = frozenset(
    {"start", "end", "today", "deviceid", "phonenumber", "username", "email", "simserial", "subscriberid", "audit"}
    | {"start-geopoint"}
)
LANGUAGES = {
    "es": "es", "spa": "es", "spanish": "es", "español": "es", "espanol": "es", "castellano": "es",
    "en": "en", "eng": "en", "english": "en", "inglés": "en", "ingles": "en",
}  # fmt: skip


@dataclass(frozen=True)
class ChoiceSpec:
    value: str
    label_es: str
    label_en: str = ""


@dataclass(frozen=True)
class SectionSpec:
    code: str
    title_es: str
    title_en: str = ""


@dataclass
class QuestionSpec:
    code: str
    type: str
    label_es: str
    label_en: str = ""
    help_es: str = ""
    help_en: str = ""
    required: bool = False
    relevant: str = ""
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    relationship_kind: str = ""
    section_code: str | None = None
    choices: list[ChoiceSpec] = field(default_factory=list)


@dataclass
class FormSpec:
    title: str = ""
    form_id: str = ""
    version: str = ""
    default_language: str = "es"
    sections: list[SectionSpec] = field(default_factory=list)
    questions: list[QuestionSpec] = field(default_factory=list)


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


# --- Reading cells ----------------------------------------------------------------------------------


@dataclass
class _Sheet:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, non-empty cells by header)
    unreadable: bool = False  # already reported: nothing more to say about it


def _open_workbook(data: bytes):
    if not isinstance(data, bytes | bytearray):
        raise _file_problem(_("The upload is not a file."))
    if len(data) > MAX_FILE_BYTES:
        raise _file_problem(_("The file is larger than %(limit)d MB."), limit=MAX_FILE_BYTES // 2**20)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _file_problem(_("This is an old Excel .xls file: save it as .xlsx and upload it again."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise _file_problem(_("This file is not an Excel .xlsx spreadsheet.")) from None
    declared = sum(member.file_size for member in members)
    if len(members) > MAX_ZIP_MEMBERS or declared > MAX_UNCOMPRESSED_BYTES:
        raise _file_problem(
            _("The spreadsheet would take more than %(limit)d MB once uncompressed: it is not an XLSForm."),
            limit=MAX_UNCOMPRESSED_BYTES // 2**20,
        )
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise _file_problem(_("This file is not an Excel .xlsx spreadsheet."))
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl fails in many ways on a damaged file; all mean the same to the user
        raise _file_problem(_("The spreadsheet is damaged and cannot be read.")) from None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = value.strip()
    return xlsx_value_to_str(value).strip() if value != "" else ""


def _read_sheet(worksheet, name: str, max_rows: int, problems: list[Problem]) -> _Sheet:
    worksheet.reset_dimensions()  # the declared size may lie; read what is there
    first = next(worksheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    headers = [" ".join(_cell_text(value).split()) for value in first]
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        problems.append(
            Problem(name, 1, gettext("The sheet has more than %(limit)d columns.") % {"limit": MAX_COLUMNS})
        )
        return _Sheet([], [], unreadable=True)
    seen = set()
    for header in headers:
        if header and header.lower() in seen:
            problems.append(Problem(name, 1, gettext("The column '%(column)s' appears twice.") % {"column": header}))
        seen.add(header.lower())
    rows = []
    cells = worksheet.iter_rows(min_row=2, max_col=max(len(headers), 1), values_only=True)
    for number, values in enumerate(cells, start=2):
        row = {h: text for h, text in zip(headers, map(_cell_text, values), strict=False) if h and text}
        if not row:
            continue
        if len(rows) == max_rows:
            message = gettext("The sheet has more than %(limit)d rows.") % {"limit": max_rows}
            problems.append(Problem(name, number, message))
            break
        rows.append((number, row))
    return _Sheet(headers, rows)


def _read_sheets(data: bytes) -> tuple[dict[str, _Sheet], list[Problem]]:
    workbook = _open_workbook(data)
    problems: list[Problem] = []
    sheets = {}
    try:
        for title in workbook.sheetnames:
            name = title.strip().lower()
            if name in ("survey", "choices", "settings") and name not in sheets:
                limit = MAX_SURVEY_ROWS if name == "survey" else MAX_CHOICE_ROWS
                sheets[name] = _read_sheet(workbook[title], name, limit, problems)
    except Exception:  # a damaged sheet inside a valid zip
        raise _file_problem(_("The spreadsheet is damaged and cannot be read.")) from None
    finally:
        workbook.close()
    if "survey" not in sheets:
        problems.append(Problem("", None, gettext("The spreadsheet has no 'survey' sheet.")))
    return sheets, problems


# --- Interpreting the sheets ------------------------------------------------------------------------


def _language(suffix: str) -> str | None:
    text = suffix.strip().lower()
    match = re.search(r"\(([a-z]{2,3})(?:[-_][a-z0-9]+)*\)\s*$", text)
    return LANGUAGES.get(match.group(1) if match else re.split(r"[-_]", text)[0])


class _Columns:
    """Finds a sheet's columns by name, whatever their case, and its label/hint columns by language."""

    def __init__(self, headers: Iterable[str]):
        self.by_name: dict[str, str] = {}
        self.texts: dict[tuple[str, str], str] = {}
        for header in headers:
            if not header:
                continue
            key = header.lower()
            self.by_name.setdefault(key, header)
            base, _separator, suffix = key.partition("::")
            if base in ("label", "hint"):
                language = _language(suffix) if suffix else "es"
                # An explicit (es) column wins over the plain one.
                if language and (suffix or (base, language) not in self.texts):
                    self.texts[(base, language)] = header

    def get(self, row: dict[str, str], *names: str) -> str:
        for name in names:
            header = self.by_name.get(name)
            if header and row.get(header):
                return row[header]
        return ""

    def text(self, row: dict[str, str], base: str, language: str) -> str:
        header = self.texts.get((base, language))
        return row.get(header, "") if header else ""


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


class _FormReader:
    def __init__(self, sheets: dict[str, _Sheet], problems: list[Problem]):
        self.sheets = sheets
        self.problems = problems
        self.sections: list[SectionSpec] = []
        self.questions: list[QuestionSpec] = []
        self.rows: dict[str, int] = {}  # code of a question or section -> its row
        self.relevant_rows: list[tuple[int, QuestionSpec]] = []
        self.lists: dict[str, list[ChoiceSpec]] = {}

    def problem(self, sheet, row, message, /, **params):
        self.problems.append(Problem(sheet, row, str(message) % params))

    def read(self) -> FormSpec:
        self.lists = self.read_choices()
        spec = self.read_settings()
        self.read_survey()
        codes = [question.code for question in self.questions]
        for row, question in self.relevant_rows:
            try:
                relevance.check(question.relevant, codes, own_code=question.code)
            except relevance.RelevanceError as error:
                self.problem(
                    "survey", row, _("The condition in 'relevant' is not valid: %(error)s"), error=error.message
                )
        spec.sections, spec.questions = self.sections, self.questions
        return spec

    def read_settings(self) -> FormSpec:
        sheet = self.sheets.get("settings")
        if sheet is None or not sheet.rows:
            return FormSpec()
        columns = _Columns(sheet.headers)
        number, row = sheet.rows[0]
        language_text = columns.get(row, "default_language")
        language = _language(language_text) if language_text else "es"
        if language is None:
            self.problem(
                "settings",
                number,
                _("The default language '%(language)s' is neither Spanish (es) nor English (en)."),
                language=language_text,
            )
        return FormSpec(
            title=columns.get(row, "form_title"),
            form_id=columns.get(row, "form_id"),
            version=columns.get(row, "version"),
            default_language=language or "es",
        )

    def read_choices(self) -> dict[str, list[ChoiceSpec]]:
        lists: dict[str, list[ChoiceSpec]] = {}
        sheet = self.sheets.get("choices")
        if sheet is None:
            return lists
        columns = _Columns(sheet.headers)
        seen: dict[tuple[str, str], int] = {}
        for number, row in sheet.rows:
            list_name = columns.get(row, "list_name", "list name")
            value = columns.get(row, "name", "value")
            label_es = columns.text(row, "label", "es")
            if not list_name:
                self.problem("choices", number, _("The choice has no list_name."))
                continue
            if not CHOICE_VALUE.fullmatch(value):
                self.problem(
                    "choices",
                    number,
                    _("The choice name '%(value)s' is missing or not valid: one word, at most 64 characters."),
                    value=value,
                )
            elif (list_name, value) in seen:
                self.problem(
                    "choices",
                    number,
                    _("The choice '%(value)s' is already in list '%(list)s' on row %(row)d."),
                    value=value,
                    list=list_name,
                    row=seen[(list_name, value)],
                )
            seen.setdefault((list_name, value), number)
            if not label_es:
                self.problem("choices", number, _("The choice has no Spanish label (label::Español (es) or label)."))
            lists.setdefault(list_name, []).append(ChoiceSpec(value, label_es, columns.text(row, "label", "en")))
        return lists

    def read_survey(self):
        sheet = self.sheets.get("survey")
        if sheet is None or sheet.unreadable:
            return
        columns = _Columns(sheet.headers)
        if "type" not in columns.by_name or "name" not in columns.by_name:
            self.problem("survey", 1, _("The survey sheet needs the columns 'type' and 'name'."))
            return
        open_groups: list[tuple[str, int, str | None]] = []  # (kind, row, section code)
        for number, row in sheet.rows:
            kind = " ".join(columns.get(row, "type").split())
            if kind.replace("_", " ") in ("begin group", "end group", "begin repeat", "end repeat"):
                kind = kind.replace("_", " ")
            section = next((code for _kind, _row, code in reversed(open_groups) if code), None)
            if kind in ("begin group", "begin repeat"):
                code = self.read_group(number, row, columns, kind, open_groups)
                open_groups.append((kind, number, code))
            elif kind in ("end group", "end repeat"):
                if not open_groups:
                    self.problem("survey", number, _("'%(type)s' closes a group that was never opened."), type=kind)
                else:
                    open_groups.pop()
            elif kind in METADATA:
                # What the phone records by itself (start time, device id ...): the interview has its own.
                continue
            elif not kind:
                if columns.get(row, "name") or columns.text(row, "label", "es"):
                    self.problem("survey", number, _("The row has no type."))
            else:
                self.read_question(number, row, columns, kind, section)
        for kind, number, _code in open_groups:
            self.problem("survey", number, _("'%(type)s' is never closed with an 'end' row."), type=kind)

    def claim_code(self, number: int, code: str) -> bool:
        if not CODE.fullmatch(code):
            self.problem(
                "survey",
                number,
                _(
                    "The name '%(code)s' is missing or not valid: use letters, digits and _, starting with a letter "
                    "(at most 64 characters)."
                ),
                code=code,
            )
            return False
        if code in self.rows:
            self.problem(
                "survey",
                number,
                _("The name '%(code)s' is already used on row %(row)d."),
                code=code,
                row=self.rows[code],
            )
            return False
        self.rows[code] = number
        return True

    def read_group(self, number, row, columns, kind, open_groups) -> str | None:
        if kind == "begin repeat":
            self.problem("survey", number, _("Repeat groups are not supported: ask each question once."))
            return None
        if open_groups:
            self.problem(
                "survey",
                number,
                _("Groups inside groups are not supported: a questionnaire has one level of sections."),
            )
            return None
        if columns.get(row, "relevant"):
            self.problem(
                "survey", number, _("Conditions on groups are not supported: put the condition on each question.")
            )
        code = columns.get(row, "name")
        title_es = columns.text(row, "label", "es")
        if not title_es:
            self.problem("survey", number, _("The group has no Spanish label (label::Español (es) or label)."))
        if not self.claim_code(number, code):
            return None
        self.sections.append(SectionSpec(code, title_es, columns.text(row, "label", "en")))
        return code

    def unsupported_reason(self, kind: str) -> str | None:
        word = kind.split(" ")[0].lower()
        if word in ("image", "audio", "video", "file", "background-audio"):
            return gettext("Photos, audio, video and files are not questions here: attach them to the interview.")
        if word in ("geopoint", "geotrace", "geoshape"):
            return gettext("Location questions are not supported.")
        if word == "calculate":
            return gettext("Calculations are not supported.")
        if word == "note":
            return gettext("Notes are not supported: put the text in a question's hint.")
        if word in ("select_one_from_file", "select_multiple_from_file", "select_one_external"):
            return gettext("Choices from a file are not supported: list them on the choices sheet.")
        if "or_other" in kind.split(" "):
            return gettext("'or_other' is not supported: add an 'other' choice and a text question.")
        return None

    def read_question(self, number, row, columns, kind, section):
        select = SELECT.fullmatch(kind)
        if select:
            base, list_name = select.group(1).replace(" ", "_"), select.group(2)
            base = "select_multiple" if base == "select_all_that_apply" else base
        else:
            base, list_name = kind, ""
        marker = columns.get(row, TYPE_COLUMN.lower())
        if base not in MARKERS or (base == "select_multiple_from_file" and marker != T.ACTOR_RELATIONSHIP):
            reason = self.unsupported_reason(kind) or gettext(
                "The question type '%(type)s' is not supported: use text, integer, decimal, select_one, "
                "select_multiple, date or a group."
            ) % {"type": kind}
            self.problems.append(Problem("survey", number, reason))
            return
        code = columns.get(row, "name")
        allowed = MARKERS[base]
        if marker and marker not in allowed:
            self.problem(
                "survey",
                number,
                _("casebook:type '%(marker)s' does not fit the type '%(type)s'."),
                marker=marker,
                type=base,
            )
            return
        qtype = marker or allowed[0]
        if qtype == T.TEXT and "multiline" in columns.get(row, "appearance").split():
            qtype = T.LONG_TEXT
        question = QuestionSpec(
            code=code,
            type=str(qtype),
            label_es=columns.text(row, "label", "es"),
            label_en=columns.text(row, "label", "en"),
            help_es=columns.text(row, "hint", "es"),
            help_en=columns.text(row, "hint", "en"),
            relevant=columns.get(row, "relevant"),
            section_code=section,
        )
        if not question.label_es:
            self.problem("survey", number, _("The question has no Spanish label (label::Español (es) or label)."))
        if columns.get(row, "choice_filter"):
            self.problem("survey", number, _("Choice filters (cascading selects) are not supported."))
        self.read_required(number, columns.get(row, "required"), question)
        self.read_constraint(number, columns.get(row, "constraint"), question)
        self.read_relationship(number, columns.get(row, RELATIONSHIP_COLUMN.lower()), question)
        if base in ("select_one", "select_multiple"):
            self.read_list(number, list_name, question)
        if self.claim_code(number, code):
            self.questions.append(question)
            if question.relevant:
                self.relevant_rows.append((number, question))

    def read_required(self, number, text, question):
        answer = text.strip().lower()
        if answer in ("yes", "true", "1", "true()"):
            question.required = True
        elif answer not in ("", "no", "false", "0", "false()"):
            self.problem(
                "survey",
                number,
                _("'required' must be yes or no; conditions such as '%(text)s' are not supported."),
                text=text,
            )

    def read_constraint(self, number, text, question):
        if not text:
            return
        bounds = _parse_bounds(text)
        if question.type not in (T.INTEGER, T.DECIMAL, T.SCALE) or bounds is None:
            self.problem(
                "survey",
                number,
                _("The constraint '%(constraint)s' is not supported: only '. >= a and . <= b' on numbers."),
                constraint=text,
            )
            return
        low, high = bounds
        if question.type == T.SCALE:
            if (low, high) != (SCALE_MIN, SCALE_MAX):
                self.problem(
                    "survey", number, _("A scale takes the values 1 to 5: its constraint is '. >= 1 and . <= 5'.")
                )
            return
        for bound in (low, high):
            if bound is not None and not _fits_database(bound):
                self.problem(
                    "survey",
                    number,
                    _("The limit %(value)s is too large or too precise (at most 14 digits, 6 after the point)."),
                    value=bound,
                )
                return
        if low is not None and high is not None and low > high:
            self.problem("survey", number, _("The minimum %(low)s is above the maximum %(high)s."), low=low, high=high)
        question.min_value, question.max_value = low, high

    def read_relationship(self, number, kind, question):
        if not kind:
            return
        if question.type != T.ACTOR_RELATIONSHIP or kind not in Relationship.Kind.values:
            self.problem(
                "survey",
                number,
                _(
                    "casebook:relationship '%(kind)s' is not valid: it names the tie of an actor relationship "
                    "question, one of %(kinds)s."
                ),
                kind=kind,
                kinds=", ".join(Relationship.Kind.values),
            )
            return
        question.relationship_kind = kind

    def read_list(self, number, list_name, question):
        choices = self.lists.get(list_name)
        if not choices:
            self.problem("survey", number, _("The choice list '%(list)s' is not on the choices sheet."), list=list_name)
        elif question.type == T.YES_NO:
            if sorted(choice.value for choice in choices) != ["no", "yes"]:
                self.problem(
                    "survey",
                    number,
                    _("A yes/no question needs a list with exactly the choices 'yes' and 'no'; '%(list)s' differs."),
                    list=list_name,
                )
        else:
            question.choices = list(choices)


def _pyxform_input(sheets: dict[str, _Sheet]) -> dict:
    """The sheets in the shape pyxform reads a workbook into (blank rows kept, so row numbers agree)."""
    workbook: dict = {"sheet_names": list(sheets)}
    for name, sheet in sheets.items():
        last = sheet.rows[-1][0] if sheet.rows else 1
        by_number = dict(sheet.rows)
        workbook[name] = [by_number.get(number, {}) for number in range(2, last + 1)]
        workbook[f"{name}_header"] = [dict.fromkeys(header for header in sheet.headers if header)]
    return workbook


def read_xlsform(data: bytes) -> FormSpec:
    """The questionnaire in an XLSForm .xlsx file; raises XLSFormError listing every problem."""
    sheets, problems = _read_sheets(data)
    spec = _FormReader(sheets, problems).read() if "survey" in sheets else None
    if problems:
        order = {"": 0, "settings": 1, "survey": 2, "choices": 3}
        raise XLSFormError(sorted(problems, key=lambda p: (order.get(p.sheet, 4), p.row or 0)))
    try:
        convert(_pyxform_input(sheets), form_name="data")
    except Exception as error:  # pyxform's own checks, the last word on what ODK accepts
        match = PYXFORM_ROW.search(str(error))
        message = gettext("ODK's converter rejects the form: %(detail)s") % {"detail": error}
        raise XLSFormError([Problem("survey", int(match.group(1)) if match else None, message)]) from None
    return spec


# --- Writing ----------------------------------------------------------------------------------------

SURVEY_COLUMNS = [
    "type",
    "name",
    f"label::{SPANISH}",
    f"label::{ENGLISH}",
    f"hint::{SPANISH}",
    f"hint::{ENGLISH}",
    "required",
    "relevant",
    "constraint",
    "appearance",
    TYPE_COLUMN,
    RELATIONSHIP_COLUMN,
]


def _number_text(value: Decimal) -> str:
    return format(value, "f")


def _constraint(question: QuestionSpec) -> str:
    if question.type == T.SCALE:
        return f". >= {SCALE_MIN} and . <= {SCALE_MAX}"
    if question.type not in (T.INTEGER, T.DECIMAL):
        return ""
    parts = []
    if question.min_value is not None:
        parts.append(f". >= {_number_text(question.min_value)}")
    if question.max_value is not None:
        parts.append(f". <= {_number_text(question.max_value)}")
    return " and ".join(parts)


def _survey_rows(spec: FormSpec, yes_no_list: str) -> Iterator[dict]:
    titles = {section.code: section for section in spec.sections}
    written: set[str] = set()
    current = None
    for question in spec.questions:
        if question.section_code != current:
            if current is not None:
                yield {"type": "end group"}
            if question.section_code is not None:
                if question.section_code in written or question.section_code not in titles:
                    raise ValueError(f"section {question.section_code!r} is unknown or its questions are not together")
                section = titles[question.section_code]
                written.add(section.code)
                yield {"type": "begin group", "name": section.code, "label_es": section.title_es,
                       "label_en": section.title_en}  # fmt: skip
            current = question.section_code
        yield _question_row(question, yes_no_list)
    if current is not None:
        yield {"type": "end group"}
    for section in spec.sections:
        if section.code not in written:
            yield {"type": "begin group", "name": section.code, "label_es": section.title_es,
                   "label_en": section.title_en}  # fmt: skip
            yield {"type": "end group"}


def _question_row(question: QuestionSpec, yes_no_list: str) -> dict:
    xlsform_type = {
        T.TEXT: "text",
        T.LONG_TEXT: "text",
        T.INTEGER: "integer",
        T.SCALE: "integer",
        T.DECIMAL: "decimal",
        T.DATE: "date",
        T.SINGLE_CHOICE: f"select_one {question.code}",
        T.MULTIPLE_CHOICE: f"select_multiple {question.code}",
        T.YES_NO: f"select_one {yes_no_list}",
        T.ACTOR_RELATIONSHIP: f"select_multiple_from_file {ACTORS_FILE}",
    }[question.type]
    return {
        "type": xlsform_type,
        "name": question.code,
        "label_es": question.label_es,
        "label_en": question.label_en,
        "hint_es": question.help_es,
        "hint_en": question.help_en,
        "required": "yes" if question.required else "",
        "relevant": question.relevant,
        "constraint": _constraint(question),
        "appearance": "multiline" if question.type == T.LONG_TEXT else "",
        "marker": question.type if question.type in (T.SCALE, T.YES_NO, T.ACTOR_RELATIONSHIP) else "",
        "relationship": question.relationship_kind if question.type == T.ACTOR_RELATIONSHIP else "",
    }


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


def write_xlsform(spec: FormSpec) -> bytes:
    """The questionnaire as an XLSForm .xlsx with Spanish and English columns, ready for pyxform / KoBo."""
    # Each choice question gets a list named after it; the shared yes/no list takes a name none of them has.
    list_names = {q.code for q in spec.questions if q.type in (T.SINGLE_CHOICE, T.MULTIPLE_CHOICE)}
    yes_no_list, n = "yes_no", 0
    while yes_no_list in list_names:
        n += 1
        yes_no_list = f"yes_no_{n}"
    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    _append(survey, SURVEY_COLUMNS)
    keys = ["type", "name", "label_es", "label_en", "hint_es", "hint_en", "required", "relevant", "constraint",
            "appearance", "marker", "relationship"]  # fmt: skip
    for row in _survey_rows(spec, yes_no_list):
        _append(survey, [row.get(key, "") for key in keys])

    choices = workbook.create_sheet("choices")
    _append(choices, ["list_name", "name", f"label::{SPANISH}", f"label::{ENGLISH}"])
    for question in spec.questions:
        if question.type in (T.SINGLE_CHOICE, T.MULTIPLE_CHOICE):
            for choice in question.choices:
                _append(choices, [question.code, choice.value, choice.label_es, choice.label_en])
    if any(question.type == T.YES_NO for question in spec.questions):
        for value, label_es, label_en in YES_NO_CHOICES:
            _append(choices, [yes_no_list, value, label_es, label_en])

    settings = workbook.create_sheet("settings")
    _append(settings, ["form_title", "form_id", "version", "default_language", "namespaces"])
    language = ENGLISH if spec.default_language == "en" else SPANISH
    _append(settings, [spec.title, spec.form_id, spec.version, language, NAMESPACES])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
