"""Evaluations: eleven risks rated in one form, the latest and the trend on the cluster's pages."""

import datetime

import pytest
from django.urls import reverse

from clusters.models import Evaluation, Risk, RiskRating
from clusters.selectors import evaluation_trend
from clusters.services import evaluation_create
from tests import factories as f

pytestmark = pytest.mark.django_db


def _ratings(level="no_risk", **levels):
    return {risk.value: (levels.get(risk.value, level), f"Nota {risk.value}") for risk in Risk}


def _form_data(date="2025-12-01", level="no_risk", **levels):
    data = {"date": date, "summary": "Revisión anual."}
    for risk in Risk:
        data[f"level_{risk.value}"] = levels.get(risk.value, level)
        data[f"note_{risk.value}"] = ""
    return data


def test_a_coordinator_records_an_evaluation_rating_all_eleven_risks(world, client_for):
    client = client_for(world.users["coordinator"])
    url = reverse("clusters:evaluation_create", kwargs={"slug": world.cluster_a.slug})
    form = client.get(url).content.decode()
    assert form.count('type="radio"') == 33
    assert "Expectativas poco realistas" in form
    data = _form_data(no_monitoring="serious", discontinuity="watch")
    data["note_no_monitoring"] = "No hay línea de base."
    response = client.post(url, data)
    evaluation = Evaluation.objects.get(cluster=world.cluster_a, date=datetime.date(2025, 12, 1))
    assert response.status_code == 302
    assert evaluation.evaluator == world.users["coordinator"]
    assert evaluation.ratings.count() == 11
    assert evaluation.ratings.get(risk="no_monitoring").note == "No hay línea de base."
    page = client.get(response["Location"]).content.decode()
    assert "1 grave" in page and "1 en observación" in page


def test_an_evaluation_with_unrated_risks_is_refused_per_row_with_the_input_kept(world, client_for):
    client = client_for(world.users["coordinator"])
    data = _form_data()
    del data["level_global_trends"]
    del data["level_discontinuity"]
    data["note_no_strategy"] = "Hoja de ruta en preparación."
    response = client.post(reverse("clusters:evaluation_create", kwargs={"slug": world.cluster_a.slug}), data)
    content = response.content.decode()
    assert response.status_code == 200
    rows = content.split('id="form-errors"')[1].split("</ul>")[1]
    assert rows.count("Califique este riesgo.") == 2
    assert 'id="id_level_global_trends_error"' in content
    # The summary above the form names both risks, each a link to its row.
    assert 'href="#div_id_level_global_trends"' in content and 'id="div_id_level_global_trends"' in content
    assert 'href="#div_id_level_discontinuity"' in content
    assert "Hoja de ruta en preparación." in content
    assert Evaluation.objects.filter(cluster=world.cluster_a).count() == 1


def test_the_service_refuses_an_evaluation_that_misses_a_risk(world):
    from django.core.exceptions import ValidationError

    ratings = _ratings()
    del ratings["discontinuity"]
    with pytest.raises(ValidationError):
        evaluation_create(
            cluster=world.cluster_a,
            evaluator=world.users["coordinator"],
            date=datetime.date(2025, 1, 1),
            ratings=ratings,
        )


def test_the_trend_counts_serious_and_watch_per_evaluation_oldest_first(world):
    cluster = f.ClusterFactory()
    coordinator = world.users["coordinator"]
    evaluation_create(
        cluster=cluster,
        evaluator=coordinator,
        date=datetime.date(2024, 6, 30),
        ratings=_ratings("serious", no_strategy="watch"),
    )
    evaluation_create(
        cluster=cluster, evaluator=coordinator, date=datetime.date(2025, 6, 30), ratings=_ratings(no_strategy="serious")
    )
    trend = evaluation_trend(cluster)
    assert [(e.date.year, e.serious, e.watch, e.no_risk) for e in trend.evaluations] == [
        (2024, 10, 1, 0),
        (2025, 1, 0, 10),
    ]
    row = next(row for row in trend.rows if row.risk == "no_strategy")
    assert [cell.level for cell in row.cells] == ["watch", "serious"]
    assert trend.latest.date == datetime.date(2025, 6, 30)


def test_evaluations_tab_shows_the_risks_by_evaluation_and_the_list(world, client_for):
    evaluation_create(
        cluster=world.cluster_a,
        evaluator=world.users["coordinator"],
        date=datetime.date(2025, 12, 1),
        ratings=_ratings(no_monitoring="serious"),
    )
    content = (
        client_for(world.users["researcher_a"])
        .get(reverse("clusters:evaluations", kwargs={"slug": world.cluster_a.slug}))
        .content.decode()
    )
    matrix = content.split('data-testid="trend-matrix"')[1].split("</table>")[0]
    assert "30/06/2025" in matrix and "01/12/2025" in matrix
    assert "Sin seguimiento ni evaluación" in matrix
    assert "Grave" in matrix and "En observación" in matrix
    assert "Registrar una evaluación" not in content  # researchers read only


def test_a_coordinator_corrects_an_evaluation_and_its_history_shows_the_change(world, client_for):
    client = client_for(world.users["coordinator"])
    evaluation = evaluation_create(
        cluster=world.cluster_a,
        evaluator=world.users["coordinator"],
        date=datetime.date(2025, 12, 1),
        ratings=_ratings(),
    )
    url = reverse("clusters:evaluation_edit", kwargs={"slug": world.cluster_a.slug, "pk": evaluation.pk})
    form = client.get(url).content.decode()
    assert 'id="id_level_no_strategy_0" required checked' in form
    response = client.post(url, _form_data(date="2025-12-01", no_strategy="serious"))
    assert response.status_code == 302
    assert RiskRating.objects.get(evaluation=evaluation, risk="no_strategy").level == "serious"
    page = client.get(response["Location"]).content.decode()
    history = page.split('data-testid="history"')[1]
    assert "Calificación: Política sin estrategia" in history
    assert "Sin riesgo" in history and "Grave" in history
    # Managers read the evaluation but not its history.
    manager_page = client_for(world.users["manager"]).get(response["Location"]).content.decode()
    assert 'data-testid="history"' not in manager_page


def test_researchers_and_managers_cannot_record_evaluations(world, client_for):
    url = reverse("clusters:evaluation_create", kwargs={"slug": world.cluster_a.slug})
    for persona in ("researcher_a", "manager"):
        assert client_for(world.users[persona]).post(url, _form_data()).status_code == 403
    assert Evaluation.objects.filter(cluster=world.cluster_a).count() == 1
