import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyxform.xls2xform import convert

from clusters.models import Relationship
from surveys.models import Question
from surveys.xlsform import (
    ChoiceSpec,
    FormSpec,
    QuestionSpec,
    SectionSpec,
    XLSFormError,
    read_xlsform,
    write_xlsform,
)

T = Question.Type


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def xlsx(**sheets: list[list]) -> bytes:
    """An .xlsx with one sheet per keyword, rows as given (the first is the header)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems_of(data: bytes) -> list[tuple[str, int | None, str]]:
    with pytest.raises(XLSFormError) as caught:
        read_xlsform(data)
    return [(problem.sheet, problem.row, problem.message) for problem in caught.value.problems]


# --- A form as KoBoToolbox users write them ---------------------------------------------------------

SURVEY_HEADER = [
    "type", "name", "label::Español (es)", "label::English (en)", "hint::Español (es)", "hint::English (en)",
    "required", "relevant", "constraint", "constraint_message::Español (es)", "appearance",
    "instance::casebook:type", "instance::casebook:relationship",
]  # fmt: skip
KOBO_FORM = xlsx(
    survey=[
        SURVEY_HEADER,
        ["start", "start"],
        ["end", "end"],
        ["begin_group", "perfil", "Perfil de la empresa", "Firm profile", None, None, None, None, None, None,
         "field-list"],
        ["text", "razon_social", "Razón social", "Company name", "Como figura en SUNAT", "As registered with SUNAT",
         "yes"],
        ["integer", "anio_fundacion", "Año de fundación", "Year founded", None, None, None, None,
         ". >= 1900 and . <= 2026", "Año inválido"],
        ["decimal", "ventas", "Ventas anuales (S/)", "Annual sales (PEN)", None, None, None, None, ".>=0"],
        ["select one tamano", "tamano", "Tamaño (Ley 30056)", "Size", None, None, True],
        ["end_group"],
        [],
        ["begin group", "comercio", "Comercio exterior", "Foreign trade"],
        ["select_one sino", "exporta", "¿Exporta?", "Does it export?", None, None, None, None, None, None, None,
         "yes_no"],
        ["select_multiple mercados", "mercados", "Mercados de destino", "Destination markets", None, None, None,
         "${exporta} = 'yes'"],
        ["integer", "participacion_usa", "% de ventas a EE.UU.", "% of sales to the USA", None, None, None,
         "selected(${mercados}, 'usa')", ". >= 0 and . <= 100"],
        ["integer", "satisfaccion", "Satisfacción con el clúster", "Satisfaction with the cluster",
         "1 = nada, 5 = mucho", "1 = not at all, 5 = very", None, None, ". >= 1 and . <= 5", None, "likert",
         "scale"],
        ["end group"],
        ["select_multiple_from_file actors.csv", "proveedores", "Principales proveedores", "Main suppliers", None,
         None, None, "${exporta} = 'yes' or ${ventas} > 1000000", None, None, None, "actor_relationship",
         "supplies"],
        ["text", "comentarios", "Comentarios", None, None, None, "no", None, None, None, "multiline"],
        ["date", "fecha_visita", "Fecha de la visita", "Date of visit", None, None, 1],
    ],
    choices=[
        ["list_name", "name", "label::Español (es)", "label::English (en)"],
        ["tamano", "micro", "Micro", "Micro"],
        ["tamano", "pequena", "Pequeña", "Small"],
        ["tamano", "mediana", "Mediana", "Medium"],
        ["tamano", "grande", "Grande", "Large"],
        ["sino", "yes", "Sí", "Yes"],
        ["sino", "no", "No", "No"],
        ["mercados", "usa", "Estados Unidos", "United States"],
        ["mercados", "ue", "Unión Europea", "European Union"],
        ["mercados", "china", "China", None],
        ["sin_uso", "x", "Lista que nadie usa", None],
    ],
    settings=[
        ["form_title", "form_id", "version", "default_language", "style"],
        ["Entrevista a actores del clúster", "entrevista_cluster", 2024061801, "Español (es)", "pages"],
    ],
)  # fmt: skip

KOBO_SPEC = FormSpec(
    title="Entrevista a actores del clúster",
    form_id="entrevista_cluster",
    version="2024061801",
    default_language="es",
    sections=[
        SectionSpec("perfil", "Perfil de la empresa", "Firm profile"),
        SectionSpec("comercio", "Comercio exterior", "Foreign trade"),
    ],
    questions=[
        QuestionSpec("razon_social", T.TEXT, "Razón social", "Company name", "Como figura en SUNAT",
                     "As registered with SUNAT", required=True, section_code="perfil"),
        QuestionSpec("anio_fundacion", T.INTEGER, "Año de fundación", "Year founded", min_value=Decimal(1900),
                     max_value=Decimal(2026), section_code="perfil"),
        QuestionSpec("ventas", T.DECIMAL, "Ventas anuales (S/)", "Annual sales (PEN)", min_value=Decimal(0),
                     section_code="perfil"),
        QuestionSpec("tamano", T.SINGLE_CHOICE, "Tamaño (Ley 30056)", "Size", required=True, section_code="perfil",
                     choices=[ChoiceSpec("micro", "Micro", "Micro"), ChoiceSpec("pequena", "Pequeña", "Small"),
                              ChoiceSpec("mediana", "Mediana", "Medium"), ChoiceSpec("grande", "Grande", "Large")]),
        QuestionSpec("exporta", T.YES_NO, "¿Exporta?", "Does it export?", section_code="comercio"),
        QuestionSpec("mercados", T.MULTIPLE_CHOICE, "Mercados de destino", "Destination markets",
                     relevant="${exporta} = 'yes'", section_code="comercio",
                     choices=[ChoiceSpec("usa", "Estados Unidos", "United States"),
                              ChoiceSpec("ue", "Unión Europea", "European Union"), ChoiceSpec("china", "China")]),
        QuestionSpec("participacion_usa", T.INTEGER, "% de ventas a EE.UU.", "% of sales to the USA",
                     relevant="selected(${mercados}, 'usa')", min_value=Decimal(0), max_value=Decimal(100),
                     section_code="comercio"),
        QuestionSpec("satisfaccion", T.SCALE, "Satisfacción con el clúster", "Satisfaction with the cluster",
                     "1 = nada, 5 = mucho", "1 = not at all, 5 = very", section_code="comercio"),
        QuestionSpec("proveedores", T.ACTOR_RELATIONSHIP, "Principales proveedores", "Main suppliers",
                     relevant="${exporta} = 'yes' or ${ventas} > 1000000", relationship_kind="supplies"),
        QuestionSpec("comentarios", T.LONG_TEXT, "Comentarios"),
        QuestionSpec("fecha_visita", T.DATE, "Fecha de la visita", "Date of visit", required=True),
    ],
)  # fmt: skip


def test_a_kobo_style_form_imports_into_the_expected_spec():
    assert read_xlsform(KOBO_FORM) == KOBO_SPEC


def test_export_then_import_gives_the_same_spec():
    assert read_xlsform(write_xlsform(KOBO_SPEC)) == KOBO_SPEC


def test_the_export_converts_with_pyxform_in_both_languages():
    result = convert(write_xlsform(KOBO_SPEC), file_type=".xlsx")
    xform = result.xform
    assert '<translation lang="Español (es)" default="true()">' in xform
    assert "<value>Perfil de la empresa</value>" in xform and "<value>Firm profile</value>" in xform
    assert "relevant=\"selected( /data/comercio/mercados , 'usa')\"" in xform
    assert 'constraint=". &gt;= 1900 and . &lt;= 2026"' in xform
    assert 'casebook:type="scale"' in xform and 'casebook:relationship="supplies"' in xform
    assert 'xmlns:casebook="urn:cluster-casebook:xlsform"' in xform
    assert '<instance id="actors" src="jr://file-csv/actors.csv"/>' in xform
    assert 'appearance="multiline"' in xform


def test_a_plain_label_column_is_spanish_and_other_languages_are_ignored():
    data = xlsx(
        survey=[
            ["type", "name", "label", "label::Quechua (qu)", "hint", "label::English"],
            ["text", "nombre", "Nombre", "Suti", "Completo", "Name"],
        ]
    )
    assert read_xlsform(data).questions == [QuestionSpec("nombre", T.TEXT, "Nombre", "Name", "Completo")]


def test_a_form_without_settings_or_choices_gets_defaults():
    spec = read_xlsform(xlsx(survey=[["type", "name", "label"], ["integer", "empleados", "Empleados"]]))
    assert (spec.title, spec.form_id, spec.version, spec.default_language) == ("", "", "", "es")
    english = xlsx(
        survey=[["type", "name", "label"], ["text", "a", "A"]],
        settings=[["default_language"], ["English (en)"]],
    )
    assert read_xlsform(english).default_language == "en"


def test_text_that_looks_like_a_formula_stays_text():
    spec = FormSpec(questions=[QuestionSpec("total", T.TEXT, "=SUM(A1:A9)", '=HYPERLINK("http://x")')])
    data = write_xlsform(spec)
    survey = openpyxl.load_workbook(io.BytesIO(data))["survey"]
    assert survey["C2"].data_type == "s" and survey["C2"].value == "=SUM(A1:A9)"
    assert read_xlsform(data) == spec


def test_questions_of_a_section_must_be_together_to_export():
    spec = FormSpec(
        sections=[SectionSpec("s", "S")],
        questions=[
            QuestionSpec("a", T.TEXT, "A", section_code="s"),
            QuestionSpec("b", T.TEXT, "B"),
            QuestionSpec("c", T.TEXT, "C", section_code="s"),
        ],
    )
    with pytest.raises(ValueError, match="not together"):
        write_xlsform(spec)


# --- Round trip of any questionnaire ----------------------------------------------------------------

codes = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
labels = st.text(alphabet="abcñáéÁ ¿?¡!=%()/.,:;'\"-0123456789😀", min_size=1, max_size=30).map(str.strip).filter(bool)
optional_labels = st.just("") | labels
limits = st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False, allow_infinity=False)


@st.composite
def form_specs(draw):
    names = draw(st.lists(codes, min_size=1, max_size=14, unique=True))
    section_count = draw(st.integers(0, min(3, len(names) - 1)))
    section_codes, question_codes = names[:section_count], names[section_count:]
    sections = [SectionSpec(code, draw(labels), draw(optional_labels)) for code in section_codes]
    # Questions in blocks: each section's questions together, unsectioned ones anywhere between.
    # Each section's questions come together as one block; unsectioned questions go anywhere between blocks.
    members = {code: [] for code in section_codes}
    sequence = [("section", code) for code in section_codes]
    for code in question_codes:
        section = draw(st.sampled_from([None, *section_codes]))
        if section:
            members[section].append(code)
        else:
            sequence.insert(draw(st.integers(0, len(sequence))), ("question", code))
    order = [
        (code, section if kind == "section" else None)
        for kind, section in sequence
        for code in (members[section] if kind == "section" else [section])
    ]
    used = []
    questions = []
    for code, section in order:
        qtype = draw(st.sampled_from(T.values))
        question = QuestionSpec(
            code, qtype, draw(labels), draw(optional_labels), draw(optional_labels), draw(optional_labels),
            required=draw(st.booleans()), section_code=section,
        )  # fmt: skip
        if questions and draw(st.booleans()):
            other = draw(st.sampled_from(questions)).code
            question.relevant = draw(st.sampled_from([f"${{{other}}} != ''", f"selected(${{{other}}}, 'a') or true()"]))
        if qtype in (T.INTEGER, T.DECIMAL):
            low, high = draw(st.none() | limits), draw(st.none() | limits)
            if low is not None and high is not None and low > high:
                low, high = high, low
            question.min_value, question.max_value = low, high
        if qtype in (T.SINGLE_CHOICE, T.MULTIPLE_CHOICE):
            values = draw(st.lists(st.from_regex(r"[a-z0-9_]{1,8}", fullmatch=True), min_size=1, max_size=4,
                                   unique=True))  # fmt: skip
            question.choices = [ChoiceSpec(value, draw(labels), draw(optional_labels)) for value in values]
        if qtype == T.ACTOR_RELATIONSHIP:
            question.relationship_kind = draw(st.sampled_from(["", *Relationship.Kind.values]))
        if section and section not in used:
            used.append(section)
        questions.append(question)
    # Sections come back in the order the form first opens them; empty ones after.
    sections.sort(key=lambda s: used.index(s.code) if s.code in used else len(used) + section_codes.index(s.code))
    return FormSpec(
        title=draw(st.just("") | labels),
        form_id=draw(st.just("") | codes),
        version=draw(st.just("") | st.from_regex(r"[0-9]{1,10}", fullmatch=True)),
        default_language=draw(st.sampled_from(["es", "en"])),
        sections=sections,
        questions=questions,
    )


@given(form_specs())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_questionnaire_survives_export_and_import(spec):
    data = write_xlsform(spec)
    assert read_xlsform(data) == spec
    convert(data, file_type=".xlsx")  # and ODK's converter takes it


# --- Refused rows -----------------------------------------------------------------------------------


def test_unsupported_rows_are_reported_by_row_with_a_reason_and_nothing_is_imported():
    data = xlsx(
        survey=[
            ["type", "name", "label", "calculation"],
            ["text", "nombre", "Nombre"],
            ["begin repeat", "visitas", "Visitas"],
            ["date", "fecha", "Fecha"],
            ["end repeat"],
            ["image", "foto", "Foto"],
            ["geopoint", "ubicacion", "Ubicación"],
            ["calculate", "total", None, "1 + 1"],
            ["note", "aviso", "Aviso"],
            ["select_one_from_file distritos.csv", "distrito", "Distrito"],
            ["begin group", "g1", "Grupo"],
            ["begin group", "g2", "Subgrupo"],
            ["end group"],
            ["end group"],
            ["rank", "prioridades", "Prioridades"],
            ["select_one sino or_other", "otro", "Otro"],
            ["range", "rango", "Rango"],
            ["Text", "mayuscula", "Mayúscula"],
            ["select_multiple_from_file actores.csv", "aliados", "Aliados"],
        ],
        choices=[["list_name", "name", "label"], ["sino", "yes", "Sí"], ["sino", "no", "No"]],
    )
    found = {(sheet, row): message for sheet, row, message in problems_of(data)}
    assert sorted(found) == [("survey", row) for row in (3, 6, 7, 8, 9, 10, 12, 15, 16, 17, 18, 19)]
    assert "Repeat groups are not supported" in found[("survey", 3)]
    assert "attach them to the interview" in found[("survey", 6)]
    assert "Location questions" in found[("survey", 7)]
    assert "Calculations" in found[("survey", 8)]
    assert "Notes" in found[("survey", 9)]
    assert "Choices from a file" in found[("survey", 10)]
    assert "Groups inside groups" in found[("survey", 12)]
    assert "'rank' is not supported" in found[("survey", 15)]
    assert "'or_other' is not supported" in found[("survey", 16)]
    assert "'range' is not supported" in found[("survey", 17)]
    assert "'Text' is not supported" in found[("survey", 18)]  # type names are case-sensitive, as in ODK
    assert "Choices from a file" in found[("survey", 19)]


def test_mistakes_in_names_labels_lists_and_conditions_are_all_reported():
    data = xlsx(
        survey=[
            ["type", "name", "label", "label::English (en)", "relevant", "required", "constraint",
             "instance::casebook:type", "instance::casebook:relationship"],
            ["text", "nombre", "Nombre"],
            ["integer", "nombre", "Otra vez"],
            ["text", "sin_etiqueta", None, "Only English"],
            ["select_one colores", "color", "Color"],
            ["text", "ventas", "Ventas", None, "${exportz} = 'yes'"],
            ["text", "eco", "Eco", None, "${eco} != ''"],
            ["text", "roto", "Roto", None, "${nombre} = "],
            ["text", "2mal", "Mal nombre"],
            ["text", "condicional", "Condicional", None, None, "${nombre} != ''"],
            ["text", "ruc", "RUC", None, None, None, "regex(., '^[0-9]{11}$')"],
            ["integer", "rango", "Rango", None, None, None, ". >= 10 and . <= 1"],
            ["integer", "escala", "Escala", None, None, None, ". >= 0 and . <= 10", "scale"],
            ["select_one sino", "exporta", "Exporta", None, None, None, None, "yes_no"],
            ["text", "marcado", "Marcado", None, None, None, None, "yes_no"],
            ["select_multiple_from_file actors.csv", "aliados", "Aliados", None, None, None, None,
             "actor_relationship", "friends"],
            ["", "huerfano", "Sin tipo"],
            ["begin group", "bloque", None],
            ["end group"],
            ["end group"],
        ],
        choices=[
            ["list_name", "name", "label"],
            ["sino", "yes", "Sí"],
            ["sino", "maybe", "Quizá"],
            ["sino", "yes", "Sí otra vez"],
            ["sino", "no sé", "No sé"],
            ["sino", "no", None],
            [None, "suelto", "Suelto"],
        ],
        settings=[["default_language"], ["Quechua (qu)"]],
    )  # fmt: skip
    found = problems_of(data)
    messages = {(sheet, row): message for sheet, row, message in found}
    expected = {
        ("settings", 2): "neither Spanish (es) nor English (en)",
        ("survey", 3): "The name 'nombre' is already used on row 2.",
        ("survey", 4): "The question has no Spanish label",
        ("survey", 5): "The choice list 'colores' is not on the choices sheet.",
        ("survey", 6): "Unknown question 'exportz' at character 3.",
        ("survey", 7): "A question cannot depend on itself: 'eco'",
        ("survey", 8): "Unexpected end of the condition at character 12",
        ("survey", 9): "The name '2mal' is missing or not valid",
        ("survey", 10): "'required' must be yes or no",
        ("survey", 11): "The constraint 'regex(., '^[0-9]{11}$')' is not supported",
        ("survey", 12): "The minimum 10 is above the maximum 1.",
        ("survey", 13): "A scale takes the values 1 to 5",
        ("survey", 14): "exactly the choices 'yes' and 'no'",
        ("survey", 15): "casebook:type 'yes_no' does not fit the type 'text'.",
        ("survey", 16): "casebook:relationship 'friends' is not valid",
        ("survey", 17): "The row has no type.",
        ("survey", 18): "The group has no Spanish label",
        ("survey", 20): "'end group' closes a group that was never opened.",
        ("choices", 4): "The choice 'yes' is already in list 'sino' on row 2.",
        ("choices", 5): "The choice name 'no sé' is missing or not valid",
        ("choices", 6): "The choice has no Spanish label",
        ("choices", 7): "The choice has no list_name.",
    }
    assert sorted(messages) == sorted(expected)
    for place, text in expected.items():
        assert text in messages[place], place
    assert [sheet for sheet, _, _ in found] == ["settings"] + ["survey"] * 17 + ["choices"] * 4


def test_a_column_that_appears_twice_is_reported():
    data = xlsx(survey=[["type", "name", "label", "Label"], ["text", "a", "A", "B"]])
    assert problems_of(data) == [("survey", 1, "The column 'Label' appears twice.")]


def test_an_unclosed_group_is_reported_where_it_opens():
    data = xlsx(survey=[["type", "name", "label"], ["begin group", "g", "G"], ["text", "a", "A"]])
    assert problems_of(data) == [("survey", 2, "'begin group' is never closed with an 'end' row.")]


def test_what_pyxform_rejects_is_reported_with_its_row():
    data = xlsx(survey=[["type", "name", "label"], ["text", "a", "A"], ["text", "b", "Ventas de ${missing}"]])
    [(sheet, row, message)] = problems_of(data)
    assert (sheet, row) == ("survey", 3)
    assert message.startswith("ODK's converter rejects the form:") and "'missing'" in message


# --- Hostile files ----------------------------------------------------------------------------------


def only_problem(data) -> str:
    [(sheet, row, message)] = problems_of(data)
    assert (sheet, row) == ("", None)
    return message


def test_bytes_that_are_not_a_spreadsheet_are_refused():
    assert only_problem(b"type,name,label\ntext,a,A\n") == "This file is not an Excel .xlsx spreadsheet."
    assert "old Excel .xls" in only_problem(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert only_problem("not bytes") == "The upload is not a file."
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("hello.txt", "a zip, but no workbook")
    assert only_problem(archive.getvalue()) == "This file is not an Excel .xlsx spreadsheet."


def test_a_damaged_spreadsheet_is_refused():
    with zipfile.ZipFile(io.BytesIO(KOBO_FORM)) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    start = sheet.header_offset + 30 + len(sheet.filename) + len(sheet.extra) + 20  # inside the compressed sheet
    data = bytearray(KOBO_FORM)
    data[start : start + 40] = bytes(40)
    assert only_problem(bytes(data)) == "The spreadsheet is damaged and cannot be read."


def test_a_zip_bomb_is_refused_before_it_is_opened():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        with zipfile.ZipFile(io.BytesIO(KOBO_FORM)) as real:
            for member in real.infolist():
                zipped.writestr(member, real.read(member))
        zipped.writestr("xl/media/padding.bin", bytes(51 * 1024 * 1024))
    assert len(archive.getvalue()) < 1024 * 1024  # small on the wire
    assert "more than 50 MB once uncompressed" in only_problem(archive.getvalue())


def test_a_spreadsheet_without_a_survey_sheet_is_refused():
    data = xlsx(choices=[["list_name", "name", "label"], ["sino", "yes", "Sí"]])
    assert only_problem(data) == "The spreadsheet has no 'survey' sheet."


def test_a_survey_sheet_with_too_many_rows_is_refused():
    rows = [["type", "name", "label"]] + [["text", f"q{n}", f"Pregunta {n}"] for n in range(2001)]
    assert problems_of(xlsx(survey=rows)) == [("survey", 2002, "The sheet has more than 2000 rows.")]


def test_a_sheet_with_too_many_columns_is_refused():
    data = xlsx(survey=[["type", "name", "label"] + [f"extra{n}" for n in range(300)], ["text", "a", "A"]])
    assert problems_of(data) == [("survey", 1, "The sheet has more than 200 columns.")]


def test_rows_beyond_the_declared_sheet_size_are_still_read():
    data = xlsx(survey=[["type", "name", "label"], ["text", "a", "A"], ["text", "b", "B"]])
    rewritten = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(rewritten, "w") as copy:
        for member in original.infolist():
            content = original.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:C3"' in content
                content = content.replace(b'<dimension ref="A1:C3"', b'<dimension ref="A1:C2"')
            copy.writestr(member, content)
    assert [q.code for q in read_xlsform(rewritten.getvalue()).questions] == ["a", "b"]


@given(st.binary(max_size=2000) | st.integers(0, len(KOBO_FORM) - 1).map(lambda i: KOBO_FORM[:i]))
@settings(max_examples=150, deadline=None)
def test_any_bytes_give_a_spec_or_an_xlsform_error(data):
    try:
        read_xlsform(data)
    except XLSFormError as error:
        assert error.problems


@given(st.lists(st.tuples(st.integers(0, len(KOBO_FORM) - 1), st.integers(0, 255)), min_size=1, max_size=8))
@settings(max_examples=150, deadline=None)
def test_a_corrupted_form_gives_a_spec_or_an_xlsform_error(flips):
    data = bytearray(KOBO_FORM)
    for index, byte in flips:
        data[index] = byte
    try:
        read_xlsform(bytes(data))
    except XLSFormError as error:
        assert error.problems


def test_a_zip_that_claims_an_unsupported_version_is_refused_as_not_a_spreadsheet():
    # The central directory's "version needed to extract" (offset 6 of each entry) set to 6.4.
    data = bytearray(KOBO_FORM)
    start = data.find(b"PK\x01\x02")
    data[start + 6 : start + 8] = (64).to_bytes(2, "little")
    with pytest.raises(XLSFormError):
        read_xlsform(bytes(data))
