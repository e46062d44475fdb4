"""Interviews through the API: typed answers out, the web form's checks and service on the way in,
client ids and Idempotency-Keys that never make a second interview, and flat query counts."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.models import ApiToken
from surveys.models import Answer, Interview, InterviewChange
from tests.api.conftest import make_token
from tests.surveys.conftest import build_questionnaire, bulk_interviews

pytestmark = pytest.mark.django_db

ANSWERS = {
    "empleados": 45,
    "tamano": "pequena",
    "exporta": True,
    "mercados": ["usa", "ue"],
    "participacion_usa": 30.5,
    "confianza": 4,
    "inicio": "2010-03-01",
    "barreras": "Falta de financiamiento.",
    "comentario": "Buena experiencia",
}


@pytest.fixture
def questionnaire(world):
    return build_questionnaire(world.users["coordinator"])


def _body(version, world, **changes):
    body = {
        "uuid": str(uuid.uuid4()),
        "questionnaire_version": version.pk,
        "cluster": world.cluster_a.slug,
        "actor": world.actor_a.pk,
        "date": "2025-06-10",
        "mode": "in_person",
        "place": "Juliaca",
        "duration_minutes": 90,
        "respondent_name": "Rosa Mamani",
        "consent_given": True,
        "answers": dict(ANSWERS),
    }
    body.update(changes)
    return body


def _post(client, body, **headers):
    return client.post(reverse("api:interview-list"), body, format="json", **headers)


def test_a_researchers_token_lists_only_her_teams_interviews(api, world):
    client = api(make_token(world.users["researcher_a"], ApiToken.Scope.READ))
    response = client.get(reverse("api:interview-list"))
    assert response.status_code == 200
    clusters = {row["cluster"] for row in response.json()["results"]}
    ids = {row["id"] for row in response.json()["results"]}
    assert clusters == {"camelidos"}
    assert world.interview_b.pk not in ids
    assert world.other_draft_a.pk not in ids  # another researcher's draft, as on the page
    assert ids == {world.interview_a.pk, world.submitted_interview_a.pk}
    detail = client.get(reverse("api:interview-detail", kwargs={"pk": world.interview_b.pk}))
    assert detail.status_code == 404
    assert detail["Content-Type"] == "application/problem+json"


def test_an_interview_is_created_with_typed_answers_and_appears_on_the_pages(api, world, questionnaire, client):
    token = make_token(world.users["researcher_a"])
    body = _body(questionnaire, world, submit=True, answers={**ANSWERS, "proveedores": [world.actor_a2.pk]})
    response = _post(api(token), body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "submitted"
    assert data["submission_problems"] == {}
    assert data["duration_minutes"] == 90
    assert data["answers"] == {
        "empleados": 45,
        "tamano": "pequena",
        "exporta": True,
        "mercados": ["usa", "ue"],
        "participacion_usa": 30.5,
        "proveedores": [world.actor_a2.pk],
        "confianza": 4,
        "inicio": "2010-03-01",
        "barreras": "Falta de financiamiento.",
        "comentario": "Buena experiencia",
    }
    assert response["Location"] == data["url"]
    interview = Interview.objects.get(uuid=body["uuid"])
    assert interview.interviewer == world.users["researcher_a"]
    # The service recorded the named tie and who did what, as for the web form.
    assert interview.relationships.filter(target=world.actor_a2, kind="supplies").exists()
    assert InterviewChange.objects.filter(interview=interview, action="submitted").exists()
    client.force_login(world.users["coordinator"])
    page = client.get(reverse("surveys:interview_detail", kwargs={"pk": interview.pk}))
    assert page.status_code == 200
    assert "Falta de financiamiento." in page.content.decode()
    listing = client.get(reverse("surveys:interview_list"))
    assert reverse("surveys:interview_detail", kwargs={"pk": interview.pk}) in listing.content.decode()


def test_answers_are_checked_by_the_web_forms_own_fields(api, world, questionnaire):
    client = api(make_token(world.users["researcher_a"]), language="en")
    answers = {
        **ANSWERS,
        "empleados": 4.5,
        "tamano": "gigante",
        "exporta": "yes",
        "confianza": 9,
        "inicio": "2010-02-30",
        "nada": 1,
    }
    response = _post(client, _body(questionnaire, world, answers=answers))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:casebook:problem:validation-error"
    errors = problem["errors"]
    assert errors["answers.exporta"] == ["Send true or false."]
    assert errors["answers.inicio"] == ["Send a date as YYYY-MM-DD."]
    assert errors["answers.nada"] == ["This questionnaire version has no question with this code."]
    assert not Interview.objects.filter(version=questionnaire).exists()
    # Once the JSON types are right, the form's fields judge the values, with the page's messages.
    answers.update(exporta=True, inicio="2010-02-01")
    del answers["nada"]
    errors = _post(client, _body(questionnaire, world, answers=answers)).json()["errors"]
    assert errors["answers.empleados"] == ["The answer must be a whole number."]
    assert "answers.tamano" in errors
    assert "answers.confianza" in errors
    assert not Interview.objects.filter(version=questionnaire).exists()


def test_spanish_messages_by_default(api, world, questionnaire):
    client = api(make_token(world.users["researcher_a"]))
    response = _post(client, _body(questionnaire, world, answers={**ANSWERS, "exporta": "sí"}))
    problem = response.json()
    assert problem["title"] == "La solicitud no es válida"
    assert problem["errors"]["answers.exporta"] == ["Envíe true o false."]
    assert response["Content-Language"] == "es"


def test_an_incomplete_submission_is_kept_as_a_draft_and_says_why(api, world, questionnaire):
    client = api(make_token(world.users["researcher_a"]), language="en")
    answers = {key: value for key, value in ANSWERS.items() if key != "empleados"}
    response = _post(client, _body(questionnaire, world, answers=answers, submit=True, consent_given=False))
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "draft"
    assert set(data["submission_problems"]) == {"empleados", "consent_given"}


def test_posting_the_same_uuid_again_returns_the_interview_and_changes_nothing(api, world, questionnaire):
    client = api(make_token(world.users["researcher_a"]))
    body = _body(questionnaire, world)
    first = _post(client, body)
    assert first.status_code == 201
    again = _post(client, {**body, "place": "Otro lugar", "answers": {"empleados": 1}})
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["place"] == "Juliaca"
    assert Interview.objects.filter(uuid=body["uuid"]).count() == 1
    assert Answer.objects.get(interview__uuid=body["uuid"], question__code="empleados").number_value == 45


def test_another_persons_uuid_is_a_conflict(api, world, questionnaire):
    body = _body(questionnaire, world)
    assert _post(api(make_token(world.users["researcher_a"])), body).status_code == 201
    response = _post(api(make_token(world.users["admin"])), body)
    assert response.status_code == 409
    assert response.json()["type"] == "urn:casebook:problem:uuid-taken"


def test_an_idempotency_key_replays_the_first_answer_and_creates_nothing_new(api, world, questionnaire):
    client = api(make_token(world.users["researcher_a"]))
    body = _body(questionnaire, world)
    first = _post(client, body, HTTP_IDEMPOTENCY_KEY="envio-123")
    assert first.status_code == 201
    count = Interview.objects.count()
    replay = _post(client, body, HTTP_IDEMPOTENCY_KEY="envio-123")
    assert replay.status_code == 201
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    assert replay["Location"] == first["Location"]
    assert Interview.objects.count() == count
    reused = _post(client, {**body, "uuid": str(uuid.uuid4())}, HTTP_IDEMPOTENCY_KEY="envio-123")
    assert reused.status_code == 422
    assert reused.json()["type"] == "urn:casebook:problem:idempotency-key-reused"
    assert Interview.objects.count() == count


def test_a_refused_request_does_not_use_up_its_idempotency_key(api, world, questionnaire):
    client = api(make_token(world.users["researcher_a"]))
    body = _body(questionnaire, world, answers={**ANSWERS, "empleados": "muchos"})
    assert _post(client, body, HTTP_IDEMPOTENCY_KEY="k-1").status_code == 400
    body["answers"]["empleados"] = 12
    assert _post(client, body, HTTP_IDEMPOTENCY_KEY="k-2").status_code == 201


def test_a_researcher_cannot_record_an_interview_in_another_teams_cluster(api, world, questionnaire):
    client = api(make_token(world.users["researcher_b"]))
    response = _post(client, _body(questionnaire, world))
    assert response.status_code == 400
    assert "cluster" in response.json()["errors"]
    assert not Interview.objects.filter(version=questionnaire).exists()


def test_coordinators_and_managers_do_not_record_interviews_as_on_the_pages(api, world, questionnaire):
    for persona in ("coordinator", "manager"):
        response = _post(api(make_token(world.users[persona], ApiToken.Scope.READ)), _body(questionnaire, world))
        assert response.status_code == 403
    response = _post(api(make_token(world.users["coordinator"])), _body(questionnaire, world))
    assert response.status_code == 403


def test_a_new_actor_can_be_registered_with_the_interview(api, world, questionnaire):
    client = api(make_token(world.users["researcher_a"]))
    body = _body(questionnaire, world, actor=None, new_actor={"name": "Tejidos Ayaviri", "kind": "firm"})
    response = _post(client, body)
    assert response.status_code == 201, response.content
    assert response.json()["actor"]["name"] == "Tejidos Ayaviri"
    bad = _post(client, _body(questionnaire, world, actor=None, new_actor={"name": "X", "kind": "firm", "ruc": "123"}))
    assert bad.status_code == 400
    assert "new_actor.ruc" in bad.json()["errors"]


def _list_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("include", ["", "?include=answers", "?include=answers&status=approved&cluster=camelidos"])
def test_the_interview_list_costs_the_same_queries_for_30_and_300_interviews(
    api, world, questionnaire, include, django_assert_max_num_queries
):
    client = api(make_token(world.users["manager"], ApiToken.Scope.READ))
    path = reverse("api:interview-list") + include
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 30)
    small, rows = _list_queries(client, path)
    assert rows == 25
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 270, first_day=40)
    with django_assert_max_num_queries(8):
        response = client.get(path)
    assert len(response.json()["results"]) == 25
    assert _list_queries(client, path) == (small, 25)
    # The next page costs the same too (a cursor, not an offset and a count).
    assert _list_queries(client, response.json()["next"].replace("http://testserver", "")) == (small, 25)


def test_creating_an_interview_costs_the_same_queries_for_40_and_250_answers(api, world):
    client = api(make_token(world.users["researcher_a"]))
    counts = []
    for extra in (29, 239):
        version = build_questionnaire(world.users["coordinator"], name=f"Q{extra}", extra_integers=extra)
        answers = {**ANSWERS, **{f"extra_{n}": n for n in range(extra)}}
        with CaptureQueriesContext(connection) as queries:
            response = _post(
                client, _body(version, world, answers=answers, submit=True), HTTP_IDEMPOTENCY_KEY=str(extra)
            )
        assert response.status_code == 201, response.content
        assert len(response.json()["answers"]) == len(answers) == extra + 9
        counts.append(len(queries))
    print(f"queries of an API interview creation at 40 and 250 answers: {counts}")
    assert counts[0] == counts[1]
    assert counts[0] <= 45


def test_the_csv_export_is_the_pages_and_reads_with_pandas(api, world, questionnaire):
    import io

    import pandas

    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 3)
    bulk_interviews(questionnaire, world.cluster_b, world.actor_b, world.users["researcher_b"], 2)
    client = api(make_token(world.users["researcher_a"], ApiToken.Scope.READ))
    response = client.get(reverse("api:interview-export") + f"?version={questionnaire.pk}&choices=codes")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    frame = pandas.read_csv(io.BytesIO(b"".join(response.streaming_content)), encoding="utf-8-sig")
    assert len(frame) == 3  # only her team's cluster
    assert "empleados" in frame.columns
    assert pandas.api.types.is_numeric_dtype(frame["empleados"])
    long = client.get(reverse("api:interview-export") + "?shape=long")
    assert long.status_code == 200
    assert client.get(reverse("api:interview-export") + "?shape=tall").status_code == 400


def test_an_interviews_json_has_exactly_the_fields_its_schema_names(api, world):
    from api.serializers import surveys as serializers

    client = api(make_token(world.users["admin"], ApiToken.Scope.READ))
    row = client.get(reverse("api:interview-list")).json()["results"][0]
    assert list(row) == list(serializers.InterviewSerializer.Meta.fields)
    row = client.get(reverse("api:interview-list") + "?include=answers").json()["results"][0]
    assert list(row) == list(serializers.InterviewWithAnswersSerializer.Meta.fields)
    detail = client.get(reverse("api:interview-detail", kwargs={"pk": world.interview_a.pk})).json()
    assert list(detail) == list(serializers.InterviewDetailSerializer.Meta.fields)
    assert detail["interviewer"]["name"]
    assert detail["created_at"].endswith("-05:00")  # in the site's time zone, ISO 8601


def test_answers_inside_a_repeat_go_in_and_come_out_by_repetition(api, world):
    from decimal import Decimal

    from surveys.demo import import_form

    version = import_form("ficha_taller.md", world.users["coordinator"])
    client = api(make_token(world.users["researcher_a"]))
    answers = {
        "ubicacion": "-15.4997 -70.1333 3825 5",
        "local": "propio",
        "trabajadores": 12,
        "hora_inicio_jornada": "07:30",
        "producto": {"1": "Chompas", "2": "Chalinas"},
        "unidad": {"1": "kg", "2": "unidades"},
        "volumen_mensual": {"1": 120, "2": 40},
        "precio_unitario": {"1": 85.5},
    }
    response = _post(client, _body(version, world, answers=answers, submit=True))
    assert response.status_code == 201, response.json()
    interview = Interview.objects.get(uuid=response.json()["uuid"])
    assert interview.status == "submitted"
    stored = {
        (a.question.code, a.repeat): a for a in Answer.objects.filter(interview=interview).select_related("question")
    }
    assert stored[("producto", "2")].text_value == "Chalinas"
    assert stored[("ingreso_linea", "1")].number_value == Decimal("10260")
    read = client.get(reverse("api:interview-detail", kwargs={"pk": interview.pk})).json()["answers"]
    assert read["producto"] == {"1": "Chompas", "2": "Chalinas"}
    assert read["volumen_mensual"] == {"1": 120, "2": 40}
    assert read["ubicacion"] == "-15.4997 -70.1333 3825 5"
    assert read["hora_inicio_jornada"] == "07:30:00"
    assert read["trabajadores"] == 12
    # A repeated answer sent as a plain value is refused at its question.
    wrong = _post(client, _body(version, world, answers={**answers, "producto": "Chompas"}))
    assert wrong.status_code == 400
    assert "answers.producto" in wrong.json()["errors"]


def test_a_list_row_says_what_the_interviews_detail_says(api, world):
    """The list writes its rows from ``.values()`` and the detail from the instance: the same fields, the same
    values, for every interview (a researcher with a full name and one without, durations set and not)."""
    Interview.objects.filter(pk=world.interview_a.pk).update(duration=datetime.timedelta(minutes=95))
    unnamed = world.users["researcher_b"]
    unnamed.first_name = unnamed.last_name = ""
    unnamed.save()
    client = api(make_token(world.users["admin"], ApiToken.Scope.READ))
    rows = client.get(reverse("api:interview-list") + "?include=answers").json()["results"]
    assert len(rows) == Interview.objects.count() >= 2
    names = set()
    for row in rows:
        detail = client.get(reverse("api:interview-detail", kwargs={"pk": row["id"]})).json()
        assert row == {key: detail[key] for key in row}
        names.add(row["interviewer"]["name"])
    assert unnamed.username in names  # no full name: the user name, as the pages and histories say
    assert next(row for row in rows if row["id"] == world.interview_a.pk)["duration_minutes"] == 95
