"""Every URL with the HTTP methods no page uses: nothing breaks, nothing changes, nobody gets in.

The permission walk (tests/test_permission_walk.py) checks GET and POST against the matrix. Here each
URL of the table receives PUT, PATCH and DELETE from an anonymous visitor and from signed-in personas:
anonymous visitors are sent to the login page, nobody gets a server error, and no request changes a
single row in the database.
"""

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse

from tests.access_table import ROUTES

pytestmark = pytest.mark.django_db

METHODS = ("PUT", "PATCH", "DELETE")
PERSONAS = ("anonymous", "researcher_b", "coordinator", "admin")


def _urls():
    seen = {}
    for route in ROUTES:
        key = (route.name, route.kwargs.__code__.co_code, route.query, route.note)
        seen.setdefault(key, route)
    return list(seen.values())


def _row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"clusters", "surveys", "instruments", "reports", "auth", "openrosa"}
    }


@pytest.mark.parametrize("route", _urls(), ids=lambda route: f"{route.name} {route.note}".strip())
def test_unused_methods_change_nothing_and_break_nothing(route, client, world):
    kwargs = route.kwargs(world)
    if route.device == "token":
        kwargs = {**kwargs, "token": world.device_a_token}
    url = reverse(route.name, kwargs=kwargs) + route.query
    login = reverse("login")
    before = _row_counts()
    problems = []
    for persona in PERSONAS:
        for method in METHODS:
            with transaction.atomic():
                client.logout()
                if world.users[persona] is not None:
                    client.force_login(world.users[persona])
                response = client.generic(method, url, data=b"name=x", content_type="application/x-www-form-urlencoded")
                status = response.status_code
                if status >= 500:
                    problems.append(f"{persona} {method}: {status}")
                sent_to_login = status == 302 and response["Location"].startswith(login)
                # Device endpoints (OpenRosa) refuse other methods outright; they never send a device to a page.
                refused_device = route.device and status in (401, 403, 405)
                if persona == "anonymous" and not route.public and not sent_to_login and not refused_device:
                    problems.append(f"anonymous {method}: {status}, not sent to the login page")
                # (A route whose refusal depends on its form data, e.g. which cluster, is judged by the walk.)
                refused = persona not in route.allowed and not route.public and route.data is None
                if status < 400 and status != 302 and refused:
                    problems.append(f"{persona} {method}: {status} on a page the matrix refuses them")
                after = _row_counts()
                changed = {label: (before[label], after[label]) for label in before if after[label] != before[label]}
                if changed:
                    problems.append(f"{persona} {method} changed rows: {changed}")
                transaction.set_rollback(True)
    assert not problems, f"{url}: " + "; ".join(problems)
