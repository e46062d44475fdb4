"""The catalogue loaded by migration, activities with their roll-ups, and measurement history."""

import pytest
from django.urls import reverse

from instruments.catalogue import CATALOGUE, load_catalogue
from instruments.models import Activity, Goal, InstrumentType

pytestmark = pytest.mark.django_db


def test_the_migration_loaded_three_headings_eight_goals_and_their_instruments():
    goals = Goal.objects.filter(code__in=[code for code, *_ in CATALOGUE])
    assert goals.count() == 8
    assert set(goals.values_list("heading", flat=True)) == {
        "engage_actors",
        "business_networks",
        "research_collaboration",
    }
    assert list(goals.order_by("order").values_list("name_es", flat=True))[:2] == [
        "Identificar clústeres",
        "Apoyar la creación de redes",
    ]
    assert InstrumentType.objects.filter(is_local=False, goal__in=goals).count() == 26
    maps = InstrumentType.objects.get(code="cluster-maps")
    assert maps.name_es == "Desarrollar mapas de clústeres —cualitativos y cuantitativos—"
    assert maps.name_en == "Qualitative and quantitative cluster maps"


def test_loading_the_catalogue_again_changes_nothing_and_restores_edited_names():
    InstrumentType.objects.filter(code="export-networks").update(name_es="Redes (editado)")
    before = InstrumentType.objects.count()
    load_catalogue(Goal, InstrumentType)
    load_catalogue(Goal, InstrumentType)
    assert InstrumentType.objects.count() == before
    assert InstrumentType.objects.get(code="export-networks").name_es == "Redes de exportación"


def test_recorded_activities_roll_up_to_the_intervention_and_the_cluster(client_for, world):
    client = client_for(world.users["coordinator"])
    response = client.post(
        reverse("instruments:activity_create", args=[world.intervention_a.pk]),
        {
            "date": "2024-08-12",
            "kind": "fair",
            "title": "Feria Alpaca Fiesta",
            "place": "Arequipa",
            "women": "20",
            "men": "15",
            "firms_micro": "4",
            "firms_small": "2",
            "firms_medium": "",
            "firms_large": "1",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="Feria Alpaca Fiesta")
    assert (activity.women, activity.men, activity.firms_medium, activity.firms_large) == (20, 15, 0, 1)
    detail = client.get(world.intervention_a.get_absolute_url()).content.decode()
    # With the world's activity (12 women, 9 men, 8 micro and 3 small firms).
    assert "Total: 2 actividades" in detail
    assert "12/5/0/1" in detail
    tab = client.get(reverse("instruments:cluster", args=["camelidos"])).content.decode()
    assert "2 actividades · 56 participantes (32 mujeres, 24 hombres)" in tab


def test_editing_an_activity_keeps_its_history(client_for, world):
    client = client_for(world.users["coordinator"])
    client.post(
        reverse("instruments:activity_edit", args=[world.activity_a.pk]),
        {"date": "2024-05-20", "kind": "training", "title": "Taller de calidad de fibra", "women": "14", "men": "9"},
    )
    world.activity_a.refresh_from_db()
    assert world.activity_a.women == 14
    assert world.activity_a.history.latest().history_user == world.users["coordinator"]


def test_measurement_history_shows_the_return_and_its_reason(client_for, world):
    client = client_for(world.users["coordinator"])
    client.post(
        reverse("instruments:measurement_review", args=[world.measurement_a.pk]),
        {"decision": "return", "reason": "Falta la fuente primaria"},
    )
    page = client_for(world.users["researcher_a"]).get(
        reverse("instruments:measurement_detail", args=[world.measurement_a.pk])
    )
    content = page.content.decode()
    assert "Historial" in content
    assert "<ins>Devuelta para corrección</ins>" in content
    assert "<ins>Falta la fuente primaria</ins>" in content
