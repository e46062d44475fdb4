"""The demo programme's networks and evaluations: believable, deterministic, loaded once."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from clusters.models import Cluster, Evaluation, Relationship
from clusters.selectors import network_summary

pytestmark = pytest.mark.django_db


def _load():
    call_command("load_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_every_demo_cluster_has_a_network_of_sensible_ties_and_an_evaluation():
    _load()
    ties = dict(Cluster.objects.annotate(n=Count("relationships")).values_list("slug", "n"))
    assert all(count >= 5 for count in ties.values())
    assert sum(ties.values()) >= 150
    assert ties["pelos-finos-camelidos"] >= 20
    # The coordination's own map: suppliers supply, universities train, financial institutions finance,
    # buyers buy. (Ties reported in interviews follow what respondents said, e.g. a firm buying from a supplier.)
    recorded = Relationship.objects.filter(interview__isnull=True)
    assert not recorded.filter(kind="supplies").exclude(source__kind="supplier").exists()
    assert (
        not recorded.filter(kind="finances")
        .exclude(source__kind__in=["financial_institution", "public_agency"])
        .exists()
    )
    assert not recorded.filter(kind="buys_from").exclude(source__kind="buyer").exists()
    assert Relationship.objects.filter(interview__isnull=False).exists()
    assert Relationship.objects.filter(kind="trains", source__kind="university").exists()
    assert Relationship.objects.filter(kind="competes").exists()
    evaluations = dict(Cluster.objects.annotate(n=Count("evaluations")).values_list("slug", "n"))
    assert all(count >= 1 for count in evaluations.values())
    assert sum(1 for count in evaluations.values() if count >= 2) >= 3
    assert all(e.ratings.count() == 11 for e in Evaluation.objects.all())


def test_loading_the_demo_twice_gives_the_same_network():
    _load()
    cluster = Cluster.objects.get(slug="cafe-del-peru")
    first = network_summary(cluster)
    counts = (Relationship.objects.count(), Evaluation.objects.count())
    _load()
    assert (Relationship.objects.count(), Evaluation.objects.count()) == counts
    assert network_summary(cluster) == first
