"""An XLSForm with groups, a repeat, calculations, a location and a photo, filled in Chromium at phone width."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from surveys.demo import import_form
from surveys.models import Answer, Attachment, Interview
from tests.openrosa.conftest import JPEG

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_researcher_fills_product_lines_a_location_and_a_photo(signed_in_page, world, page, live_server):
    version = import_form("ficha_taller.md", world.users["coordinator"])
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": -15.4997, "longitude": -70.1333, "accuracy": 8})
    page.set_viewport_size({"width": 375, "height": 800})
    signed_in_page(world.users["researcher_a"])
    page.goto(f"{live_server.url}/surveys/interviews/new/?version={version.pk}&cluster={world.cluster_a.slug}")
    expect(page.get_by_role("heading", name="Nueva entrevista")).to_be_visible()
    page.get_by_label("Actor entrevistado").select_option(label=world.actor_a.name)
    page.get_by_label("La persona entrevistada dio su consentimiento informado").check()

    # The location comes from the phone; the photo is taken (here: chosen) at its question.
    page.get_by_role("button", name="Usar la ubicación de este dispositivo").click()
    expect(page.get_by_label("Latitud")).to_have_value("-15.4997")
    page.get_by_label("Foto del taller (fachada o área de producción)").set_input_files(
        files=[{"name": "taller.jpg", "mimeType": "image/jpeg", "buffer": JPEG}]
    )
    page.locator("#question-local").get_by_label("Alquilado").check()

    # The first product line is there; a second one is added; each computes its income.
    first = page.locator("[data-repeat=lineas] [data-instance]").nth(0)
    first.get_by_label("Producto").fill("Chompas de alpaca")
    first.get_by_label("Kilogramos").check()
    first.get_by_label("Volumen vendido al mes").fill("120")
    first.get_by_label("Precio por unidad (S/)").fill("85,5")
    expect(first.locator("[data-code=nota_linea]")).to_contain_text("S/ 10260")
    page.get_by_role("button", name="Agregar: Línea de producto").click()
    second = page.locator("[data-repeat=lineas] [data-instance]").nth(1)
    expect(second.locator(":scope > legend")).to_contain_text("Línea de producto 2")
    second.get_by_label("Producto").fill("Chalinas")
    second.get_by_label("Unidades").check()
    second.get_by_label("Volumen vendido al mes").fill("40")
    # A line without a price shows no income note (its relevance), and the total counts both lines.
    expect(second.locator("[data-code=nota_linea]")).to_be_hidden()
    expect(page.locator("[data-code=resumen]")).to_contain_text("2 línea(s) de producto")
    expect(page.locator("[data-code=resumen]")).to_contain_text("S/ 10260")
    # A third line added by mistake is removed; the others keep their numbers.
    page.get_by_role("button", name="Agregar: Línea de producto").click()
    page.locator("[data-repeat=lineas] [data-instance]").nth(2).get_by_role("button", name="Quitar esta").click()
    expect(page.locator("[data-repeat=lineas] [data-instance]")).to_have_count(2)

    # A broken rule is told at its question once the researcher leaves it.
    page.get_by_label("¿Cuántas personas trabajan en el taller?").fill("10")
    page.get_by_label("¿Cuántas de ellas son mujeres?").fill("12")
    page.get_by_label("¿Cuántas de ellas son mujeres?").blur()
    expect(page.locator("#question-trabajadoras [data-constraint-message]")).to_be_visible()
    page.get_by_label("¿Cuántas de ellas son mujeres?").fill("6")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("button", name="Enviar a revisión").click()
    expect(page.get_by_test_id("interview-status")).to_have_text("Enviada")
    interview = Interview.objects.get(version=version)
    answers = {
        (a.question.code, a.repeat): a for a in Answer.objects.filter(interview=interview).select_related("question")
    }
    assert answers[("producto", "1")].text_value == "Chompas de alpaca"
    assert answers[("producto", "2")].text_value == "Chalinas"
    assert ("producto", "3") not in answers
    assert answers[("precio_unitario", "1")].number_value == Decimal("85.5")
    assert answers[("ingreso_linea", "1")].number_value == Decimal("10260")
    assert answers[("ingreso_total", "")].number_value == Decimal("10260")
    assert answers[("ubicacion", "")].text_value.startswith("-15.4997 -70.1333")
    assert answers[("trabajadoras", "")].number_value == 6
    photo = Attachment.objects.get(interview=interview)
    assert (photo.question.code, photo.original_name, photo.kind) == ("foto_taller", "taller.jpg", "photo")
