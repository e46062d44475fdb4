"""A device submission costs the same queries however many answers it carries (the benchmark's floor)."""

import pytest

from openrosa.services import device_token_create
from tests.openrosa.conftest import DEVICE_ANSWERS, fill, post, received
from tests.surveys.conftest import build_questionnaire

# Without the test's own wrapping transaction, so that the count is what a request costs in production.
pytestmark = pytest.mark.django_db(transaction=True)
CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK")


def _answers(extra):
    answers = dict(DEVICE_ANSWERS)  # nine answers
    answers.update({f"extra_{n}": str(n) for n in range(extra)})
    return answers


def _cost(client, world, extra, django_assert_max_num_queries):
    version = build_questionnaire(world.users["coordinator"], name=f"Cuestionario {extra}", extra_integers=extra)
    _row, token = device_token_create(user=world.users["researcher_a"], name="Tableta")
    # The first post warms the XForm cache and the device's "last used" time, as on a device in use.
    post(client, fill(version, world.cluster_a, world.actor_a, answers=_answers(extra)), token=token)
    xml = fill(version, world.cluster_a, world.actor_a, answers=_answers(extra))
    # At most 20 statements that read or write rows, plus SQLite's BEGIN/COMMIT and savepoints.
    with django_assert_max_num_queries(26) as captured:
        response = post(client, xml, token=token)
    assert response.status_code == 201
    assert received().filter(version=version, state="mapped").count() == 2
    data = [query for query in captured.captured_queries if not query["sql"].startswith(CONTROL)]
    assert len(data) <= 20, "\n".join(query["sql"][:120] for query in data)
    return len(captured.captured_queries)


def test_a_submission_of_40_or_of_250_answers_costs_the_same_queries_and_at_most_20(
    client, world, django_assert_max_num_queries
):
    # Nine answers to the realistic questionnaire + 31 or + 241 integers: 40 and 250 answers.
    assert _cost(client, world, 31, django_assert_max_num_queries) == _cost(
        client, world, 241, django_assert_max_num_queries
    )
