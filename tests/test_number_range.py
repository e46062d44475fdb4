"""A typed number that the database column cannot hold exactly is refused at its field, never stored changed.

Answers are kept in a numeric(20, 6) column, measurements and indicators in numeric(18, 4):
"99999999999999.9999999" rounds up to 10^14 (an overflow, a 500 on PostgreSQL) and "1e-400" rounds down
to 0 (stored silently). Both are told at the field, in the web form and through the API.
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from clusters.numbers import parse_number
from instruments.models import Indicator, Measurement
from surveys.models import Answer, Interview, Question
from tests.surveys.conftest import FULL_ANSWERS, build_questionnaire, form_data

pytestmark = pytest.mark.django_db

START = reverse("surveys:interview_start")
ROUNDS_UP = "99999999999999.9999999"
ROUNDS_TO_ZERO = "1e-400"


def unbounded(version):
    # Without the question's own bounds (0 to 100), only the column limits the number.
    Question.objects.filter(version=version, code="participacion_usa").update(min_value=None, max_value=None)
    return version


@pytest.fixture
def questionnaire(world):
    return unbounded(build_questionnaire(world.users["coordinator"]))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (ROUNDS_UP, "como máximo 6 decimales"),
        (ROUNDS_TO_ZERO, "como máximo 6 decimales"),
        ("0.0000004", "como máximo 6 decimales"),
        ("100000000000000", "menor que 100,000,000,000,000"),
        ("-100000000000000", "menor que 100,000,000,000,000"),
    ],
)
def test_an_answer_the_column_cannot_hold_is_refused_at_its_field(client_for, world, questionnaire, typed, message):
    client = client_for(world.users["researcher_a"])
    answers = {**FULL_ANSWERS, "participacion_usa": typed}
    response = client.post(START, form_data(questionnaire, world.cluster_a, actor=world.actor_a, answers=answers))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'name="q_participacion_usa"' in page and typed in page  # the typed value is kept to correct it
    assert not Interview.objects.filter(version=questionnaire).exists()


def test_the_largest_and_smallest_numbers_the_column_holds_are_stored_exactly(client_for, world, questionnaire):
    client = client_for(world.users["researcher_a"])
    for typed in ("99999999999999.5", "0.000001"):
        answers = {**FULL_ANSWERS, "participacion_usa": typed}
        response = client.post(START, form_data(questionnaire, world.cluster_a, actor=world.actor_a, answers=answers))
        errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*(.*?)\s*<', response.content.decode(), re.S)
        assert response.status_code == 302, (typed, response.status_code, errors)
    stored = Answer.objects.filter(question__code="participacion_usa").values_list("number_value", flat=True)
    assert sorted(stored) == [Decimal("0.000001"), Decimal("99999999999999.5")]


@pytest.mark.parametrize(
    ("typed", "message"),
    [(ROUNDS_UP, "como máximo 4 decimales"), (ROUNDS_TO_ZERO, "como máximo 4 decimales"), ("1e20", "menor que")],
)
def test_a_measurement_the_column_cannot_hold_is_refused_at_its_field(client_for, world, typed, message):
    client = client_for(world.users["coordinator"])
    url = reverse("instruments:measurement_create", args=[world.indicator_a.pk])
    response = client.post(url, {"date": "2025-03-31", "value": typed, "source": "Padrón", "value_women": typed})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Measurement.objects.filter(date="2025-03-31").exists()


def test_an_indicator_target_the_column_cannot_hold_is_refused_at_its_field(client_for, world):
    client = client_for(world.users["coordinator"])
    data = {"name": "Merma", "unit": "%", "direction": "decrease", "baseline_value": "18", "target_value": "1e-400"}
    response = client.post(reverse("instruments:indicator_create", args=[world.intervention_a.pk]), data)
    assert response.status_code == 200
    assert "como máximo 4 decimales" in response.content.decode()
    assert not Indicator.objects.filter(name="Merma").exists()


@pytest.mark.parametrize("typed", [ROUNDS_UP, ROUNDS_TO_ZERO, "1e14", "9" * 400, "1e999999999"])
def test_the_parser_refuses_what_a_numeric_20_6_column_would_change(typed):
    with pytest.raises(ValueError):
        parse_number(typed)


@pytest.mark.parametrize("typed", ["99999999999999.999999", "-99999999999999.999999", "0.000001", "0", "1e3"])
def test_the_parser_keeps_what_the_column_holds_exactly(typed):
    assert parse_number(typed) == Decimal(typed)
