"""Every form of the corpus (tests/surveys/xlsform_corpus.py) read by the site as pyxform reads it, written back
to the same questionnaire, and the refused ones refused by sheet and row, in Spanish and in English.

Our reading differs from pyxform's JSON only by the transformations surveys/xlsform/ documents: one-colon
headers (``label:English``, ``bind:relevant``) read as two-colon ones; pyxform's own ``meta`` group and the
``<repeat>_count`` calculate it adds for a repeat_count are folded back; ``../x`` and ``/data/…/x`` are
``${x}``; ``. >= a and . <= b`` on a number is its minimum and maximum; ``multiline`` text is long text;
``casebook:type`` marks a scale, a yes/no or an actor relationship.
"""

import io
import re
from decimal import Decimal

import pytest
from django.utils import translation
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform
from pyxform.xls2xform import convert

from surveys import expressions, formlogic
from surveys.models import Question
from surveys.xlsform import QuestionSpec, SectionSpec, XLSFormError, read_xlsform, write_xlsform
from tests.surveys.xlsform_corpus import FORMS, REFUSED
from tests.surveys.xlsform_files import xlsx

T = Question.Type

# --- pyxform's own reading ----------------------------------------------------------------------------

ONE_COLON_PREFIXES = (
    "label", "hint", "guidance_hint", "constraint_message", "required_message", "media", "image", "audio",
    "video", "big-image", "bind", "body", "instance",
)  # fmt: skip


def _two_colons(header):
    for prefix in sorted(ONE_COLON_PREFIXES, key=len, reverse=True):
        if "::" not in header and header.lower().startswith(prefix + ":"):
            return f"{header[: len(prefix)]}::{header[len(prefix) + 1 :]}"
    return header


def pyxform_reading(data: bytes, kind=".xlsx") -> dict:
    """pyxform's JSON survey of the workbook, its one-colon headers read as two-colon ones."""
    workbook = get_xlsform(io.BytesIO(data), file_type=kind)
    for sheet in ("survey", "choices"):
        rows = getattr(workbook, sheet) or []
        setattr(workbook, sheet, [{_two_colons(key): value for key, value in row.items()} for row in rows])
        header = getattr(workbook, f"{sheet}_header", None)
        if header:
            setattr(workbook, f"{sheet}_header", [{_two_colons(key): None for key in header[0]}])
    return workbook_to_json(workbook_dict=workbook, form_name="data", warnings=[])


def sheet_names(form) -> set:
    header = [str(cell).strip().lower() for cell in form.sheets["survey"][0]]
    column = header.index("name")
    return {str(row[column]) for row in form.sheets["survey"][1:] if len(row) > column and row[column]}


def pyxform_items(children, parent, written_names):
    """(element, parent name) in document order, without pyxform's meta group and generated repeat counts."""
    children = list(children or [])
    counted = {
        child["control"]["jr:count"][2:-1]
        for child in children
        if child.get("type") == "repeat" and str(child.get("control", {}).get("jr:count", "")).startswith("${")
    }
    for element in children:
        name = element["name"]
        if parent is None and name == "meta" and element.get("control", {}).get("bodyless"):
            # pyxform's instanceID and instanceName; an audit it moved here is the form's own.
            meta = [child for child in element["children"] if child["name"] not in ("instanceID", "instanceName")]
            yield from pyxform_items(meta, None, written_names)
            continue
        if element["type"] == "calculate" and name in counted and name not in written_names:
            continue
        yield element, parent
        if element["type"] in ("group", "repeat"):
            yield from pyxform_items(element.get("children"), name, written_names)


def generated_counts(children) -> dict:
    found = {}
    for element in children or []:
        if element["type"] == "calculate" and "label" not in element:
            found[element["name"]] = element.get("bind", {}).get("calculate", "")
        found.update(generated_counts(element.get("children")))
    return found


PYXFORM_TYPES = {
    "text": T.TEXT, "string": T.TEXT, "integer": T.INTEGER, "int": T.INTEGER, "decimal": T.DECIMAL,
    "range": T.RANGE, "select one": T.SINGLE_CHOICE, "select all that apply": T.MULTIPLE_CHOICE, "note": T.NOTE,
    "calculate": T.CALCULATE, "acknowledge": T.ACKNOWLEDGE, "trigger": T.ACKNOWLEDGE, "date": T.DATE,
    "time": T.TIME, "datetime": T.DATETIME, "dateTime": T.DATETIME, "geopoint": T.GEOPOINT,
    "location": T.GEOPOINT, "gps": T.GEOPOINT, "geotrace": T.GEOTRACE, "geoshape": T.GEOSHAPE, "photo": T.IMAGE,
    "audio": T.AUDIO, "video": T.VIDEO, "file": T.FILE, "barcode": T.BARCODE, "hidden": T.HIDDEN,
    "start": T.START, "end": T.END, "today": T.TODAY, "deviceid": T.DEVICEID, "username": T.USERNAME,
    "phonenumber": T.PHONENUMBER, "email": T.EMAIL, "subscriberid": T.SUBSCRIBERID, "simserial": T.SIMSERIAL,
    "audit": T.AUDIT, "percentage": T.INTEGER, "phone number": T.TEXT,
}  # fmt: skip
MARKED = {"scale": T.SCALE, "yes_no": T.YES_NO, "actor_relationship": T.ACTOR_RELATIONSHIP}


def expected_type(element):
    qtype = PYXFORM_TYPES[element["type"]]
    marker = element.get("instance", {}).get("casebook:type")
    if marker:
        return MARKED[marker]
    if qtype == T.TEXT and "multiline" in element.get("control", {}).get("appearance", "").split():
        return T.LONG_TEXT
    return qtype


QUOTED = re.compile(r"""('[^']*'|"[^"]*")""")


def as_reference(text) -> str:
    """pyxform's XPath paths as XLSForm references: ../x and /data/a/x -> ${x} (outside quoted text)."""
    parts = QUOTED.split(str(text or ""))
    for index in range(0, len(parts), 2):
        part = re.sub(r"\.\./([A-Za-z_][\w.\-]*)", r"${\1}", parts[index])
        parts[index] = re.sub(r"(?<![\w$}])/data(?:/[A-Za-z_][\w.\-]*)*/([A-Za-z_][\w.\-]*)", r"${\1}", part)
    return "".join(parts)


def texts(value) -> dict:
    if value in (None, ""):
        return {}
    if isinstance(value, dict):
        return {language: text for language, text in value.items() if text not in (None, "")}
    return {"default": value}


BOUND = re.compile(r"\.\s*(>=|<=)\s*(-?[0-9.]+)")


def bounds_of(constraint: str):
    parts = re.split(r"\s+and\s+", constraint.strip())
    found = {}
    for part in parts:
        match = BOUND.fullmatch(part.strip())
        if not match:
            return None
        found[match.group(1)] = Decimal(match.group(2))
    return found.get(">="), found.get("<=")


def assert_question_agrees(ours: QuestionSpec, element: dict):
    bind = element.get("bind", {})
    assert ours.type == expected_type(element)
    assert ours.labels == texts(element.get("label"))
    assert ours.hints == texts(element.get("hint"))
    assert ours.relevant == as_reference(bind.get("relevant"))
    assert ours.calculation == as_reference(bind.get("calculate"))
    assert ours.choice_filter == as_reference(element.get("choice_filter"))
    required = str(bind.get("required", "")).strip()
    if required.lower() in ("yes", "true", "true()", "1"):
        assert (ours.required, ours.required_if) == (True, "")
    elif required.lower() in ("", "no", "false", "false()", "0"):
        assert (ours.required, ours.required_if) == (False, "")
    else:
        assert (ours.required, ours.required_if) == (False, as_reference(required))
    constraint = as_reference(
        bind.get("constraint") or QUESTION_TYPE_DICT[element["type"]].get("bind", {}).get("constraint")
    )
    if ours.type == T.SCALE:
        assert bounds_of(constraint) == (1, 5) and ours.constraint == ""
    elif ours.min_value is not None or ours.max_value is not None:
        assert bounds_of(constraint) == (ours.min_value, ours.max_value) and ours.constraint == ""
    else:
        assert ours.constraint == constraint
    assert ours.constraint_messages == texts(bind.get("jr:constraintMsg"))
    assert ours.required_messages == texts(bind.get("jr:requiredMsg"))
    assert ours.default == str(element.get("default") or "")
    if ours.default:  # a value, or an expression evaluated when the form opens
        assert formlogic.is_dynamic_default(ours.default) == bool(element.get("_dynamic_default"))
    if "choices" in element:
        assert [(c.value, c.labels, c.extra) for c in ours.choices] == [
            (
                choice["name"],
                texts(choice.get("label")),
                {key: value for key, value in choice.items() if key not in ("name", "label")},
            )
            for choice in element["choices"]
        ]
    elif element["type"] in ("select one", "select all that apply"):
        assert ours.choices == [] and ours.list_name == element["itemset"]


def assert_section_agrees(ours: SectionSpec, element: dict, counts: dict):
    assert ours.kind == element["type"]
    assert ours.labels == texts(element.get("label"))
    assert ours.relevant == as_reference(element.get("bind", {}).get("relevant"))
    assert ours.appearance == element.get("control", {}).get("appearance", "")
    count = str(element.get("control", {}).get("jr:count", ""))
    if count.startswith("${") and count[2:-1] in counts and count[2:-1] == f"{ours.code}_count":
        count = counts[count[2:-1]]
    assert ours.repeat_count == as_reference(count)


def assert_agrees_with_pyxform(spec, reading, form):
    items = list(pyxform_items(reading["children"], None, sheet_names(form)))
    assert [(item.code, getattr(item, "parent", getattr(item, "section_code", None))) for item in spec.items] == [
        (element["name"], parent) for element, parent in items
    ]
    counts = generated_counts(reading["children"])
    for ours, (element, _parent) in zip(spec.items, items, strict=True):
        if isinstance(ours, SectionSpec):
            assert_section_agrees(ours, element, counts)
        else:
            assert_question_agrees(ours, element)
    assert (spec.title, spec.form_id, spec.version) == (
        reading["title"],
        reading["id_string"],
        reading.get("version", ""),
    )
    assert spec.default_language == reading.get("default_language", "default") or (
        reading.get("default_language", "default") == "default" and spec.default_language == spec.languages[0]
    )


# --- Accepted forms -----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def specs():
    """Each corpus form read once (the module's tests share the readings)."""
    with translation.override("en"):
        return {form.name: read_xlsform(form.xlsx()) for form in FORMS}


def test_the_corpus_is_large_and_has_genuine_xls_files():
    assert len(FORMS) >= 45 and len({form.name for form in FORMS}) == len(FORMS)
    xls_forms = [form for form in FORMS if form.as_xls]
    assert len(xls_forms) >= 5
    for form in xls_forms:
        assert form.xls()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 compound file, as Excel 97-2003


@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.name)
def test_the_form_reads_as_pyxform_reads_it(form, specs):
    assert_agrees_with_pyxform(specs[form.name], pyxform_reading(form.xlsx()), form)


@pytest.mark.parametrize("form", [form for form in FORMS if form.as_xls], ids=lambda form: form.name)
def test_the_xls_file_reads_as_the_xlsx_file(form, specs):
    data = form.xls()
    assert pyxform_reading(data, ".xls")["children"] == pyxform_reading(form.xlsx())["children"]
    assert read_xlsform(data) == specs[form.name]


@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.name)
def test_the_form_survives_export_and_import_and_odk_converts_the_export(form, specs):
    spec = specs[form.name]
    written = write_xlsform(spec)
    assert read_xlsform(written) == spec
    convert(written, file_type=".xlsx", validate=False)


def test_files_the_form_reads_are_listed(specs):
    for form in FORMS:
        for name in form.attachments:
            assert name in specs[form.name].files, (form.name, name)
    assert specs["select_from_files"].files == ["distritos.csv", "productos.csv", "ferias.csv"]
    assert set(specs["media_columns"].files) == {
        "logo.png",
        "calidad.mp3",
        "calidad_es.png",
        "primera.jpg",
        "segunda.jpg",
    }


# --- The corpus covers what it claims -----------------------------------------------------------------


def _types(form):
    header = [str(cell).strip().lower() for cell in form.sheets["survey"][0]]
    column = header.index("type")
    return [str(row[column]) for row in form.sheets["survey"][1:] if len(row) > column and row[column]]


def _headers(form, sheet="survey"):
    return [str(cell) for cell in (form.sheets.get(sheet) or [[]])[0] if cell]


def _settings(form):
    rows = form.sheets.get("settings") or [[], []]
    return dict(zip(rows[0], rows[1], strict=False))


def _typed(pattern):
    return lambda form, spec: any(re.fullmatch(pattern, cell) for cell in _types(form))


def _header(pattern, sheet="survey"):
    return lambda form, spec: any(re.fullmatch(pattern, cell) for cell in _headers(form, sheet))


def _has(qtype):
    return lambda form, spec: any(q.type == qtype for q in spec.questions)


def _function(name):
    def check(form, spec):
        for item in spec.items:
            for attribute in ("relevant", "constraint", "calculation", "required_if", "choice_filter", "default"):
                text = getattr(item, attribute, "")
                if text and "(" in text and name in expressions.functions(expressions.parse(text)):
                    return True
        return False

    return check


def _language(code):
    return lambda form, spec: any(language.endswith(f"({code})") for language in spec.languages)


def _in_extra(key):
    return lambda form, spec: any(key in item.extra for item in spec.items)


MODEL_TYPES = {
    "text": T.TEXT, "integer": T.INTEGER, "decimal": T.DECIMAL, "date": T.DATE, "time": T.TIME,
    "datetime": T.DATETIME, "note": T.NOTE, "calculate": T.CALCULATE, "acknowledge": T.ACKNOWLEDGE,
    "range": T.RANGE, "geopoint": T.GEOPOINT, "geotrace": T.GEOTRACE, "geoshape": T.GEOSHAPE,
    "image": T.IMAGE, "audio": T.AUDIO, "video": T.VIDEO, "file": T.FILE, "barcode": T.BARCODE,
    "hidden": T.HIDDEN, "multiline": T.LONG_TEXT, "casebook_scale": T.SCALE, "casebook_yes_no": T.YES_NO,
    "casebook_actors": T.ACTOR_RELATIONSHIP, "metadata_start": T.START, "metadata_end": T.END,
    "metadata_today": T.TODAY, "metadata_deviceid": T.DEVICEID, "metadata_username": T.USERNAME,
    "metadata_phonenumber": T.PHONENUMBER, "metadata_email": T.EMAIL, "metadata_audit": T.AUDIT,
}  # fmt: skip
ODK_FUNCTIONS = (
    "selected", "count-selected", "selected-at", "jr:choice-name", "string-length", "substr", "concat",
    "contains", "starts-with", "regex", "if", "coalesce", "round", "int", "number", "today", "now",
    "format-date", "position", "count", "sum", "indexed-repeat",
)  # fmt: skip
FEATURE_CHECKS = {
    # Spellings of types and structure.
    "select_one_underscore": _typed(r"select_one \S+( or_other)?"),
    "select_one_spaces": _typed(r"select one \S+"),
    "select_one_from": _typed(r"select one from \S+"),
    "select1": _typed(r"select1 \S+"),
    "select_multiple_underscore": _typed(r"select_multiple \S+( or_other)?"),
    "select_all_that_apply": _typed(r"select all that apply \S+"),
    "select_all_that_apply_from": _typed(r"select all that apply from \S+"),
    "select_one_from_file": _typed(r"select_one_from_file \S+\.csv"),
    "select_one_from_file_spaces": _typed(r"select one from file \S+\.csv"),
    "select_multiple_from_file": _typed(r"select_multiple_from_file \S+\.csv"),
    "string": _typed("string"),
    "int": _typed("int"),
    "begin_group_underscore": _typed("begin_group"),
    "begin_group_spaces": _typed("begin group"),
    "begin_repeat_underscore": _typed("begin_repeat"),
    "begin_repeat_spaces": _typed("begin repeat"),
    "datetime_camel": _typed("dateTime"),
    "location_aliases": lambda form, spec: {"location", "gps"} <= set(_types(form)),
    "trigger_type": _typed("trigger"),
    "or_other": _typed(r"select_(one|multiple) \S+ or_other"),
    "percentage": _typed("percentage"),
    "phone_number": _typed("phone number"),
    "photo": _typed("photo"),
    # Types as the site models them.
    **{name: _has(qtype) for name, qtype in MODEL_TYPES.items()},
    "metadata_other": lambda form, spec: {T.SUBSCRIBERID, T.SIMSERIAL} <= {q.type for q in spec.questions},
    # Columns and their spellings.
    "plain_label": _header("label"),
    "hint": lambda form, spec: any(q.hints for q in spec.questions),
    "languages_two_colons": _header(r"label::.+"),
    "languages_one_colon": _header(r"label:[^:].*"),
    "choice_labels_languages": _header(r"label::.+", "choices"),
    "relevance": _header("relevance"),
    "relevant": lambda form, spec: any(item.relevant for item in spec.items),
    "bind_two_colons": _header(r"bind::(relevant|constraint|required)"),
    "bind_one_colon": _header(r"bind:(relevant|constraint|required)"),
    "constraint": lambda form, spec: any(q.constraint for q in spec.questions),
    "bounds": lambda form, spec: any(q.min_value is not None and q.max_value is not None for q in spec.questions),
    "constraint_message": _header(r"constraint_message(::?.+)?"),
    "constraint_message_spaced": _header("constraint message"),
    "jr_constraint_msg": lambda form, spec: (
        "bind::jr:constraintMsg" in _headers(form) and any(q.constraint_messages for q in spec.questions)
    ),
    "required_yes": lambda form, spec: any(q.required for q in spec.questions),
    "required_expression": lambda form, spec: any(q.required_if for q in spec.questions),
    "required_message": lambda form, spec: any(q.required_messages for q in spec.questions),
    "required_message_spaced": _header("required message"),
    "choice_filter": lambda form, spec: any(q.choice_filter for q in spec.questions),
    "choice_extra_columns": lambda form, spec: any(c.extra for q in spec.questions for c in q.choices),
    "default": lambda form, spec: any(q.default for q in spec.questions),
    "dynamic_default": lambda form, spec: any("${" in q.default for q in spec.questions),
    "read_only": lambda form, spec: any(q.read_only for q in spec.questions),
    "read_only_expression": lambda form, spec: any(q.extra.get("bind", {}).get("readonly") for q in spec.questions),
    "trigger": lambda form, spec: any(q.trigger for q in spec.questions),
    "calculation": lambda form, spec: any(q.calculation for q in spec.questions),
    "parameters": lambda form, spec: any(q.parameters for q in spec.questions),
    "appearance": lambda form, spec: any(q.appearance for q in spec.questions),
    "guidance_hint": _in_extra("guidance_hint"),
    "media_image": _header("media::image"),
    "media_audio": _header("media::audio"),
    "media_translated": _header(r"image::.+"),
    "choice_media": _header(r"media::image", "choices"),
    "body_columns": _header(r"body::.+"),
    "bind_extra_columns": lambda form, spec: any(item.extra.get("bind") for item in spec.items),
    "instance_columns": _header(r"instance::.+"),
    "unknown_columns": lambda form, spec: any(
        key not in ("bind", "control", "instance", "media", "guidance_hint", "xlsform_type")
        for q in spec.questions
        for key in q.extra
    ),
    "choice_unknown_columns": lambda form, spec: any(
        key not in ("media",) for q in spec.questions for c in q.choices for key in c.extra
    ),
    "capital_headers": _header("Type"),
    "count_header": _header("jr:count"),
    "attachments": lambda form, spec: bool(form.attachments),
    # Structure.
    "field_list": lambda form, spec: any(s.appearance == "field-list" for s in spec.sections),
    "group_relevance": lambda form, spec: any(s.relevant for s in spec.sections if s.kind == "group"),
    "nested_groups": lambda form, spec: _depth(spec, "group") >= 3,
    "nested_repeats": lambda form, spec: _depth(spec, "repeat") >= 3,
    "repeat_in_group": lambda form, spec: any(
        s.kind == "repeat" and s.parent and _section(spec, s.parent).kind == "group" for s in spec.sections
    ),
    "repeat_count_literal": lambda form, spec: any(s.repeat_count.isdigit() for s in spec.sections),
    "repeat_count_reference": lambda form, spec: any(re.fullmatch(r"\$\{\w+\}", s.repeat_count) for s in spec.sections),
    "repeat_count_expression": lambda form, spec: any(
        s.repeat_count and not s.repeat_count.isdigit() and not re.fullmatch(r"\$\{\w+\}", s.repeat_count)
        for s in spec.sections
    ),
    "open_repeat": lambda form, spec: any(s.kind == "repeat" and not s.repeat_count for s in spec.sections),
    "blank_rows": lambda form, spec: any(not any(row) for row in form.sheets["survey"][1:]),
    "numeric_cells": lambda form, spec: any(
        isinstance(cell, int | float) and not isinstance(cell, bool)
        for sheet in form.sheets.values()
        for row in sheet
        for cell in row
    ),
    "boolean_cells": lambda form, spec: any(isinstance(cell, bool) for row in form.sheets["survey"] for cell in row),
    "numeric_choice_names": lambda form, spec: any(c.value.isdigit() for q in spec.questions for c in q.choices),
    # Languages.
    "quechua": _language("qu"),
    "aymara": _language("ay"),
    "swahili": _language("sw"),
    "english_only": lambda form, spec: spec.languages == ["English (en)"],
    "default_language": lambda form, spec: (
        bool(_settings(form).get("default_language")) and spec.default_language == _settings(form)["default_language"]
    ),
    # Settings.
    "settings_style": lambda form, spec: "style" in spec.settings,
    "settings_instance_name": lambda form, spec: "instance_name" in spec.settings,
    "settings_version": lambda form, spec: bool(spec.version),
    "settings_title": lambda form, spec: bool(spec.title) and spec.title != "data",
    "settings_namespaces": lambda form, spec: "esri=" in spec.settings.get("namespaces", ""),
    "settings_aliases": _header("set_form_title", "settings"),
    "settings_other": lambda form, spec: any(
        key not in ("style", "instance_name", "namespaces") for key in spec.settings
    ),
    # The ODK functions of issue 14, item 4.
    **{f"fn_{name.replace('-', '_').replace('jr:', '')}": _function(name) for name in ODK_FUNCTIONS},
    "fn_date_arithmetic": lambda form, spec: any(
        re.search(r"(today\(\)|\$\{\w+\})\s*[-+]\s*(\$\{\w+\}|[0-9]+)", q.calculation)
        and "date" in {q2.type for q2 in spec.questions}
        for q in spec.questions
    ),
}


def _section(spec, code):
    return next(s for s in spec.sections if s.code == code)


def _depth(spec, kind):
    deepest = 0
    for section in spec.sections:
        depth, current = 0, section
        while current is not None:
            depth += current.kind == kind
            current = _section(spec, current.parent) if current.parent else None
        deepest = max(deepest, depth)
    return deepest


# What issue 14 asks the corpus to cover (item 2's features and the spellings pyxform accepts).
REQUIRED_FEATURES = set(FEATURE_CHECKS)


def test_every_feature_a_form_claims_is_in_it(specs):
    for form in FORMS:
        for feature in form.features:
            assert FEATURE_CHECKS[feature](form, specs[form.name]), (form.name, feature)


def test_the_corpus_covers_every_feature(specs):
    claimed = {feature for form in FORMS for feature in form.features}
    assert REQUIRED_FEATURES - claimed == set()


# --- Refused forms ------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", REFUSED, ids=lambda form: form.name)
def test_the_form_is_refused_by_sheet_and_row_in_both_languages(form):
    for language, position in (("en", 2), ("es", 3)):
        with translation.override(language), pytest.raises(XLSFormError) as caught:
            read_xlsform(form.xlsx())
        found = [(problem.sheet, problem.row, problem.message) for problem in caught.value.problems]
        assert [(sheet, row) for sheet, row, _message in found] == [expected[:2] for expected in form.problems]
        for (_sheet, _row, message), expected in zip(found, form.problems, strict=True):
            assert expected[position] in message, (language, message)


@pytest.mark.parametrize("form", REFUSED, ids=lambda form: form.name)
def test_pyxform_takes_the_forms_the_site_refuses_on_its_own(form):
    try:
        convert(form.xlsx(), file_type=".xlsx", validate=False)
    except Exception:  # pyxform's errors are of many classes
        accepted = False
    else:
        accepted = True
    assert accepted == form.pyxform_accepts


@pytest.mark.parametrize("default", ["5 * 2", "12 div 4", "hola", "2026-01-01", "today()"])
def test_a_default_is_an_expression_exactly_when_pyxform_says_so(default):
    data = xlsx(survey=[["type", "name", "label", "default"], ["text", "a", "A", default]])
    [element] = [child for child in pyxform_reading(data)["children"] if child["name"] == "a"]
    assert formlogic.is_dynamic_default(read_xlsform(data).questions[0].default) == bool(
        element.get("_dynamic_default")
    )


def test_a_default_pyxform_computes_from_a_bare_name_is_refused_at_its_row():
    # pyxform reads "2026-A" on a text question as 2026 minus a node A, which ODK evaluates to NaN: the import
    # says so at the row instead of taking it as the text it looks like.
    data = xlsx(survey=[["type", "name", "label", "default"], ["text", "a", "A", "2026-A"]])
    with pytest.raises(XLSFormError, match="survey row 2"):
        read_xlsform(data)
