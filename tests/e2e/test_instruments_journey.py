"""A coordinator records an intervention, an indicator and two measurements, approves them and sees progress move."""

import re

import pytest
from playwright.sync_api import expect

from instruments.models import Intervention, Measurement

pytestmark = pytest.mark.django_db(transaction=True)


def _record_measurement(page, *, date, value):
    page.get_by_role("link", name="Registrar una medición").first.click()
    page.get_by_label("Fecha").fill(date)
    page.get_by_label(re.compile(r"^\s*Valor\W*$")).fill(value)
    page.get_by_label("Fuente").fill("Padrón de exportadores del programa")
    page.get_by_role("button", name="Guardar medición").click()
    expect(page.get_by_test_id("measurement-status")).to_have_text("Pendiente de revisión")


def _approve(page):
    page.get_by_label("Aprobar").check()
    page.get_by_role("button", name="Enviar revisión").click()
    expect(page.get_by_role("status")).to_contain_text("Medición aprobada")
    # A one-person team (the setting below): the approval of one's own measurement is shown as such.
    expect(page.get_by_test_id("self-approved").first).to_have_text("Aprobada por quien la registró")


def test_coordinator_records_an_intervention_and_sees_progress_move_as_measurements_are_approved(
    signed_in_page, world, live_server, settings
):
    settings.CASEBOOK_ALLOW_SELF_APPROVAL = True  # she is the whole team: nobody else could approve
    page = signed_in_page(world.users["coordinator"])
    page.goto(f"{live_server.url}/instruments/clusters/camelidos/")
    page.get_by_role("link", name="Registrar una intervención").click()

    page.get_by_label("Instrumento").select_option(label="Aumentar lazos externos — Redes de exportación")
    page.get_by_label("Título").fill("Red de exportadores de prendas de alpaca")
    page.get_by_label("Nivel de gobierno").select_option(label="Regional")
    page.get_by_label("Enfoque").select_option(label="Actores")
    page.get_by_label(re.compile("Textil Altiplano S.A.C.")).check()
    page.get_by_label("Fecha de inicio").fill("2024-03-01")
    page.get_by_label("Presupuesto planificado (S/)").fill("S/ 1,250,000.50")
    page.get_by_label("Estado").select_option(label="En ejecución")
    page.get_by_role("button", name="Guardar intervención").click()

    expect(page.get_by_role("heading", name="Red de exportadores de prendas de alpaca")).to_be_visible()
    expect(page.get_by_test_id("intervention-budget")).to_contain_text("S/ 1,250,000.50")
    intervention = Intervention.objects.get(title="Red de exportadores de prendas de alpaca")
    assert list(intervention.beneficiaries.values_list("name", flat=True)) == ["Textil Altiplano S.A.C."]

    page.get_by_role("link", name="Agregar un indicador").click()
    page.get_by_label("Nombre").fill("Empresas que exportan")
    page.get_by_label("Unidad").fill("empresas")
    page.get_by_label("Sentido").select_option(label="Aumentar")
    page.get_by_label("Valor de línea de base").fill("0")
    page.get_by_label("Fecha de línea de base").fill("2024-03-01")
    page.get_by_label("Valor meta").fill("20")
    page.get_by_label("Fecha meta").fill("2025-12-31")
    page.get_by_role("button", name="Guardar indicador").click()
    card = page.get_by_test_id("indicator-card")
    expect(card).to_contain_text("Aún no hay mediciones aprobadas")

    page.get_by_role("link", name="Empresas que exportan").click()
    _record_measurement(page, date="2024-09-30", value="5")
    _approve(page)
    expect(page.get_by_test_id("progress-value")).to_have_text("25 %")

    _record_measurement(page, date="2025-03-31", value="12")
    # Still pending: the bar has not moved yet.
    page.get_by_role("link", name="Empresas que exportan").click()
    expect(page.get_by_test_id("progress-value")).to_have_text("25 %")
    page.get_by_role("link", name="31/03/2025", exact=True).first.click()
    _approve(page)
    expect(page.get_by_test_id("progress-value")).to_have_text("60 %")
    bar = page.locator(".progress-bar").first
    expect(bar).to_have_attribute("style", re.compile(r"width: 60%"))

    assert list(Measurement.objects.filter(indicator__intervention=intervention).values_list("status", flat=True)) == [
        "approved",
        "approved",
    ]
    page.goto(f"{live_server.url}/instruments/clusters/camelidos/")
    expect(page.get_by_text("Red de exportadores de prendas de alpaca")).to_be_visible()
    expect(page.get_by_test_id("cluster-totals")).to_be_visible()
