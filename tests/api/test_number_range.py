"""The API reads JSON numbers exactly and refuses those an answer's numeric(20, 6) column cannot hold."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from surveys.models import Answer, Interview
from tests.api.conftest import make_token
from tests.api.test_interviews import _body, _post
from tests.surveys.conftest import build_questionnaire
from tests.test_number_range import ROUNDS_TO_ZERO, ROUNDS_UP, unbounded

pytestmark = pytest.mark.django_db


@pytest.fixture
def questionnaire(world):
    return unbounded(build_questionnaire(world.users["coordinator"]))


@pytest.mark.parametrize("typed", [ROUNDS_UP, ROUNDS_TO_ZERO])
def test_the_api_refuses_an_answer_the_column_cannot_hold(api, world, questionnaire, typed):
    client = api(make_token(world.users["researcher_a"]), language="en")
    body = _body(questionnaire, world)
    body["answers"]["participacion_usa"] = typed
    response = _post(client, body)
    assert response.status_code == 400
    assert "at most 6 decimal places" in " ".join(response.json()["errors"]["answers.participacion_usa"])
    assert not Interview.objects.filter(version=questionnaire).exists()


@pytest.mark.parametrize("literal", ["99999999999999.9999999", "1e-400", "0.00000001"])
def test_the_api_reads_a_json_number_exactly_and_refuses_it_instead_of_storing_a_rounded_float(
    api, world, questionnaire, literal
):
    client = api(make_token(world.users["researcher_a"]), language="en")
    body = _body(questionnaire, world)
    body["answers"]["participacion_usa"] = "@@"
    raw = json.dumps(body).replace('"@@"', literal)
    response = client.post(reverse("api:interview-list"), raw, content_type="application/json")
    assert response.status_code == 400
    assert "at most 6 decimal places" in " ".join(response.json()["errors"]["answers.participacion_usa"])
    assert not Interview.objects.filter(version=questionnaire).exists()


def test_the_api_stores_a_json_decimal_number_exactly(api, world, questionnaire):
    client = api(make_token(world.users["researcher_a"]), language="en")
    body = _body(questionnaire, world)
    body["answers"].update(participacion_usa="@@", empleados="@2")
    raw = json.dumps(body).replace('"@@"', "30.000001").replace('"@2"', "45.0")
    response = client.post(reverse("api:interview-list"), raw, content_type="application/json")
    assert response.status_code == 201, response.content
    stored = dict(
        Answer.objects.filter(question__code__in=["participacion_usa", "empleados"]).values_list(
            "question__code", "number_value"
        )
    )
    assert stored == {"participacion_usa": Decimal("30.000001"), "empleados": 45}
