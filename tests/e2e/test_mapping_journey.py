"""A coordinator imports the demo's economic data, sees the candidates with their stars, moves a weight
and watches the ranking and its stability change."""

import re

import pytest
from playwright.sync_api import expect

from clusters import demo as cluster_demo
from mapping import demo as mapping_demo
from mapping.models import Dataset

pytestmark = pytest.mark.django_db(transaction=True)


def _ranking(page):
    """[(cluster slug, rank, stability text)] as the table shows them."""
    rows = page.get_by_test_id("rank-row")
    return [
        (
            rows.nth(i).get_attribute("data-cluster"),
            rows.nth(i).locator("td").first.inner_text().strip(),
            rows.nth(i).get_by_test_id("stability").inner_text().split("\n")[0].strip(),
        )
        for i in range(rows.count())
    ]


def test_coordinator_imports_the_demo_data_and_weighs_the_clusters(signed_in_page, personas, live_server):
    cluster_demo.build()  # the demo's ten registered clusters, with their actors and networks
    page = signed_in_page(personas["coordinator"])
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Identificación").click()
    page.get_by_role("link", name="Importar datos").click()

    page.get_by_label("Archivo (CSV o XLSX)").set_input_files(
        files=[{"name": "empleo-ilustrativo.csv", "mimeType": "text/csv", "buffer": mapping_demo.demo_csv()}]
    )
    page.get_by_label("Nombre del conjunto de datos").fill("Empleo por departamento (demostración)")
    page.get_by_label("Fuente").fill("Generado para la demostración")
    page.get_by_label(re.compile("Estas cifras son ilustrativas")).check()
    page.get_by_role("button", name="Revisar el archivo").click()

    expect(page.get_by_test_id("import-summary")).to_contain_text(re.compile(r"\d[\d,]* filas por guardar"))
    expect(page.get_by_test_id("import-summary")).to_contain_text("0 rechazadas")
    assert not Dataset.objects.exists()  # a preview writes nothing
    page.get_by_role("button", name="Confirmar la importación").click()

    expect(page.get_by_role("status").first).to_contain_text("Importación hecha")
    expect(page.get_by_test_id("illustrative")).to_contain_text("Datos ilustrativos")
    puno = page.get_by_test_id("candidates").locator("tr", has_text="Puno").filter(has_text="13 · ").first
    expect(puno).to_contain_text("Pelos Finos de Camélidos")
    expect(puno.locator(".cluster-stars")).to_have_attribute("data-stars", "3")
    expect(puno).to_contain_text("3 estrellas de 3")
    # Madre de Dios' forestry is a candidate that nobody has registered yet.
    page.get_by_label("Departamento").select_option(label="Madre de Dios")
    page.get_by_role("button", name="Filtrar").click()
    expect(page.get_by_role("link", name=re.compile("Registrarlo")).first).to_be_visible()
    expect(page.get_by_test_id("heatmap")).to_be_visible()

    page.get_by_role("link", name="Priorización").click()
    expect(page.get_by_test_id("illustrative")).to_be_visible()
    expect(page.get_by_test_id("ranking-chart")).to_be_visible()
    before = _ranking(page)
    assert len(before) == 10

    page.get_by_label("Crecimiento del empleo").fill("80")
    page.get_by_role("button", name="Ordenar con estos pesos").click()
    expect(page.get_by_test_id("trying")).to_contain_text("no están guardados")
    after = _ranking(page)
    assert [slug for slug, _rank, _kept in after] != [slug for slug, _rank, _kept in before]
    stability_before = {slug: kept for slug, _rank, kept in before}
    assert any(stability_before[slug] != kept for slug, _rank, kept in after)

    page.get_by_role("button", name="Guardar estos pesos para el programa").click()
    expect(page.get_by_role("status").first).to_contain_text("Se guardaron los pesos")
    assert [slug for slug, _rank, _kept in _ranking(page)] == [slug for slug, _rank, _kept in after]

    page.get_by_role("link", name="Pelos Finos de Camélidos").first.click()
    expect(page.get_by_role("heading", name="Por qué este clúster")).to_be_visible()
    expect(page.get_by_test_id("why-summary")).to_contain_text("de 10")
