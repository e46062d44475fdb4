"""What every page says, read as a user reads it: no template syntax printed, no English on a Spanish page.

The walk opens every GET page of tests/access_table.py as every persona allowed to see it, the table's
invalid forms as they come back with their errors, and the login page after a wrong password. Exports,
JSON and files are left out: they are not pages.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.access_table import ROUTES
from tests.world import PERSONAS, build_world

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


def _render_every_page(world):
    """Every HTML page of the table as each persona allowed to open it (and the refused forms)."""
    client = Client()
    for route in ROUTES:
        if route.device:
            continue  # OpenRosa endpoints answer devices in XML (tests/openrosa), not pages
        if route.method == "GET":
            personas = [p for p in PERSONAS if p in route.allowed or (route.public and p == "anonymous")]
        elif route.method == "POST" and route.ok_status == 200:
            personas = [p for p in PERSONAS if p in route.allowed]
        else:
            continue
        for persona in personas:
            client.logout()
            if world.users[persona] is not None:
                client.force_login(world.users[persona])
            url = _url_of(route, world)
            if route.method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, route.data(world) if route.data else {})
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            yield Rendered(f"{route.id} as {persona}", response.content.decode())
    client.logout()
    response = client.post(reverse("login"), {"username": "coordinator", "password": "not-the-password"})
    yield Rendered("login with a wrong password", response.content.decode())


@pytest.fixture(scope="module")
def rendered_pages(django_db_setup, django_db_blocker):
    """The walk, made once for the tests of this file (it opens some 400 pages) and rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        pages = list(_render_every_page(build_world()))
        transaction.set_rollback(True)
    return pages


TEMPLATE_SYNTAX = re.compile(r"\{#|#\}|\{%|%\}")


def test_no_page_prints_template_syntax(rendered_pages):
    printed = {}
    for page in rendered_pages:
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


class _Summary(HTMLParser):
    """The texts of the error summary's items that are not about one field (those have a link to it)."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.items = []
        self._item = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            self.depth += tag not in ("br", "input", "img")
            if tag == "li":
                self._item = []
            elif tag == "a" and self._item is not None:
                self._item = None  # a field's error: shown at the field as well, by design
        elif attrs.get("id") == "form-errors":
            self.depth = 1

    def handle_endtag(self, tag):
        if not self.depth:
            return
        self.depth -= 1
        if tag == "li" and self._item is not None:
            self.items.append("".join(self._item).strip())
            self._item = None

    def handle_data(self, data):
        if self._item is not None:
            self._item.append(data)


def test_a_refused_form_says_each_error_that_is_not_about_one_field_once(rendered_pages):
    repeated = {}
    for page in rendered_pages:
        summary = _Summary()
        summary.feed(page.html)
        for item in summary.items:
            escaped = item.replace("&", "&amp;").replace("'", "&#x27;").replace('"', "&quot;")
            times = max(page.html.count(item), page.html.count(escaped))
            if times != 1:
                repeated.setdefault(page.where, []).append(f"{item!r} shown {times} times")
    assert not repeated, repeated


class _Words(HTMLParser):
    """What a reader meets on a page: its text and the attributes read aloud or shown (not scripts)."""

    SPOKEN = ("aria-label", "title", "placeholder", "alt", "aria-description")

    def __init__(self):
        super().__init__()
        self.texts = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        for name, value in attrs:
            if name in self.SPOKEN and value:
                self.texts.append(value)
            if tag == "input" and name == "value" and dict(attrs).get("type") in ("submit", "button") and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data)


# Words that are English and not Spanish: if one is on a Spanish page, a string escaped translation.
# The brand name ("Cluster Casebook") and the data of the test world are neither.
ENGLISH = re.compile(
    r"\b(none|the|and|with|from|your|this|that|yes|save|cancel|edit|delete|search|filters?|back|next|"
    r"previous|page|submit|approve|choose|select|unknown|show|hide|download|upload|add|new|remove|"
    r"warning|loading|sign in|sign out|password|username|home|report|reports|interviews?|questionnaires?|"
    r"goal|measurement|indicator|activity|budget|planned|executed|running|finished|draft|submitted|"
    r"approved|returned|pending|queued|failed|done|of|to|in|on|at|by|or|is|are|was|were|be|it)\b",
    re.IGNORECASE,
)
ALLOWED = {"Cluster Casebook", "= 'yes'"}  # the brand; a value in an XLSForm example


def english_on(html):
    parser = _Words()
    parser.feed(html)
    found = set()
    for text in parser.texts:
        for allowed in ALLOWED:
            text = text.replace(allowed, "")
        for match in ENGLISH.finditer(text):
            found.add(f"{match.group()!r} in {' '.join(text.split())[:100]!r}")
    return found


def test_a_spanish_page_has_no_english_words(rendered_pages):
    english = {}
    for page in rendered_pages:
        found = english_on(page.html)
        if found:
            english[page.where] = sorted(found)
    assert not english, "\n".join(f"{where}:\n    " + "\n    ".join(found) for where, found in english.items())


def test_the_english_check_finds_english_in_text_and_in_what_is_read_aloud_but_not_in_spanish():
    assert english_on('<p>Guardar</p><button aria-label="Mostrar el menú">≡</button>') == set()
    assert english_on("<p>Cluster Casebook: el registro</p><script>const none = 1;</script>") == set()
    found = english_on('<td>none</td><button aria-label="Show the menu">≡</button><input placeholder="Search">')
    assert {hit.split()[0] for hit in found} == {"'none'", "'Show'", "'the'", "'Search'"}


def test_no_page_asks_for_a_number_in_an_input_the_browser_reads_in_its_own_locale(rendered_pages):
    # Chromium in es-PE read "165,5" typed into an <input type="number"> as 1655: numbers are text inputs
    # with inputmode, read by clusters.numbers.
    number_inputs = {page.where for page in rendered_pages if re.search(r"<input[^>]*type=\"number\"", page.html)}
    assert not number_inputs, sorted(number_inputs)


DECISION = re.compile(r"<(input|select)\b[^>]*\bname=\"decision\"[^>]*>")


def test_no_review_form_makes_the_decision_for_the_reviewer(rendered_pages):
    # A decision is a group of radio buttons, none checked, that must be answered: not a select that opens on
    # "Approve", which one careless press of Enter sends.
    preselected, seen = {}, 0
    for page in rendered_pages:
        for tag in DECISION.finditer(page.html):
            seen += 1
            element = tag.group()
            if (
                tag.group(1) == "select"
                or " checked" in element
                or ('type="radio"' in element and "required" not in element)
            ):
                preselected.setdefault(page.where, []).append(element)
    assert seen, "the walk saw no review form"
    assert not preselected, preselected
