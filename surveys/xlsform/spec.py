"""What an XLSForm holds, as plain dataclasses (the spec both directions share), its limits and its errors."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from surveys.languages import DEFAULT
from surveys.models import Question

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
# The prefixes a settings sheet's namespaces column declares: ex="http://example.com/xforms" …
NAMESPACE_DECLARATION = re.compile(r"([A-Za-z_][\w.\-]*)\s*=")
ACTORS_FILE = "actors.csv"
# A column headed plain 'media' (no kind: image, audio …) is a column of the team's own that pyxform leaves out
# of the XForm; ``extra`` keeps it under this key, because ``extra["media"]`` holds the label's media files.
MEDIA_COLUMN = "xlsform_media_column"
# A range's tick labels (parameter tick_labelset=LIST): the list's choices, kept in the question's ``extra`` under
# this key as [{"value", "labels", "extra"}] (the questionnaire keeps options for choice questions only).
TICK_LABELS = "xlsform_tick_labels"
SCALE_MIN, SCALE_MAX = Decimal(1), Decimal(5)

# Characters XML 1.0 cannot carry (an .xls cell may hold them; an XForm made from them is not XML).
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*/>")
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PYXFORM_ROW = re.compile(r"\[row : (\d+)\]")
# The question a pyxform message without a row is about: "the survey element named 'q1'", "… named c.", or the
# last ${name} it quotes ("… as a calculation trigger for question ${q2}.").
PYXFORM_NAMED = re.compile(r"named '([^']+)'|named ([A-Za-z_][\w.\-]*?)\.?(?:\s|$)|\$\{([^}#]+)\}")
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
    # What the import leaves out without refusing the form (choice lists no question uses), by sheet and
    # row: told to the person importing. Not part of the questionnaire, so not compared.
    warnings: list["Problem"] = field(default_factory=list, compare=False)

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


# --- Shared by reading and writing ---------------------------------------------------------------


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
