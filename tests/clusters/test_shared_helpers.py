import pytest
from django.core.exceptions import ValidationError

from clusters.concurrency import ConcurrentEdit, save_with_version
from clusters.models import Cluster, Relationship
from clusters.services import actor_create, relationship_create
from clusters.spreadsheets import safe_cell

pytestmark = pytest.mark.django_db


def test_a_save_with_the_version_read_succeeds_and_bumps_it(world):
    cluster = Cluster.objects.get(pk=world.cluster_a.pk)
    cluster.description = "Nueva descripción"
    save_with_version(cluster, expected_version=1, fields=["description"])
    assert cluster.version == 2
    assert Cluster.objects.get(pk=cluster.pk).description == "Nueva descripción"


def test_a_save_from_a_stale_version_is_refused_and_keeps_the_other_edit(world):
    first = Cluster.objects.get(pk=world.cluster_a.pk)
    second = Cluster.objects.get(pk=world.cluster_a.pk)
    first.description = "Edición de Lucía"
    save_with_version(first, expected_version=first.version, fields=["description"])
    second.description = "Edición de Jorge"
    with pytest.raises(ConcurrentEdit):
        save_with_version(second, expected_version=second.version, fields=["description"])
    assert Cluster.objects.get(pk=world.cluster_a.pk).description == "Edición de Lucía"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil.example", "clic")', '\'=HYPERLINK("http://evil.example", "clic")'),
        ("+51 999 888 777", "'+51 999 888 777"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Textiles Altiplano", "Textiles Altiplano"),
        (-2, -2),
        (None, None),
    ],
)
def test_spreadsheet_cells_that_would_run_as_formulas_are_neutralised(value, expected):
    assert safe_cell(value) == expected


def test_an_actor_met_in_the_field_joins_the_cluster(world):
    actor = actor_create(
        created_by=world.users["researcher_a"],
        cluster=world.cluster_a,
        name="Taller Nuevo",
        kind="firm",
        ruc="20 5123 33797",
    )
    assert actor.ruc == "20512333797"
    assert actor.memberships.get().cluster == world.cluster_a


def test_an_actor_with_a_bad_ruc_is_not_created(world):
    with pytest.raises(ValidationError):
        actor_create(created_by=None, name="Taller Malo", kind="firm", ruc="20512333798")


def test_a_tie_needs_both_actors_in_the_cluster_and_is_not_recorded_twice(world):
    tie = relationship_create(cluster=world.cluster_a, source=world.actor_a, target=world.actor_a2, kind="buys_from")
    again = relationship_create(cluster=world.cluster_a, source=world.actor_a, target=world.actor_a2, kind="buys_from")
    assert tie == again
    with pytest.raises(ValidationError):
        relationship_create(cluster=world.cluster_a, source=world.actor_a, target=world.actor_b, kind="supplies")
    assert Relationship.objects.filter(cluster=world.cluster_a).count() == 2


def test_a_versioned_save_is_recorded_in_the_history_with_its_author(world):
    cluster = Cluster.objects.get(pk=world.cluster_a.pk)
    before = cluster.history.count()
    cluster.description = "Descripción revisada"
    cluster._history_user = world.users["coordinator"]
    save_with_version(cluster, expected_version=cluster.version, fields=["description"])
    latest = cluster.history.first()
    assert cluster.history.count() == before + 1
    assert latest.history_type == "~"
    assert latest.description == "Descripción revisada"
    assert latest.history_user == world.users["coordinator"]
