"""Viewers who open the same findings at the same moment compute the same stale buckets: none fails, and each
bucket is stored once with its tallies once.

Real PostgreSQL: the second viewer's INSERT of a missing bucket waits on the unique index until the first
commits, then does nothing; its row lock waits for the first to finish, then finds the bucket fresh. SQLite
serialises writers and cannot show this honestly.
"""

import threading

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from surveys import selectors, services
from surveys.models import FindingsBucket, FindingsTally, Interview
from tests.surveys.conftest import build_questionnaire, bulk_interviews

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _view_together(user, url, viewers=4):
    barrier = threading.Barrier(viewers)
    statuses, errors = [], []

    def view():
        client = Client()
        client.force_login(user)
        try:
            barrier.wait(timeout=10)
            statuses.append(client.get(url).status_code)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=view) for _ in range(viewers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses, errors


def test_viewers_computing_the_same_buckets_at_once_store_each_bucket_once(world):
    assert connection.vendor == "postgresql"
    version = build_questionnaire(world.users["coordinator"])
    bulk_interviews(version, world.cluster_a, world.actor_a, world.users["researcher_a"], 120)
    bulk_interviews(version, world.cluster_a, world.actor_a, world.users["researcher_a"], 3, status="submitted")
    url = reverse("surveys:cluster_findings", kwargs={"slug": world.cluster_a.slug})
    selection = {"cluster": world.cluster_a, "version": version, "statuses": ["approved"]}
    for round_ in range(3):
        if round_:  # then a bucket stale: one approval
            interview = Interview.objects.filter(version=version, status="submitted").first()
            services.interview_approve(interview=interview, reviewer=world.users["coordinator"])
        cache.clear()
        statuses, errors = _view_together(world.users["manager"], url)
        assert not errors, errors
        assert statuses == [200] * 4
        buckets = FindingsBucket.objects.filter(cluster=world.cluster_a, version=version)
        assert buckets.count() == len({(b.status, b.first_day, b.last_day) for b in buckets})
        answered = FindingsTally.objects.filter(bucket__in=buckets, kind="answered", question__code="empleados")
        approved = Interview.objects.filter(version=version, status="approved").count()
        assert answered.aggregate(n=Sum("count"))["n"] == approved
        cache.clear()
        assert selectors.findings(**selection) == selectors.findings_from_answers(**selection)
