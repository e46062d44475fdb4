"""Memberships keep copies of their actor's kind and size (the cluster page and the case study count members
from them): every door that writes an actor or a membership keeps them equal to the actor's, and a copy that
drifts is found."""

import importlib
from collections import Counter
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from clusters import services
from clusters.models import Actor, Membership
from clusters.selectors import actor_breakdown
from tests import factories as f
from tests.api.conftest import make_token
from tests.clusters.test_actor_pages import _actor_data
from tests.clusters.test_import_export import HEADER, confirm, csv_file, upload

pytestmark = pytest.mark.django_db

fill = importlib.import_module("clusters.migrations.0008_fill_membership_actor_copies")


def assert_copies_exact():
    """Every membership's copies equal its actor's kind and size, and the counts read from the copies are the
    counts read through the actors (as actor_breakdown counted before the copies)."""
    assert list(Membership.objects.stale_actor_copies().values_list("pk", flat=True)) == []
    copied = Counter(Membership.objects.values_list("cluster_id", "actor_kind", "actor_size", "role"))
    joined = Counter(Membership.objects.values_list("cluster_id", "actor__kind", "actor__size", "role"))
    assert copied == joined


def copies_of(actor):
    return set(Membership.objects.filter(actor=actor).values_list("actor_kind", "actor_size"))


def test_the_pages_keep_the_copies_when_actors_and_memberships_are_written(world, client_for):
    client = client_for(world.users["coordinator"])
    # A new actor put in a cluster at once.
    created = client.post(
        reverse("clusters:actor_create"), _actor_data(cluster="camelidos", ruc="", kind="supplier", size="micro")
    )
    assert created.status_code == 302
    actor = Actor.objects.get(name="Hilados del Sur S.A.C.")
    assert copies_of(actor) == {("supplier", "micro")}
    # An actor already registered joins another cluster.
    joined = client.post(reverse("clusters:membership_add", kwargs={"slug": "cafe"}), {"actor": f"#{actor.pk}"})
    assert joined.status_code == 302
    assert Membership.objects.filter(actor=actor).count() == 2
    # Its kind and size change: both memberships follow.
    url = reverse("clusters:actor_edit", kwargs={"pk": actor.pk})
    edited = client.post(url, _actor_data(ruc="", kind="buyer", size="large", version=actor.version))
    assert edited.status_code == 302
    assert copies_of(actor) == {("buyer", "large")}
    # A role changes; a membership goes.
    membership = Membership.objects.get(actor=actor, cluster=world.cluster_a)
    role = reverse("clusters:membership_edit", kwargs={"slug": "camelidos", "pk": membership.pk})
    assert client.post(role, {"role": "buyer", "since": "", "notes": ""}).status_code == 302
    gone = reverse(
        "clusters:membership_delete", kwargs={"slug": "cafe", "pk": actor.memberships.get(cluster=world.cluster_b).pk}
    )
    assert client.post(gone).status_code == 302
    assert_copies_exact()
    breakdown = actor_breakdown(world.cluster_a)
    assert ("buyer", 1) in [(item.code, item.count) for item in breakdown.by_kind]
    assert ("large", 1) in [(item.code, item.count) for item in breakdown.by_size]


def test_an_import_that_changes_an_actors_kind_and_size_changes_its_memberships_copies(world, client_for):
    client = client_for(world.users["coordinator"])
    actor = world.actor_a  # a small firm of cluster A
    rows = [
        [actor.name, "supplier", actor.ruc, "medium", "", "", "cafe", "supplier"],
        ["Fibras Nuevas S.A.C.", "firm", "", "micro", "", "", "camelidos", ""],
    ]
    response = confirm(client, upload(client, csv_file(rows, header=HEADER)))
    assert response.status_code == 200
    assert copies_of(actor) == {("supplier", "medium")}  # in cluster A, and in B where the row put it
    assert Membership.objects.filter(actor=actor).count() == 2
    assert copies_of(Actor.objects.get(name="Fibras Nuevas S.A.C.")) == {("firm", "micro")}
    assert_copies_exact()


def test_the_api_keeps_the_copies(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(world.users['coordinator'])}")
    body = {"name": "Hilandería del Lago S.A.C.", "kind": "buyer", "sales_uit": "2000", "cluster": "camelidos"}
    created = client.post(reverse("api:actor-list"), body, format="json")
    assert created.status_code == 201, created.content
    assert copies_of(Actor.objects.get(pk=created.json()["id"])) == {("buyer", "medium")}
    joined = client.post(reverse("api:membership-list"), {"cluster": "camelidos", "actor": world.actor_b.pk})
    assert joined.status_code == 201
    assert_copies_exact()


def test_the_admin_keeps_the_copies_when_it_changes_an_actor_or_a_memberships_actor(world, client_for):
    client = client_for(world.users["admin"])
    actor = world.actor_a
    fields = dict.fromkeys(Actor.EDITABLE_FIELDS, "") | {"name": actor.name, "ruc": actor.ruc, "created_by": ""}
    changed = client.post(
        reverse("admin:clusters_actor_change", args=[actor.pk]), {**fields, "kind": "ngo", "size": ""}
    )
    assert changed.status_code == 302, changed.content.decode()[:2000]
    assert copies_of(actor) == {("ngo", "")}
    membership = world.membership_a2
    moved = client.post(
        reverse("admin:clusters_membership_change", args=[membership.pk]),
        {"cluster": world.cluster_a.pk, "actor": world.actor_b.pk, "role": "other", "since": "", "notes": ""},
    )
    assert moved.status_code == 302, moved.content.decode()[:2000]
    membership.refresh_from_db()
    assert (membership.actor_id, membership.actor_kind, membership.actor_size) == (world.actor_b.pk, "firm", "small")
    assert_copies_exact()


def test_the_admin_reverting_an_actor_to_an_earlier_record_reverts_the_copies(world, client_for):
    actor = world.actor_a
    services.actor_update(actor=actor, expected_version=actor.version, kind="buyer", size="large")
    assert copies_of(actor) == {("buyer", "large")}
    first = actor.history.order_by("history_id").first()  # the record of its creation: a small firm
    first.instance.save()  # what SimpleHistoryAdmin's revert does
    assert copies_of(actor) == {("firm", "small")}
    assert_copies_exact()


def test_queryset_writes_keep_the_copies(world):
    # .update() of actors, by any filter (the filter no longer matches once written: the ids are read first).
    assert Actor.objects.filter(kind="firm").update(kind="supplier", size="micro") == 2
    assert copies_of(world.actor_a) == copies_of(world.actor_b) == {("supplier", "micro")}
    # bulk_update goes through update().
    world.actor_a2.size = "large"
    Actor.objects.bulk_update([world.actor_a2], ["size"])
    assert copies_of(world.actor_a2) == {("university", "large")}
    # Memberships made in bulk, and moved to another actor in bulk.
    newcomer = f.ActorFactory(kind="financial_institution", size="")
    (made,) = Membership.objects.bulk_create([Membership(cluster=world.cluster_b, actor=newcomer, role="financier")])
    assert (made.actor_kind, made.actor_size) == ("financial_institution", "")
    Membership.objects.filter(pk=world.membership_a.pk).update(actor=newcomer)
    assert copies_of(newcomer) == {("financial_institution", "")}
    # An update that touches neither costs no more than before.
    with CaptureQueriesContext(connection) as queries:
        Actor.objects.filter(pk=newcomer.pk).update(phone="01 555 0101")
    assert len(queries) == 1
    assert_copies_exact()


def test_a_copy_written_past_the_models_is_found_and_mended(world):
    membership = world.membership_a
    with connection.cursor() as cursor:  # a script writing the table directly
        cursor.execute("UPDATE clusters_membership SET actor_size = 'large' WHERE id = %s", [membership.pk])
    assert list(Membership.objects.stale_actor_copies()) == [membership]
    assert [(item.code, item.count) for item in actor_breakdown(world.cluster_a).by_size] == [("large", 1)]
    with pytest.raises(AssertionError):
        assert_copies_exact()
    assert Membership.objects.filter(cluster=world.cluster_a).refresh_actor_copies() == 1
    assert [(item.code, item.count) for item in actor_breakdown(world.cluster_a).by_size] == [("small", 1)]
    assert_copies_exact()


def test_the_cluster_page_counts_members_from_the_copies_in_one_query_at_any_size(world, django_assert_num_queries):
    cluster = world.cluster_a
    for index in range(30):
        f.MembershipFactory(
            cluster=cluster,
            actor=f.ActorFactory(kind=["firm", "buyer", "ngo"][index % 3], size=["micro", "", "large"][index % 3]),
            role=["core_firm", "buyer", "other"][index % 3],
        )
    with django_assert_num_queries(1):
        breakdown = actor_breakdown(cluster)
    assert breakdown.total == 32
    assert [(item.code, item.count) for item in breakdown.by_kind] == [
        ("firm", 11),
        ("buyer", 10),
        ("ngo", 10),
        ("university", 1),
    ]
    # Sizes count firms only (firms, suppliers, buyers): the NGOs' "large" is not a firm's size.
    assert [(item.code, item.count) for item in breakdown.by_size] == [("micro", 10), ("small", 1), ("", 10)]
    assert breakdown.firms == 21


def test_the_migration_fills_every_copy_a_chunk_at_a_time(world, monkeypatch):
    monkeypatch.setattr(fill, "BATCH_SIZE", 2)
    for _ in range(2):
        f.MembershipFactory(cluster=world.cluster_b, actor=f.ActorFactory(kind="university", size=""))
    Membership.objects.all().update(actor_kind="", actor_size="")  # as 0007 leaves them
    count = Membership.objects.count()
    assert count == 5 and Membership.objects.stale_actor_copies().count() == 5
    with CaptureQueriesContext(connection) as queries:
        fill.fill_actor_copies(apps, SimpleNamespace(connection=connection))
    assert_copies_exact()
    updates = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("UPDATE")]
    assert len(updates) == -(-count // 2)  # one UPDATE per chunk of two
