"""Writing a ``FormSpec`` as an .xlsx that pyxform converts and ``read_xlsform`` reads back equal."""

import io
from decimal import Decimal

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from surveys.languages import DEFAULT
from surveys.xlsform.spec import (
    ACTORS_FILE,
    MEDIA_COLUMN,
    NAMESPACES,
    RELATIONSHIP_MARKER,
    SCALE_MAX,
    SCALE_MIN,
    TICK_LABELS,
    TYPE_MARKER,
    ChoiceSpec,
    FormSpec,
    QuestionSpec,
    SectionSpec,
    T,
    _texts,
    is_file_list,
)


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
        elif key == MEDIA_COLUMN:
            columns["media"] = value
        elif key == TICK_LABELS:
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
        if question.type not in (T.SINGLE_CHOICE, T.MULTIPLE_CHOICE, T.YES_NO) and not _tick_labels(question):
            continue
        if is_file_list(question.list_name):
            names[index] = question.list_name
            continue
        choices = question.choices or _tick_labels(question)
        wanted = question.list_name or ("yes_no" if question.type == T.YES_NO else question.code)
        name, n = wanted, 0
        while name in lists and lists[name] != choices:
            n += 1
            name = f"{wanted}_{n}"
        lists.setdefault(name, choices)
        names[index] = name
    return names


def _tick_labels(question: QuestionSpec) -> list[ChoiceSpec]:
    """A range's labels for its ticks (parameter tick_labelset=LIST): the list is written with the choices."""
    if question.type != T.RANGE:
        return []
    return [ChoiceSpec(**item) for item in question.extra.get(TICK_LABELS) or []]


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
        parameters = question.parameters
        if _tick_labels(question):
            parameters = {**parameters, "tick_labelset": list_name}
        row["parameters"] = _parameters_text(parameters)
        if question.type in (T.SCALE, T.YES_NO, T.ACTOR_RELATIONSHIP):
            row[f"instance::{TYPE_MARKER}"] = question.type
        if question.type == T.ACTOR_RELATIONSHIP:
            row[f"instance::{RELATIONSHIP_MARKER}"] = question.relationship_kind
        row.update(_extra_columns(question.extra))
        survey.add(row)
        if (
            question.type in (T.SINGLE_CHOICE, T.MULTIPLE_CHOICE, T.YES_NO) and not is_file_list(list_name)
        ) or _tick_labels(question):
            if list_name in written_lists:
                continue
            written_lists.add(list_name)
            for choice in question.choices or _tick_labels(question):
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
