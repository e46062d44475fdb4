"""An actor's kind edited while someone puts the actor in another cluster: the new membership's copies of the
actor's kind and size are the edited ones, whichever transaction comes first.

Real PostgreSQL: ``Membership.save()`` reads the actor's row ``FOR UPDATE``, which waits for an uncommitted
edit of it; and an edit waits for a membership that locked the actor first, then refreshes its copies too.
SQLite serialises writers and cannot show this honestly.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from clusters import services
from clusters.models import Actor, Membership

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _run(target, failures):
    def body():
        try:
            target()
        except Exception as error:  # reported by the assertion in the test
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=body)
    thread.start()
    return thread


def test_a_membership_made_during_an_edit_of_its_actor_copies_the_edited_kind(world):
    assert connection.vendor == "postgresql"
    actor = world.actor_a  # a small firm of cluster A
    edited, release, joining, joined = (threading.Event() for _ in range(4))
    failures = []

    def edit():
        with transaction.atomic():
            current = Actor.objects.get(pk=actor.pk)
            services.actor_update(actor=current, expected_version=current.version, kind="buyer", size="large")
            edited.set()
            release.wait(10)  # the edit is not committed until the test says so

    def join():
        edited.wait(10)
        joining.set()
        services.membership_create(cluster=world.cluster_b, actor=Actor.objects.get(pk=actor.pk), role="buyer")
        joined.set()

    threads = [_run(edit, failures), _run(join, failures)]
    assert joining.wait(10)
    assert not joined.wait(1), "the membership did not wait for the uncommitted edit of its actor"
    release.set()
    for thread in threads:
        thread.join(30)
    assert not failures, failures
    assert set(Membership.objects.filter(actor=actor).values_list("actor_kind", "actor_size")) == {("buyer", "large")}
    assert not Membership.objects.stale_actor_copies().exists()


def test_an_edit_made_while_a_membership_is_being_made_reaches_the_new_membership(world):
    actor = world.actor_a
    locked, release, editing, edited = (threading.Event() for _ in range(4))
    failures = []

    def join():
        with transaction.atomic():
            services.membership_create(cluster=world.cluster_b, actor=Actor.objects.get(pk=actor.pk), role="core_firm")
            locked.set()
            release.wait(10)  # the membership (and its lock on the actor) is not committed until the test says so

    def edit():
        locked.wait(10)
        editing.set()
        current = Actor.objects.get(pk=actor.pk)
        services.actor_update(actor=current, expected_version=current.version, kind="supplier", size="micro")
        edited.set()

    threads = [_run(join, failures), _run(edit, failures)]
    assert editing.wait(10)
    assert not edited.wait(1), "the edit did not wait for the membership that locked its actor"
    release.set()
    for thread in threads:
        thread.join(30)
    assert not failures, failures
    assert set(Membership.objects.filter(actor=actor).values_list("actor_kind", "actor_size")) == {
        ("supplier", "micro")
    }
    assert not Membership.objects.stale_actor_copies().exists()
