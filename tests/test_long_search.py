"""A search box takes at most 200 characters: a longer search is told at its field, never a 500.

SQLite refuses a LIKE pattern over 50,000 characters, so a pasted 60,000-character search broke the list.
"""

import pytest

pytestmark = pytest.mark.django_db

LONG = "Cooperativa " * 5000  # 60,000 characters


@pytest.mark.parametrize("path", ["/clusters/", "/actors/"])
def test_a_very_long_search_is_told_at_its_field_and_the_list_still_shows(client_for, world, path):
    client = client_for(world.users["coordinator"])
    page = client.get(path, {"q": LONG})
    assert page.status_code == 200
    content = page.content.decode()
    assert "menos de 200 caracteres" in content
    assert 'maxlength="200"' in content


def test_a_search_of_200_characters_still_filters(client_for, world):
    client = client_for(world.users["coordinator"])
    page = client.get("/actors/", {"q": world.actor_a.name + " " * 150})
    assert page.status_code == 200
    assert world.actor_a.name in page.content.decode()


def test_the_actor_autocomplete_answers_a_very_long_query(client_for, world):
    client = client_for(world.users["coordinator"])
    page = client.get("/actors/autocomplete/", {"q": LONG})
    assert page.status_code == 200
