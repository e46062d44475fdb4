"""Recording and editing interventions through the pages: soles, validation, optimistic locking, history."""

from decimal import Decimal

import pytest
from django.urls import reverse

from instruments.models import Intervention
from tests import factories as f

pytestmark = pytest.mark.django_db


def _form(world, **changes):
    data = {
        "instrument_type": world.instrument_type.pk,
        "title": "Clasificación de fibra de alpaca con el CITE",
        "objective": "Que los criadores vendan fibra clasificada.",
        "government_level": "regional",
        "focus": "actors",
        "implementing_institutions": [world.actor_a2.pk],
        "funding_institutions": [],
        "beneficiaries": [world.actor_a.pk],
        "start_date": "2024-03-01",
        "end_date": "2025-12-31",
        "budget_planned": "S/ 1,250,000.50",
        "budget_executed": "1250000.5",
        "overspend_justification": "",
        "status": "running",
    }
    data.update(changes)
    return data


def test_coordinator_records_an_intervention_with_budget_typed_in_soles(client_for, world):
    client = client_for(world.users["coordinator"])
    response = client.post(reverse("instruments:intervention_create", args=[world.cluster_a.slug]), _form(world))
    intervention = Intervention.objects.get(title="Clasificación de fibra de alpaca con el CITE")
    assert response.status_code == 302
    assert response["Location"] == intervention.get_absolute_url()
    assert intervention.budget_planned == Decimal("1250000.50")
    assert intervention.budget_executed == Decimal("1250000.50")
    assert intervention.cluster == world.cluster_a
    assert list(intervention.beneficiaries.all()) == [world.actor_a]
    assert list(intervention.implementing_institutions.all()) == [world.actor_a2]
    page = client.get(intervention.get_absolute_url()).content.decode()
    assert "S/ 1,250,000.50" in page
    assert "Textil Altiplano S.A.C." in page


def test_an_end_before_the_start_is_refused_with_a_clear_message_and_the_input_kept(client_for, world):
    client = client_for(world.users["coordinator"])
    response = client.post(
        reverse("instruments:intervention_create", args=[world.cluster_a.slug]),
        _form(world, start_date="2025-03-01", end_date="2024-12-31", title="Feria de exportación"),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "La fecha de fin no puede ser anterior a la fecha de inicio." in content
    assert 'value="Feria de exportación"' in content
    assert 'value="S/ 1,250,000.50"' in content
    assert not Intervention.objects.filter(title="Feria de exportación").exists()


def test_executing_more_than_planned_needs_a_justification(client_for, world):
    client = client_for(world.users["coordinator"])
    url = reverse("instruments:intervention_create", args=[world.cluster_a.slug])
    response = client.post(url, _form(world, budget_planned="100000", budget_executed="S/ 120,000"))
    assert response.status_code == 200
    assert "El presupuesto ejecutado supera al planificado" in response.content.decode()
    response = client.post(
        url,
        _form(world, budget_planned="100000", budget_executed="S/ 120,000", overspend_justification="Ampliación"),
    )
    assert response.status_code == 302


def test_beneficiaries_outside_the_cluster_are_named_in_the_error(client_for, world):
    client = client_for(world.users["coordinator"])
    response = client.post(
        reverse("instruments:intervention_create", args=[world.cluster_a.slug]),
        _form(world, beneficiaries=[world.actor_a.pk, world.actor_b.pk], title="Marca colectiva"),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "no son miembros del clúster Pelos Finos de Camélidos" in content
    assert "Cooperativa Cafetalera Valle Alto" in content
    assert not Intervention.objects.filter(title="Marca colectiva").exists()


def test_a_budget_that_is_not_an_amount_is_refused_on_its_field(client_for, world):
    client = client_for(world.users["coordinator"])
    response = client.post(
        reverse("instruments:intervention_create", args=[world.cluster_a.slug]), _form(world, budget_planned="mucho")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["budget_planned"]


def test_editing_saves_and_the_history_says_who_changed_what(client_for, world):
    client = client_for(world.users["coordinator"])
    intervention = world.intervention_a
    url = reverse("instruments:intervention_edit", args=[intervention.pk])
    response = client.post(url, _form(world, status="finished", version=intervention.version))
    assert response.status_code == 302
    intervention.refresh_from_db()
    assert intervention.status == "finished"
    assert intervention.version == 2
    page = client.get(intervention.get_absolute_url()).content.decode()
    assert "Historial" in page
    assert "Finalizada" in page
    coordinator = world.users["coordinator"]
    assert (coordinator.get_full_name() or coordinator.username) in page
    record = intervention.history.latest()
    assert record.history_user == coordinator
    assert [a.actor_id for a in record.beneficiaries.all()] == [world.actor_a.pk]


def test_two_people_editing_at_once_do_not_overwrite_each_other(client_for, world):
    client = client_for(world.users["coordinator"])
    intervention = world.intervention_a
    url = reverse("instruments:intervention_edit", args=[intervention.pk])
    first = client.post(url, _form(world, title="Primera versión", version=1))
    assert first.status_code == 302
    second = client.post(url, _form(world, title="Versión que llegó tarde", version=1))
    content = second.content.decode()
    assert second.status_code == 200
    assert "Otra persona modificó este registro" in content
    assert 'value="Versión que llegó tarde"' in content
    intervention.refresh_from_db()
    assert intervention.title == "Primera versión"
    # The form now carries the current version: saving again is a deliberate choice and works.
    third = client.post(url, _form(world, title="Versión que llegó tarde", version=2))
    assert third.status_code == 302
    intervention.refresh_from_db()
    assert intervention.title == "Versión que llegó tarde"


def test_researchers_see_their_clusters_interventions_read_only(client_for, world):
    client = client_for(world.users["researcher_a"])
    page = client.get(world.intervention_a.get_absolute_url())
    content = page.content.decode()
    assert page.status_code == 200
    assert world.intervention_a.title in content
    assert reverse("instruments:intervention_edit", args=[world.intervention_a.pk]) not in content
    assert reverse("instruments:indicator_create", args=[world.intervention_a.pk]) not in content
    assert client.get(world.intervention_b.get_absolute_url()).status_code == 404
    assert client.post(reverse("instruments:intervention_edit", args=[world.intervention_a.pk])).status_code == 403


def test_beneficiaries_are_counted_by_firm_size(client_for, world):
    micro = f.ActorFactory(name="Tejidos Lampa S.R.L.", size="micro")
    f.MembershipFactory(cluster=world.cluster_a, actor=micro)
    world.intervention_a.beneficiaries.set([world.actor_a, micro, world.actor_a2])
    page = client_for(world.users["manager"]).get(world.intervention_a.get_absolute_url()).content.decode()
    assert "3 beneficiarios" in page
    assert "Micro (hasta 150 UIT): 1" in page
    assert "Pequeña" in page


def test_coordinators_add_a_local_instrument_under_a_goal(client_for, world):
    client = client_for(world.users["coordinator"])
    goal = f.goal("supplier-capacity")
    response = client.post(
        reverse("instruments:instrument_type_create"),
        {"goal": goal.pk, "name_es": "Ruedas de negocio con compradores ancla", "name_en": "Anchor buyer rounds"},
    )
    assert response.status_code == 302
    instrument = goal.instrument_types.get(name_es="Ruedas de negocio con compradores ancla")
    assert instrument.is_local
    assert instrument.code.startswith("local-")
    page = client.get(reverse("instruments:catalogue")).content.decode()
    assert "Ruedas de negocio con compradores ancla" in page
    assert "local" in page


def test_history_names_the_beneficiaries_and_instrument_that_changed(client_for, world):
    client = client_for(world.users["coordinator"])
    intervention = world.intervention_a
    url = reverse("instruments:intervention_edit", args=[intervention.pk])
    client.post(url, _form(world, version=1))
    brands = f.goal("external-links").instrument_types.get(code="cluster-brands")
    client.post(
        url, _form(world, version=2, instrument_type=brands.pk, beneficiaries=[world.actor_a.pk, world.actor_a2.pk])
    )
    page = client.get(intervention.get_absolute_url()).content.decode()
    assert "<ins>Desarrollo de marcas y marketing para clústeres y regiones</ins>" in page
    assert (
        "<del>Textil Altiplano S.A.C.</del> → <ins>Textil Altiplano S.A.C., Universidad Nacional del Altiplano</ins>"
        in page
    )


def test_history_records_a_change_of_funding_institution(client_for, world):
    client = client_for(world.users["coordinator"])
    intervention = world.intervention_a
    url = reverse("instruments:intervention_edit", args=[intervention.pk])
    client.post(url, _form(world, version=1))
    client.post(url, _form(world, version=2, funding_institutions=[world.actor_a2.pk]))
    page = client.get(intervention.get_absolute_url()).content.decode()
    assert "<ins>Universidad Nacional del Altiplano</ins>" in page
    assert intervention.history.first().funding_institutions.count() == 1
