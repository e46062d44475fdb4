"""The interview export on PostgreSQL, where a thread reads the next chunk's answers ahead."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from surveys import exports
from surveys.models import Interview
from tests.surveys.conftest import build_questionnaire, bulk_interviews
from tests.world import build_world

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _backends():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def _manager_exporting(client, monkeypatch, interviews, chunk):
    """``interviews`` approved interviews with every kind of answer (chosen options, named actors, a
    formula to neutralise), exported in chunks of ``chunk`` by the manager, signed in on ``client``."""
    world = build_world()
    questionnaire = build_questionnaire(world.users["coordinator"])
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], interviews)
    monkeypatch.setattr(exports, "CHUNK", chunk)
    client.force_login(world.users["manager"])


def _export_threads():
    return [t for t in threading.enumerate() if t.name.startswith("export")]


def test_the_export_read_ahead_writes_what_the_plain_read_writes(client, monkeypatch):
    _manager_exporting(client, monkeypatch, 2300, 1000)  # more than two chunks
    assert exports._reads_ahead()  # a request on PostgreSQL outside a transaction
    before = _backends()
    outputs = {}
    for ahead in (True, False):
        monkeypatch.setattr(exports, "_reads_ahead", lambda ahead=ahead: ahead)
        for shape in ("wide", "long"):
            url = reverse("surveys:interview_export", kwargs={"fmt": "csv", "shape": shape})
            outputs[ahead, shape] = b"".join(client.get(url).streaming_content)
    assert outputs[True, "wide"] == outputs[False, "wide"]
    assert outputs[True, "long"] == outputs[False, "long"]
    assert outputs[True, "wide"].count(b"\n") == Interview.objects.count() + 1  # and the header
    # The reading thread is gone and its connection closed.
    assert not _export_threads()
    assert _backends() == before


def test_an_export_stopped_halfway_leaves_no_thread_or_connection(client, monkeypatch):
    _manager_exporting(client, monkeypatch, 2500, 500)
    before = _backends()
    response = client.get(reverse("surveys:interview_export", kwargs={"fmt": "csv", "shape": "wide"}))
    pieces = iter(response.streaming_content)
    assert next(pieces)  # the download has begun; the client goes away
    response.close()
    assert not _export_threads()
    assert _backends() == before
