"""Importing regional economic data: a row-by-row preview, Spanish reasons, and every row or none."""

import io

import openpyxl
import pytest
from django.urls import reverse

from mapping import services
from mapping.models import CellMeasure, Dataset, Observation
from tests.mapping.data import HEADERS, WORLD_ROWS, csv_bytes, table, upload

pytestmark = pytest.mark.django_db


def _post_file(client, rows, headers=HEADERS, name="empleo.csv", **fields):
    data = {"name": "Empleo 2023", "source": "INEI", "notes": "", "file": upload(rows, headers, name), **fields}
    return client.post(reverse("mapping:import"), data)


def test_a_coordinator_previews_a_file_row_by_row_and_nothing_is_written_until_confirming(client_for, coordinator):
    client = client_for(coordinator)
    before = Dataset.objects.count()
    page = _post_file(client, WORLD_ROWS).content.decode()
    assert "24 filas por guardar" in page
    assert "0 rechazadas" in page
    assert "Departamento \u00d7 CIIU División" in page
    assert Dataset.objects.count() == before
    token = page.split('name="token" value="')[1].split('"')[0]
    response = client.post(reverse("mapping:import_confirm"), {"token": token})
    assert response.status_code == 302 and response["Location"] == reverse("mapping:candidates")
    dataset = Dataset.objects.latest()
    assert (dataset.name, dataset.source, dataset.territory_level, dataset.activity_level) == (
        "Empleo 2023",
        "INEI",
        "department",
        "division",
    )
    assert (dataset.first_year, dataset.last_year, dataset.row_count) == (2019, 2023, 24)
    assert Observation.objects.filter(dataset=dataset).count() == 24
    assert CellMeasure.objects.filter(dataset=dataset, region__code="21", sector__code="13").exists()
    assert "Importación hecha: 24 filas guardadas" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (("999999", "13", 2023, 10), "Código de ubigeo desconocido «999999»."),
        (("21", "ZZ", 2023, 10), "Código CIIU Rev.4 desconocido «ZZ»"),
        (("21", "13", 2023, -5), "Empleo no puede ser negativo (-5)."),
        (("21", "13", 2023, "doce"), "Empleo: «doce» no es un número."),
        (("21", "13", 2023, "12.5"), "Empleo debe ser un número entero (12.5)."),
        (("21", "13", 1850, 10), "«1850» no es un año entre 1950 y 2100."),
        (("21", "13", "", 10), "Falta el año."),
        (("", "13", 2023, 10), "Falta el código de ubigeo del territorio."),
        (("21", "13", 2023, ""), "Falta la cifra de empleo."),
        (("21", "13", 2023, "=1+1"), "fórmula de hoja de cálculo"),
        (("2101", "13", 2023, 10), "Este código es de nivel provincia; el resto del archivo es de nivel departamento."),
        (("21", "131", 2023, 10), "Este código CIIU es de nivel grupo; el resto del archivo es de nivel división."),
    ],
)
def test_a_bad_row_is_rejected_with_its_reason_in_spanish(client_for, coordinator, row, reason):
    rows = [("08", "79", 2023, 950), ("15", "14", 2023, 3100), ("12", "01", 2023, 1800), row]
    page = _post_file(client_for(coordinator), rows, headers=HEADERS[:4]).content.decode()
    assert reason in page
    assert "Este archivo no se puede aplicar" in page
    assert 'name="token"' not in page


def test_a_repeated_territory_activity_and_year_points_at_the_first_row(client_for, coordinator):
    rows = [("21", "13", 2023, 10), ("08", "79", 2023, 5), ("21", "13", 2023, 12)]
    page = _post_file(client_for(coordinator), rows, headers=HEADERS[:4]).content.decode()
    assert "Repite la fila 2: el mismo territorio, actividad y año." in page


def test_a_file_with_a_rejected_row_writes_nothing_even_when_applied():
    rows = [*WORLD_ROWS, ("21", "13", 2023, -1)]
    before = (Dataset.objects.count(), Observation.objects.count())
    report = services.dataset_import(table=table(rows), user=None, name="x", source="y", apply=True)
    assert not report.applied and report.rejected == 1
    (bad,) = [row for row in report.rows if row.reasons]
    assert len(bad.reasons) == 2  # negative, and a repeat of an earlier row
    assert (Dataset.objects.count(), Observation.objects.count()) == before


def test_codes_that_lost_their_leading_zero_and_english_headers_are_read():
    rows = [("8", "1", 2023, 10), ("15", "1", 2023, 30), ("8", "79", 2023, 4), ("15", "79", 2023, 2)]
    report = services.dataset_import(
        table=table(rows, headers=("territory", "activity", "year", "employment")),
        user=None,
        name="x",
        source="y",
        apply=True,
    )
    assert report.applied, report.rows
    assert set(Observation.objects.filter(dataset_id=report.dataset_id).values_list("region__code", flat=True)) == {
        "08",
        "15",
    }


def test_an_xlsx_file_with_numbers_as_numbers_is_read(client_for, coordinator):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Ubigeo", "CIIU", "Año", "Empleo", "Remuneraciones"])
    sheet.append(["21", "1410", 2023, 120, 1_500_000.5])
    sheet.append(["08", "1410", 2023, 80, 900_000])
    sheet.append(["08", "7911", 2023, 300, 2_000_000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    from django.core.files.base import ContentFile

    client = client_for(coordinator)
    page = client.post(
        reverse("mapping:import"),
        {"name": "Clases", "source": "INEI", "file": ContentFile(buffer.getvalue(), name="clases.xlsx")},
    ).content.decode()
    assert "3 filas por guardar" in page
    assert "Departamento \u00d7 CIIU Clase" in page


def test_a_file_that_is_not_a_spreadsheet_is_refused_before_any_row(client_for, coordinator):
    from django.core.files.base import ContentFile

    page = (
        client_for(coordinator)
        .post(
            reverse("mapping:import"),
            {"name": "x", "source": "y", "file": ContentFile(b"\x89PNG\r\n\x1a\n\x00\x00", name="foto.png")},
        )
        .content.decode()
    )
    assert "Suba un archivo CSV o XLSX" in page


def test_a_file_without_the_required_columns_says_which_are_missing(client_for, coordinator):
    page = _post_file(client_for(coordinator), [("21", 2023)], headers=("ubigeo", "año")).content.decode()
    assert "faltan estas: activity, employment" in page


def test_confirming_a_preview_that_is_gone_writes_nothing(client_for, coordinator):
    before = Dataset.objects.count()
    response = client_for(coordinator).post(reverse("mapping:import_confirm"), {"token": "nope"}, follow=True)
    assert "Esa vista previa ya no está disponible" in response.content.decode()
    assert Dataset.objects.count() == before


def test_the_template_names_the_columns_in_spanish(client_for, coordinator):
    response = client_for(coordinator).get(reverse("mapping:import_template") + "?format=csv")
    first_line = response.content.decode("utf-8-sig").splitlines()[0]
    assert first_line.startswith("ubigeo,ciiu,año,empleo")


def test_the_demo_file_is_the_illustrative_dataset_and_imports_cleanly(client_for, coordinator):
    client = client_for(coordinator)
    content = client.get(reverse("mapping:demo_file")).content
    assert content.startswith(b"ubigeo,ciiu,a\xc3\xb1o,empleo")
    report = services.dataset_import(
        table=table_from_bytes(content), user=coordinator, name="demo", source="demo", illustrative=True, apply=False
    )
    assert report.can_apply and report.total > 4000 and report.years == (2019, 2023)


def table_from_bytes(content):
    from django.conf import settings
    from django.core.files.base import ContentFile

    from clusters.imports import read_table
    from mapping.imports import data_format

    return read_table(
        ContentFile(content, name="x.csv"), max_bytes=settings.MAPPING_MAX_IMPORT_BYTES, table_format=data_format()
    )


def test_the_csv_bytes_helper_writes_what_the_reader_reads():
    assert csv_bytes([("21", "13", 2023, 5)], HEADERS[:4]).decode().splitlines()[1] == "21,13,2023,5"


def test_hostile_cells_in_a_file_are_rejected_and_shown_as_text(client_for, coordinator):
    rows = [
        ("<script>alert(1)</script>", "13", 2023, 10),
        ("21", '=HYPERLINK("http://evil.example")', 2023, 10),
        ("21", "13", "2023", "1e309"),
        ("\x1b[31m", "13", 2023, 10),
        ("21", "A" * 5000, 2023, 10),
        ("08", "79", "2025-02-30", 10),
        ("15", "14", 2023, "NaN"),
        ("12", "01", 2023, "١٢٣"),
    ]
    response = _post_file(client_for(coordinator), rows, headers=HEADERS[:4])
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "7 rechazadas" in page  # Arabic-Indic digits are read as the number they are (123)
    assert not Dataset.objects.filter(name="Empleo 2023").exists()


def test_a_file_with_a_nul_byte_is_refused_as_a_whole(client_for, coordinator):
    page = _post_file(client_for(coordinator), [("\x00", "13", 2023, 10)], headers=HEADERS[:4]).content.decode()
    assert "Este archivo no es un archivo de texto CSV" in page
    assert "{#" not in page  # the error summary's comment stays a comment
