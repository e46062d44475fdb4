"""surveys/xlsform/: reading an XLSForm through pyxform, writing it back, and refusing what it cannot take,
by sheet and row, without another exception for any bytes (the corpus of forms is in test_xlsform_corpus.py)."""

import io
import os
import zipfile

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyxform.xls2xform import convert

from surveys.models import Question
from surveys.xlsform import (
    MAX_FILE_BYTES,
    MAX_NESTING,
    MAX_SURVEY_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MEDIA_COLUMN,
    TICK_LABELS,
    XLS_MAGIC,
    XLSFormError,
    read_xlsform,
    write_xlsform,
)
from tests.surveys.xlsform_corpus import BY_NAME
from tests.surveys.xlsform_files import KOBO_FORM, problems_of, xlsx

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


def test_one_colon_columns_beside_two_colon_ones_are_kept_where_pyxform_alone_would_drop_them():
    data = BY_NAME["mixed_colons"].xlsx()
    assert "Trade association" not in convert(data, file_type=".xlsx").xform  # pyxform ignores label:English (en)
    spec = round_trip(data)
    assert spec.questions[0].labels == {"Español (es)": "Gremio", "English (en)": "Trade association"}
    assert spec.questions[0].hints == {"Español (es)": "Nombre completo", "English (en)": "Full name"}
    assert spec.languages == ["Español (es)", "English (en)"]


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


def test_a_trigger_on_a_group_row_is_kept_as_written():
    data = xlsx(
        survey=[
            ["type", "name", "label", "calculation", "trigger"],
            ["text", "a", "A", None, None],
            ["begin_group", "grupo", "Grupo", None, "${a}"],
            ["dateTime", "cambio", "Cambio", "now()", "${a}"],
            ["end_group", None, None, None, None],
        ]
    )
    spec = round_trip(data)
    assert spec.sections[0].extra == {"trigger": "${a}"}


def test_a_translated_column_that_odk_binds_is_kept_in_every_language():
    data = xlsx(
        survey=[
            ["type", "name", "label::English (en)", "label::Español (es)", "noAppErrorString::English (en)",
             "noAppErrorString::Español (es)"],
            ["text", "a", "A", "A", "App error", "Error de la aplicación"],
        ]
    )  # fmt: skip
    spec = round_trip(data)
    assert spec.questions[0].extra == {
        "bind": {"jr:noAppErrorString": {"English (en)": "App error", "Español (es)": "Error de la aplicación"}}
    }


def test_a_select_with_randomized_choices_keeps_its_choices():
    # pyxform leaves the choices out of a randomized select's element (they stay in the form's lists).
    data = xlsx(
        survey=[
            ["type", "name", "label", "parameters"],
            ["select_one canal", "canal", "Canal", "randomize=true"],
            ["select_multiple canal", "canales", "Canales", "randomize=true, seed=42"],
        ],
        choices=[["list_name", "name", "label"], ["canal", "feria", "Feria"], ["canal", "tienda", "Tienda"]],
    )
    spec = round_trip(data)
    assert [([c.value for c in q.choices], q.parameters) for q in spec.questions] == [
        (["feria", "tienda"], {"randomize": "true"}),
        (["feria", "tienda"], {"randomize": "true", "seed": "42"}),
    ]


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


def test_a_plain_media_column_is_kept_as_a_column_of_the_team():
    # pyxform reads 'media' without a kind (image, audio …) as a column of its own and leaves it out of the XForm;
    # it is kept apart from the media files of a label (extra["media"], a dict by kind), on a question or a group.
    spec = round_trip(
        xlsx(
            survey=[
                ["type", "name", "label", "media"],
                ["begin group", "g", "G", "portada.png"],
                ["text", "foto", "Foto", "taller.png"],
                ["end group"],
            ]
        )
    )
    assert (spec.sections[0].extra, spec.questions[0].extra, spec.files) == (
        {MEDIA_COLUMN: "portada.png"},
        {MEDIA_COLUMN: "taller.png"},
        [],
    )
    # On the choices sheet pyxform fails on it: the form is refused, with pyxform's reason.
    data = xlsx(
        survey=[["type", "name", "label"], ["select_one l", "b", "B"]],
        choices=[["list_name", "name", "label", "media"], ["l", "a", "A", "a.png"]],
    )
    [(_sheet, _row, message)] = problems_of(data)
    assert message.startswith("ODK's converter rejects the form")


# --- Refused rows -----------------------------------------------------------------------------------


def test_a_range_keeps_its_ticks_placeholder_and_tick_labels_as_written():
    # pyxform passes tick_interval and placeholder on as odk:tick-interval and odk:placeholder, and takes
    # tick_labelset out of the parameters: read back as written, with the labels' list kept on the question.
    data = xlsx(
        survey=[["type", "name", "label", "parameters"],
                ["range", "r", "R", "start=0 end=10 step=1 tick_interval=2 placeholder=4 tick_labelset=extremos"]],
        choices=[["list_name", "name", "label"], ["extremos", "0", "Nada"], ["extremos", "10", "Mucho"]],
    )  # fmt: skip
    spec = read_xlsform(data)
    [question] = spec.questions
    assert question.parameters == {"start": "0", "end": "10", "step": "1", "tick_interval": "2", "placeholder": "4",
                                   "tick_labelset": "extremos"}  # fmt: skip
    assert [label["value"] for label in question.extra[TICK_LABELS]] == ["0", "10"]
    assert (question.choices, spec.warnings) == ([], [])  # the list is the range's: no choices, no leftover
    exported = write_xlsform(spec)
    assert read_xlsform(exported) == spec
    xform = convert(exported, file_type=".xlsx", validate=False).xform
    assert 'odk:tick-interval="2"' in xform and "instance('extremos')" in xform


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


def test_a_select_from_the_answers_of_a_repeat_is_refused_naming_the_feature():
    data = xlsx(
        survey=[
            ["type", "name", "label"],
            ["begin_repeat", "socio", "Socio"],
            ["text", "nombre", "Nombre"],
            ["end_repeat"],
            ["select_one ${nombre}", "presidente", "¿Quién preside?"],
        ]
    )
    assert problems_of(data) == [
        (
            "survey",
            5,
            "Choices taken from the answers to '${nombre}' (select_one ${name}) are not supported: "
            "write the choices on the choices sheet.",
        )
    ]


def test_what_the_site_cannot_store_is_refused_by_sheet_and_row_though_pyxform_takes_it():
    data = xlsx(
        survey=[
            ["type", "name", "label", "appearance"],
            ["text", "año", "Año", None],
            ["text", "nota", "Nota", "x" * 201],
            ["select_one tamano", "tamano", "Tamaño", None],
            ["select_one sino", "exporta", "¿Exporta?", None],
        ],
        choices=[
            ["list_name", "name", "label"],
            ["tamano", "micro", "Micro"],
            ["tamano", "pequena", None],
            ["tamano", "micro", "Micro otra vez"],
            ["tamano", "m" * 256, "Muy larga"],
            ["sino", "yes", "Sí"],
            ["sino", "no", "No"],
        ],
        settings=[["allow_choice_duplicates"], ["yes"]],
    )
    convert(data, file_type=".xlsx", validate=False)  # ODK's converter takes it
    assert problems_of(data) == [
        ("survey", 2, "The name 'año' cannot be used here: write it with a-z, A-Z, digits, _, - and ., "
                      "starting with a letter or _, in at most 255 characters."),
        ("survey", 3, "The column 'appearance' holds 201 characters: at most 200."),
        ("choices", 3, "Option pequena needs a label."),
        ("choices", 4, "The option value 'micro' appears twice."),
        ("choices", 5, f"Option values are one word of at most 255 characters: '{'m' * 256}'."),
    ]  # fmt: skip


def test_a_form_that_saves_entities_is_refused_on_its_entities_sheet():
    data = xlsx(
        survey=[["type", "name", "label", "save_to"], ["text", "arbol", "Árbol", "especie"]],
        entities=[["list_name", "label"], ["arboles", "${arbol}"]],
    )
    convert(data, file_type=".xlsx", validate=False)  # ODK's converter takes it
    assert problems_of(data) == [
        (
            "entities",
            2,
            "Entities (the entities sheet) are not supported: answers cannot create or update them here.",
        )
    ]


@pytest.mark.parametrize(
    ("sheets", "where"),
    [
        ({"survey": [["type", "name", "label", "constraint", "bind::constraint"], ["integer", "a", "A", ". > 1"]]},
         ("survey", 1)),
        ({"survey": [["type", "name", "label"], ["select_one l", "a", "A"]],
          "choices": [["list_name", "label"], ["l", "X"]]},
         ("choices", 1)),
        ({"survey": [["type", "name", "label"], ["text", "a", "A"]],
          "settings": [["form_title", "set_form_title"], ["A", "B"]]},
         ("settings", 1)),
        ({"survey": [["type", "name", "label"], ["select_one l", "a", "A"]],
          "choices": [["list_name", "name", "label"], ["l", "x", "X"], ["l", "x", "Y"]]},
         ("choices", 3)),
    ],
)  # fmt: skip
def test_what_pyxform_refuses_is_told_on_the_sheet_and_row_it_names(sheets, where):
    [(sheet, row, message)] = problems_of(xlsx(**sheets))
    assert (sheet, row) == where and message.startswith("ODK's converter rejects the form: ")


def test_what_pyxform_refuses_without_naming_a_row_is_told_on_the_row_it_is_about():
    # pyxform says "Invalid value for quality." (no row, no name) and "The survey element named 'q9' has no label
    # or hint." (a name, no row): the row is the one pyxform's reading stops at, or the named question's.
    rows = [["type", "name", "label", "parameters"]] + [["text", f"q{n}", f"Q{n}"] for n in range(40)]
    rows += [["begin group", "g", "G"], ["audio", "voz", "Voz", "quality=foo"], ["end group"]]
    [(sheet, row, message)] = problems_of(xlsx(survey=rows))
    assert (sheet, row) == ("survey", 43) and message.endswith("Invalid value for quality.")
    rows = [["type", "name", "label"]] + [["text", f"q{n}", f"Q{n}" if n != 9 else None] for n in range(20)]
    [(sheet, row, message)] = problems_of(xlsx(survey=rows))
    assert (sheet, row) == ("survey", 11) and "named 'q9' has no label" in message


def test_an_xls_cell_with_a_control_character_is_refused_on_its_row_instead_of_making_a_broken_xform():
    # An .xls (BIFF) cell can hold characters XML cannot carry, pasted from other programs: pyxform writes them
    # into an XForm that is not XML, which was refused as a whole, without sheet or row.
    from tests.surveys.xlsform_corpus import xls

    data = xls(
        survey=[["type", "name", "label"], ["text", "a", "Hola\x00mundo"], ["select_one c", "b", "B"]],
        choices=[["list_name", "name", "label"], ["c", "x", "Ex\x0btra"], ["c", "y", "Y"]],
    )
    assert problems_of(data) == [
        ("survey", 2, "The cell in column 'label' holds an invisible control character (U+0000) that a form cannot "
                      "carry: delete it."),
        ("choices", 2, "The cell in column 'label' holds an invisible control character (U+000B) that a form "
                       "cannot carry: delete it."),
    ]  # fmt: skip


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


# --- Hostile files ----------------------------------------------------------------------------------


def with_sheet_xml(data: bytes, change) -> bytes:
    """``data`` with its first sheet's XML passed through ``change`` (the rest of the archive as it was)."""
    rewritten = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as copy:
        for member in original.infolist():
            content = original.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            copy.writestr(member.filename, content)
    return rewritten.getvalue()


def only_problem(data) -> str:
    [(sheet, row, message)] = problems_of(data)
    assert (sheet, row) == ("", None)
    return message


FORMULA_FORM = xlsx(
    survey=[
        ["type", "name", "label", "hint"],
        ["text", "nombre", '=CONCAT("Nom", "bre")', None],
        ["integer", "edad", "Edad", '=UPPER("años")'],
    ]
)


def test_a_formula_with_its_computed_value_reads_as_that_value_as_pyxform_reads_it():
    data = with_sheet_xml(
        FORMULA_FORM,
        lambda xml: (
            xml.replace(b'<c r="C2"><f>', b'<c r="C2" t="str"><f>')
            .replace(b'<c r="D3"><f>', b'<c r="D3" t="str"><f>')
            .replace(b"</f><v /></c></row><row", b"</f><v>Nombre</v></c></row><row", 1)
            .replace(b"</f><v /></c></row></sheetData>", "</f><v>AÑOS</v></c></row></sheetData>".encode())
        ),
    )
    spec = read_xlsform(data)
    assert [(q.labels, q.hints) for q in spec.questions] == [
        ({"default": "Nombre"}, {}),
        ({"default": "Edad"}, {"default": "AÑOS"}),
    ]
    assert convert(data, file_type=".xlsx").xform.count("Nombre") >= 1


def test_a_formula_never_computed_is_refused_on_its_row_instead_of_reading_as_empty():
    assert problems_of(FORMULA_FORM) == [
        ("survey", 2, "The cell in column 'label' holds a formula without a value: write the value itself."),
        ("survey", 3, "The cell in column 'hint' holds a formula without a value: write the value itself."),
    ]


def survey_of_rows(count: int) -> bytes:
    """An .xlsx whose survey sheet has ``count`` question rows, written as XML (openpyxl would take minutes)."""
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>text</t></is></c>'
        f'<c r="B{n}" t="inlineStr"><is><t>q{n}</t></is></c><c r="C{n}" t="inlineStr"><is><t>P{n}</t></is></c></row>'
        for n in range(2, count + 2)
    ).encode()
    return with_sheet_xml(
        xlsx(survey=[["type", "name", "label"]]),
        lambda xml: xml.replace(b"</row></sheetData>", b"</row>" + rows + b"</sheetData>"),
    )


def test_rows_and_columns_beyond_the_size_a_sheet_declares_are_read():
    data = xlsx(survey=[["type", "name", "label", "hint"], ["text", "a", "A"], ["text", "b", "B", "Bien"]])
    # A stale declared size (some tools write one) leaves out the last row and the last column.
    data = with_sheet_xml(data, lambda xml: xml.replace(b'<dimension ref="A1:D3"', b'<dimension ref="A1:C2"'))
    assert [(q.code, q.hints) for q in read_xlsform(data).questions] == [("a", {}), ("b", {"default": "Bien"})]


def test_a_survey_of_200000_rows_is_refused_without_reading_past_the_limit(monkeypatch):
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from pyxform import xls2json_backends

    data = survey_of_rows(200_000)
    assert len(data) < MAX_FILE_BYTES
    read = {"rows": 0}
    original = ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            read["rows"] += 1
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    monkeypatch.setattr(xls2json_backends, "get_xlsform", lambda *a, **k: pytest.fail("pyxform read the sheet"))
    assert problems_of(data) == [("survey", MAX_SURVEY_ROWS + 2, f"The sheet has more than {MAX_SURVEY_ROWS} rows.")]
    assert read["rows"] == MAX_SURVEY_ROWS + 2


def test_a_survey_at_the_row_limit_is_read():
    assert len(read_xlsform(survey_of_rows(MAX_SURVEY_ROWS)).questions) == MAX_SURVEY_ROWS


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("(" * 10_000 + "1" + ")" * 10_000, "The expression is too long: 20001 characters, at most 10000."),
        ("(" * 4_000 + "1" + ")" * 4_000, "The expression nests too deeply at character 100: at most 100 levels."),
        ("-" * 9_000 + "1", "The expression nests too deeply"),
    ],
)
def test_an_expression_nested_thousands_of_levels_deep_is_refused_on_its_row(expression, message):
    data = xlsx(
        survey=[["type", "name", "label", "relevant"], ["text", "a", "A", None], ["text", "b", "B", expression]]
    )
    [(sheet, row, found)] = problems_of(data)
    assert (sheet, row) == ("survey", 3) and found.startswith(message)


def test_bytes_that_are_not_a_spreadsheet_are_refused():
    assert only_problem(b"type,name,label\ntext,a,A\n") == "This file is not an Excel spreadsheet (.xlsx or .xls)."
    assert only_problem(b"") == "This file is not an Excel spreadsheet (.xlsx or .xls)."
    assert only_problem("not bytes") == "The upload is not a file."
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("hello.txt", "a zip, but no workbook")
    assert only_problem(archive.getvalue()) == "This file is not an Excel spreadsheet (.xlsx or .xls)."


def test_an_xls_that_is_garbage_is_refused():
    assert only_problem(XLS_MAGIC + bytes(600)) == "The spreadsheet is damaged and cannot be read."
    assert only_problem(XLS_MAGIC + os.urandom(4000)) == "The spreadsheet is damaged and cannot be read."
    genuine = BY_NAME["plain_label_only"].xls()
    assert only_problem(genuine[: len(genuine) // 2]) == "The spreadsheet is damaged and cannot be read."


def test_an_xls_whose_sheet_is_damaged_is_refused():
    genuine = bytearray(BY_NAME["numeric_and_boolean_cells"].xls())
    genuine[int(0.375 * len(genuine))] = 1  # inside the survey sheet's records
    assert only_problem(bytes(genuine)) == "The spreadsheet is damaged and cannot be read."


def test_a_damaged_zip_is_refused():
    with zipfile.ZipFile(io.BytesIO(KOBO_FORM)) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    start = sheet.header_offset + 30 + len(sheet.filename) + len(sheet.extra) + 20  # inside the compressed sheet
    data = bytearray(KOBO_FORM)
    data[start : start + 40] = bytes(40)
    assert only_problem(bytes(data)) == "The spreadsheet is damaged and cannot be read."
    assert only_problem(KOBO_FORM[: len(KOBO_FORM) // 2]) == "This file is not an Excel spreadsheet (.xlsx or .xls)."


def test_a_zip_bomb_is_refused_before_anything_is_uncompressed(monkeypatch):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        with zipfile.ZipFile(io.BytesIO(KOBO_FORM)) as real:
            for member in real.infolist():
                zipped.writestr(member, real.read(member))
        zipped.writestr("xl/media/padding.bin", bytes(MAX_UNCOMPRESSED_BYTES + 1))
    data = archive.getvalue()
    assert len(data) < 1024 * 1024  # small on the wire
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda *a, **k: pytest.fail("a member was uncompressed"))
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("a member was opened"))
    assert only_problem(data) == "The spreadsheet would take more than 50 MB once uncompressed: it is not an XLSForm."


def test_a_zip_that_claims_a_small_size_and_holds_a_large_sheet_is_refused():
    # The central directory says the sheet is 10 bytes: reading it past that is a damaged file, not a bomb.
    data = bytearray(KOBO_FORM)
    start = data.find(b"PK\x01\x02")
    while start != -1:
        name_length = int.from_bytes(data[start + 28 : start + 30], "little")
        if data[start + 46 : start + 46 + name_length] == b"xl/worksheets/sheet1.xml":
            data[start + 24 : start + 28] = (10).to_bytes(4, "little")
        start = data.find(b"PK\x01\x02", start + 4)
    assert only_problem(bytes(data)) == "The spreadsheet is damaged and cannot be read."


# --- Any bytes: a spec or an XLSFormError, never another exception ---------------------------------


@given(st.binary(max_size=2000) | st.integers(0, len(KOBO_FORM) - 1).map(lambda i: KOBO_FORM[:i]))
@settings(max_examples=60, deadline=None)
def test_any_bytes_give_a_spec_or_an_xlsform_error(data):
    try:
        read_xlsform(data)
    except XLSFormError as error:
        assert error.problems


XLS_FORM = BY_NAME["numeric_and_boolean_cells"].xls()


@given(
    st.sampled_from([KOBO_FORM, XLS_FORM]),
    st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_corrupted_form_gives_a_spec_or_an_xlsform_error(original, flips):
    data = bytearray(original)
    for where, byte in flips:
        data[int(where * len(data))] = byte
    try:
        read_xlsform(bytes(data))
    except XLSFormError as error:
        assert error.problems


def test_last_saved_is_refused_on_each_row_that_uses_it_naming_the_feature():
    data = xlsx(
        survey=[
            ["type", "name", "label", "default", "calculation"],
            ["text", "region", "Región", None, None],
            ["text", "distrito", "Distrito", "${last-saved#distrito}", None],
            ["calculate", "antes", None, None, "concat('x', ${last-saved#region})"],
        ]
    )
    with translation.override("es"):
        problems = problems_of(data)
    assert problems == [
        (
            "survey",
            3,
            "${last-saved#distrito} en el carácter 1 (la respuesta del último formulario guardado en el dispositivo, "
            "como la ofrece ODK Collect) no está disponible: el formulario web y el servidor no tienen ese formulario "
            "de dónde leerla. Escriba un valor predeterminado o haga la pregunta.",
        ),
        (
            "survey",
            4,
            "${last-saved#region} en el carácter 13 (la respuesta del último formulario guardado en el dispositivo, "
            "como la ofrece ODK Collect) no está disponible: el formulario web y el servidor no tienen ese formulario "
            "de dónde leerla. Escriba un valor predeterminado o haga la pregunta.",
        ),
    ]
