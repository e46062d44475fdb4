"""Measurements: recorded as pending, approved (then locked) or returned with a reason; breakdown checks."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from instruments.models import Measurement
from tests import factories as f

pytestmark = pytest.mark.django_db


def _measurement(**changes):
    data = {"date": "2024-12-31", "value": "20", "source": "Padrón del CITE", "note": ""}
    data.update(changes)
    return data


def test_a_new_measurement_waits_for_review_and_does_not_count_yet(client_for, world):
    client = client_for(world.users["coordinator"])
    response = client.post(reverse("instruments:measurement_create", args=[world.indicator_a.pk]), _measurement())
    measurement = Measurement.objects.get(indicator=world.indicator_a, date=datetime.date(2024, 12, 31))
    assert response.status_code == 302
    assert measurement.status == "pending"
    assert measurement.recorded_by == world.users["coordinator"]
    page = client.get(reverse("instruments:indicator_detail", args=[world.indicator_a.pk])).content.decode()
    assert "Pendiente de revisión" in page
    # Baseline 10, target 30, the approved 12 counts: 10 %; the pending 20 does not.
    assert "10 %" in page


def test_approving_makes_it_count_and_locks_it(client_for, world):
    client = client_for(world.users["coordinator"])
    measurement = world.measurement_a  # pending, value 15
    response = client.post(
        reverse("instruments:measurement_review", args=[measurement.pk]), {"decision": "approve"}, follow=True
    )
    measurement.refresh_from_db()
    assert measurement.status == "approved"
    assert measurement.reviewed_by == world.users["coordinator"]
    assert "Medición aprobada" in response.content.decode()
    page = client.get(reverse("instruments:indicator_detail", args=[world.indicator_a.pk])).content.decode()
    assert "25 %" in page  # (15 - 10) / (30 - 10)

    edit = client.post(reverse("instruments:measurement_edit", args=[measurement.pk]), _measurement(value="99"))
    assert edit.status_code == 302
    delete = client.post(reverse("instruments:measurement_delete", args=[measurement.pk]), follow=True)
    assert "está bloqueada" in delete.content.decode()
    again = client.post(
        reverse("instruments:measurement_review", args=[measurement.pk]), {"decision": "return", "reason": "x"}
    )
    assert again.status_code == 302
    measurement.refresh_from_db()
    assert measurement.value == Decimal("15")
    assert measurement.status == "approved"
    assert Measurement.objects.filter(pk=measurement.pk).exists()


def test_returning_needs_a_reason_which_is_then_shown_and_the_value_is_editable_again(client_for, world):
    client = client_for(world.users["coordinator"])
    measurement = world.measurement_a
    url = reverse("instruments:measurement_review", args=[measurement.pk])
    refused = client.post(url, {"decision": "return", "reason": "  "})
    assert refused.status_code == 400
    assert "Indique qué se debe corregir" in refused.content.decode()
    measurement.refresh_from_db()
    assert measurement.status == "pending"

    client.post(url, {"decision": "return", "reason": "La fuente no indica el año del padrón."})
    measurement.refresh_from_db()
    assert measurement.status == "returned"
    detail = client.get(reverse("instruments:measurement_detail", args=[measurement.pk])).content.decode()
    assert "La fuente no indica el año del padrón." in detail
    form = client.get(reverse("instruments:measurement_edit", args=[measurement.pk])).content.decode()
    assert "La fuente no indica el año del padrón." in form

    client.post(
        reverse("instruments:measurement_edit", args=[measurement.pk]),
        _measurement(date="2024-09-30", value="16", source="Padrón del CITE 2024"),
    )
    measurement.refresh_from_db()
    assert measurement.status == "pending"
    assert measurement.value == Decimal("16")


def test_a_pending_measurement_can_be_deleted(client_for, world):
    client = client_for(world.users["coordinator"])
    response = client.post(reverse("instruments:measurement_delete", args=[world.measurement_a.pk]))
    assert response.status_code == 302
    assert not Measurement.objects.filter(pk=world.measurement_a.pk).exists()


def test_a_breakdown_that_does_not_add_up_shows_a_warning_per_disaggregation(client_for, world):
    client = client_for(world.users["coordinator"])
    client.post(
        reverse("instruments:measurement_create", args=[world.indicator_a.pk]),
        _measurement(value="20", value_women="12", value_men="8", value_micro="10", value_small="5"),
    )
    measurement = Measurement.objects.get(indicator=world.indicator_a, date=datetime.date(2024, 12, 31))
    assert measurement.disaggregation_mismatches() == [("firm_size", Decimal("15"))]
    page = client.get(reverse("instruments:measurement_detail", args=[measurement.pk])).content.decode()
    assert "Las empresas por tamaño suman 15, no el valor 20." in page
    assert "Mujeres y hombres suman" not in page


def test_breakdowns_that_add_up_or_are_absent_raise_no_warning():
    by_sex = Measurement(value=Decimal("20"), value_women=Decimal("12.5"), value_men=Decimal("7.5"))
    assert by_sex.disaggregation_mismatches() == []
    assert Measurement(value=Decimal("20")).disaggregation_mismatches() == []
    partial = Measurement(value=Decimal("20"), value_women=Decimal("12"))
    assert partial.disaggregation_mismatches() == [("sex", Decimal("12"))]
    both = Measurement(value=Decimal("3"), value_women=Decimal("1"), value_men=Decimal("1"), value_large=Decimal("1"))
    assert both.disaggregation_mismatches() == [("sex", Decimal("2")), ("firm_size", Decimal("1"))]


def test_researchers_see_measurements_of_their_clusters_without_review_or_edit_buttons(client_for, world):
    client = client_for(world.users["researcher_a"])
    page = client.get(reverse("instruments:measurement_detail", args=[world.measurement_a.pk])).content.decode()
    assert "Registro del programa" in page
    assert reverse("instruments:measurement_review", args=[world.measurement_a.pk]) not in page
    assert reverse("instruments:measurement_edit", args=[world.measurement_a.pk]) not in page
    other = client.get(reverse("instruments:measurement_detail", args=[world.measurement_b.pk]))
    assert other.status_code == 404
    review = client.post(
        reverse("instruments:measurement_review", args=[world.measurement_a.pk]), {"decision": "approve"}
    )
    assert review.status_code == 403
    world.measurement_a.refresh_from_db()
    assert world.measurement_a.status == "pending"


def test_the_review_queue_lists_pending_measurements_and_approves_from_the_list(client_for, world):
    client = client_for(world.users["coordinator"])
    queue = client.get(reverse("instruments:review_queue")).content.decode()
    assert world.cluster_a.name in queue and world.cluster_b.name in queue
    client.post(
        reverse("instruments:measurement_review", args=[world.measurement_a.pk]),
        {"decision": "approve", "next": "review_queue"},
    )
    world.measurement_a.refresh_from_db()
    assert world.measurement_a.status == "approved"
    home = client.get(reverse("home")).content.decode()
    assert "Mediciones que esperan su revisión" in home


def test_an_indicator_whose_target_goes_the_wrong_way_is_refused(client_for, world):
    client = client_for(world.users["coordinator"])
    response = client.post(
        reverse("instruments:indicator_create", args=[world.intervention_a.pk]),
        {
            "name": "Merma de fibra",
            "unit": "%",
            "direction": "decrease",
            "baseline_value": "18",
            "baseline_date": "2024-03-01",
            "target_value": "25",
            "target_date": "2025-12-31",
        },
    )
    assert response.status_code == 200
    assert "Este indicador debe disminuir" in response.content.decode()


def test_indicator_history_shows_the_change_of_target(client_for, world):
    client = client_for(world.users["coordinator"])
    indicator = f.IndicatorFactory(intervention=world.intervention_a, name="Empresas con marca")
    client.post(
        reverse("instruments:indicator_edit", args=[indicator.pk]),
        {
            "name": "Empresas con marca",
            "unit": "empresas",
            "direction": "increase",
            "baseline_value": "10",
            "baseline_date": "2024-03-01",
            "target_value": "45",
            "target_date": "2025-12-31",
        },
    )
    page = client.get(reverse("instruments:indicator_detail", args=[indicator.pk])).content.decode()
    assert "Valor meta" in page or "valor meta" in page
    assert "<del>30</del>" in page and "<ins>45</ins>" in page


def test_the_review_form_makes_no_decision_for_the_reviewer(client_for, world):
    client = client_for(world.users["coordinator"])
    page = client.get(reverse("instruments:measurement_detail", args=[world.measurement_a.pk])).content.decode()
    decisions = re.findall(r'<input[^>]*name="decision"[^>]*>', page)
    assert len(decisions) == 2 and all('type="radio"' in d and "checked" not in d for d in decisions)
    assert '<select name="decision"' not in page
    response = client.post(reverse("instruments:measurement_review", args=[world.measurement_a.pk]), {})
    assert response.status_code == 400
    assert "Elija aprobar o devolver la medición." in response.content.decode()
    world.measurement_a.refresh_from_db()
    assert world.measurement_a.status == "pending"


def _record_and_review(client, world, **review):
    client.post(reverse("instruments:measurement_create", args=[world.indicator_a.pk]), _measurement())
    measurement = Measurement.objects.get(indicator=world.indicator_a, date=datetime.date(2024, 12, 31))
    response = client.post(reverse("instruments:measurement_review", args=[measurement.pk]), review)
    measurement.refresh_from_db()
    return measurement, response


def test_a_coordinator_cannot_approve_a_measurement_she_recorded(client_for, world):
    client = client_for(world.users["coordinator"])
    measurement, response = _record_and_review(client, world, decision="approve")
    assert response.status_code == 400
    assert measurement.status == "pending"
    content = response.content.decode()
    message = "Usted registró esta medición: otra persona de la coordinación debe aprobarla."
    assert message in content
    # The message sits at the decision, as every field error does.
    assert re.search(r'id="id_decision_error"[^>]*>\s*(<[^>]+>\s*)*' + re.escape(message), content) or (
        message in content.split('id="div_id_decision"')[1].split("</fieldset>")[0]
    )
    # Returning it with a reason is still hers to do; and another coordinator approves it.
    other = f.UserFactory(username="coordinator_2", role="coordinator")
    approved = client_for(other).post(
        reverse("instruments:measurement_review", args=[measurement.pk]), {"decision": "approve"}
    )
    assert approved.status_code == 302
    measurement.refresh_from_db()
    assert (measurement.status, measurement.reviewed_by, measurement.self_approved) == ("approved", other, False)


def test_whoever_last_corrected_the_value_cannot_approve_it_either(client_for, world):
    other = f.UserFactory(username="coordinator_2", role="coordinator")
    measurement, _response = _record_and_review(client_for(other), world, decision="return", reason="Fuente")
    client = client_for(world.users["coordinator"])
    client.post(reverse("instruments:measurement_edit", args=[measurement.pk]), _measurement(value="21"))
    response = client.post(reverse("instruments:measurement_review", args=[measurement.pk]), {"decision": "approve"})
    assert response.status_code == 400
    measurement.refresh_from_db()
    assert measurement.status == "pending"


def test_a_one_person_team_may_approve_its_own_measurement_and_it_shows(client_for, world, settings):
    settings.CASEBOOK_ALLOW_SELF_APPROVAL = True
    client = client_for(world.users["coordinator"])
    measurement, response = _record_and_review(client, world, decision="approve")
    assert response.status_code == 302
    assert (measurement.status, measurement.self_approved) == ("approved", True)
    detail = client.get(reverse("instruments:measurement_detail", args=[measurement.pk])).content.decode()
    assert "Aprobada por quien la registró" in detail
    history = detail.split('data-testid="history"')[1]
    assert "Aprobada por quien la registró" in history
    indicator = client.get(reverse("instruments:indicator_detail", args=[world.indicator_a.pk])).content.decode()
    assert "Aprobada por quien la registró" in indicator
