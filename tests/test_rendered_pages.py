"""What every page says, read as a user reads it: no template syntax printed, no English on a Spanish page.

The walk opens every GET page of tests/access_table.py as every persona allowed to see it, the table's
invalid forms as they come back with their errors, and the login page after a wrong password. Exports,
JSON and files are left out: they are not pages.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.access_table import ROUTES
from tests.world import PERSONAS

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Rendered:
    where: str
    html: str


def _url_of(route, world):
    url = reverse(route.name, kwargs=route.kwargs(world)) + route.query
    if route.method == "GET" and route.data:
        url += ("&" if "?" in url else "?") + urlencode(route.data(world), doseq=True)
    return url


def rendered_pages(client_for, world):
    """Every HTML page of the table as each persona allowed to open it (and the refused forms)."""
    for route in ROUTES:
        if route.method == "GET":
            personas = [p for p in PERSONAS if p in route.allowed or (route.public and p == "anonymous")]
        elif route.method == "POST" and route.ok_status == 200:
            personas = [p for p in PERSONAS if p in route.allowed]
        else:
            continue
        for persona in personas:
            client = client_for(world.users[persona])
            url = _url_of(route, world)
            if route.method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, route.data(world) if route.data else {})
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            yield Rendered(f"{route.id} as {persona}", response.content.decode())
    client = client_for(None)
    response = client.post(reverse("login"), {"username": "coordinator", "password": "not-the-password"})
    yield Rendered("login with a wrong password", response.content.decode())


TEMPLATE_SYNTAX = re.compile(r"\{#|#\}|\{%|%\}")


def test_no_page_prints_template_syntax(client_for, world):
    printed = {}
    for page in rendered_pages(client_for, world):
        found = sorted({m.group() for m in TEMPLATE_SYNTAX.finditer(page.html)})
        if found:
            at = TEMPLATE_SYNTAX.search(page.html).start()
            printed[page.where] = f"{found}: …{page.html[max(0, at - 60) : at + 60]!r}…"
    assert not printed, "\n".join(f"{where}: {what}" for where, what in printed.items())


def test_no_template_opens_a_comment_it_does_not_close_on_the_same_line(settings):
    # Django's {# #} comment is one line only: a multi-line one is printed as text. Pages the walk cannot
    # reach (an error state, a rare branch) are checked here in the source.
    unclosed = []
    for template in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html")):
        for number, line in enumerate(template.read_text().splitlines(), start=1):
            if line.count("{#") != line.count("#}"):
                unclosed.append(f"{template.relative_to(settings.BASE_DIR)}:{number}")
    assert not unclosed, f"use {{% comment %}} for comments over several lines: {unclosed}"
