"""An interview's history reads as the form does: question labels, choice labels, field names, no codes."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.models import Interview, InterviewChange
from tests import factories as f
from tests.surveys.conftest import FULL_ANSWERS, form_data

pytestmark = pytest.mark.django_db

START = reverse("surveys:interview_start")


def _history(page):
    return page.split('data-testid="history"', 1)[1].split("</ol>", 1)[0]


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _interview_edited_twice(client, questionnaire, world):
    uid, token = uuid.uuid4(), uuid.uuid4()
    first = {**FULL_ANSWERS, "exporta": "no", "mercados": [], "participacion_usa": ""}
    del first["tamano"]
    client.post(
        START,
        form_data(
            questionnaire, world.cluster_a, actor=world.actor_a, uid=uid, token=token, answers=first, consent=False
        ),
    )
    interview = Interview.objects.get(version=questionnaire)
    edit = reverse("surveys:interview_edit", kwargs={"pk": interview.pk})
    second = {**FULL_ANSWERS, "mercados": ["usa", "ue"], "inicio": "2011-04-02"}
    client.post(
        edit,
        form_data(
            questionnaire,
            world.cluster_a,
            uid=uid,
            token=uuid.uuid4(),
            answers=second,
            mode="phone",
            actor=world.actor_a2,
            lock_version=interview.lock_version,
        ),
    )
    assert InterviewChange.objects.filter(interview=interview).count() == 2
    return interview, edit, uid


def test_the_history_names_questions_choices_and_fields_as_the_form_does(client_for, world, questionnaire):
    world.membership_a2  # the second actor is a member of cluster A  # noqa: B018
    client = client_for(world.users["researcher_a"])
    interview, _edit, _uid = _interview_edited_twice(client, questionnaire, world)
    history = _text(_history(client.get(interview.get_absolute_url()).content.decode()))
    assert "Tamaño: — → Pequeña" in history
    assert "¿Exporta?: No → Sí" in history
    assert "Mercados de destino: — → Unión Europea; Estados Unidos" in history
    assert "¿Desde cuándo opera?: 1 de marzo de 2010 → 2 de abril de 2011" in history
    assert "Consentimiento otorgado: No → Sí" in history
    assert "Modalidad: Presencial → Teléfono" in history
    assert f"Actor: {world.actor_a.name} → {world.actor_a2.name}" in history
    for code in ("tamano", "pequena", "exporta", "mercados", "consent_given", "in_person", "phone", "actor_id"):
        assert code not in history, code


def test_a_save_that_changed_nothing_leaves_no_empty_entry(client_for, world, questionnaire):
    client = client_for(world.users["researcher_a"])
    interview, edit, uid = _interview_edited_twice(client, questionnaire, world)
    page = client.get(edit).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    lock = re.search(r'name="lock_version" value="([^"]+)"', page).group(1)
    same = {**FULL_ANSWERS, "mercados": ["usa", "ue"], "inicio": "2011-04-02"}
    client.post(
        edit,
        form_data(
            questionnaire,
            world.cluster_a,
            uid=uid,
            token=token,
            answers=same,
            mode="phone",
            actor=world.actor_a2,
            lock_version=lock,
        ),
    )
    assert not InterviewChange.objects.filter(interview=interview, action="saved", changes=[]).exists()
    history = _history(client.get(interview.get_absolute_url()).content.decode())
    assert history.count("<li class=") == 2  # created, saved with changes; not the empty save


def test_the_history_costs_the_same_queries_with_few_and_many_entries(client_for, world, questionnaire):
    client = client_for(world.users["coordinator"])
    interview = f.InterviewFactory(version=questionnaire, cluster=world.cluster_a, actor=world.actor_a)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(interview.get_absolute_url()).status_code == 200
        return len(captured)

    def log(n):
        InterviewChange.objects.bulk_create(
            InterviewChange(
                interview=interview,
                action="saved",
                changed_by=world.users["researcher_a"],
                changes=[["tamano", "micro", "pequena"], ["actor_id", str(world.actor_a.pk), str(world.actor_a2.pk)]],
            )
            for _ in range(n)
        )

    log(2)
    few = queries()
    log(40)
    assert queries() == few
    history = _text(_history(client.get(interview.get_absolute_url()).content.decode()))
    assert history.count("Tamaño: Micro → Pequeña") == 42
