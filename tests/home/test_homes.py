"""Role-first homes: what a researcher and a coordinator see before anything else, and the language switch."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import Interview
from tests import factories as f

pytestmark = pytest.mark.django_db


def _page(client_for, user):
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def _position(page, text):
    where = page.find(text)
    assert where >= 0, text
    return where


def test_a_researchers_home_starts_with_an_interview_then_returned_ones_then_her_drafts(client_for, world):
    researcher = world.users["researcher_a"]
    returned = f.InterviewFactory(
        version=world.version, cluster=world.cluster_a, actor=world.actor_a, interviewer=researcher, status="returned"
    )
    page = _page(client_for, researcher)
    start = _position(page, 'data-testid="start-interview"')
    assert start < _position(page, 'data-testid="home-returned"') < _position(page, 'data-testid="home-interviews"')
    assert start < _position(page, 'data-testid="home-clusters"')
    assert reverse("surveys:interview_edit", args=[returned.pk]) in page
    assert "Iniciar una entrevista" in page
    assert "Devueltas para corregir" in page


def test_a_researcher_sees_her_newest_drafts_first_and_a_link_to_all_of_them(client_for, world):
    researcher = world.users["researcher_a"]
    drafts = [
        f.InterviewFactory(version=world.version, cluster=world.cluster_a, actor=world.actor_a, interviewer=researcher)
        for _ in range(10)
    ]
    newest = drafts[3]
    Interview.objects.filter(pk=newest.pk).update(updated_at=timezone.now() + datetime.timedelta(minutes=5))
    page = _page(client_for, researcher)
    section = page[_position(page, 'data-testid="home-interviews"') :]
    edits = re.findall(r'href="/surveys/interviews/(\d+)/edit/"', section)
    assert int(edits[0]) == newest.pk
    assert len(edits) == 8
    total = Interview.objects.filter(interviewer=researcher, status="draft").count()
    assert total == 11  # the world's own draft too
    link = f'href="{reverse("surveys:interview_list")}?status=draft&amp;interviewer={researcher.pk}"'
    assert link in section
    assert f"Ver todas ({total})" in section
    listing = client_for(researcher).get(
        reverse("surveys:interview_list"), {"status": "draft", "interviewer": researcher.pk}
    )
    assert listing.context["page"].paginator.count == total


def test_a_coordinators_home_starts_with_the_review_queues_oldest_first_with_their_age(client_for, world):
    coordinator = world.users["coordinator"]
    old = f.InterviewFactory(
        version=world.version,
        cluster=world.cluster_b,
        actor=world.actor_b,
        status="submitted",
        submitted_at=timezone.now() - datetime.timedelta(days=3),
    )
    page = _page(client_for, coordinator)
    queue = _position(page, 'data-testid="home-interviews"')
    assert queue < _position(page, 'data-testid="home-measurements"') < _position(page, 'data-testid="home-clusters"')
    section = page[queue : _position(page, 'data-testid="home-measurements"')]
    details = re.findall(r'href="/surveys/interviews/(\d+)/"', section)
    assert [int(pk) for pk in details] == [world.submitted_interview_a.pk, old.pk]  # May 2025, then three days ago
    assert "en espera hace 3\xa0días" in section
    measurements = page[_position(page, 'data-testid="home-measurements"') :]
    assert reverse("instruments:measurement_detail", args=[world.measurement_a.pk]) in measurements
    assert "en espera hace" in measurements


def test_the_language_switch_is_at_the_top_of_every_page(client_for, world):
    page = _page(client_for, world.users["researcher_a"])
    toggle = _position(page, 'data-testid="language-toggle"')
    assert toggle < _position(page, "<main")
    assert 'name="language" value="en"' in page[toggle : _position(page, "<main")]
    response = client_for(world.users["researcher_a"]).post(
        reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True
    )
    english = response.content.decode()
    assert "Start an interview" in english
    assert 'name="language" value="es"' in english


def test_a_user_without_a_role_is_told_to_ask_for_one(client_for, db):
    page = _page(client_for, f.UserFactory(username="nobody"))
    assert "Su cuenta aún no tiene un rol" in page


def test_the_homes_cost_the_same_queries_with_few_and_many_interviews(client_for, world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for persona in ("researcher_a", "coordinator"):
        client = client_for(world.users[persona])
        for size in (2, 30):
            f.InterviewFactory.create_batch(
                size,
                version=world.version,
                cluster=world.cluster_a,
                actor=world.actor_a,
                interviewer=world.users["researcher_a"],
            )
            f.InterviewFactory.create_batch(
                size, version=world.version, cluster=world.cluster_a, actor=world.actor_a, status="submitted"
            )
            client.get(reverse("home"))
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("home")).status_code == 200
            counts[persona, size] = len(captured)
        assert counts[persona, 2] == counts[persona, 30]
        with django_assert_max_num_queries(20):
            client.get(reverse("home"))
