"""Saving and submitting an interview costs the same number of queries for 40 answers as for 250."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys import services
from surveys.models import Answer, Interview
from surveys.selectors import ordered_questions
from tests.surveys.conftest import FULL_ANSWERS, build_questionnaire, form_data

pytestmark = pytest.mark.django_db


def _answers(version, world):
    answers = {
        "empleados": 45,
        "tamano": "pequena",
        "exporta": True,
        "mercados": ["usa", "ue"],
        "participacion_usa": 30,
        "proveedores": [world.actor_a2.pk],
        "confianza": 4,
        "inicio": datetime.date(2010, 1, 1),
        "barreras": "Financiamiento",
        "comentario": "Bien",
    }
    for code in version.questions.filter(code__startswith="extra_").values_list("code", flat=True):
        answers[code] = int(code.split("_")[1])
    return answers


def _save(world, version, answers, *, uid, submit, lock=None, token=None):
    # As the form page does: the questions (and their options) are loaded once per request, for the form.
    questions = list(ordered_questions(version).prefetch_related("choices"))
    return _save_with(world, version, answers, questions, uid=uid, submit=submit, lock=lock, token=token)


def _save_with(world, version, answers, questions, *, uid, submit, lock=None, token=None):
    return services.interview_save(
        questions=questions,
        user=world.users["researcher_a"],
        uuid=uid,
        version=version,
        cluster=world.cluster_a,
        actor=world.actor_a,
        details={"date": datetime.date(2025, 6, 1), "mode": "in_person", "consent_given": True},
        answers=answers,
        submit=submit,
        expected_lock_version=lock,
        form_token=token,
    )


@pytest.mark.parametrize("answer_count", [40, 250])
def test_saving_and_submitting_cost_the_same_queries_for_40_and_250_answers(
    world, answer_count, django_assert_max_num_queries
):
    version = build_questionnaire(world.users["coordinator"], name=f"Q{answer_count}", extra_integers=answer_count - 11)
    answers = _answers(version, world)
    assert len(answers) == answer_count - 1  # every question but the collaboration one
    uid, token = uuid.uuid4(), uuid.uuid4()
    questions = list(ordered_questions(version).prefetch_related("choices"))
    with django_assert_max_num_queries(15):
        _save_with(world, version, answers, questions, uid=uid, submit=False, token=token)
    interview = Interview.objects.get(uuid=uid)
    with django_assert_max_num_queries(15):
        _save_with(
            world, version, answers, questions, uid=uid, submit=False, lock=interview.lock_version, token=uuid.uuid4()
        )
    interview.refresh_from_db()
    # Submission adds the named tie through the registry's relationship_create:
    # about 18 queries per new tie, most of them its full_clean.
    with django_assert_max_num_queries(15 + 20):
        saved = _save_with(
            world, version, answers, questions, uid=uid, submit=True, lock=interview.lock_version, token=uuid.uuid4()
        )
    assert saved.submitted
    assert Answer.objects.filter(interview=interview).count() == answer_count - 1


@pytest.mark.parametrize("answer_count", [40, 250])
def test_submitting_without_named_actors_costs_at_most_15_queries_for_40_and_250_answers(
    world, answer_count, django_assert_max_num_queries
):
    version = build_questionnaire(world.users["coordinator"], name=f"Q{answer_count}", extra_integers=answer_count - 11)
    answers = {**_answers(version, world), "proveedores": [], "comentario": "Sin vínculos"}
    questions = list(ordered_questions(version).prefetch_related("choices"))
    uid = uuid.uuid4()
    _save_with(world, version, answers, questions, uid=uid, submit=False, token=uid)
    with django_assert_max_num_queries(15):
        saved = _save_with(world, version, answers, questions, uid=uid, submit=True, token=uid)
    assert saved.submitted
    assert Answer.objects.filter(interview=saved.interview).count() == answer_count - 2


def test_the_query_count_of_a_save_does_not_depend_on_the_number_of_answers(world):
    counts = []
    for extra in (29, 239):
        version = build_questionnaire(world.users["coordinator"], name=f"Q{extra}", extra_integers=extra)
        answers = _answers(version, world)
        uid = uuid.uuid4()
        questions = list(ordered_questions(version).prefetch_related("choices"))
        _save_with(world, version, answers, questions, uid=uid, submit=False, token=uid)
        with CaptureQueriesContext(connection) as first:
            _save_with(world, version, answers, questions, uid=uid, submit=False, token=uid)
        with CaptureQueriesContext(connection) as submitted:
            _save_with(world, version, answers, questions, uid=uid, submit=True, token=uid)
        counts.append((len(first), len(submitted)))
    print(f"queries per save / submit at 40 and 250 answers: {counts}")
    assert counts[0] == counts[1]


def test_posting_a_submission_through_the_form_stays_within_budget(
    client_for, world, questionnaire, django_assert_max_num_queries
):
    client = client_for(world.users["researcher_a"])
    data = form_data(questionnaire, world.cluster_a, actor=world.actor_a, answers=FULL_ANSWERS, submit=True)
    client.get(reverse("home"))  # the session exists
    with django_assert_max_num_queries(30):
        response = client.post(reverse("surveys:interview_start"), data)
    assert response.status_code == 302
    assert len(list(ordered_questions(questionnaire))) == 11


def _repeat_form(coordinator, name):
    """A questionnaire of 30 integer questions and a repeat of 22, imported from an XLSForm."""
    import io

    from pyxform.xls2json_backends import md_table_to_workbook

    rows = ["| survey |", "| | type | name | label |"]
    rows += [f"| | integer | top_{n} | Dato {n} |" for n in range(30)]
    rows += ["| | begin repeat | lineas | Líneas |"]
    rows += [f"| | integer | linea_{n} | Línea {n} |" for n in range(22)]
    rows += ["| | end repeat | | |"]
    workbook = md_table_to_workbook("\n".join(rows))
    data = io.BytesIO()
    workbook.save(data)
    version = services.version_import_xlsform(data=data.getvalue(), created_by=coordinator, name=name)
    return services.version_publish(version=version, published_by=coordinator)


def test_a_save_with_a_ten_row_repeat_costs_what_a_small_one_costs(world):
    """30 answers and a repeat of 22 questions: 52 answers with one repetition, 250 with ten; the same queries."""
    counts = []
    for repetitions in (1, 10):
        version = _repeat_form(world.users["coordinator"], f"Con repetición {repetitions}")
        answers = {
            **{f"top_{n}": n for n in range(30)},
            **{(f"linea_{n}", str(row)): n for n in range(22) for row in range(1, repetitions + 1)},
        }
        questions = list(ordered_questions(version).prefetch_related("choices"))
        uid = uuid.uuid4()
        _save_with(world, version, answers, questions, uid=uid, submit=False, token=uid)
        with CaptureQueriesContext(connection) as saved:
            _save_with(world, version, answers, questions, uid=uid, submit=True, token=uid)
        counts.append(len(saved))
        assert Answer.objects.filter(interview__uuid=uid).count() == 30 + 22 * repetitions
    assert counts[0] == counts[1]
