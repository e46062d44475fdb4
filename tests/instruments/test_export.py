"""The indicator tracking table (XLSX): rows are indicators, columns baseline, target, each period, % of target."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories as f

pytestmark = pytest.mark.django_db


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return rows[0], {row[3]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def _waste_indicator(world):
    indicator = f.IndicatorFactory(
        intervention=world.intervention_a,
        name="Merma de fibra",
        unit="%",
        direction="decrease",
        baseline_value=Decimal("18"),
        target_value=Decimal("8"),
    )
    for date, value, status in (
        (datetime.date(2024, 2, 15), "17", "approved"),
        (datetime.date(2024, 3, 30), "16", "approved"),
        (datetime.date(2024, 11, 30), "13", "approved"),
        (datetime.date(2025, 1, 31), "9", "pending"),
    ):
        f.MeasurementFactory(indicator=indicator, date=date, value=Decimal(value), status=status)
    return indicator


def test_tracking_table_by_quarter_has_each_quarters_latest_approved_value_and_percent_of_target(client_for, world):
    _waste_indicator(world)
    response = client_for(world.users["manager"]).get(reverse("instruments:indicator_export"), {"period": "quarter"})
    header, rows = _sheet(response)
    assert header[:10] == [
        "Clúster",
        "Intervención",
        "Instrumento",
        "Indicador",
        "Unidad",
        "Sentido",
        "Línea de base",
        "Fecha de línea de base",
        "Meta",
        "Fecha meta",
    ]
    assert header[10:] == ["2024-T1", "2024-T2", "2024-T3", "2024-T4", "Último valor aprobado", "% de la meta"]
    waste = rows["Merma de fibra"]
    assert waste["Clúster"] == "Pelos Finos de Camélidos"
    assert waste["Sentido"] == "Disminuir"
    assert waste["Línea de base"] == 18
    assert waste["Meta"] == 8
    assert waste["2024-T1"] == 16  # the latest approved of the quarter
    assert waste["2024-T2"] is None
    assert waste["2024-T4"] == 13
    assert waste["Último valor aprobado"] == 13
    assert waste["% de la meta"] == pytest.approx(0.5)  # (13 - 18) / (8 - 18); the pending 9 does not count


def test_tracking_table_by_year_and_scoped_to_what_the_user_may_see(client_for, world):
    _waste_indicator(world)
    f.MeasurementFactory(indicator=world.indicator_b, date=datetime.date(2025, 5, 1), status="approved")
    researcher = client_for(world.users["researcher_a"])
    header, rows = _sheet(researcher.get(reverse("instruments:indicator_export"), {"period": "year"}))
    # Cluster B's 2025 measurement is not hers: no 2025 column either.
    assert header[10:] == ["2024", "Último valor aprobado", "% de la meta"]
    assert set(rows) == {world.indicator_a.name, "Merma de fibra"}
    assert rows["Merma de fibra"]["2024"] == 13
    assert researcher.get(reverse("instruments:indicator_export"), {"cluster": "cafe"}).status_code == 404


def test_text_typed_by_users_never_runs_as_a_formula(client_for, world):
    f.IndicatorFactory(intervention=world.intervention_a, name='=HYPERLINK("http://evil.example","x")')
    response = client_for(world.users["coordinator"]).get(
        reverse("instruments:indicator_export"), {"cluster": "camelidos"}
    )
    _header, rows = _sheet(response)
    assert '\'=HYPERLINK("http://evil.example","x")' in rows
