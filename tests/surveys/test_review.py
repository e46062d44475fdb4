"""Coordinators review submitted interviews: approve, or return with a comment; ties enter the network."""

import re
import uuid

import pytest
from django.urls import reverse

from clusters.models import Relationship
from surveys.models import Interview, InterviewChange
from tests.surveys.conftest import FULL_ANSWERS, form_data

pytestmark = pytest.mark.django_db
START = reverse("surveys:interview_start")


@pytest.fixture
def submitted(client_for, world, questionnaire):
    uid, token = uuid.uuid4(), uuid.uuid4()
    answers = {**FULL_ANSWERS, "proveedores": [str(world.actor_a2.pk)], "colabora": [str(world.actor_a2.pk)]}
    client_for(world.users["researcher_a"]).post(
        START,
        form_data(
            questionnaire, world.cluster_a, actor=world.actor_a, uid=uid, token=token, answers=answers, submit=True
        ),
    )
    interview = Interview.objects.get(uuid=uid)
    interview.token = token
    return interview


def test_submission_puts_the_named_ties_in_the_network_linked_to_the_interview(world, submitted):
    ties = Relationship.objects.filter(interview=submitted)
    assert {(t.source, t.target, t.kind) for t in ties} == {
        (world.actor_a, world.actor_a2, "supplies"),
        (world.actor_a, world.actor_a2, "collaborates"),
    }
    assert all(t.cluster == world.cluster_a for t in ties)


def test_the_review_queue_lists_submitted_interviews_oldest_first(client_for, world, submitted):
    content = client_for(world.users["coordinator"]).get(reverse("surveys:review_queue")).content.decode()
    assert submitted.get_absolute_url() in content
    assert world.interview_a.get_absolute_url() not in content  # a draft


def test_a_return_needs_a_comment(client_for, world, submitted):
    client = client_for(world.users["coordinator"])
    response = client.post(
        reverse("surveys:interview_review", kwargs={"pk": submitted.pk}), {"decision": "return"}, follow=True
    )
    assert "Indique qué debe corregir" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Interview.Status.SUBMITTED


def test_a_returned_interview_goes_back_editable_with_the_comment_shown(client_for, world, questionnaire, submitted):
    coordinator = client_for(world.users["coordinator"])
    coordinator.post(
        reverse("surveys:interview_review", kwargs={"pk": submitted.pk}),
        {"decision": "return", "comment": "Falta el número de trabajadores eventuales."},
    )
    submitted.refresh_from_db()
    assert submitted.status == Interview.Status.RETURNED
    researcher = client_for(world.users["researcher_a"])
    edit = researcher.get(reverse("surveys:interview_edit", kwargs={"pk": submitted.pk}))
    assert edit.status_code == 200
    assert "Falta el número de trabajadores eventuales." in edit.content.decode()
    home = researcher.get(reverse("home")).content.decode()
    assert reverse("surveys:interview_edit", kwargs={"pk": submitted.pk}) in home
    # Fixed and resubmitted: one named actor less, so one tie leaves the network.
    answers = {**FULL_ANSWERS, "empleados": "52", "proveedores": [str(world.actor_a2.pk)]}
    response = researcher.post(
        reverse("surveys:interview_edit", kwargs={"pk": submitted.pk}),
        form_data(
            questionnaire,
            world.cluster_a,
            uid=submitted.uuid,
            lock_version=submitted.lock_version,
            answers=answers,
            submit=True,
        ),
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Interview.Status.SUBMITTED
    assert list(Relationship.objects.filter(interview=submitted).values_list("kind", flat=True)) == ["supplies"]


def test_approval_locks_the_interview_and_everything_is_in_the_history(client_for, world, submitted):
    client_for(world.users["coordinator"]).post(
        reverse("surveys:interview_review", kwargs={"pk": submitted.pk}), {"decision": "approve"}
    )
    submitted.refresh_from_db()
    assert submitted.status == Interview.Status.APPROVED
    assert submitted.reviewed_by == world.users["coordinator"]
    researcher = client_for(world.users["researcher_a"])
    assert researcher.get(reverse("surveys:interview_edit", kwargs={"pk": submitted.pk})).status_code == 403
    actions = list(InterviewChange.objects.filter(interview=submitted).values_list("action", flat=True))
    assert actions == ["approved", "submitted"]
    page = researcher.get(submitted.get_absolute_url()).content.decode()
    assert "Aprobada" in page
    assert world.users["coordinator"].get_full_name() in page


def test_researchers_cannot_review(client_for, world, submitted):
    response = client_for(world.users["researcher_a"]).post(
        reverse("surveys:interview_review", kwargs={"pk": submitted.pk}), {"decision": "approve"}
    )
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Interview.Status.SUBMITTED


def test_the_home_page_shows_coordinators_the_review_queue(client_for, world, submitted):
    content = client_for(world.users["coordinator"]).get(reverse("home")).content.decode()
    assert 'data-testid="home-interviews"' in content
    assert submitted.get_absolute_url() in content


def test_the_reviewer_tells_a_question_the_logic_skipped_from_one_left_empty(client_for, world, questionnaire):
    uid = uuid.uuid4()
    answers = {**FULL_ANSWERS, "exporta": "no", "mercados": [], "participacion_usa": "", "comentario": ""}
    client_for(world.users["researcher_a"]).post(
        START,
        form_data(questionnaire, world.cluster_a, actor=world.actor_a, uid=uid, answers=answers, submit=True),
    )
    interview = Interview.objects.get(uuid=uid)
    assert interview.status == Interview.Status.SUBMITTED
    page = client_for(world.users["coordinator"]).get(interview.get_absolute_url()).content.decode()

    def answer_to(code):
        return page.split(f'aria-labelledby="answer-{code}">', 1)[1].split("</dd>", 1)[0]

    skipped = "no aplica (omitida por la lógica)"
    assert skipped in answer_to("mercados") and skipped in answer_to("participacion_usa")
    assert "sin respuesta" in answer_to("comentario") and skipped not in answer_to("comentario")
    assert "sin respuesta" in answer_to("proveedores")


def test_the_review_form_makes_no_decision_for_the_reviewer(client_for, world, submitted):
    client = client_for(world.users["coordinator"])
    page = client.get(submitted.get_absolute_url()).content.decode()
    decisions = re.findall(r'<input[^>]*name="decision"[^>]*>', page)
    assert len(decisions) == 2 and all("checked" not in d and "required" in d for d in decisions)
    response = client.post(reverse("surveys:interview_review", kwargs={"pk": submitted.pk}), {}, follow=True)
    assert "Elija aprobar o devolver la entrevista." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Interview.Status.SUBMITTED
