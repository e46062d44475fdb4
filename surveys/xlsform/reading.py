"""Reading an XLSForm: headers, pyxform's structure mapped onto a ``FormSpec``, and every check."""

import copy
from collections import Counter
from xml.etree import ElementTree

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from surveys.languages import DEFAULT
from surveys.models import Question
from surveys.xlsform.mapping import _Mapper
from surveys.xlsform.opening import _open_workbook, _Workbook
from surveys.xlsform.spec import (
    CONTROL_CHARACTER,
    LANGUAGE_COLUMNS,
    NAMESPACE_DECLARATION,
    NAMESPACES,
    PYXFORM_NAMED,
    PYXFORM_ROW,
    PYXFORM_SHEET,
    FormSpec,
    Problem,
    QuestionSpec,
    SectionSpec,
    T,
    XLSFormError,
    _file_problem,
)

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


# --- Reading -------------------------------------------------------------------------------------------


def _first_row(workbook, sheet: str) -> int | None:
    """The spreadsheet row of a sheet's first filled row (pyxform keeps blank rows, so row = index + 2)."""
    for index, row in enumerate(getattr(workbook, sheet, None) or []):
        if any(value not in (None, "") for value in row.values()):
            return index + 2
    return None


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


def _problem_from_pyxform(error, rows_by_name=None, workbook=None) -> Problem:
    """pyxform's message, on the sheet and row it names ("[row : 3] On the 'choices' sheet …"; a problem of the
    headers is on row 1). Some of its messages name no row: then the row of the question the message names, or
    (given the workbook pyxform was reading) the survey row where its reading fails."""
    text = str(error)
    match = PYXFORM_ROW.search(text)
    message = gettext("ODK's converter rejects the form: %(detail)s") % {"detail": text}
    named = PYXFORM_SHEET.search(text)
    sheet = named.group(1).lower() if named else ("choices" if "choices" in text.lower()[:40] else "survey")
    row = int(match.group(1)) if match else (1 if "Invalid headers" in text else None)
    if row is None and workbook is not None and not getattr(workbook, sheet, None):
        sheet = "survey"  # a sheet the file lacks ("There should be a choices sheet"): the row that needs it
    if row is None and sheet == "survey":
        row = _row_of_named_question(text, rows_by_name or {})
        if row is None and workbook is not None:
            row = _survey_row_failing(workbook, text)
        if (
            row is None
            and workbook is not None
            and workbook.settings
            and not _reading_fails(workbook, text, settings=None)
        ):
            sheet, row = "settings", _first_row(workbook, "settings")  # e.g. omit_instanceID beside a public_key
    return Problem(sheet, row, message)


def _row_of_named_question(text: str, rows_by_name: dict) -> int | None:
    names = [next(group for group in found.groups() if group) for found in PYXFORM_NAMED.finditer(text)]
    for name in reversed(names):
        if name in rows_by_name:
            return rows_by_name[name][0]
    return None


def _reading_fails(workbook, text: str, **sheets) -> bool:
    """Whether pyxform's reading of the workbook, with the given sheets' rows in place of its own, fails with
    ``text`` (pyxform reads the sheets without changing them)."""
    from pyxform.xls2json import workbook_to_json

    trial = copy.copy(workbook)
    for sheet, rows in sheets.items():
        setattr(trial, sheet, rows)
    try:
        workbook_to_json(workbook_dict=trial, form_name="data", warnings=[])
    except Exception as error:  # any failure; only the same one counts
        return str(error) == text
    return False


def _survey_row_failing(workbook, text: str) -> int | None:
    """The survey row at which pyxform's reading of the workbook fails with ``text``: the shortest run of the
    sheet's first rows that fails the same way ends on it (pyxform reads the rows in order and stops at the
    first problem; a shorter run fails otherwise, at its end, or not at all). None when the problem is not on
    a survey row. Only on a refused form; pyxform reads 5000 rows in well under a second."""
    rows = list(workbook.survey or [])
    low, high = 0, len(rows)
    if not _reading_fails(workbook, text, survey=rows):
        return None
    while low < high:
        middle = (low + high) // 2
        if _reading_fails(workbook, text, survey=rows[:middle]):
            high = middle
        else:
            low = middle + 1
    return high + 1 if high else None  # the rows[:high] run ends on index high - 1, spreadsheet row high + 1


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


def _control_characters(workbook) -> list[Problem]:
    """Cells holding a character that XML cannot carry (U+0000 to U+001F but tab and line breaks): an .xls file
    may have them, pasted from other programs, and pyxform would write them into an XForm that is not XML.
    One problem on each row, naming the first such cell."""
    problems = []
    for sheet in ("settings", "survey", "choices"):
        for index, row in enumerate(getattr(workbook, sheet, None) or []):
            for column, value in row.items():
                found = CONTROL_CHARACTER.search(value) if isinstance(value, str) else None
                if found:
                    problems.append(
                        Problem(
                            sheet,
                            index + 2,
                            gettext(
                                "The cell in column '%(column)s' holds an invisible control character (%(code)s) "
                                "that a form cannot carry: delete it."
                            )
                            % {"column": column, "code": f"U+{ord(found.group()):04X}"},
                        )
                    )
                    break
    return problems


def read_xlsform(data: bytes) -> FormSpec:
    """The questionnaire in an XLSForm (.xlsx or .xls); raises XLSFormError listing every problem."""
    from pyxform.builder import create_survey_element_from_dict
    from pyxform.xls2json import workbook_to_json

    workbook = _open_workbook(data)
    problems = _formula_problems(workbook) + _control_characters(workbook.data)
    _normalise_headers(workbook.data)
    _declare_casebook_namespace(workbook.data)
    warnings: list[str] = []
    try:
        pyxform_data = workbook_to_json(workbook_dict=workbook.data, form_name="data", warnings=warnings)
    except RecursionError:
        raise _file_problem(_("An expression in the form nests too deeply to be read.")) from None
    except Exception as error:  # PyXFormError, and pyxform has more ways to fail on odd sheets
        problem = _problem_from_pyxform(error, _rows_by_name(workbook.data), workbook.data)
        raise XLSFormError([*problems, problem]) from None
    mapper = _Mapper(
        _rows_by_name(workbook.data),
        problems,
        workbook.formulas,
        pyxform_data.get("choices"),
        entities_row=_first_row(workbook.data, "entities"),
    )
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
    from surveys import formcheck

    spec.files += [name for name in formcheck.data_files(spec.items) if name not in spec.files]
    if not spec.questions and not problems:
        problems.append(Problem("survey", None, gettext("The form has no questions.")))
    _check_expressions(spec, mapper.rows, problems)
    _check_storage(spec, mapper.codes, _choice_rows(workbook.data), problems)
    _check_version_fields(spec, workbook.data, problems)
    spec.warnings = _unused_lists(spec, workbook.data)
    if problems:
        order = {"": 0, "settings": 1, "survey": 2, "choices": 3}
        unique = list(dict.fromkeys(problems))  # a list shared by several questions is told once
        raise XLSFormError(sorted(unique, key=lambda p: (order.get(p.sheet, 4), p.row or 0)))
    try:
        xform = create_survey_element_from_dict(pyxform_data).to_xml(validate=False, warnings=[])
        ElementTree.fromstring(xform.encode("utf-8"))  # noqa: S314 (pyxform wrote it; checked only to be XML)
    except ElementTree.ParseError as error:
        problems = _prefixed_columns(workbook.data)
        if problems:
            raise XLSFormError(problems) from None
        raise _file_problem(_("The form does not make a valid XForm: %(detail)s"), detail=error) from None
    except RecursionError:
        raise _file_problem(_("An expression in the form nests too deeply to be read.")) from None
    except Exception as error:  # pyxform's own checks, the last word on what ODK accepts
        problems = _prefixed_columns(workbook.data) or [_problem_from_pyxform(error, _rows_by_name(workbook.data))]
        raise XLSFormError(problems) from None
    return spec


def _prefixed_columns(workbook) -> list[Problem]:
    """Columns named with a namespace prefix that pyxform turns into an XForm that is not XML, or fails on: on
    the survey sheet instance::ex:x, bind::ex:x, body::ex:x with a prefix neither XForms nor the settings sheet's
    namespaces declare; on the choices sheet ex:x, which pyxform reads as a column x of a group ex when no
    header there has '::', and writes as an element ex:x otherwise. One problem on the first row that fills each
    such column. Looked for only when pyxform's XForm fails."""
    from pyxform.constants import NSMAP

    settings = dict((workbook.settings or [{}])[0]) if workbook.settings else {}
    declared = {key.partition(":")[2] for key in NSMAP} | {"xml"}
    declared |= set(NAMESPACE_DECLARATION.findall(str(settings.get("namespaces") or "")))
    problems = []
    for sheet in ("survey", "choices"):
        rows = getattr(workbook, sheet, None) or []
        grouped = not any("::" in column for row in rows for column in row)
        seen = set()
        for index, row in enumerate(rows):
            for column, value in row.items():
                if column in seen or value in (None, ""):
                    continue
                kind, _sep, name = column.partition("::")
                if sheet == "survey" and kind in ("instance", "bind", "body") and ":" in name:
                    prefix = name.partition(":")[0]
                elif sheet == "choices" and "::" not in column and ":" in column:
                    prefix = column.partition(":")[0]
                else:
                    continue
                if sheet == "choices" and grouped:
                    message = gettext(
                        "ODK's converter cannot read the column '%(column)s' here: write its name without ':'."
                    )
                elif prefix not in declared:
                    message = gettext(
                        "The column '%(column)s' uses the namespace '%(prefix)s', which the settings sheet does "
                        'not declare: write %(prefix)s="…" (its URI) in the settings sheet\'s namespaces column.'
                    )
                else:
                    continue
                seen.add(column)
                problems.append(Problem(sheet, index + 2, message % {"column": column, "prefix": prefix}))
    return problems


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


def _spans(rows: list[int]) -> str:
    """[4, 5, 6, 9] -> '4-6, 9'."""
    spans: list[list[int]] = []
    for row in rows:
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def _unused_lists(spec: FormSpec, workbook) -> list[Problem]:
    """The choice lists no question reads, one warning each on the choices sheet (its first row, all its rows
    in the message). The questionnaire keeps choices by question, so such a list is not imported: pyxform
    writes it into the XForm as an instance, but only instance('list') reads it there, which the site's
    expressions do not take, so nothing the form does needs it."""
    used = {question.list_name for question in spec.questions if question.list_name}
    rows: dict[str, list[int]] = {}
    for index, row in enumerate(workbook.choices or []):
        list_name = row.get("list_name", row.get("list name"))
        if list_name not in (None, "") and str(list_name) not in used:
            rows.setdefault(str(list_name), []).append(index + 2)
    return [
        Problem(
            "choices",
            found[0],
            gettext("The choice list '%(list)s' (rows %(rows)s) is not used by any question: it was not imported.")
            % {"list": name, "rows": _spans(found)},
        )
        for name, found in rows.items()
    ]


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


def _check_version_fields(spec: FormSpec, workbook, problems: list[Problem]) -> None:
    """The form_id and each language's name (label::Español (es) …) must fit where the version keeps them
    (instead of being cut short when it is saved): told on the settings row, or on the header row of the first
    sheet that names the language."""
    from surveys.models import QuestionnaireVersion

    form_id_limit = QuestionnaireVersion._meta.get_field("form_id").max_length
    if len(spec.form_id) > form_id_limit:
        problems.append(
            Problem(
                "settings",
                _first_row(workbook, "settings") or 2,
                gettext("The form_id has %(length)d characters: at most %(limit)d.")
                % {"length": len(spec.form_id), "limit": form_id_limit},
            )
        )
    limit = QuestionnaireVersion._meta.get_field("default_language").max_length
    for language in spec.languages:
        if len(language) <= limit:
            continue
        # The header naming it (label::…) on the survey or choices sheet, else the settings' default_language.
        sheet, row = next(
            (
                (name, 1)
                for name in ("survey", "choices")
                for header in (getattr(workbook, f"{name}_header", None) or [{}])[0]
                if str(header).endswith(f"::{language}")
            ),
            ("settings", 2),
        )
        problems.append(
            Problem(
                sheet,
                row,
                gettext("The language '%(language)s…' has %(length)d characters in its name: at most %(limit)d.")
                % {"language": language[:40], "length": len(language), "limit": limit},
            )
        )


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
