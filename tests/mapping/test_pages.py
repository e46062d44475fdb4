"""What coordinators, managers and researchers see on the identification and prioritisation pages."""

import io

import numpy as np
import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mapping import selectors, services
from mapping.models import PriorityWeight
from tests import factories as f
from tests.mapping.data import make_dataset

pytestmark = pytest.mark.django_db

ONLY = {
    "employment": "0",
    "wages": "0",
    "output": "0",
    "network": "0",
    "related_activities": "0",
    "growth": "0",
    "competitors": "0",
}


def _text(response):
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_candidates_are_ranked_by_stars_and_show_the_registered_cluster_they_match(client_for, world, coordinator):
    page = client_for(coordinator).get(reverse("mapping:candidates"))
    text = _text(page)
    # Puno in textiles: LQ = (1200 / 1780) / (3475 / 12925) = 2.51, three stars; cluster A is there.
    rows = page.content.decode().split('data-testid="candidates"')[1].split("<tbody>")[1].split("</tr>")
    # Junín in agriculture first: three stars, LQ = (1800 / 1885) / (3740 / 12925) = 3.30.
    assert "Junín" in rows[0] and "3.30" in rows[0] and 'data-stars="3"' in rows[0]
    assert world.cluster_b.name in rows[0]
    # Puno in textiles: specialised and focused, but Lima's 2,100 textile jobs take the size star (top 10 %).
    puno = next(row for row in rows if "Puno" in row and ">13<" in row)
    assert "2.51" in puno and 'data-stars="2"' in puno and world.cluster_a.name in puno
    assert "Empleo por departamento (prueba)" in text


def test_an_unregistered_candidate_offers_coordinators_to_register_it(client_for, world, coordinator, manager):
    html = client_for(coordinator).get(reverse("mapping:candidates")).content.decode()
    cusco = next(row for row in html.split("<tr>") if "Cusco" in row and ">79<" in row)
    assert reverse("clusters:create") + "?main_sector=79&amp;regions=08" in cusco
    form = client_for(coordinator).get(reverse("clusters:create") + "?main_sector=79&regions=08").content.decode()
    assert 'value="{}" selected'.format(f.sector("79").pk) in form
    assert "Registrarlo" not in client_for(manager).get(reverse("mapping:candidates")).content.decode()


def test_candidates_are_filtered_by_department_sector_and_thresholds(client_for, world, manager):
    client = client_for(manager)
    only_puno = _text(client.get(reverse("mapping:candidates") + "?department=21"))
    assert "Puno" in only_puno and "Cusco 08" not in only_puno
    textiles = client.get(reverse("mapping:candidates") + f"?sector={f.sector('C').pk}").content.decode()
    assert ">13<" in textiles and ">79<" not in textiles.split('data-testid="heatmap"')[0].split("<tbody>")[1]
    strong = _text(client.get(reverse("mapping:candidates") + "?min_lq=2"))
    assert "3 candidatos" in strong  # Junín 01 (3.30), Cusco 79 (3.22), Puno 13 (2.51)
    bad = client.get(reverse("mapping:candidates") + "?min_lq=mucho").content.decode()
    assert "Escriba un número" in bad and 'aria-invalid="true"' in bad


def test_the_heat_map_shades_each_location_quotient(client_for, world, manager):
    html = client_for(manager).get(reverse("mapping:candidates")).content.decode()
    heatmap = html.split('data-testid="heatmap"')[1]
    assert 'class="heat-4"' in heatmap  # Puno x 13: 2.51 is in the band from 2 to 3
    assert "menor que 1" in heatmap


def test_illustrative_data_is_labelled_on_every_page_that_uses_it(client_for, world, coordinator):
    client = client_for(coordinator)
    urls = [
        reverse("mapping:candidates"),
        reverse("mapping:priorities"),
        reverse("mapping:dataset", args=[world.dataset.pk]),
        reverse("mapping:cluster", args=[world.cluster_a.slug]),
    ]
    for url in urls:
        assert 'data-testid="illustrative"' not in client.get(url).content.decode(), url
    demo = make_dataset(name="Ilustrativo", illustrative=True)
    urls[2] = reverse("mapping:dataset", args=[demo.pk])
    for url in urls:
        assert "Datos ilustrativos." in client.get(url).content.decode(), url
    assert "datos ilustrativos" in client.get(reverse("clusters:detail", args=[world.cluster_a.slug])).content.decode()


def test_trying_weights_changes_the_ranking_without_saving_them(client_for, world, manager):
    client = client_for(manager)
    by_jobs = client.get(reverse("mapping:priorities"), {**ONLY, "employment": "1"}).content.decode()
    by_growth = client.get(reverse("mapping:priorities"), {**ONLY, "growth": "1"}).content.decode()
    # Junín's agriculture has 1,800 jobs (cluster B), Puno's textiles 1,200 but grew 33 % against 20 %.
    assert by_jobs.index('data-cluster="cafe"') < by_jobs.index('data-cluster="camelidos"')
    assert by_growth.index('data-cluster="camelidos"') < by_growth.index('data-cluster="cafe"')
    assert "no están guardados" in by_growth
    assert "Guardar estos pesos" not in by_growth  # managers read, coordinators weigh
    assert PriorityWeight.objects.get(criterion="growth").weight == 15


def test_a_coordinator_saves_the_weights_and_a_weight_of_nothing_everywhere_is_refused(client_for, world, coordinator):
    client = client_for(coordinator)
    page = client.get(reverse("mapping:priorities"), {**ONLY, "growth": "2,5"}).content.decode()
    assert "Guardar estos pesos para el programa" in page
    response = client.post(reverse("mapping:weights"), {**ONLY, "growth": "2,5"}, follow=True)
    assert "Se guardaron los pesos de la priorización." in response.content.decode()
    assert str(PriorityWeight.objects.get(criterion="growth").weight) == "2.50"
    assert PriorityWeight.objects.get(criterion="growth").history.count() >= 1
    refused = client.post(reverse("mapping:weights"), ONLY, follow=True).content.decode()
    assert "Al menos un peso debe ser mayor que cero." in refused
    negative = client.post(reverse("mapping:weights"), {**ONLY, "growth": "-1"}, follow=True).content.decode()
    assert "mayor o igual a 0" in negative  # Django's MinValueValidator, as every number field of the site
    assert str(PriorityWeight.objects.get(criterion="growth").weight) == "2.50"


def test_the_ranking_shows_how_stable_each_rank_is_and_a_chart(client_for, world, manager):
    html = client_for(manager).get(reverse("mapping:priorities")).content.decode()
    assert 'data-testid="ranking-chart"' in html and 'role="img"' in html
    ranking = selectors.prioritisation(world.dataset)
    row = ranking.rows[0]
    assert f"{row.kept} de {row.scenarios}" in html
    assert row.scenarios == 2 * len([c for c in ranking.used if ranking.weights[c] > 0])


def test_the_prioritisation_exports_to_xlsx_with_the_weights_tried(client_for, world, manager):
    response = client_for(manager).get(reverse("mapping:priorities_export"), {**ONLY, "growth": "1"})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    ranking = list(workbook.worksheets[0].values)
    assert ranking[0][:3] == ("Puesto", "Clúster", "Puntaje")
    assert ranking[1][1] == world.cluster_a.name  # growth alone puts Puno's textiles first
    weights = {row[0]: row[1] for row in list(workbook.worksheets[1].values)[1:]}
    assert weights["Crecimiento del empleo"] == 1 and weights["Empleo"] == 0


def test_why_this_cluster_shows_its_rank_criteria_and_best_cells(client_for, world, researcher_a):
    text = _text(client_for(researcher_a).get(reverse("mapping:cluster", args=[world.cluster_a.slug])))
    scores = selectors.cluster_scores(world.cluster_a)
    assert f"Puesto {scores.rank} de 2" in text or f"{scores.rank} de 2" in text
    assert "Crecimiento del empleo" in text and "Puno" in text and "2.51" in text
    assert "Ver toda la priorización" not in text  # researchers do not read the whole prioritisation


def test_the_cluster_page_says_why_this_cluster(client_for, world, manager):
    html = client_for(manager).get(reverse("clusters:detail", args=[world.cluster_a.slug])).content.decode()
    box = html.split('data-testid="why-box"')[1].split("</section>")[0]
    assert "Por qué este clúster" in html
    assert "de 2 en la priorización" in box and "Cociente de localización 2.51" in box


def test_a_cluster_registered_after_the_computation_asks_for_it_and_gets_it(client_for, world, coordinator):
    late = f.ClusterFactory(name="Textil tardío", regions=[f.region("08")])
    client = client_for(coordinator)
    page = client.get(reverse("mapping:cluster", args=[late.slug])).content.decode()
    assert "se registró después del último cálculo" in page
    client.post(reverse("mapping:dataset_compute", args=[world.dataset.pk]))
    assert "de 3" in client.get(reverse("mapping:cluster", args=[late.slug])).content.decode()


def test_deleting_a_dataset_removes_its_measures(client_for, world, coordinator):
    client = client_for(coordinator)
    response = client.post(reverse("mapping:dataset_delete", args=[world.dataset.pk]), follow=True)
    assert "Se eliminó el conjunto de datos" in response.content.decode()
    assert selectors.current_dataset() is None
    assert "Todavía no se han importado datos económicos" in client.get(reverse("mapping:candidates")).content.decode()


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _bigger_dataset():
    """Every department x 30 divisions x 2 years: 1,500 rows instead of 24."""
    from clusters.models import Region, Sector

    rng = np.random.default_rng(7)
    departments = list(Region.objects.filter(level="department").values_list("code", flat=True))
    divisions = list(Sector.objects.filter(level="division").values_list("code", flat=True))[:30]
    rows = [
        (department, division, year, int(rng.integers(1, 5000)), 5, 1000, 2000)
        for department in departments
        for division in divisions
        for year in (2019, 2023)
    ]
    return make_dataset(rows, name="Grande")


def test_the_pages_cost_the_same_queries_with_a_small_and_a_large_dataset(client_for, world, coordinator):
    client = client_for(coordinator)
    pages = {
        "candidates": reverse("mapping:candidates") + "?dataset={}",
        "filtered": reverse("mapping:candidates") + "?dataset={}&department=15&min_stars=1",
        "priorities": reverse("mapping:priorities") + "?dataset={}",
        "why": reverse("mapping:cluster", args=[world.cluster_a.slug]) + "?dataset={}",
        "dataset": "/mapping/datasets/{}/",
    }
    small = {name: _queries(client, url.format(world.dataset.pk)) for name, url in pages.items()}
    big = _bigger_dataset()
    for n in range(12):  # and more registered clusters to rank
        f.ClusterFactory(name=f"Clúster {n}", main_sector=f.sector("14"), regions=[f.region("15")])
    services.dataset_compute(dataset=big)
    services.cluster_criteria_compute(dataset=world.dataset)
    large = {name: _queries(client, url.format(big.pk)) for name, url in pages.items()}
    assert large == small
    assert big.cells.count() > 10 * world.dataset.cells.count()


def test_the_cluster_page_costs_the_same_queries_with_few_and_many_ranked_clusters(client_for, world, manager):
    client = client_for(manager)
    url = reverse("clusters:detail", args=[world.cluster_a.slug])
    few = _queries(client, url)
    for n in range(15):
        f.ClusterFactory(name=f"Otro {n}", regions=[f.region("15")])
    services.cluster_criteria_compute(dataset=world.dataset)
    assert _queries(client, url) == few


def test_the_candidates_page_asserts_its_query_budget(client_for, world, manager, django_assert_max_num_queries):
    client = client_for(manager)
    with django_assert_max_num_queries(22):
        assert client.get(reverse("mapping:candidates")).status_code == 200


def test_a_wrong_filter_is_told_at_its_field_and_the_others_still_apply(client_for, world, manager):
    html = client_for(manager).get(reverse("mapping:candidates"), {"department": "21", "min_lq": "x"}).content
    html = html.decode()
    assert "Escriba un número" in html
    rows = html.split('data-testid="candidates"')[1].split("</tbody>")[0]
    assert "Puno" in rows and "Lima" not in rows
