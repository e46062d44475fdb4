"""What a signed-in person gets carries personal data (interviews, contacts, attachments, exports): no browser
or proxy may keep a copy. Every page and file of the permission table, opened by a persona allowed to, and the
API with a token, answers ``Cache-Control: private, no-store``."""

import pytest
from django.urls import reverse

from tests.access_table import ROUTES
from tests.api_access_table import API_ROUTES

pytestmark = pytest.mark.django_db

PERSONA_ORDER = ["researcher_a", "coordinator", "manager", "admin", "researcher_b"]


def _no_store(response):
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def test_every_signed_in_page_and_file_says_private_no_store(world, client_for):
    missing = []
    walked = 0
    for route in ROUTES:
        if route.method != "GET" or route.public or route.device:
            continue
        persona = next((p for p in PERSONA_ORDER if p in route.allowed), None)
        if persona is None:
            continue
        url = reverse(route.name, kwargs=route.kwargs(world)) + route.query
        response = client_for(world.users[persona]).get(url)
        walked += 1
        if not _no_store(response):
            missing.append(f"{url} ({response.status_code}): {response.get('Cache-Control')!r}")
    assert walked > 100
    assert missing == []


def test_the_interview_pages_attachments_and_exports_are_among_them(world, client_for):
    client = client_for(world.users["researcher_a"])
    for url in (
        reverse("surveys:interview_edit", kwargs={"pk": world.interview_a.pk}),
        reverse("surveys:interview_detail", kwargs={"pk": world.interview_a.pk}),
        reverse("surveys:attachment_download", kwargs={"pk": world.attachment_a.pk}),
        reverse("surveys:interview_export", kwargs={"fmt": "xlsx", "shape": "wide"}),
        reverse("surveys:interview_export", kwargs={"fmt": "csv", "shape": "long"}),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), (url, response.get("Cache-Control"))


def test_api_answers_with_a_token_say_private_no_store(world, client):
    names = {route.name for route in API_ROUTES if route.method == "GET" and "researcher_a" in route.allowed}
    assert names
    for route in API_ROUTES:
        if route.name not in names or route.method != "GET":
            continue
        url = reverse(route.name, kwargs=route.kwargs(world)) + route.query
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {world.token_a}")
        assert _no_store(response), (url, response.status_code, response.get("Cache-Control"))
        names.discard(route.name)
