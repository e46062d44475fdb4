"""surveys/xlsform.py: reading an XLSForm through pyxform, writing it back, and refusing what it cannot take,
by sheet and row, without another exception for any bytes (the corpus of forms is in test_xlsform_corpus.py)."""

import pytest
from django.utils import translation
from pyxform.xls2xform import convert

from surveys.models import Question
from surveys.xlsform import MAX_NESTING, read_xlsform, write_xlsform
from tests.surveys.xlsform_files import problems_of, xlsx

T = Question.Type


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def round_trip(data: bytes):
    """The spec read from ``data``, after checking that its export converts with pyxform and reads back equal."""
    spec = read_xlsform(data)
    written = write_xlsform(spec)
    convert(written, file_type=".xlsx", validate=False)
    assert read_xlsform(written) == spec
    return spec


# --- Columns pyxform reads into something else ------------------------------------------------------


def test_a_trigger_is_kept_as_the_references_it_names():
    data = xlsx(
        survey=[
            ["type", "name", "label", "calculation", "trigger"],
            ["integer", "cajas", "Cajas", None, None],
            ["integer", "sacos", "Sacos", None, None],
            ["decimal", "kilos", "Kilos", "${cajas} * 12.5", "${cajas}"],
            ["dateTime", "cambio", "Cambio", "now()", "${cajas}, ${sacos}"],
        ]
    )
    spec = round_trip(data)
    assert [q.trigger for q in spec.questions] == ["", "", "${cajas}", "${cajas}, ${sacos}"]
    assert problems_of(xlsx(survey=[["type", "name", "label", "trigger"], ["text", "a", "A", "${b}"]]))


def test_a_dynamic_default_keeps_nothing_of_pyxform_s_own_making():
    data = xlsx(
        survey=[
            ["type", "name", "label", "default"],
            ["integer", "campanas", "Campañas", "2"],
            ["integer", "siguiente", "Campañas el próximo año", "${campanas} + 1"],
            ["begin_repeat", "lote", "Lote", None],
            ["date", "fecha", "Fecha", "today()"],
            ["end_repeat", None, None, None],
        ]
    )
    spec = round_trip(data)
    assert [(q.code, q.default, q.extra) for q in spec.questions] == [
        ("campanas", "2", {}),
        ("siguiente", "${campanas} + 1", {}),
        ("fecha", "today()", {}),
    ]


def test_a_read_only_condition_exports_beside_read_only_questions():
    data = xlsx(
        survey=[
            ["type", "name", "label", "read_only"],
            ["select_one sino", "cerrado", "¿Registro cerrado?", None],
            ["text", "observacion", "Observación", "${cerrado} = 'yes'"],
            ["text", "codigo", "Código", "yes"],
        ],
        choices=[["list_name", "name", "label"], ["sino", "yes", "Sí"], ["sino", "no", "No"]],
    )
    spec = round_trip(data)
    assert [(q.read_only, q.extra) for q in spec.questions] == [
        (False, {}),
        (False, {"bind": {"readonly": "${cerrado} = 'yes'"}}),
        (True, {}),
    ]


def test_settings_under_pyxform_s_other_names_are_read_once():
    data = xlsx(
        survey=[["type", "name", "label"], ["text", "nombre", "Nombre"]],
        settings=[
            ["set_form_title", "set_form_id", "version", "style"],
            ["Registro de socios", "socios", "3", "pages"],
        ],
    )
    spec = round_trip(data)
    assert (spec.title, spec.form_id, spec.version, spec.settings) == (
        "Registro de socios",
        "socios",
        "3",
        {"style": "pages"},
    )


# --- Refused rows -----------------------------------------------------------------------------------


def test_a_name_used_in_two_groups_is_refused_where_it_is_used_again():
    data = xlsx(
        survey=[
            ["type", "name", "label"],
            ["begin_group", "hogar", "Hogar"],
            ["integer", "personas", "Personas"],
            ["end_group"],
            ["begin_group", "taller", "Taller"],
            ["text", "nombre", "Nombre"],
            ["integer", "personas", "Personas del taller"],
            ["end_group"],
        ]
    )
    assert problems_of(data) == [
        ("survey", 7, "The name 'personas' is used twice in the form (also in row 3): names must be unique.")
    ]


# --- Questions pyxform moves ------------------------------------------------------------------------


def test_an_audit_is_kept_with_its_parameters_though_pyxform_moves_it_into_meta():
    data = xlsx(
        survey=[
            ["type", "name", "label", "parameters"],
            ["audit", "audit", None, "location-priority=balanced location-min-interval=60 location-max-age=120"],
            ["text", "nombre", "Nombre", None],
        ]
    )
    spec = round_trip(data)
    assert [(q.code, q.type, q.section_code) for q in spec.questions] == [
        ("nombre", T.TEXT, None),
        ("audit", T.AUDIT, None),
    ]
    assert spec.questions[1].parameters == {
        "location-priority": "balanced",
        "location-min-interval": "60",
        "location-max-age": "120",
    }
    assert spec.questions[1].extra == {}  # the parameters say it all


def test_groups_nested_past_the_limit_are_refused_at_the_row_that_goes_too_deep():
    depth = 1000  # deeper than Python's recursion limit would allow a recursive reading
    rows = [["type", "name", "label"]]
    rows += [["begin_group", f"g{level}", f"Nivel {level}"] for level in range(depth)]
    rows += [["text", "a", "A"]] + [["end_group"]] * depth
    assert problems_of(xlsx(survey=rows)) == [
        ("survey", MAX_NESTING + 2, f"Groups and repeats nest more than {MAX_NESTING} levels deep here.")
    ]
    rows = [["type", "name", "label"]]
    rows += [["begin_repeat", f"r{level}", f"Nivel {level}"] for level in range(MAX_NESTING)]
    rows += [["text", "a", "A"]] + [["end_repeat"]] * MAX_NESTING
    assert len(read_xlsform(xlsx(survey=rows)).sections) == MAX_NESTING
