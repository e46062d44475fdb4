"""Numbers typed into any form are read the way people write them in Peru, the phone's decimal comma included.

Every numeric input goes through clusters.numbers (the parser the interview form has always used): "165,5"
is 165.5, "1,200" is 1200, and nothing is an <input type="number">, which the browser reads in its own way.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusters.models import Actor, Cluster, HeadlineFigure
from clusters.numbers import NumberField, WholeNumberField, plain_number
from instruments.models import Activity, Indicator, Measurement
from tests.clusters.test_actor_pages import _actor_data
from tests.clusters.test_cluster_pages import _cluster_data
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def test_a_measurement_typed_with_a_decimal_comma_is_that_number_not_ten_times_it(client_for, world):
    client = client_for(world.users["coordinator"])
    url = reverse("instruments:measurement_create", args=[world.indicator_a.pk])
    form = client.get(url).content.decode()
    assert 'name="value"' in form and 'inputmode="decimal"' in form
    data = {"date": "2025-03-31", "value": "165,5", "source": "Padrón", "value_women": "82,25", "value_men": "83.25"}
    response = client.post(url, data)
    assert response.status_code == 302
    measurement = Measurement.objects.get(indicator=world.indicator_a, date="2025-03-31")
    assert (measurement.value, measurement.value_women, measurement.value_men) == (
        Decimal("165.5"),
        Decimal("82.25"),
        Decimal("83.25"),
    )
    edit = client.get(reverse("instruments:measurement_edit", args=[measurement.pk])).content.decode()
    assert 'value="165.5"' in edit


def test_a_measurement_that_is_not_a_number_is_refused_at_its_field_in_spanish(client_for, world):
    client = client_for(world.users["coordinator"])
    url = reverse("instruments:measurement_create", args=[world.indicator_a.pk])
    response = client.post(url, {"date": "2025-03-31", "value": "ciento sesenta", "source": "Padrón"})
    assert response.status_code == 200
    assert "Escriba un número, por ejemplo 12 o 3.5." in response.content.decode()
    too_precise = client.post(url, {"date": "2025-03-31", "value": "1,23456", "source": "Padrón"})
    assert "decimales" in too_precise.content.decode()
    assert not Measurement.objects.filter(date="2025-03-31").exists()


def test_an_indicators_baseline_and_target_take_a_decimal_comma(client_for, world):
    client = client_for(world.users["coordinator"])
    response = client.post(
        reverse("instruments:indicator_create", args=[world.intervention_a.pk]),
        {
            "name": "Merma de fibra",
            "unit": "%",
            "direction": "decrease",
            "baseline_value": "18,5",
            "baseline_date": "2024-03-01",
            "target_value": "8,25",
            "target_date": "2025-12-31",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(name="Merma de fibra")
    assert (indicator.baseline_value, indicator.target_value) == (Decimal("18.5"), Decimal("8.25"))


def test_activity_counts_take_thousands_and_refuse_fractions(client_for, world):
    client = client_for(world.users["coordinator"])
    url = reverse("instruments:activity_create", args=[world.intervention_a.pk])
    data = {"date": "2024-08-01", "kind": "fair", "title": "Feria de la alpaca", "women": "1,200", "men": "950"}
    assert client.post(url, data).status_code == 302
    fair = Activity.objects.get(title="Feria de la alpaca")
    assert (fair.women, fair.men) == (1200, 950)
    half = client.post(url, {**data, "title": "Taller", "men": "2,5"})
    assert "Escriba un número entero, por ejemplo 12." in half.content.decode()
    negative = client.post(url, {**data, "title": "Taller", "men": "-3"})
    assert "mayor o igual a 0" in negative.content.decode()
    assert not Activity.objects.filter(title="Taller").exists()


def test_registry_numbers_take_a_decimal_comma(client_for, world):
    client = client_for(world.users["coordinator"])
    client.post(reverse("clusters:create"), _cluster_data(latitude="-6,03", longitude="-76,97"))
    cluster = Cluster.objects.get(name="Cacao Amazónico")
    assert (cluster.latitude, cluster.longitude) == (Decimal("-6.03"), Decimal("-76.97"))

    figures = reverse("clusters:figures", kwargs={"slug": world.cluster_a.slug})
    client.post(figures, {"metric": "regional_gdp_share", "value": "12,5", "year": "2024", "source": "INEI"})
    share = HeadlineFigure.objects.get(cluster=world.cluster_a, metric="regional_gdp_share")
    assert (share.value, share.year) == (Decimal("12.5"), 2024)

    client.post(reverse("clusters:actor_create"), _actor_data(ruc="", sales_uit="1700,5"))
    assert Actor.objects.get(name="Hilados del Sur S.A.C.").size == "medium"  # above 1,700 UIT


def test_a_questions_bounds_take_a_decimal_comma_and_read_back_without_zeros(client_for, world):
    client = client_for(world.users["coordinator"])
    url = reverse("surveys:question_edit", args=[world.draft_question.pk])
    data = form_data(client.get(url).content.decode(), with_field="min_value")
    data.update({"type": "decimal", "relationship_kind": "", "min_value": "1980", "max_value": "dos mil"})
    data.update({"labels__0": "Año de inicio", "read_only": ""})  # a question is asked in words, and answered
    assert "Escriba un número" in client.post(url, data).content.decode()
    data["max_value"] = "2030,5"
    assert client.post(url, data).status_code == 302
    world.draft_question.refresh_from_db()
    assert world.draft_question.max_value == Decimal("2030.5")
    page = client.get(url).content.decode()
    assert 'value="1980"' in page and 'value="2030.5"' in page


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("165,5", Decimal("165.5")),
        ("1,200", Decimal("1200")),
        ("1 200,75", Decimal("1200.75")),
        ("-0,5", Decimal("-0.5")),
    ],
)
def test_the_number_field_reads_what_people_type(typed, number):
    assert NumberField(required=False).clean(typed) == number


def test_the_number_field_checks_the_columns_digits_and_bounds():
    field = NumberField(max_digits=6, decimal_places=2, min_value=0)
    assert field.clean("1234,56") == Decimal("1234.56")
    for refused in ("12345,6", "-1", "1e400", "NaN", "doce"):
        with pytest.raises(ValidationError):
            field.clean(refused)


def test_a_whole_number_field_gives_an_int_and_refuses_a_fraction():
    field = WholeNumberField(min_value=0)
    assert field.clean("2,024") == 2024
    assert field.clean("17") == 17
    with pytest.raises(ValidationError):
        field.clean("2,5")


def test_numbers_read_back_as_people_write_them():
    assert plain_number(Decimal("1980.000000")) == "1980"
    assert plain_number(Decimal("165.5000")) == "165.5"
    assert plain_number(Decimal("1E+3")) == "1000"
    assert plain_number(Decimal("0.000")) == "0"
