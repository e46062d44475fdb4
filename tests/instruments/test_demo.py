"""The demo programme's instruments: every cluster has believable interventions, built the same way twice."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from clusters.models import Cluster
from instruments.models import Activity, Indicator, Intervention, Measurement
from instruments.selectors import cluster_instruments

pytestmark = pytest.mark.django_db


def _load():
    call_command("load_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def _snapshot():
    return (
        list(Intervention.objects.order_by("pk").values_list("title", "budget_planned", "budget_executed")),
        list(Measurement.objects.order_by("pk").values_list("date", "value", "status")),
        Activity.objects.count(),
    )


def test_every_demo_cluster_gets_two_to_six_interventions_of_different_goals_and_levels():
    _load()
    for cluster in Cluster.objects.annotate(n=Count("interventions")):
        assert 2 <= cluster.n <= 6, cluster.name
        goals = set(cluster.interventions.values_list("instrument_type__goal", flat=True))
        assert len(goals) >= 2, cluster.name
    assert Intervention.objects.values("government_level").distinct().count() >= 3
    assert Indicator.objects.filter(direction="decrease", name="Merma de fibra en la clasificación").exists()


def test_demo_measurements_cover_more_than_a_year_with_review_states_and_breakdowns():
    _load()
    dates = Measurement.objects.filter(status="approved").values_list("date", flat=True)
    assert (max(dates) - min(dates)).days >= 365
    returned = Measurement.objects.get(status="returned")
    assert returned.review_comment
    assert Measurement.objects.filter(status="pending").count() >= 5
    assert Measurement.objects.exclude(value_women=None).exists()
    assert Measurement.objects.exclude(value_micro=None).exists()
    cluster = Cluster.objects.get(slug="pelos-finos-camelidos")
    waste = next(
        indicator
        for group in cluster_instruments(cluster)
        for intervention in group.interventions
        for indicator in intervention.indicators
        if indicator.name == "Merma de fibra en la clasificación"
    )
    assert waste.latest < waste.baseline
    assert 0 < waste.progress < 1


def test_loading_the_demo_twice_builds_the_same_programme_and_adds_nothing():
    _load()
    first = _snapshot()
    _load()
    assert _snapshot() == first
    assert all(actor.memberships.exists() for i in Intervention.objects.all() for actor in i.beneficiaries.all())
