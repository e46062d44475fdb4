"""XLSForm's trigger column in the interview page, in Chromium: a trigger's change sets the triggered answer."""

import pytest
from playwright.sync_api import expect

from surveys.models import Answer
from tests.surveys.conftest import build_ordered_questionnaire, build_priced_questionnaire

pytestmark = pytest.mark.django_db(transaction=True)


def test_changing_a_trigger_sets_the_triggered_answer_which_the_person_may_then_edit(
    signed_in_page, world, page, live_server
):
    version = build_priced_questionnaire(world.users["coordinator"])
    signed_in_page(world.users["researcher_a"])
    page.goto(f"{live_server.url}/surveys/interviews/new/?version={version.pk}&cluster={world.cluster_a.slug}")
    price, units = page.get_by_label("Precio"), page.get_by_label("Unidades")
    offer, reason = page.get_by_label("Oferta"), page.get_by_label("Motivo")

    reason.fill("a mano")
    units.fill("4")
    expect(offer).to_have_value("")  # typing in the trigger is not yet a change
    units.blur()  # the change: 'oferta' gets its calculation ('precio' is empty: so is the product)
    expect(offer).to_have_value(" soles")
    expect(reason).to_have_value("a mano")  # 'unidades' does not trigger 'motivo'
    price.fill("2.5")
    price.blur()  # 'precio' triggers both: 'oferta' computed, 'motivo' (no calculation) emptied
    expect(offer).to_have_value("10 soles")
    expect(reason).to_have_value("")

    offer.fill("12 soles, con descuento")  # an edit of the triggered answer is kept ...
    reason.fill("oferta especial")
    reason.blur()
    expect(offer).to_have_value("12 soles, con descuento")
    units.fill("10")  # ... until a trigger changes again
    units.blur()
    expect(offer).to_have_value("25 soles")
    expect(reason).to_have_value("oferta especial")

    # Saved as the page shows it: the server does not set the triggered answers again.
    page.get_by_label("Actor entrevistado").select_option(label=world.actor_a.name)
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page.get_by_text("Borrador guardado.")).to_be_visible()
    stored = {
        answer.question.code: answer.text_value
        for answer in Answer.objects.filter(interview__version=version, question__type="text").select_related(
            "question"
        )
    }
    assert stored == {"oferta": "25 soles", "motivo": "oferta especial"}
    expect(page.get_by_label("Oferta")).to_have_value("25 soles")


def test_a_trigger_sets_buttons_lists_and_boxes_which_the_person_may_then_change(
    signed_in_page, world, page, live_server
):
    from surveys.models import AnswerChoice

    version = build_ordered_questionnaire(world.users["coordinator"])
    signed_in_page(world.users["researcher_a"])
    page.goto(f"{live_server.url}/surveys/interviews/new/?version={version.pk}&cluster={world.cluster_a.slug}")
    cajas, canal = page.get_by_label("Cajas"), page.get_by_label("Canal")
    chico, grande = page.get_by_label("Chico", exact=True), page.get_by_label("Grande", exact=True)
    flete, seguro, credito = (page.get_by_label(name, exact=True) for name in ("Flete", "Seguro", "Crédito"))
    hoy = page.get_by_label("Hoy", exact=True)

    hoy.check()
    cajas.fill("4")
    cajas.blur()
    expect(chico).to_be_checked()
    expect(grande).not_to_be_checked()
    expect(canal).to_have_value("minorista")
    expect(flete).to_be_checked()
    expect(seguro).not_to_be_checked()
    expect(hoy).not_to_be_checked()  # triggered without a calculation: emptied

    grande.check()  # the person's own choices are kept ...
    credito.check()
    hoy.check()
    expect(grande).to_be_checked()
    expect(credito).to_be_checked()
    cajas.fill("12")  # ... until the trigger changes again
    cajas.blur()
    expect(grande).to_be_checked()
    expect(chico).not_to_be_checked()
    expect(canal).to_have_value("mayorista")
    expect(flete).to_be_checked()
    expect(seguro).to_be_checked()
    expect(credito).not_to_be_checked()
    expect(hoy).not_to_be_checked()

    page.get_by_label("Actor entrevistado").select_option(label=world.actor_a.name)
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page.get_by_text("Borrador guardado.")).to_be_visible()
    chosen = {}
    for row in AnswerChoice.objects.filter(answer__interview__version=version).select_related(
        "answer__question", "choice"
    ):
        chosen.setdefault(row.answer.question.code, set()).add(row.choice.value)
    assert chosen == {"tamano": {"grande"}, "canal": {"mayorista"}, "servicios": {"flete", "seguro"}}
