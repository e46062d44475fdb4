"""A field interview from start to approval in Chromium: skip logic, draft, submit, return, fix, approve."""

import re

import pytest
from playwright.sync_api import expect

from clusters.models import Relationship
from surveys.models import Interview
from tests.surveys.conftest import build_questionnaire

pytestmark = pytest.mark.django_db(transaction=True)


def _switch_user(page, signed_in_page, user):
    page.context.clear_cookies()
    return signed_in_page(user)


def test_an_interview_goes_from_the_field_to_approval_with_its_ties(signed_in_page, world, page, live_server):
    version = build_questionnaire(world.users["coordinator"])
    page.set_viewport_size({"width": 375, "height": 800})
    signed_in_page(world.users["researcher_a"])

    # Start: questionnaire and cluster, then the form.
    page.goto(f"{live_server.url}/surveys/interviews/new/")
    page.get_by_label("Cuestionario").select_option(label="Entrevista a actores (v1)")
    page.get_by_label("Clúster").select_option(label=world.cluster_a.name)
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("heading", name="Nueva entrevista")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_label("Actor entrevistado").select_option(label=world.actor_a.name)
    page.get_by_label("Entrevistado(a)", exact=True).fill("Rosa Mamani")
    page.get_by_label("Duración").fill("1h 30")

    # Skip logic as the researcher answers: markets only for exporters, the US share only if the US is chosen.
    markets = page.locator("#question-mercados")
    us_share = page.locator("#question-participacion_usa")
    expect(markets).to_be_hidden()
    page.locator("#question-exporta").get_by_label("Sí").check()
    expect(markets).to_be_visible()
    expect(us_share).to_be_hidden()
    markets.get_by_label("Estados Unidos").check()
    expect(us_share).to_be_visible()
    page.locator("#question-exporta").get_by_label("No").check()
    expect(markets).to_be_hidden()
    expect(us_share).to_be_hidden()
    page.locator("#question-exporta").get_by_label("Sí").check()

    page.get_by_label("¿Cuántos trabajadores tiene?").fill("45")
    page.locator("#question-tamano").get_by_label("Pequeña").check()
    page.locator("#question-proveedores").get_by_label(world.actor_a2.name).check()
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page.get_by_text("Borrador guardado.")).to_be_visible()
    interview = Interview.objects.get(version=version)
    assert interview.status == Interview.Status.DRAFT

    # Submitting without consent and the trust scale: the draft stays, the errors sit at their questions.
    page.get_by_role("button", name="Enviar a revisión").click()
    expect(page.locator("#question-confianza")).to_contain_text("Esta pregunta es obligatoria para enviar.")
    expect(page.get_by_label("¿Cuántos trabajadores tiene?")).to_have_value("45")
    page.get_by_label("La persona entrevistada dio su consentimiento informado").check()
    page.locator("#question-confianza").get_by_label("4").check()
    page.get_by_role("button", name="Enviar a revisión").click()
    expect(page.get_by_test_id("interview-status")).to_have_text("Enviada")

    # The coordinator returns it with a comment.
    _switch_user(page, signed_in_page, world.users["coordinator"])
    page.goto(f"{live_server.url}/surveys/interviews/review/")
    page.get_by_test_id("review-queue").locator(f'a[href="{interview.get_absolute_url()}"]').click()
    page.get_by_label("Devolver para corrección").check()
    page.get_by_label("Comentario para quien hizo la entrevista").fill(
        "Falta indicar los mercados de la Unión Europea."
    )
    page.get_by_role("button", name="Registrar la decisión").click()
    expect(page.get_by_text("Entrevista devuelta a quien la hizo.")).to_be_visible()

    # The researcher sees it at home, fixes it and submits again.
    _switch_user(page, signed_in_page, world.users["researcher_a"])
    page.get_by_test_id("home-returned").locator(f'a[href="/surveys/interviews/{interview.pk}/edit/"]').click()
    expect(page.get_by_test_id("review-comment")).to_contain_text("Falta indicar los mercados de la Unión Europea.")
    page.locator("#question-mercados").get_by_label("Unión Europea").check()
    page.get_by_role("button", name="Enviar a revisión").click()
    expect(page.get_by_test_id("interview-status")).to_have_text("Enviada")

    # The coordinator approves; the interview is locked and its ties are in the network.
    _switch_user(page, signed_in_page, world.users["coordinator"])
    page.goto(f"{live_server.url}{interview.get_absolute_url()}")
    page.get_by_label("Aprobar").check()
    page.get_by_role("button", name="Registrar la decisión").click()
    page.goto(f"{live_server.url}{interview.get_absolute_url()}")
    expect(page.get_by_test_id("interview-status")).to_have_text("Aprobada")
    expect(page.get_by_test_id("ties")).to_contain_text(world.actor_a2.name)
    expect(page.get_by_test_id("history")).to_contain_text("Devuelta para corrección")
    interview.refresh_from_db()
    assert interview.status == Interview.Status.APPROVED
    ties = Relationship.objects.filter(interview=interview)
    assert [(t.source, t.target, t.kind) for t in ties] == [(world.actor_a, world.actor_a2, "supplies")]
    stored = set(interview.answers.get(question__code="mercados").chosen.values_list("choice__value", flat=True))
    assert stored == {"usa", "ue"}
    assert re.search(r"/surveys/interviews/\d+/$", page.url)
