"""List pages open on their list: the filter box is folded (as the interview list's always was) unless in use."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LISTS = [
    ("clusters:list", {"stage": "growing"}),
    ("clusters:actor_list", {"q": "Textil"}),
    ("surveys:interview_list", {"status": "draft"}),
    ("instruments:portfolio", {"status": "running"}),
]


def _filter_box(html):
    """The <details> element that holds the page's filter form, or None when the form is not folded."""
    for match in re.finditer(r"<details\b[^>]*>(.*?)</details>", html, re.S):
        if re.search(r'<form method="get"', match.group(1)):
            return match.group()
    return None


@pytest.mark.parametrize(("name", "query"), LISTS, ids=[name for name, _query in LISTS])
def test_a_list_page_folds_its_filters_until_one_is_used(client_for, world, name, query):
    client = client_for(world.users["coordinator"])
    folded = _filter_box(client.get(reverse(name)).content.decode())
    assert folded is not None, "the filter form is not in a <details>"
    assert not re.match(r"<details\b[^>]*\bopen\b", folded)
    used = _filter_box(client.get(reverse(name), query).content.decode())
    assert re.match(r"<details\b[^>]*\bopen\b", used)
    sorted_only = _filter_box(client.get(reverse(name), {"page": "1", "sort": "name"}).content.decode())
    assert not re.match(r"<details\b[^>]*\bopen\b", sorted_only)
