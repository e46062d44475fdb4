"""The administrator's deletes in the admin: interviews whose reported ties repeat others, answers on their own."""

import pytest
from django.urls import reverse

from clusters.models import Relationship
from surveys.models import Answer, Interview
from tests import factories as f

pytestmark = pytest.mark.django_db


def _tie(world, interview=None):
    return f.RelationshipFactory(
        cluster=world.cluster_a, source=world.actor_a, target=world.actor_a2, interview=interview
    )


def test_deleting_an_interview_whose_tie_was_also_entered_by_hand_keeps_one_tie(client_for, world):
    interview = f.InterviewFactory(cluster=world.cluster_a, actor=world.actor_a)
    manual = _tie(world)
    _tie(world, interview)
    client = client_for(world.users["admin"])
    response = client.post(reverse("admin:surveys_interview_delete", args=[interview.pk]), {"post": "yes"})
    assert response.status_code == 302  # before: IntegrityError (unique_manual_tie), a server error
    assert not Interview.objects.filter(pk=interview.pk).exists()
    assert list(Relationship.objects.filter(cluster=world.cluster_a, source=world.actor_a)) == [manual]


def test_deleting_two_interviews_that_reported_the_same_tie_keeps_it_once(client_for, world):
    first = f.InterviewFactory(cluster=world.cluster_a, actor=world.actor_a)
    second = f.InterviewFactory(cluster=world.cluster_a, actor=world.actor_a)
    kept = _tie(world, first)
    _tie(world, second)
    other = f.RelationshipFactory(
        cluster=world.cluster_a, source=world.actor_a2, target=world.actor_a, interview=second
    )
    client = client_for(world.users["admin"])
    response = client.post(
        reverse("admin:surveys_interview_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Interview.objects.filter(pk__in=[first.pk, second.pk]).exists()
    ties = Relationship.objects.filter(pk__gte=kept.pk).order_by("pk")
    assert [(t.pk, t.interview_id) for t in ties] == [(kept.pk, None), (other.pk, None)]


def test_an_answer_is_read_in_the_admin_not_changed_and_deleting_it_moves_its_interview_s_stamp(client_for, world):
    answer = f.AnswerFactory(interview=f.InterviewFactory(cluster=world.cluster_a))
    interview = answer.interview
    client = client_for(world.users["admin"])
    page = client.get(reverse("admin:surveys_answer_change", args=[answer.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # read only
    refused = client.post(reverse("admin:surveys_answer_change", args=[answer.pk]), {"number_value": "9"})
    assert refused.status_code == 403
    response = client.post(reverse("admin:surveys_answer_delete", args=[answer.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Answer.objects.filter(pk=answer.pk).exists()
    before = (interview.lock_version, interview.updated_at)
    interview.refresh_from_db()
    assert interview.lock_version == before[0] + 1 and interview.updated_at > before[1]
