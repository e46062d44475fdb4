"""Two posts of the same interview at the same moment (a double tap on a flaky connection) leave one interview.

Real PostgreSQL: the second INSERT waits on the unique index until the first commits, fails, and the
service updates the interview the first post created. SQLite's in-memory test database serialises
writers and cannot show this honestly.
"""

import threading
import uuid

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from clusters.models import Relationship
from surveys.models import Answer, Interview
from tests.surveys.conftest import FULL_ANSWERS, build_questionnaire, form_data

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _post_together(user, data, posts=2):
    barrier = threading.Barrier(posts)
    statuses, errors = [], []

    def post():
        client = Client()
        client.force_login(user)
        try:
            barrier.wait(timeout=10)
            response = client.post(reverse("surveys:interview_start"), data)
            statuses.append(response.status_code)
            if response.status_code == 200:
                errors.append(response.context["form"].errors)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses, errors


def test_concurrent_posts_of_the_same_interview_uuid_leave_one_interview(world, caplog):
    caplog.set_level("INFO", logger="surveys.services")
    assert connection.vendor == "postgresql"
    version = build_questionnaire(world.users["coordinator"])
    researcher = world.users["researcher_a"]
    for attempt in range(8):
        uid, token = uuid.uuid4(), uuid.uuid4()
        answers = {**FULL_ANSWERS, "proveedores": [str(world.actor_a2.pk)]}
        data = form_data(
            version, world.cluster_a, actor=world.actor_a, uid=uid, token=token, answers=answers, submit=attempt % 2
        )
        statuses, errors = _post_together(researcher, data, posts=3)
        assert not errors, errors
        assert statuses == [302, 302, 302]
        assert Interview.objects.filter(uuid=uid).count() == 1
        interview = Interview.objects.get(uuid=uid)
        assert Answer.objects.filter(interview=interview, question__code="empleados").count() == 1
        if attempt % 2:
            assert interview.status == Interview.Status.SUBMITTED
            assert Relationship.objects.filter(interview=interview).count() == 1
    races = [r for r in caplog.records if "a concurrent post created it first" in r.getMessage()]
    print(f"{len(races)} posts lost the insert race and updated the interview instead")
    assert races, "the posts never actually raced: the test proved nothing"
