"""Walk every API endpoint x method with every persona, by session and by token, against the table in
tests/api_access_table.py: refused personas get 403 or 404 (problem details), anonymous requests and
revoked or expired tokens get 401, read-only tokens never write, and every API route is listed."""

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.models import ApiToken
from tests.access_table import ROUTES
from tests.api.conftest import expired_token, make_token, revoked_token
from tests.api_access_table import API_ROUTES

pytestmark = pytest.mark.django_db

PERSONAS = ("researcher_a", "researcher_b", "coordinator", "manager", "admin")
MODES = ("session", "read-only token", "read-write token")
PROBLEM = "application/problem+json"


def _api_patterns(resolver=None, namespace=""):
    """(url name, methods its view answers) of every named route in the api namespace."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _api_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and namespace.startswith("api:"):
            yield f"{namespace}{pattern.name}", _methods(pattern.callback)


def _methods(callback):
    if hasattr(callback, "actions"):
        methods = set(callback.actions)
    else:
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        methods = {m for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)}
    return {method.upper() for method in methods} - {"HEAD", "OPTIONS"}


def test_every_api_route_and_method_is_in_the_api_table():
    listed = {(route.name, route.method) for route in API_ROUTES}
    pages = {route.name for route in ROUTES}
    missing = sorted(
        f"{method} {name}"
        for name, methods in _api_patterns()
        if name not in pages
        for method in methods
        if (name, method) not in listed
    )
    assert not missing, f"API routes missing from tests/api_access_table.py: {missing}"


def _tokens(world):
    tokens = {}
    for persona in PERSONAS:
        user = world.users[persona]
        tokens[(persona, "read-only token")] = make_token(user, ApiToken.Scope.READ)
        if persona == "manager":
            # Managers may not make read-write tokens; one made behind the service's back must not write either.
            issued = make_token(user, ApiToken.Scope.READ)
            ApiToken.objects.filter(key_id=issued.split("_")[1]).update(scope=ApiToken.Scope.READ_WRITE)
            tokens[(persona, "read-write token")] = issued
        else:
            tokens[(persona, "read-write token")] = make_token(user, ApiToken.Scope.READ_WRITE)
    tokens["revoked"] = revoked_token(world.users["admin"])
    tokens["expired"] = expired_token(world.users["admin"])
    return tokens


def _call(client, route, world):
    url = reverse(route.name, kwargs=route.kwargs(world)) + route.query
    data = route.data(world) if route.data else None
    return client.generic(
        route.method, url, data=None if data is None else _json(data), content_type="application/json"
    )


def _json(data):
    import json

    return json.dumps(data)


def _verdict(route, who, mode, response):
    status = response.status_code
    if status >= 400 and not response["Content-Type"].startswith(PROBLEM):
        return f"{who} ({mode}) got {status} as {response['Content-Type']}, not problem details"
    if who in ("anonymous", "revoked", "expired"):
        return None if status == 401 else f"{who} got {status}, expected 401"
    allowed = who in route.allowed
    if mode == "read-only token" and route.writes:
        return None if status == 403 else f"{who} wrote with a read-only token: {status}"
    if who == "manager" and mode == "read-write token" and route.writes:
        return None if status == 403 else f"manager wrote with a read-write token: {status}"
    if not allowed:
        refusals = {403, 404, 400} if route.data_dependent else {403, 404}
        return None if status in refusals else f"{who} ({mode}) got {status}, expected {sorted(refusals)}"
    if status != route.ok_status:
        return f"{who} ({mode}) got {status}, expected {route.ok_status}: {response.content[:300]!r}"
    return None


@pytest.mark.parametrize("route", API_ROUTES, ids=lambda route: route.id)
def test_api_route_obeys_the_permission_matrix(route, client, world, api):
    tokens = _tokens(world)
    failures = []
    attempts = [("anonymous", "none", None), ("revoked", "token", tokens["revoked"])]
    attempts.append(("expired", "token", tokens["expired"]))
    for persona in PERSONAS:
        for mode in MODES:
            attempts.append((persona, mode, None if mode == "session" else tokens[(persona, mode)]))
    for who, mode, token in attempts:
        # Each request runs in a savepoint that is rolled back: no request sees another's writes.
        with transaction.atomic():
            caller = api(token)
            if mode == "session":
                caller.force_login(world.users[who])
            problem = _verdict(route, who, mode, _call(caller, route, world))
            if problem:
                failures.append(problem)
            transaction.set_rollback(True)
    assert not failures, f"{route.id}: " + "; ".join(failures)


def _api_urls():
    seen = {}
    for route in API_ROUTES:
        seen.setdefault((route.name, route.kwargs.__code__.co_code), route)
    return list(seen.values())


@pytest.mark.parametrize("route", _api_urls(), ids=lambda route: route.name)
def test_methods_an_endpoint_does_not_have_answer_405_and_change_nothing(route, world, api):
    from tests.test_method_walk import _row_counts

    url = reverse(route.name, kwargs=route.kwargs(world))
    declared = {
        r.method
        for r in API_ROUTES
        if (r.name, r.kwargs.__code__.co_code) == (route.name, route.kwargs.__code__.co_code)
    }
    client = api(make_token(world.users["admin"], ApiToken.Scope.READ_WRITE), language="en")
    before = _row_counts()
    problems = []
    for method in {"PUT", "PATCH", "DELETE", "POST"} - declared:
        response = client.generic(method, url, data="{}", content_type="application/json")
        if response.status_code != 405 or response["Content-Type"] != PROBLEM:
            problems.append(f"{method}: {response.status_code} {response['Content-Type']}")
        anonymous = api().generic(method, url, data="{}", content_type="application/json")
        if anonymous.status_code != 401:
            problems.append(f"anonymous {method}: {anonymous.status_code}")
    assert _row_counts() == before
    assert not problems, f"{url}: {problems}"
