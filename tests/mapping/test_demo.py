"""The demo's illustrative economic dataset: loaded by load_demo, labelled, and telling a believable story."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from mapping import selectors
from mapping.models import Dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Dataset.objects.get(illustrative=True)


def test_load_demo_loads_the_illustrative_dataset_once_and_computes_it(demo):
    assert demo.computed_at is not None and demo.illustrative
    assert (demo.territory_level, demo.activity_level, demo.first_year, demo.last_year) == (
        "department",
        "division",
        2019,
        2023,
    )
    call_command("load_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Dataset.objects.filter(illustrative=True).count() == 1


def test_the_demo_clusters_show_up_among_the_candidates_and_others_wait_to_be_registered(demo):
    cells = {(cell.region.code, cell.sector.code): cell for cell in selectors.candidate_cells(demo, min_stars=2)}
    assert ("21", "13") in cells  # Puno's camelid fibre
    assert ("08", "79") in cells  # Cusco's tourism
    index = selectors.ClusterIndex(get_user_model().objects.get(username="coordinador"))
    assert [c.slug for c in index.matching("21", "13")] == ["pelos-finos-camelidos"]
    assert index.matching("17", "02") == []  # Madre de Dios' forestry: a candidate nobody registered


def test_every_demo_cluster_is_ranked_with_a_stability(demo):
    ranking = selectors.prioritisation(demo)
    assert len(ranking.rows) == 10
    assert all(row.scenarios == 14 for row in ranking.rows)
    assert ranking.rows[0].score > ranking.rows[-1].score
