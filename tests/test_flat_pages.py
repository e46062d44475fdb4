"""The query-count half of the benchmarks (bench/run.py), at small scale so that CI catches a regression.

The four pages the benchmark times cost exactly the same number of queries with a few rows as with
many; the interview list stops counting at a bound; the findings page reuses its aggregates until an
interview changes; the select boxes written in Python are Django's own HTML.
"""

import datetime

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.models import Actor, Membership, actor_name_key
from clusters.pagination import BoundedPaginator
from clusters.widgets import FastDateInput, FastSelect
from surveys import selectors, services
from surveys.models import Interview
from tests import factories as f
from tests.instruments.test_pages import _programme
from tests.surveys.conftest import build_questionnaire, bulk_interviews

pytestmark = pytest.mark.django_db


def _grow(world, questionnaire, interviews, members):
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], interviews)
    region = f.region("210101")
    actors = Actor.objects.bulk_create(
        Actor(
            name=f"Socio {members}-{n:03d}",
            name_key=actor_name_key(f"Socio {members}-{n:03d}"),
            kind=("firm", "supplier", "university")[n % 3],
            size=("micro", "small", "medium")[n % 3],
            ruc=f.make_ruc(70000 + members * 1000 + n),
            region=region,
        )
        for n in range(members)
    )
    Membership.objects.bulk_create(Membership(cluster=world.cluster_a, actor=a, role="supplier") for a in actors)
    _programme(world.cluster_a, members // 10 + 1)


def _queries(client, url):
    client.get(url)  # a first view may fill caches (findings)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_benchmarked_pages_cost_the_same_queries_with_few_and_many_rows(client_for, world):
    questionnaire = build_questionnaire(world.users["coordinator"])
    client = client_for(world.users["manager"])
    urls = {
        "interview list": reverse("surveys:interview_list"),
        "cluster page": reverse("clusters:detail", args=[world.cluster_a.slug]),
        "portfolio": reverse("instruments:portfolio"),
        "findings": reverse("surveys:cluster_findings", args=[world.cluster_a.slug]),
    }
    _grow(world, questionnaire, interviews=5, members=5)
    few = {name: _queries(client, url) for name, url in urls.items()}
    _grow(world, questionnaire, interviews=300, members=120)
    many = {name: _queries(client, url) for name, url in urls.items()}
    assert many == few
    assert Interview.objects.filter(cluster=world.cluster_a).count() > 300


def test_the_interview_list_says_more_than_the_bound_instead_of_counting_everything(
    client_for, world, monkeypatch, django_assert_max_num_queries
):
    questionnaire = build_questionnaire(world.users["coordinator"])
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 30)
    client = client_for(world.users["coordinator"])
    monkeypatch.setattr(BoundedPaginator, "limit", 26)
    page = client.get(reverse("surveys:interview_list")).content.decode()
    assert "Más de 26 entrevistas: use los filtros para acotar la lista." in page
    assert "Página 1</span>" in page
    second = client.get(reverse("surveys:interview_list"), {"page": 2}).content.decode()
    assert "Página 2</span>" in second
    monkeypatch.setattr(BoundedPaginator, "limit", 10_000)
    page = client.get(reverse("surveys:interview_list")).content.decode()
    total = Interview.objects.count()
    assert f"{total} entrevistas" in page
    assert "Página 1 de 2" in page


def test_findings_are_recomputed_as_soon_as_an_interview_is_approved(world):
    questionnaire = build_questionnaire(world.users["coordinator"])
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 4, status="submitted")

    def approved():
        return selectors.findings(cluster=world.cluster_a, version=questionnaire, statuses=["approved"])

    assert approved().sample_size == 0
    assert {q.code: q.n for q in approved().questions}["empleados"] == 0  # now from the cache
    interview = Interview.objects.filter(version=questionnaire, status="submitted").first()
    services.interview_approve(interview=interview, reviewer=world.users["coordinator"])
    result = approved()
    assert result.sample_size == 1
    assert {q.code: q.n for q in result.questions}["empleados"] == 1


def test_a_cached_findings_page_reads_no_answers(world):
    questionnaire = build_questionnaire(world.users["coordinator"])
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 6)
    first = selectors.findings(cluster=world.cluster_a, version=questionnaire, statuses=["approved"])
    with CaptureQueriesContext(connection) as again:
        second = selectors.findings(cluster=world.cluster_a, version=questionnaire, statuses=["approved"])
    assert second == first
    assert not [q for q in again.captured_queries if "surveys_answer" in q["sql"]]


@pytest.mark.parametrize("selected", [None, "b", 2])
def test_the_fast_select_writes_the_same_html_as_djangos_select(selected):
    choices = [
        (None, "---------"),
        ("a", "Ayacucho & <Puno>"),
        ("b", "Cusco"),
        (2, "Número 2"),
        ("b", "Cusco otra vez"),
    ]
    grouped = [("Sur & <Norte>", [("a", "Arequipa"), ("b", "Tacna")]), ("c", "Lima")]
    for options in (choices, grouped):
        attrs = {"id": "id_x", "class": "form-select", "aria-describedby": "x_help", "required": True}
        expected = forms.Select(choices=options).render("x", selected, attrs=attrs)
        written = FastSelect(choices=options).render("x", selected, attrs=attrs)
        assert "".join(written.split()) == "".join(expected.split())


@pytest.mark.parametrize("value", [None, "", datetime.date(2025, 3, 9), "2025-13-01", 'x" onfocus="alert(1)'])
def test_the_fast_date_input_writes_the_same_html_as_djangos(value):
    attrs = {"id": "id_d", "class": "form-control is-invalid", "aria-describedby": "id_d_error", "aria-invalid": True}
    for widget_attrs in ({"type": "date"}, None):
        expected = forms.DateInput(attrs=widget_attrs, format="%Y-%m-%d").render("d", value, attrs=attrs)
        written = FastDateInput(attrs=widget_attrs, format="%Y-%m-%d").render("d", value, attrs=attrs)
        assert written == expected


def test_a_new_interviews_submission_does_not_look_for_ties_it_cannot_have(world):
    questionnaire = build_questionnaire(world.users["coordinator"])
    with CaptureQueriesContext(connection) as captured:
        services.interview_save(
            questions=list(selectors.ordered_questions(questionnaire).prefetch_related("choices")),
            user=world.users["researcher_a"],
            uuid="6f1c2a52-3a7e-4bd3-9a53-1f5f3b8d9a10",
            version=questionnaire,
            cluster=world.cluster_a,
            actor=world.actor_a,
            details={"date": datetime.date(2025, 6, 1), "mode": "in_person", "consent_given": True},
            answers={"empleados": 4, "tamano": "pequena", "exporta": False, "confianza": 3, "barreras": "Ninguna"},
            submit=True,
            expected_lock_version=None,
            form_token=None,
        )
    assert not [q for q in captured.captured_queries if 'FROM "clusters_relationship"' in q["sql"]]
