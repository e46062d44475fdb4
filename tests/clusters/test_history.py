"""Audit history: who changed what and when, field by field, for coordinators and admins."""

import pytest
from django.urls import reverse

from clusters.models import Relationship

pytestmark = pytest.mark.django_db


def _edit_actor(client, actor, **changes):
    data = {
        "name": actor.name,
        "kind": actor.kind,
        "ruc": actor.ruc,
        "size": actor.size,
        "department": "",
        "province": "",
        "district": "",
        "version": actor.version,
    }
    data.update(changes)
    return client.post(reverse("clusters:actor_edit", kwargs={"pk": actor.pk}), data)


def test_an_actors_history_shows_who_changed_which_field_from_what_to_what(world, client_for):
    client = client_for(world.users["coordinator"])
    assert _edit_actor(client, world.actor_a, size="medium", department="04").status_code == 302
    content = client.get(reverse("clusters:actor_history", kwargs={"pk": world.actor_a.pk})).content.decode()
    history = content.split('data-testid="history"')[1]
    coordinator_name = world.users["coordinator"].get_full_name()
    assert f"por {coordinator_name}" in history
    assert "modificado" in history
    assert "Tamaño de empresa" in history
    assert "Pequeña (más de 150 hasta 1,700 UIT)" in history and "Mediana (más de 1,700 hasta 2,300 UIT)" in history
    # The region is shown by name, before (the department of Puno) and after (Arequipa).
    assert "Región" in history and "Puno (21)" in history and "Arequipa (04)" in history
    assert "creado" in history


def test_a_clusters_history_includes_its_members_ties_and_evaluations(world, client_for):
    client = client_for(world.users["coordinator"])
    url = reverse("clusters:network", kwargs={"slug": world.cluster_a.slug})
    client.post(url, {"source": world.actor_a.pk, "kind": "collaborates", "target": world.actor_a2.pk})
    tie = Relationship.objects.get(kind="collaborates")
    client.post(reverse("clusters:tie_delete", kwargs={"slug": world.cluster_a.slug, "pk": tie.pk}))
    content = client.get(reverse("clusters:history", kwargs={"slug": world.cluster_a.slug})).content.decode()
    history = content.split('data-testid="history"')[1]
    assert "Vínculo: Textil Altiplano S.A.C. colabora con Universidad Nacional del Altiplano" in history
    assert "eliminado" in history
    assert "Miembro: Textil Altiplano S.A.C." in history
    assert "Evaluación del" in history


def test_only_coordinators_and_admins_see_histories(world, client_for):
    urls = [
        reverse("clusters:history", kwargs={"slug": world.cluster_a.slug}),
        reverse("clusters:actor_history", kwargs={"pk": world.actor_a.pk}),
    ]
    for persona in ("researcher_a", "manager"):
        for url in urls:
            assert client_for(world.users[persona]).get(url).status_code == 403
    for persona in ("coordinator", "admin"):
        for url in urls:
            assert client_for(world.users[persona]).get(url).status_code == 200


def test_a_clusters_profile_edit_appears_in_its_history_with_the_old_and_new_status(world, client_for):
    from tests.clusters.test_cluster_pages import _cluster_data

    client = client_for(world.users["coordinator"])
    cluster = world.cluster_a
    data = _cluster_data(name=cluster.name, slug=cluster.slug, status="evaluated", version=cluster.version)
    assert client.post(reverse("clusters:edit", kwargs={"slug": cluster.slug}), data).status_code == 302
    history = client.get(reverse("clusters:history", kwargs={"slug": cluster.slug})).content.decode()
    entry = history.split("Perfil del clúster")[1]
    assert "Priorizado" in entry and "Evaluado" in entry
    assert world.users["coordinator"].get_full_name() in entry
