"""A form that looks a crop up in its attached CSV with pulldata(), filled in Chromium: the page computes it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from surveys import services
from surveys.models import Answer, Interview
from tests.surveys.xlsform_files import xlsx

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_web_form_shows_what_pulldata_reads_and_the_server_stores_it(signed_in_page, world, page, live_server):
    coordinator = world.users["coordinator"]
    data = xlsx(
        survey=[
            ["type", "name", "label", "calculation"],
            ["text", "codigo", "Código del cultivo", None],
            ["calculate", "cultivo", None, "pulldata('precios', 'cultivo', 'codigo', ${codigo})"],
            ["note", "nota", "Cultivo: ${cultivo}", None],
        ],
        settings=[["form_title", "form_id"], ["Precios en chacra", "precios_chacra"]],
    )
    version = services.version_import_xlsform(data=data, created_by=coordinator, name="Precios en chacra")
    csv = "codigo,cultivo\n1,maíz\n7,quinua\n".encode()
    services.version_file_add(
        version=version, uploaded_file=SimpleUploadedFile("precios.csv", csv, "text/csv"), uploaded_by=coordinator
    )
    services.version_publish(version=version, published_by=coordinator)
    signed_in_page(world.users["researcher_a"])
    page.goto(f"{live_server.url}/surveys/interviews/new/?version={version.pk}&cluster={world.cluster_a.slug}")
    page.get_by_label("Actor entrevistado").select_option(label=world.actor_a.name)
    page.get_by_label("Código del cultivo").fill("7")
    expect(page.locator("[data-code=nota]")).to_contain_text("Cultivo: quinua")
    page.get_by_label("Código del cultivo").fill("1")
    expect(page.locator("[data-code=nota]")).to_contain_text("Cultivo: maíz")
    page.get_by_role("button", name="Guardar borrador").click()
    page.wait_for_url("**/edit/")
    answer = Answer.objects.get(interview=Interview.objects.get(version=version), question__code="cultivo")
    assert answer.text_value == "maíz"
