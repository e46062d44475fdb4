"""Hostile questionnaire text in Chromium: typed in the builder or imported from an XLSForm, the interview form
and the review show it literally; no <meta> refresh, no <button formaction>, no bold appears in the page."""

import pytest
from playwright.sync_api import expect

from surveys import services
from surveys.models import Interview, QuestionnaireVersion
from tests.surveys.test_questionnaire_text_is_text import HOSTILE, hostile, hostile_xlsform

pytestmark = pytest.mark.django_db(transaction=True)

NOT_TEXT = "document.querySelectorAll('meta[http-equiv], [formaction], b').length"


def _assert_literal(page, *places):
    assert page.evaluate(NOT_TEXT) == 0
    for place in places:
        expect(page.get_by_text(hostile(place), exact=True).first).to_be_visible()


def test_hostile_text_from_the_builder_and_from_an_xlsform_is_shown_literally(signed_in_page, world, page, live_server):
    coordinator = world.users["coordinator"]
    # The builder, in the browser: a question whose label and help are hostile.
    signed_in_page(coordinator)
    page.goto(f"{live_server.url}/surveys/questionnaires/new/")
    page.get_by_label("Nombre").fill("Construido a mano")
    page.get_by_role("button", name="Crear").click()
    built = QuestionnaireVersion.objects.get(questionnaire__name="Construido a mano")
    page.goto(f"{live_server.url}/surveys/questionnaires/versions/{built.pk}/questions/new/")
    page.locator("#id_code").fill("empleados")
    page.locator("#id_type").select_option("integer")
    page.get_by_label("Pregunta · Español (es)").fill(hostile("pregunta"))
    page.get_by_label("Ayuda · Español (es)").fill(hostile("ayuda"))
    page.get_by_role("button", name="Guardar").click()
    _assert_literal(page, "pregunta")
    assert built.questions.get().hints == {"Español (es)": hostile("ayuda")}
    services.version_publish(version=built, published_by=coordinator)
    # The XLSForm: every text of the form is hostile.
    imported = services.version_import_xlsform(data=hostile_xlsform(), created_by=coordinator, name="Importado")
    services.version_publish(version=imported, published_by=coordinator)

    page.context.clear_cookies()
    signed_in_page(world.users["researcher_a"])
    page.goto(f"{live_server.url}/surveys/interviews/new/?version={built.pk}&cluster={world.cluster_a.slug}")
    _assert_literal(page, "pregunta", "ayuda")
    page.goto(f"{live_server.url}/surveys/interviews/new/?version={imported.pk}&cluster={world.cluster_a.slug}")
    _assert_literal(page, "título de grupo", "pregunta", "ayuda", "opción", "opción múltiple", "nota")
    # A repeat instance added by the page's script keeps its texts as text too.
    page.get_by_role("button", name=f"Agregar: {hostile('título de repetición')}").click()
    _assert_literal(page, "en repetición")
    # The rule's message, shown by the script when the answer breaks it.
    page.get_by_label(hostile("pregunta")).fill("50")
    page.get_by_label(hostile("pregunta")).blur()
    _assert_literal(page, "mensaje de regla")
    page.get_by_label(hostile("pregunta")).fill("5")
    page.get_by_label("Actor entrevistado").select_option(label=world.actor_a.name)
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page.get_by_text("Borrador guardado.")).to_be_visible()
    interview = Interview.objects.get(version=imported)
    page.goto(f"{live_server.url}/surveys/interviews/{interview.pk}/")
    _assert_literal(page, "pregunta")
    assert HOSTILE not in page.content()
