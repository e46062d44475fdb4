"""List pages cost the same number of queries with 5 rows as with 200."""

import datetime

import pytest
from django.urls import reverse

from clusters.models import Actor, Cluster, Evaluation, Membership, Relationship, Risk, RiskRating, actor_name_key
from tests import factories as f

pytestmark = pytest.mark.django_db

SIZES = [5, 200]


def _clusters(count, team):
    sector = f.sector("13")
    regions = [f.region("21"), f.region("04")]
    clusters = Cluster.objects.bulk_create(
        Cluster(name=f"Clúster masivo {n:03d}", slug=f"masivo-{n:03d}", main_sector=sector) for n in range(count)
    )
    Through = Cluster.regions.through
    Through.objects.bulk_create(Through(cluster=c, region=r) for c in clusters for r in regions)
    Team = Cluster.team.through
    Team.objects.bulk_create(Team(cluster=c, user=team) for c in clusters)
    actor = f.ActorFactory(name="Actor de todos")
    Membership.objects.bulk_create(Membership(cluster=c, actor=actor, role="core_firm") for c in clusters)
    return clusters


def _actors(count, cluster):
    region = f.region("210101")
    actors = Actor.objects.bulk_create(
        Actor(
            name=f"Empresa masiva {n:03d}",
            name_key=actor_name_key(f"Empresa masiva {n:03d}"),
            kind="firm" if n % 3 else "supplier",
            size="small",
            ruc=f.make_ruc(50000 + n),
            region=region,
        )
        for n in range(count)
    )
    Membership.objects.bulk_create(Membership(cluster=cluster, actor=a, role="core_firm") for a in actors)
    return actors


@pytest.mark.parametrize("count", SIZES)
def test_cluster_list_queries_do_not_grow_with_rows(world, client_for, django_assert_max_num_queries, count):
    _clusters(count, world.users["researcher_a"])
    for persona in ("coordinator", "researcher_a"):
        client = client_for(world.users[persona])
        with django_assert_max_num_queries(15):  # 14, and one for the map of every cluster found
            response = client.get(reverse("clusters:list"), {"sort": "name", "region": "21"})
        assert response.status_code == 200
        assert "Clúster masivo 000" in response.content.decode()


@pytest.mark.parametrize("count", SIZES)
def test_actor_list_queries_do_not_grow_with_rows(world, client_for, django_assert_max_num_queries, count):
    _actors(count, world.cluster_a)
    for persona in ("coordinator", "researcher_a"):
        client = client_for(world.users[persona])
        with django_assert_max_num_queries(14):
            response = client.get(reverse("clusters:actor_list"), {"kind": "firm"})
        assert response.status_code == 200
        assert "Empresa masiva 001" in response.content.decode()


@pytest.mark.parametrize("count", SIZES)
def test_cluster_actors_tab_queries_do_not_grow_with_rows(world, client_for, django_assert_max_num_queries, count):
    _actors(count, world.cluster_a)
    client = client_for(world.users["coordinator"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("clusters:actors", kwargs={"slug": world.cluster_a.slug}))
    assert "Empresa masiva 000" in response.content.decode()


@pytest.mark.parametrize("count", SIZES)
def test_network_page_queries_do_not_grow_with_actors_and_ties(world, client_for, django_assert_max_num_queries, count):
    actors = _actors(count, world.cluster_a)
    Relationship.objects.bulk_create(
        Relationship(cluster=world.cluster_a, source=a, target=b, kind="supplies")
        for a, b in zip(actors, actors[1:] + actors[:1], strict=True)
    )
    client = client_for(world.users["coordinator"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("clusters:network", kwargs={"slug": world.cluster_a.slug}))
    content = response.content.decode()
    assert content.count("<g data-actor=") == count + 2


@pytest.mark.parametrize("count", SIZES)
def test_evaluations_page_queries_do_not_grow_with_evaluations(world, client_for, django_assert_max_num_queries, count):
    evaluations = Evaluation.objects.bulk_create(
        Evaluation(
            cluster=world.cluster_a,
            date=datetime.date(2000, 1, 1) + datetime.timedelta(days=30 * n),
            evaluator=world.users["coordinator"],
        )
        for n in range(count)
    )
    RiskRating.objects.bulk_create(
        RiskRating(evaluation=e, risk=risk.value, level="watch") for e in evaluations for risk in Risk
    )
    client = client_for(world.users["researcher_a"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("clusters:evaluations", kwargs={"slug": world.cluster_a.slug}))
    assert response.status_code == 200
    with django_assert_max_num_queries(18):
        response = client.get(world.cluster_a.get_absolute_url())
    assert "Última evaluación" in response.content.decode()
