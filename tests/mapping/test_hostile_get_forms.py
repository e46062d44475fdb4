"""The candidates' filters and the weights are GET forms: the shared hostile corpus (POST only) misses them.

Every hostile text in every field answers with the page (invalid fields say why), never a 500, and a GET
never writes: the weights stay as saved.
"""

import pytest
from django.urls import reverse

from mapping.models import Criterion, PriorityWeight
from tests.test_hostile_input import BAD_ENCODING, HOSTILE_TEXT

pytestmark = pytest.mark.django_db

FILTERS = ("dataset", "department", "sector", "min_stars", "min_lq", "min_employment", "page")


@pytest.mark.parametrize("text", HOSTILE_TEXT, ids=range(len(HOSTILE_TEXT)))
def test_hostile_filters_and_weights_get_a_page_not_an_error(client_for, world, coordinator, text):
    client = client_for(coordinator)
    saved = dict(PriorityWeight.objects.values_list("criterion", "weight"))
    ok = 400 if "\x00" in text else 200  # NUL is refused for the whole site with a page saying so
    for field in FILTERS:
        response = client.get(reverse("mapping:candidates"), {field: text})
        assert response.status_code == ok, (field, text[:20])
    for criterion in Criterion.values:
        for url in (reverse("mapping:priorities"), reverse("mapping:priorities_export")):
            response = client.get(url, {criterion: text, "dataset": text})
            assert response.status_code == ok, (url, criterion, text[:20])
    assert dict(PriorityWeight.objects.values_list("criterion", "weight")) == saved


def test_a_badly_encoded_query_string_gets_a_page(client_for, world, manager):
    client = client_for(manager)
    response = client.get(reverse("mapping:candidates") + "?min_lq=%ff%fe&department=%ff")
    assert response.status_code == 200
    assert client.get(reverse("mapping:priorities") + "?growth=%ff").status_code == 200
    assert BAD_ENCODING  # the same corpus as the POST forms


def test_a_hostile_weight_shows_its_error_next_to_the_field(client_for, world, manager):
    html = client_for(manager).get(reverse("mapping:priorities"), {"growth": "<script>alert(1)</script>"}).content
    html = html.decode()
    assert "<script>alert(1)</script>" not in html
    assert 'id="id_growth-error"' in html and 'aria-describedby="id_growth-error"' in html
