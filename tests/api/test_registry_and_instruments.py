"""Writes of the registry, instruments and reports through the API: the pages' forms and services,
the pages' visibility, and values typed as the contract says."""

import pytest
from django.urls import reverse

from api.models import ApiToken
from clusters.models import Actor, Membership, Relationship
from instruments.models import Measurement
from reports.models import ReportJob
from tests.api.conftest import make_token
from tests.factories import make_ruc

RUC = make_ruc(4242)

pytestmark = pytest.mark.django_db


def test_a_coordinators_token_creates_an_actor_that_appears_on_the_pages(api, world, client):
    token = make_token(world.users["coordinator"])
    body = {
        "name": "Hilandería Nueva del Sur S.A.C.",
        "kind": "firm",
        "ruc": "-".join([RUC[:2], RUC[2:10], RUC[10:]]),
        "sales_uit": "200",
        "region": "210101",
        "email": "ventas@hilanderia.pe",
        "cluster": world.cluster_a.slug,
    }
    response = api(token).post(reverse("api:actor-list"), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    actor = Actor.objects.get(pk=data["id"])
    assert data["ruc"] == actor.ruc == RUC
    assert data["size"] == "small"  # 200 UIT, by Ley 30056
    assert data["region"] == "210101"
    assert data["clusters"] == ["camelidos"]
    assert Membership.objects.get(actor=actor, cluster=world.cluster_a).role == "core_firm"
    client.force_login(world.users["manager"])
    page = client.get(reverse("clusters:actor_list") + "?q=Nueva")
    assert "Hilandería Nueva del Sur S.A.C." in page.content.decode()


def test_an_actor_with_a_bad_ruc_is_refused_with_the_forms_message(api, world):
    client = api(make_token(world.users["coordinator"]), language="en")
    response = client.post(reverse("api:actor-list"), {"name": "Otra", "kind": "firm", "ruc": "20100001001"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["ruc"]
    taken = client.post(reverse("api:actor-list"), {"name": "Otra", "kind": "firm", "ruc": world.actor_a.ruc})
    assert "already registered for “Textil Altiplano S.A.C.”" in taken.json()["errors"]["ruc"][0]


def test_a_similar_name_is_a_conflict_unless_allowed(api, world):
    client = api(make_token(world.users["coordinator"]))
    body = {"name": "TEXTIL ALTIPLANO SAC", "kind": "firm"}
    response = client.post(reverse("api:actor-list"), body, format="json")
    assert response.status_code == 409
    assert response.json()["similar"] == [{"id": world.actor_a.pk, "name": "Textil Altiplano S.A.C."}]
    assert client.post(reverse("api:actor-list"), {**body, "allow_similar": True}, format="json").status_code == 201


def test_researchers_add_actors_only_to_their_clusters(api, world):
    client = api(make_token(world.users["researcher_b"]), language="en")
    response = client.post(reverse("api:actor-list"), {"name": "Nueva", "kind": "firm"}, format="json")
    assert response.status_code == 400
    assert "cluster" in response.json()["errors"]  # required for researchers, as on the page
    response = client.post(
        reverse("api:actor-list"), {"name": "Nueva", "kind": "firm", "cluster": world.cluster_a.slug}, format="json"
    )
    assert response.status_code == 400
    assert not Actor.objects.filter(name="Nueva").exists()


def test_the_actor_list_is_scoped_and_filtered_as_the_page(api, world):
    client = api(make_token(world.users["researcher_a"], ApiToken.Scope.READ))
    names = [row["name"] for row in client.get(reverse("api:actor-list")).json()["results"]]
    assert names == ["Textil Altiplano S.A.C.", "Universidad Nacional del Altiplano"]
    names = [row["name"] for row in client.get(reverse("api:actor-list") + "?kind=university").json()["results"]]
    assert names == ["Universidad Nacional del Altiplano"]
    bad = client.get(reverse("api:actor-list") + "?cluster=cafe")
    assert bad.status_code == 400


def test_memberships_and_ties_go_through_the_registrys_services(api, world):
    client = api(make_token(world.users["coordinator"]))
    response = client.post(
        reverse("api:membership-list"), {"cluster": "camelidos", "actor": world.actor_b.pk}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["role"] == "core_firm"
    again = client.post(reverse("api:membership-list"), {"cluster": "camelidos", "actor": world.actor_b.pk})
    assert again.status_code == 400
    tie = client.post(
        reverse("api:tie-list"),
        {"cluster": "camelidos", "source": world.actor_b.pk, "kind": "supplies", "target": world.actor_a.pk},
        format="json",
    )
    assert tie.status_code == 201
    outsider = client.post(
        reverse("api:tie-list"),
        {"cluster": "cafe", "source": world.actor_a.pk, "kind": "supplies", "target": world.actor_a2.pk},
        format="json",
    )
    assert outsider.status_code == 400  # both actors must be members (the service's rule)
    gone = client.delete(reverse("api:membership-detail", kwargs={"pk": response.json()["id"]}))
    assert gone.status_code == 204
    assert not Relationship.objects.filter(source=world.actor_b, cluster=world.cluster_a).exists()


def test_interventions_show_money_as_exact_amounts_and_numbers_as_numbers(api, world):
    client = api(make_token(world.users["manager"], ApiToken.Scope.READ))
    data = client.get(reverse("api:intervention-detail", kwargs={"pk": world.intervention_a.pk})).json()
    planned = world.intervention_a.budget_planned
    assert data["budget_planned"] == {"amount": f"{planned:.2f}", "currency": "PEN"}
    assert data["start_date"] == world.intervention_a.start_date.isoformat()
    indicator = client.get(reverse("api:indicator-detail", kwargs={"pk": world.indicator_a.pk})).json()
    assert isinstance(indicator["baseline_value"], int | float)
    assert indicator["baseline_value"] == float(world.indicator_a.baseline_value)


def test_the_portfolios_filters_work_on_interventions(api, world):
    client = api(make_token(world.users["coordinator"], ApiToken.Scope.READ))
    url = reverse("api:intervention-list")
    assert len(client.get(url).json()["results"]) == 2
    assert [row["cluster"] for row in client.get(url + "?region=12").json()["results"]] == ["cafe"]
    assert [row["cluster"] for row in client.get(url + "?cluster=camelidos").json()["results"]] == ["camelidos"]
    assert client.get(url + "?goal=nothing").status_code == 400


def test_a_measurement_is_recorded_pending_review(api, world):
    client = api(make_token(world.users["coordinator"]))
    response = client.post(
        reverse("api:measurement-list"),
        {"indicator": world.indicator_a.pk, "date": "2025-03-31", "value": "17.5", "source": "CITE Puno"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["value"] == 17.5
    assert response.json()["status"] == "pending"
    assert Measurement.objects.get(pk=response.json()["id"]).recorded_by == world.users["coordinator"]


def test_reports_are_requested_followed_and_downloaded_as_on_the_pages(api, world):
    client = api(make_token(world.users["coordinator"]))
    response = client.post(reverse("api:report-list"), {"cluster": "camelidos", "language": "en"}, format="json")
    assert response.status_code == 201
    job = ReportJob.objects.get(pk=response.json()["id"])
    assert job.requested_by == world.users["coordinator"]
    status = client.get(reverse("api:report-detail", kwargs={"pk": job.pk})).json()
    assert status["status"] in {"queued", "running", "done", "failed"}
    done = client.get(reverse("api:report-detail", kwargs={"pk": world.report_a.pk})).json()
    assert done["download_url"].endswith(reverse("api:report-download", kwargs={"pk": world.report_a.pk}))
    pdf = client.get(reverse("api:report-download", kwargs={"pk": world.report_a.pk}), HTTP_ACCEPT="application/json")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    missing = client.get(reverse("api:report-download", kwargs={"pk": world.report_b.pk}))
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"


def test_a_managers_read_only_token_follows_reports_but_cannot_ask_for_one(api, world):
    client = api(make_token(world.users["manager"], ApiToken.Scope.READ))
    assert client.get(reverse("api:report-list")).status_code == 200
    response = client.post(reverse("api:report-list"), {"cluster": "camelidos"}, format="json")
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"] or "solo lectura" in response.json()["detail"]


def test_questionnaire_versions_link_their_xlsform_and_xform(api, world, client):
    api_client = api(make_token(world.users["researcher_a"], ApiToken.Scope.READ))
    data = api_client.get(reverse("api:version-detail", kwargs={"pk": world.version.pk})).json()
    assert data["xlsform_url"] == "http://testserver" + reverse(
        "surveys:version_export", kwargs={"pk": world.version.pk}
    )
    assert data["xform_url"] == f"http://testserver/openrosa/forms/{world.version.pk}/form.xml"
    assert [q["code"] for q in data["questions"]] == ["employees", "barrier"]
    assert data["questions"][1]["choices"][0]["value"] == "financing"
    drafts = api_client.get(reverse("api:version-detail", kwargs={"pk": world.draft_version.pk}))
    assert drafts.status_code == 404  # researchers see published versions only, as on the pages


FILTERED_LISTS = {
    "cluster": "q",
    "actor": "kind",
    "membership": "role",
    "tie": "cluster",
    "evaluation": "cluster",
    "version": "status",
    "interview": "status",
    "intervention": "cluster",
    "indicator": "cluster",
    "measurement": "cluster",
    "activity": "cluster",
    "report": "cluster",
}


@pytest.mark.parametrize("role", ["manager", "researcher_a"])
def test_a_list_asked_for_with_no_filter_answers_what_its_filter_set_answers_given_none(api, world, role):
    from api.urls import router

    client = api(make_token(world.users[role], ApiToken.Scope.READ))
    listed = {}
    for basename, a_filter in FILTERED_LISTS.items():
        url = reverse(f"api:{basename}-list")
        plain = client.get(url)
        by_the_filter_set = client.get(url, {a_filter: ""})  # an empty value: the FilterSet is made, filters nothing
        assert plain.status_code == by_the_filter_set.status_code, basename
        if plain.status_code == 200:  # a researcher may not list reports (403 both ways)
            assert plain.json()["results"] == by_the_filter_set.json()["results"], basename
            listed[basename] = len(plain.json()["results"])
    assert listed["interview"] and listed["actor"] and listed["membership"], listed  # lists with rows compared
    assert {basename for _prefix, _viewset, basename in router.registry} - set(FILTERED_LISTS) == {"questionnaire"}


def test_the_interview_list_with_no_filter_makes_no_filter_set(api, world, monkeypatch):
    from surveys.forms import InterviewFilter

    made = []
    original = InterviewFilter.__init__
    monkeypatch.setattr(InterviewFilter, "__init__", lambda self, *a, **k: made.append(1) or original(self, *a, **k))
    client = api(make_token(world.users["manager"], ApiToken.Scope.READ))
    first = client.get(reverse("api:interview-list"), {"include": "answers"})
    assert first.status_code == 200
    assert made == []
    assert client.get(reverse("api:interview-list"), {"status": "approved"}).status_code == 200
    assert made == [1]
