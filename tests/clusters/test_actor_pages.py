"""Actors: list and detail, registering them (RUC, size, region, duplicates), editing, memberships."""

import json

import pytest
from django.urls import reverse

from clusters.models import Actor, Membership, Relationship
from tests import factories as f

pytestmark = pytest.mark.django_db


def _actors(client, **params):
    return client.get(reverse("clusters:actor_list"), params).content.decode()


def test_actor_list_filters_by_kind_size_region_and_cluster_and_searches_name_without_accents_or_ruc(world, client_for):
    client = client_for(world.users["coordinator"])
    assert "Universidad Nacional del Altiplano" in _actors(client, kind="university")
    assert "Textil Altiplano" not in _actors(client, kind="university")
    assert "Textil Altiplano" in _actors(client, size="small")
    by_region = _actors(client, region="12")  # Junín
    assert "Cooperativa Cafetalera Valle Alto" in by_region and "Textil Altiplano" not in by_region
    by_cluster = _actors(client, cluster="cafe")
    assert "Cooperativa Cafetalera Valle Alto" in by_cluster and "Textil Altiplano" not in by_cluster
    # Case and accents do not matter: "UNIVERSIDAD NACIONAL" and "altiplano".
    assert "Universidad Nacional del Altiplano" in _actors(client, q="UNIVERSIDAD NACIONAL")
    assert "Textil Altiplano" in _actors(client, q="altiplano")
    by_ruc = _actors(client, q=world.actor_a.ruc)
    assert "Textil Altiplano" in by_ruc and "Universidad Nacional" not in by_ruc


def test_researchers_see_only_their_clusters_actors_in_lists_counts_searches_and_filters(world, client_for):
    client = client_for(world.users["researcher_a"])
    content = _actors(client)
    assert "Textil Altiplano" in content
    assert world.actor_b.name not in content
    assert "2 actores" in content
    assert world.actor_b.name not in _actors(client, q="Cooperativa")
    # The cluster filter offers only their own clusters; asking for another one is an invalid choice.
    assert "Café del Perú" not in content
    assert world.actor_b.name not in _actors(client, cluster="cafe")


def test_a_researcher_asking_for_another_clusters_actor_gets_404_and_no_data(world, client_for):
    response = client_for(world.users["researcher_a"]).get(world.actor_b.get_absolute_url())
    assert response.status_code == 404
    assert world.actor_b.name not in response.content.decode()


def test_actor_detail_shows_profile_memberships_and_ties(world, client_for):
    content = client_for(world.users["researcher_a"]).get(world.actor_a2.get_absolute_url()).content.decode()
    assert "Universidad Nacional del Altiplano" in content
    assert "Pelos Finos de Camélidos" in content.split('data-testid="memberships"')[1]
    assert "capacita a" in content.split('data-testid="actor-ties"')[1]
    # Editing is for coordinators.
    assert reverse("clusters:actor_edit", kwargs={"pk": world.actor_a2.pk}) not in content


def _actor_data(**overrides):
    data = {
        "cluster": "",
        "role": "",
        "name": "Hilados del Sur S.A.C.",
        "kind": "firm",
        "ruc": "20-1234567-8",
        "size": "",
        "sales_uit": "",
        "department": "",
        "province": "",
        "district": "",
        "address": "",
        "website": "",
        "contact_name": "",
        "contact_position": "",
        "email": "",
        "phone": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_a_researcher_adds_an_actor_to_their_cluster_and_the_membership_is_created_at_once(world, client_for):
    ruc = f.make_ruc(4242)
    client = client_for(world.users["researcher_a"])
    response = client.post(
        reverse("clusters:actor_create"),
        _actor_data(
            cluster="camelidos",
            ruc=f"{ruc[:2]} {ruc[2:6]}-{ruc[6:]}",
            sales_uit="1200",
            department="21",
            province="2101",
            district="210101",
        ),
    )
    assert response.status_code == 302
    actor = Actor.objects.get(name="Hilados del Sur S.A.C.")
    assert actor.ruc == ruc
    assert actor.size == "small"  # 1,200 UIT: small by Ley 30056
    assert actor.region.code == "210101"
    assert actor.created_by == world.users["researcher_a"]
    membership = Membership.objects.get(actor=actor)
    assert (membership.cluster, membership.role) == (world.cluster_a, "core_firm")


def test_researchers_cannot_create_actors_outside_their_clusters(world, client_for):
    client = client_for(world.users["researcher_a"])
    no_cluster = client.post(reverse("clusters:actor_create"), _actor_data(ruc=""))
    assert "Este campo es obligatorio" in no_cluster.content.decode()
    other = client.post(reverse("clusters:actor_create"), _actor_data(ruc="", cluster="cafe"))
    assert other.status_code == 200
    assert not Actor.objects.filter(name="Hilados del Sur S.A.C.").exists()


def test_managers_cannot_add_actors(world, client_for):
    response = client_for(world.users["manager"]).post(
        reverse("clusters:actor_create"), _actor_data(ruc="", cluster="camelidos")
    )
    assert response.status_code == 403
    assert not Actor.objects.filter(name="Hilados del Sur S.A.C.").exists()


def test_a_bad_ruc_is_refused_with_the_checksum_message_and_the_input_kept(world, client_for):
    response = client_for(world.users["coordinator"]).post(
        reverse("clusters:actor_create"), _actor_data(ruc="20512333798", contact_name="Rosa")
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "dígito de control" in content or "dígito verificador" in content
    assert 'value="Rosa"' in content
    assert not Actor.objects.filter(name="Hilados del Sur S.A.C.").exists()


def test_a_ruc_already_registered_is_an_error_naming_the_existing_actor(world, client_for):
    response = client_for(world.users["coordinator"]).post(
        reverse("clusters:actor_create"), _actor_data(ruc=world.actor_b.ruc)
    )
    content = response.content.decode()
    assert f"ya está registrado para «{world.actor_b.name}»" in content
    assert Actor.objects.filter(ruc=world.actor_b.ruc).count() == 1


def test_a_researcher_is_not_told_the_name_of_another_clusters_actor_holding_the_ruc(world, client_for):
    response = client_for(world.users["researcher_a"]).post(
        reverse("clusters:actor_create"), _actor_data(ruc=world.actor_b.ruc, cluster="camelidos")
    )
    content = response.content.decode()
    assert "un actor de un clúster en el que usted no trabaja" in content
    assert world.actor_b.name not in content


def test_a_similar_name_is_a_warning_with_a_link_and_an_explicit_create_anyway(world, client_for):
    client = client_for(world.users["coordinator"])
    data = _actor_data(name="TEXTIL ALTIPLANO SAC", ruc="", cluster="camelidos")
    first = client.post(reverse("clusters:actor_create"), data)
    content = first.content.decode()
    assert first.status_code == 200
    assert "Ya está registrado un actor con un nombre muy parecido" in content
    assert world.actor_a.get_absolute_url() in content
    assert 'name="create_anyway"' in content and 'type="checkbox"' in content
    assert not Actor.objects.filter(name="TEXTIL ALTIPLANO SAC").exists()
    second = client.post(reverse("clusters:actor_create"), {**data, "create_anyway": "on"})
    assert second.status_code == 302
    assert Actor.objects.filter(name="TEXTIL ALTIPLANO SAC").exists()


def test_sales_in_uit_that_contradict_the_chosen_size_are_refused(world, client_for):
    response = client_for(world.users["coordinator"]).post(
        reverse("clusters:actor_create"), _actor_data(ruc="", size="micro", sales_uit="2500")
    )
    assert "2500 UIT corresponden a: Grande (más de 2,300 UIT)" in response.content.decode()


def test_the_region_picker_offers_only_the_provinces_of_the_chosen_department(world, client_for):
    client = client_for(world.users["coordinator"])
    response = client.post(reverse("clusters:actor_create"), _actor_data(ruc="", department="21", province="1501"))
    content = response.content.decode()
    assert "Escoja una opción válida" in content
    province_select = content.split('name="province"')[1].split("</select>")[0]
    assert "San Román" in province_select and "Lima" not in province_select
    children = client.get(reverse("clusters:region_children", kwargs={"code": "2101"})).json()
    assert {"code": "210101", "name": "Puno"} in children["children"]
    assert len(children["children"]) == 15


def test_a_coordinator_edits_an_actor_with_optimistic_locking(world, client_for):
    client = client_for(world.users["coordinator"])
    actor = world.actor_a
    url = reverse("clusters:actor_edit", kwargs={"pk": actor.pk})
    assert 'name="version" value="1"' in client.get(url).content.decode()
    data = _actor_data(name="Textil Altiplano S.A.", ruc=actor.ruc, kind="firm", size="medium", version=1)
    assert client.post(url, data).status_code == 302
    actor.refresh_from_db()
    assert (actor.name, actor.size, actor.version, actor.name_key) == (
        "Textil Altiplano S.A.",
        "medium",
        2,
        "textil altiplano",
    )
    stale = client.post(url, {**data, "phone": "951 000 111", "version": 1})
    content = stale.content.decode()
    assert "Otra persona modificó este registro" in content
    assert 'value="951 000 111"' in content
    actor.refresh_from_db()
    assert actor.phone == ""


def test_actor_autocomplete_returns_only_visible_actors_optionally_within_a_cluster(world, client_for):
    url = reverse("clusters:actor_autocomplete")
    researcher = client_for(world.users["researcher_a"])
    names = [row["name"] for row in researcher.get(url, {"q": "a"}).json()["results"]]
    assert "Textil Altiplano S.A.C." in names and world.actor_b.name not in names
    assert researcher.get(url, {"q": "coop"}).json() == {"results": []}
    assert researcher.get(url, {"q": "a", "cluster": "cafe"}).status_code == 404
    coordinator = client_for(world.users["coordinator"])
    in_cafe = coordinator.get(url, {"q": "", "cluster": "cafe"}).json()["results"]
    assert [row["name"] for row in in_cafe] == [world.actor_b.name]
    by_ruc = coordinator.get(url, {"q": world.actor_a.ruc}).json()["results"]
    assert [row["id"] for row in by_ruc] == [world.actor_a.pk]
    assert json.dumps(by_ruc)  # plain JSON


def test_an_actor_already_registered_joins_a_cluster_by_name_or_ruc(world, client_for):
    client = client_for(world.users["coordinator"])
    url = reverse("clusters:membership_add", kwargs={"slug": world.cluster_b.slug})
    assert client.post(url, {"actor": world.actor_a.ruc, "role": ""}).status_code == 302
    assert Membership.objects.get(cluster=world.cluster_b, actor=world.actor_a).role == "core_firm"
    again = client.post(url, {"actor": f"{world.actor_a.name} · #{world.actor_a.pk}"})
    assert "ya es miembro de este clúster" in again.content.decode()


def test_a_researcher_cannot_add_another_clusters_actor_to_their_cluster(world, client_for):
    client = client_for(world.users["researcher_a"])
    url = reverse("clusters:membership_add", kwargs={"slug": world.cluster_a.slug})
    response = client.post(url, {"actor": f"#{world.actor_b.pk}"})
    content = response.content.decode()
    assert "Ningún actor que usted pueda ver" in content
    assert not Membership.objects.filter(cluster=world.cluster_a, actor=world.actor_b).exists()


def test_taking_an_actor_out_of_a_cluster_removes_its_ties_there(world, client_for):
    client = client_for(world.users["coordinator"])
    url = reverse("clusters:membership_delete", kwargs={"slug": world.cluster_a.slug, "pk": world.membership_a2.pk})
    assert "También se eliminan sus vínculos" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "salió del clúster, con su 1 vínculo" in response.content.decode()
    assert not Relationship.objects.filter(cluster=world.cluster_a).exists()
    assert Actor.objects.filter(pk=world.actor_a2.pk).exists()


def test_a_coordinator_changes_an_actors_role_in_a_cluster(world, client_for):
    client = client_for(world.users["coordinator"])
    url = reverse("clusters:membership_edit", kwargs={"slug": world.cluster_a.slug, "pk": world.membership_a.pk})
    assert client.post(url, {"role": "supplier", "since": "2020-01-01", "notes": ""}).status_code == 302
    world.membership_a.refresh_from_db()
    assert world.membership_a.role == "supplier"
