"""Data migrations of the registry, run on the current tables (their effect, and how they read a large table)."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters.models import Actor, actor_name_key

pytestmark = pytest.mark.django_db

name_keys = importlib.import_module("clusters.migrations.0004_actor_name_key")


def test_name_keys_are_filled_for_every_actor_a_batch_at_a_time(monkeypatch):
    monkeypatch.setattr(name_keys, "BATCH_SIZE", 2)
    names = ["Textiles Altiplano S.A.C.", "TEXTILES ALTIPLANO SAC", "Café Cumbre", "Hilandería Sur", "Ñandú E.I.R.L."]
    Actor.objects.bulk_create(Actor(name=name, kind="firm") for name in names)  # bulk_create skips save()
    Actor.objects.update(name_key="")
    count = Actor.objects.count()
    assert count == 5  # two full batches and a last, shorter one
    with CaptureQueriesContext(connection) as queries:
        name_keys.fill_name_keys(apps, None)
    assert all(actor.name_key == actor_name_key(actor.name) != "" for actor in Actor.objects.all())
    # One UPDATE per batch: the actors are never all held at once.
    updates = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("UPDATE")]
    assert len(updates) == -(-count // 2)
