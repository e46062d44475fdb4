"""mapping/ on PostgreSQL: the measures are stored with binary COPY and read back exactly as computed."""

import math

import pytest

from mapping import compute, services
from mapping.models import CellMeasure, Observation
from tests.mapping.data import WORLD_ROWS, make_dataset

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

# Arequipa (04) appears only in 2023: its cells have no first-year employment, growth nor shift-share.
ROWS = [*WORLD_ROWS, ("04", "13", 2023, 700, None, None, None), ("04", "79", 2023, 30, 4, 100_000, 300_000)]


def test_observations_and_measures_go_in_with_copy_and_come_back_as_computed():
    dataset = make_dataset(ROWS)
    assert Observation.objects.filter(dataset=dataset).count() == len(ROWS)
    expected = list(compute.compute(compute.load_panel(dataset.pk)).cells)
    stored = list(CellMeasure.objects.filter(dataset=dataset).order_by("id").values_list(*compute.CELL_FIELDS))
    assert len(stored) == len(expected) > 0
    for got, want in zip(stored, expected, strict=True):
        for value, wanted in zip(got, want, strict=True):
            if isinstance(wanted, float):
                assert math.isclose(value, wanted, rel_tol=1e-12)
            else:
                assert value == wanted


def test_a_territory_missing_the_first_year_is_stored_with_nulls():
    dataset = make_dataset(ROWS)
    arequipa = CellMeasure.objects.get(dataset=dataset, region__code="04", sector__code="13")
    assert arequipa.employment == 700 and arequipa.establishments is None
    assert arequipa.base_employment is None and arequipa.growth is None and arequipa.regional_shift is None
    assert arequipa.location_quotient > 1


def test_recomputing_replaces_the_measures():
    dataset = make_dataset(ROWS)
    before = CellMeasure.objects.filter(dataset=dataset).count()
    services.dataset_compute(dataset=dataset)
    services.dataset_compute(dataset=dataset)
    assert CellMeasure.objects.filter(dataset=dataset).count() == before
    dataset.delete()
    assert not CellMeasure.objects.filter(dataset_id=dataset.pk).exists()
