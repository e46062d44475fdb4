"""Exports of the filtered interviews: CSV and XLSX, wide and long, streamed, formula-safe, flat in memory."""

import csv
import gc
import io
import tracemalloc

import openpyxl
import pytest
from django.urls import reverse

from surveys import exports
from surveys.models import Interview
from tests.surveys.conftest import bulk_interviews

pytestmark = pytest.mark.django_db


def _url(fmt, shape):
    return reverse("surveys:interview_export", kwargs={"fmt": fmt, "shape": shape})


def _csv(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_wide_csv_has_one_row_per_interview_and_a_column_per_question(client_for, world, questionnaire):
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 3)
    client = client_for(world.users["coordinator"])
    rows = _csv(client.get(_url("csv", "wide"), {"version": questionnaire.pk}))
    header = rows[0]
    assert header[:3] == ["interview_id", "uuid", "cluster"]
    assert {"empleados", "tamano", "mercados", "proveedores", "confianza"} <= set(header)
    assert len(rows) == 1 + 3
    size = rows[1][header.index("tamano")]
    assert size in {"Micro", "Pequeña", "Mediana", "Grande"}
    markets = rows[1][header.index("mercados")]
    assert "; " in markets
    # A place typed as a formula is neutralised.
    assert rows[1][header.index("place")] == '\'=HYPERLINK("http://x")'


def test_choices_can_be_exported_as_codes(client_for, world, questionnaire):
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 2)
    rows = _csv(
        client_for(world.users["coordinator"]).get(
            _url("csv", "wide"), {"version": questionnaire.pk, "choices": "codes"}
        )
    )
    assert rows[1][rows[0].index("tamano")] in {"micro", "pequena", "mediana", "grande"}
    assert rows[1][rows[0].index("exporta")] in {"yes", "no"}


def test_the_long_csv_has_one_row_per_answer(client_for, world, questionnaire):
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 2)
    rows = _csv(client_for(world.users["manager"]).get(_url("csv", "long"), {"version": questionnaire.pk}))
    assert rows[0] == exports.LONG_HEADER
    questions = questionnaire.questions.count()
    assert len(rows) == 1 + 2 * questions
    texts = [row for row in rows[1:] if row[6] == "barreras"]
    assert all(not row[9].startswith("-") for row in texts)


def test_the_xlsx_exports_open_in_a_spreadsheet(client_for, world, questionnaire):
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 2)
    client = client_for(world.users["coordinator"])
    for shape, expected_rows in (("wide", 3), ("long", 1 + 2 * questionnaire.questions.count())):
        response = client.get(_url("xlsx", shape), {"version": questionnaire.pk})
        assert response["Content-Disposition"].startswith("attachment;")
        workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        sheet = workbook.active
        assert sheet.max_row == expected_rows
        if shape == "wide":
            header = [cell.value for cell in sheet[1]]
            assert isinstance(sheet.cell(row=2, column=header.index("empleados") + 1).value, int)


def test_researchers_export_only_their_clusters_interviews(client_for, world, questionnaire):
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 2)
    bulk_interviews(questionnaire, world.cluster_b, world.actor_b, world.users["researcher_b"], 3)
    rows = _csv(client_for(world.users["researcher_b"]).get(_url("csv", "wide"), {"version": questionnaire.pk}))
    clusters = {row[2] for row in rows[1:]}
    assert clusters == {world.cluster_b.name}
    assert len(rows) == 1 + 3


def _peak_of_export(interviews):
    gc.collect()
    tracemalloc.start()
    handle = exports.xlsx_file(exports.wide_rows(interviews), title="x")
    for _row in exports.csv_stream(exports.long_rows(interviews)):
        pass
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    handle.close()
    return peak


def test_exporting_10000_interviews_keeps_memory_flat(world, questionnaire):
    researcher = world.users["researcher_a"]
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, researcher, 1000)
    small = _peak_of_export(Interview.objects.filter(version=questionnaire))
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, researcher, 9000, first_day=7)
    interviews = Interview.objects.filter(version=questionnaire)
    assert interviews.count() == 10000
    large = _peak_of_export(interviews)
    print(f"export peak memory: 1,000 interviews {small / 1e6:.1f} MB, 10,000 interviews {large / 1e6:.1f} MB")
    # Holding 10,000 interviews' rows would take ten times the memory of 1,000; chunked export stays flat.
    assert large / small < 1.5


def _workshop_interview(world):
    """A workshop interview (the demo's form: two product lines in a repeat, a location) saved by the service."""
    import datetime
    import uuid
    from decimal import Decimal

    from surveys import services
    from surveys.demo import import_form

    version = import_form("ficha_taller.md", world.users["coordinator"])
    answers = {
        "ubicacion": "-15.4997 -70.1333 3825 5",
        "local": "propio",
        "trabajadores": Decimal(12),
        ("producto", "1"): "Chompas",
        ("unidad", "1"): "kg",
        ("volumen_mensual", "1"): Decimal(120),
        ("precio_unitario", "1"): Decimal("85.5"),
        ("producto", "2"): "Chalinas",
        ("unidad", "2"): "unidades",
        ("volumen_mensual", "2"): Decimal(40),
    }
    services.interview_save(
        user=world.users["researcher_a"],
        uuid=uuid.uuid4(),
        version=version,
        cluster=world.cluster_a,
        actor=world.actor_a,
        details={"date": datetime.date(2025, 6, 1), "consent_given": True},
        answers=answers,
    )
    return version


def test_the_wide_xlsx_has_a_sheet_per_repeat_and_four_columns_per_location(client_for, world):
    version = _workshop_interview(world)
    response = client_for(world.users["coordinator"]).get(_url("xlsx", "wide"), {"version": version.pk})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Entrevistas", "lineas"]
    main = list(workbook["Entrevistas"].values)
    header = list(main[0])
    assert "producto" not in header  # inside the repeat: on its own sheet
    at = header.index("ubicacion_latitude")
    assert header[at : at + 4] == [
        "ubicacion_latitude",
        "ubicacion_longitude",
        "ubicacion_altitude",
        "ubicacion_accuracy",
    ]
    assert list(main[1][at : at + 4]) == [-15.4997, -70.1333, 3825, 5]
    assert main[1][header.index("ingreso_total")] == "10260"
    lines = list(workbook["lineas"].values)
    assert lines[0][:3] == ("interview_id", "uuid", "repeat")
    products = {row[2]: row[lines[0].index("producto")] for row in lines[1:]}
    assert products == {"1": "Chompas", "2": "Chalinas"}


def test_the_long_csv_keeps_each_answers_repetition_and_labels_follow_the_language_asked(client_for, world):
    version = _workshop_interview(world)
    client = client_for(world.users["coordinator"])
    rows = _csv(client.get(_url("csv", "long"), {"version": version.pk, "lang": "English (en)"}))
    header = rows[0]
    assert header == exports.LONG_HEADER
    repeat, label, value = header.index("repeat"), header.index("label"), header.index("value")
    products = sorted((row[repeat], row[value]) for row in rows[1:] if row[header.index("question")] == "producto")
    assert products == [("1", "Chompas"), ("2", "Chalinas")]
    unit = next(row for row in rows[1:] if row[header.index("question")] == "unidad" and row[repeat] == "1")
    assert (unit[label], unit[value]) == ("Unit of sale", "Kilograms")
    spanish = _csv(client.get(_url("csv", "long"), {"version": version.pk}))
    unit = next(row for row in spanish[1:] if row[header.index("question")] == "unidad" and row[repeat] == "1")
    assert (unit[label], unit[value]) == ("Unidad de venta", "Kilogramos")
