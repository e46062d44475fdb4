"""The web form survives a dropped connection: kept in the browser, sent once when the connection returns."""

import re

import pytest
from playwright.sync_api import expect

from surveys.models import Interview
from tests.surveys.conftest import build_questionnaire

pytestmark = pytest.mark.django_db(transaction=True)


def _start(page, live_server, version, world):
    page.goto(f"{live_server.url}/surveys/interviews/new/?version={version.pk}&cluster={world.cluster_a.slug}")
    expect(page.get_by_role("heading", name="Nueva entrevista")).to_be_visible()
    page.get_by_label("Actor entrevistado").select_option(label=world.actor_a.name)
    page.get_by_label("¿Cuántos trabajadores tiene?").fill("45")
    page.locator("#question-tamano").get_by_label("Pequeña").check()


def test_a_draft_saved_without_signal_waits_and_is_sent_once_when_the_signal_returns(
    signed_in_page, world, page, live_server
):
    version = build_questionnaire(world.users["coordinator"])
    page.set_viewport_size({"width": 375, "height": 800})
    signed_in_page(world.users["researcher_a"])
    _start(page, live_server, version, world)

    page.context.set_offline(True)
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page.get_by_text("Pendiente: aún no se envió.")).to_be_visible()
    expect(page.locator("[data-pending-count]")).to_have_text("1")
    assert not Interview.objects.filter(version=version).exists()
    # Still offline, the researcher keeps typing: what she adds goes with the waiting save.
    page.get_by_label("Comentario").fill("Escrito sin señal")
    page.wait_for_timeout(800)  # kept as it is typed, after a short pause

    page.context.set_offline(False)
    page.wait_for_url(re.compile(r"/surveys/interviews/\d+/edit/$"), timeout=15000)
    interview = Interview.objects.get(version=version)
    assert page.url.endswith(f"/surveys/interviews/{interview.pk}/edit/")
    expect(page.get_by_text("Borrador guardado.")).to_be_visible()
    expect(page.get_by_label("Comentario")).to_have_value("Escrito sin señal")
    assert interview.status == Interview.Status.DRAFT
    assert interview.answers.get(question__code="empleados").number_value == 45
    expect(page.locator("[data-pending]")).to_be_hidden()
    # Sending again what was already sent (a double tap, a retry) never makes a second interview.
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page.get_by_text("Borrador guardado.")).to_be_visible()
    assert Interview.objects.filter(version=version).count() == 1
    page.goto("about:blank")  # no request of the page outlives the test


def test_what_was_typed_is_offered_back_after_the_page_is_closed(signed_in_page, world, page, live_server):
    version = build_questionnaire(world.users["coordinator"])
    signed_in_page(world.users["researcher_a"])
    _start(page, live_server, version, world)
    page.get_by_label("Comentario").fill("No se perdió")
    page.wait_for_timeout(800)  # the browser keeps it as it is typed (after a short pause)
    page.goto(f"{live_server.url}/surveys/interviews/new/?version={version.pk}&cluster={world.cluster_a.slug}")
    page.get_by_role("button", name="Recuperarla").click()
    expect(page.get_by_label("Comentario")).to_have_value("No se perdió")
    expect(page.get_by_label("¿Cuántos trabajadores tiene?")).to_have_value("45")
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page.get_by_text("Borrador guardado.")).to_be_visible()
    assert Interview.objects.get(version=version).answers.get(question__code="comentario").text_value == "No se perdió"
    page.goto("about:blank")
