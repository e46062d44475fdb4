"""Every write of the API, fed hostile input in each of its fields: a problem, never a 500, nothing lost;
and user text that comes back is JSON-escaped, or HTML-escaped in the browsable API."""

import json

import pytest
from django.apps import apps
from django.urls import reverse

from api.models import ApiToken
from tests.api.conftest import make_token
from tests.api_access_table import API_ROUTES
from tests.test_hostile_input import HOSTILE_TEXT

pytestmark = pytest.mark.django_db

HOSTILE_VALUES = [*HOSTILE_TEXT, None, True, -1, 1e308, [], {}, {"$gt": ""}, ["x"] * 3]


def _counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"clusters", "surveys", "instruments", "reports"}
        and not model._meta.model_name.startswith("historical")
    }


WRITES = [route for route in API_ROUTES if route.method == "POST"]


@pytest.mark.parametrize("route", WRITES, ids=lambda route: route.id)
def test_every_api_write_survives_hostile_input(route, world, api):
    persona = next(p for p in ("admin", "coordinator", "researcher_a") if p in route.allowed)
    client = api(make_token(world.users[persona], ApiToken.Scope.READ_WRITE))
    url = reverse(route.name, kwargs=route.kwargs(world))
    good = route.data(world)
    before = _counts()
    failures = []
    for field in list(good):
        for value in HOSTILE_VALUES:
            body = {**good, field: value}
            if field == "uuid":
                body["uuid"] = value
            response = client.post(url, json.dumps(body), content_type="application/json")
            if response.status_code >= 500 or (
                response.status_code >= 400 and response["Content-Type"] != "application/problem+json"
            ):
                failures.append(f"{field}={str(value)[:30]!r}: {response.status_code}")
    # Hostile answers, one by one.
    if "answers" in good:
        for code in good["answers"]:
            for value in HOSTILE_VALUES:
                body = {**good, "answers": {**good["answers"], code: value}}
                response = client.post(url, json.dumps(body), content_type="application/json")
                if response.status_code >= 500:
                    failures.append(f"answers.{code}={str(value)[:30]!r}: {response.status_code}")
    assert not failures, failures
    after = _counts()
    lost = {label: (before[label], after[label]) for label in before if after[label] < before[label]}
    assert not lost, f"records lost after hostile requests: {lost}"


def test_user_text_comes_back_escaped(world, api, client):
    script = "<script>alert('x')</script>"
    token = make_token(world.users["coordinator"])
    created = api(token).post(
        reverse("api:actor-list"), {"name": f"Hilados {script}", "kind": "firm", "notes": script}, format="json"
    )
    assert created.status_code == 201
    assert created.json()["notes"] == script  # JSON keeps the text as it was typed
    client.force_login(world.users["coordinator"])
    page = client.get(reverse("api:actor-detail", kwargs={"pk": created.json()["id"]}), HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert script not in page.content.decode()
    assert "&lt;script&gt;" in page.content.decode()
