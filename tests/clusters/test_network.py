"""The network: metrics against a graph computed by hand, the page's drawing, and ties entered by coordinators."""

import pytest
from django.urls import reverse

from clusters.models import Relationship
from clusters.selectors import actor_breakdown, network_summary
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_network(db):
    """Five actors, five ties, drawn on paper:

    Proveedor Sur --supplies--> Firma Uno <--trains, collaborates-- Universidad Andina
    Proveedor Sur --supplies--> Firma Dos <--competes-- Firma Uno
    Caja Rural (no ties)
    """
    cluster = f.ClusterFactory(slug="red-de-prueba", name="Red de prueba")
    actors = {
        "supplier": f.ActorFactory(name="Proveedor Sur", kind="supplier", size="small"),
        "firm1": f.ActorFactory(name="Firma Uno", kind="firm", size="small"),
        "firm2": f.ActorFactory(name="Firma Dos", kind="firm", size="micro"),
        "university": f.ActorFactory(name="Universidad Andina", kind="university", size=""),
        "bank": f.ActorFactory(name="Caja Rural", kind="financial_institution", size=""),
    }
    roles = {
        "supplier": "supplier",
        "firm1": "core_firm",
        "firm2": "core_firm",
        "university": "knowledge_institution",
        "bank": "financier",
    }
    for key, actor in actors.items():
        f.MembershipFactory(cluster=cluster, actor=actor, role=roles[key])
    for source, target, kind in [
        ("supplier", "firm1", "supplies"),
        ("supplier", "firm2", "supplies"),
        ("university", "firm1", "trains"),
        ("university", "firm1", "collaborates"),
        ("firm1", "firm2", "competes"),
    ]:
        f.RelationshipFactory(cluster=cluster, source=actors[source], target=actors[target], kind=kind)
    return cluster, actors


def test_network_metrics_match_the_graph_computed_by_hand(small_network):
    cluster, _actors = small_network
    summary = network_summary(cluster)

    # 4 distinct directed pairs out of 5 x 4 possible.
    assert summary.density == pytest.approx(0.2)
    # {supplier, firms, university} and the bank alone.
    assert summary.components == 2
    # Every recorded tie counts for the degree: Firma Uno has 1 in from the supplier, 2 from the university, 1 out.
    degrees = {node.name: node.degree for node in summary.nodes}
    assert degrees == {
        "Caja Rural": 0,
        "Firma Dos": 2,
        "Firma Uno": 4,
        "Proveedor Sur": 2,
        "Universidad Andina": 2,
    }
    assert summary.top_degree == (("Firma Uno", 4), ("Firma Dos", 2), ("Proveedor Sur", 2), ("Universidad Andina", 2))
    # Firma Uno lies on the only shortest paths supplier-university and Firma Dos-university: 2 of
    # (n-1)(n-2)/2 = 6 pairs.
    assert summary.top_betweenness == (("Firma Uno", pytest.approx(1 / 3, abs=1e-4)),)
    # Only the competition tie joins two actors of the same kind.
    assert summary.cross_kind_share == pytest.approx(4 / 5)
    assert [(item.code, item.count) for item in summary.ties_by_kind] == [
        ("supplies", 2),
        ("collaborates", 1),
        ("trains", 1),
        ("competes", 1),
    ]


def test_network_summary_has_nodes_and_edges_as_plain_tuples_for_the_pdf(small_network):
    cluster, actors = small_network
    summary = network_summary(cluster)
    _node_id, name, kind, kind_label, degree = summary.nodes[0]
    assert (name, kind, degree) == ("Caja Rural", "financial_institution", 0)
    assert kind_label == "Institución financiera"
    assert (actors["supplier"].pk, actors["firm1"].pk, "abastece a", "supplies") in summary.edges
    assert len(summary.edges) == 5
    # A deterministic layout inside the unit square.
    assert summary.positions == network_summary(cluster).positions
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in summary.positions.values())
    with pytest.raises(AttributeError):
        summary.density = 1


def test_an_empty_cluster_has_an_empty_network(db):
    summary = network_summary(f.ClusterFactory())
    assert (summary.nodes, summary.edges, summary.density, summary.components) == ((), (), 0.0, 0)
    assert summary.cross_kind_share == 0.0


def test_actor_breakdown_counts_members_by_kind_size_and_role(small_network):
    cluster, _actors = small_network
    breakdown = actor_breakdown(cluster)
    assert breakdown.total == 5
    assert [(item.code, item.count) for item in breakdown.by_kind] == [
        ("firm", 2),
        ("supplier", 1),
        ("university", 1),
        ("financial_institution", 1),
    ]
    # Size applies to firms only: the university and the financial institution are not counted by size.
    assert [(item.code, item.count) for item in breakdown.by_size] == [("micro", 1), ("small", 2)]
    assert (breakdown.firms, breakdown.not_firms) == (3, 2)
    assert [(item.code, item.count) for item in breakdown.by_role] == [
        ("core_firm", 2),
        ("supplier", 1),
        ("knowledge_institution", 1),
        ("financier", 1),
    ]


def test_network_page_draws_every_actor_with_its_kind_and_prints_the_metrics(small_network, client_for, world):
    cluster, _actors = small_network
    response = client_for(world.users["manager"]).get(reverse("clusters:network", kwargs={"slug": cluster.slug}))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<g data-actor=") == 5
    assert "<title>Firma Uno — Empresa · 4 vínculos</title>" in content
    assert "<title>Caja Rural — Institución financiera · 0 vínculos</title>" in content
    # The legend says the kinds in words, not only in colour.
    assert "Universidad (1)" in content
    assert 'data-testid="density">20.0 %' in content
    assert 'data-testid="components">2<' in content
    assert 'data-testid="cross-kind">80 %' in content
    # Coordinates are written with a dot whatever the language.
    assert 'cx="' in content and "," not in content.split('cx="')[1].split('"')[0]


def test_a_coordinator_records_a_tie_on_the_network_page_and_deletes_it(small_network, client_for, world):
    cluster, actors = small_network
    client = client_for(world.users["coordinator"])
    url = reverse("clusters:network", kwargs={"slug": cluster.slug})
    response = client.post(
        url, {"source": actors["bank"].pk, "kind": "finances", "target": actors["firm2"].pk, "note": "Crédito"}
    )
    assert response.status_code == 302
    tie = Relationship.objects.get(cluster=cluster, source=actors["bank"], kind="finances")
    assert tie.created_by == world.users["coordinator"]
    page = client.get(url).content.decode()
    assert "financia a" in page
    delete_url = reverse("clusters:tie_delete", kwargs={"slug": cluster.slug, "pk": tie.pk})
    assert client.post(delete_url).status_code == 302
    assert not Relationship.objects.filter(pk=tie.pk).exists()


def test_a_tie_to_oneself_or_twice_the_same_is_refused_with_the_input_kept(small_network, client_for, world):
    cluster, actors = small_network
    client = client_for(world.users["coordinator"])
    url = reverse("clusters:network", kwargs={"slug": cluster.slug})
    response = client.post(url, {"source": actors["bank"].pk, "kind": "finances", "target": actors["bank"].pk})
    assert response.status_code == 200
    assert "Un vínculo debe unir a dos actores distintos." in response.content.decode()
    response = client.post(url, {"source": actors["supplier"].pk, "kind": "supplies", "target": actors["firm1"].pk})
    content = response.content.decode()
    assert "Este vínculo ya está registrado." in content
    assert f'<option value="{actors["supplier"].pk}" selected>' in content
    assert Relationship.objects.filter(cluster=cluster).count() == 5


def test_researchers_and_managers_cannot_record_ties(world, client_for):
    url = reverse("clusters:network", kwargs={"slug": world.cluster_a.slug})
    data = {"source": world.actor_a.pk, "kind": "collaborates", "target": world.actor_a2.pk}
    for persona in ("researcher_a", "manager"):
        assert client_for(world.users[persona]).post(url, data).status_code == 403
    assert not Relationship.objects.filter(kind="collaborates").exists()
    page = client_for(world.users["researcher_a"]).get(url).content.decode()
    assert "Registrar un vínculo" not in page


def test_a_researcher_cannot_see_another_clusters_network(world, client_for):
    response = client_for(world.users["researcher_b"]).get(
        reverse("clusters:network", kwargs={"slug": world.cluster_a.slug})
    )
    assert response.status_code == 404
    assert world.actor_a.name not in response.content.decode()


def test_a_new_tie_or_a_renamed_actor_shows_at_once_in_the_network_summary(small_network):
    cluster, actors = small_network
    before = network_summary(cluster)
    f.RelationshipFactory(cluster=cluster, source=actors["bank"], target=actors["firm1"], kind="finances")
    after = network_summary(cluster)
    assert len(after.edges) == len(before.edges) + 1
    assert after.components == 1
    actors["bank"].name = "Caja Municipal"
    actors["bank"].save()
    assert "Caja Municipal" in {node.name for node in network_summary(cluster).nodes}
