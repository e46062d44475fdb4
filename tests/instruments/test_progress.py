"""The progress rule: (latest - baseline) / (target - baseline), over approved measurements only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from instruments.progress import bar_percent, percent_label, progress
from instruments.selectors import cluster_instruments
from tests import factories as f


def test_progress_of_an_increasing_indicator_is_the_share_of_the_way_to_the_target():
    assert progress(baseline=Decimal("10"), target=Decimal("30"), latest=Decimal("15")) == 0.25


def test_progress_of_a_decreasing_indicator_counts_a_fall_as_progress():
    # Fibre waste: 18 % at baseline, 8 % wanted, 13 % now: half way.
    assert progress(baseline=Decimal("18"), target=Decimal("8"), latest=Decimal("13"), direction="decrease") == 0.5


def test_a_decreasing_indicator_that_rises_shows_negative_progress():
    assert progress(baseline=Decimal("18"), target=Decimal("8"), latest=Decimal("20"), direction="decrease") == -0.2


def test_reaching_the_target_is_exactly_one_hundred_percent():
    assert progress(baseline=Decimal("10"), target=Decimal("30"), latest=Decimal("30")) == 1.0
    assert progress(baseline=Decimal("18"), target=Decimal("8"), latest=Decimal("8"), direction="decrease") == 1.0


def test_overshooting_the_target_is_not_clamped_but_the_bar_is():
    value = progress(baseline=Decimal("10"), target=Decimal("30"), latest=Decimal("34"))
    assert value == pytest.approx(1.2)
    assert percent_label(value) == "120 %"
    assert bar_percent(value) == 100.0
    assert bar_percent(-0.2) == 0.0


def test_no_measurement_yet_means_no_progress_rather_than_zero():
    assert progress(baseline=Decimal("10"), target=Decimal("30"), latest=None) is None
    assert percent_label(None) == ""
    assert bar_percent(None) is None


def test_baseline_equal_to_target_does_not_divide_by_zero():
    assert progress(baseline=Decimal("5"), target=Decimal("5"), latest=Decimal("5")) == 1.0
    assert progress(baseline=Decimal("5"), target=Decimal("5"), latest=Decimal("6")) == 1.0
    assert progress(baseline=Decimal("5"), target=Decimal("5"), latest=Decimal("4")) == 0.0
    assert progress(baseline=Decimal("5"), target=Decimal("5"), latest=Decimal("4"), direction="decrease") == 1.0
    assert progress(baseline=Decimal("5"), target=Decimal("5"), latest=Decimal("6"), direction="decrease") == 0.0


@pytest.mark.django_db
def test_only_approved_measurements_count_in_progress_on_the_cluster_page(client_for, world):
    indicator = f.IndicatorFactory(
        intervention=world.intervention_a,
        name="Empresas certificadas",
        baseline_value=Decimal("0"),
        target_value=Decimal("40"),
    )
    f.MeasurementFactory(indicator=indicator, date=datetime.date(2024, 6, 30), value=Decimal("10"), status="approved")
    # A later pending value and a returned one must not move the bar.
    f.MeasurementFactory(indicator=indicator, date=datetime.date(2024, 9, 30), value=Decimal("30"), status="pending")
    f.MeasurementFactory(indicator=indicator, date=datetime.date(2024, 12, 31), value=Decimal("40"), status="returned")

    groups = cluster_instruments(world.cluster_a)
    summary = next(i for g in groups for iv in g.interventions for i in iv.indicators if i.pk == indicator.pk)
    assert summary.latest == Decimal("10")
    assert summary.progress == 0.25
    assert summary.series == [(datetime.date(2024, 6, 30), Decimal("10"))]

    page = client_for(world.users["manager"]).get(reverse("instruments:cluster", args=[world.cluster_a.slug]))
    assert "25 %" in page.content.decode()
