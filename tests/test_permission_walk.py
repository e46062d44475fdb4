"""Walk every URL with every persona and check it against the table in tests/access_table.py."""

import base64

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access_table import EXEMPT_NAMESPACES, ROUTES
from tests.api_access_table import API_ROUTES
from tests.factories import PASSWORD
from tests.world import PERSONAS

pytestmark = pytest.mark.django_db


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            if pattern.namespace in EXEMPT_NAMESPACES:
                continue
            yield from _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_of_the_project_is_in_the_permission_table():
    listed = {route.name for route in ROUTES} | {route.name for route in API_ROUTES}
    missing = sorted(set(_url_names()) - listed)
    assert not missing, f"URLs missing from tests/access_table.py: {missing}"


def _device_token(world, persona):
    """The persona's own device token (made in the persona's savepoint); anonymous: a revoked one."""
    from openrosa.services import device_token_create

    if persona == "anonymous":
        return world.revoked_device_a_token
    return device_token_create(user=world.users[persona], name="Walk")[1]


def _device_request(client, route, world, persona):
    """A device's request: no session, the persona's password (Basic over HTTPS) or device token."""
    kwargs = route.kwargs(world)
    headers = {}
    if route.device == "token":
        kwargs = {**kwargs, "token": _device_token(world, persona)}
    elif persona != "anonymous":
        credentials = base64.b64encode(f"{world.users[persona].username}:{PASSWORD}".encode()).decode()
        headers["Authorization"] = f"Basic {credentials}"
    url = reverse(route.name, kwargs=kwargs) + route.query
    data = route.data(world) if route.data else {}
    call = client.post if route.method == "POST" else client.get
    return call(url, data, headers=headers, secure=True)


def _request(client, route, world):
    url = reverse(route.name, kwargs=route.kwargs(world)) + route.query
    data = route.data(world) if route.data else {}
    if route.method == "GET":
        return client.get(url, data)
    if route.method == "POST":
        return client.post(url, data)
    return client.generic(route.method, url)


def _verdict(route, persona, response):
    login_url = reverse("login")
    allowed = persona in route.allowed or (persona == "anonymous" and route.public)
    status = response.status_code
    location = response.get("Location", "")
    if route.device and response.get("X-OpenRosa-Version") != "1.0":
        return f"{persona} got no X-OpenRosa-Version header"
    if route.device and persona == "anonymous":
        # A device without a password is challenged (401 + WWW-Authenticate); a revoked token is refused.
        expected = 401 if route.device == "password" else 403
        if status == expected and (route.device == "token" or "Digest" in response.get("WWW-Authenticate", "")):
            return None
        return f"anonymous device got {status}, expected {expected}"
    if persona == "anonymous" and not allowed:
        if status == 302 and location.startswith(login_url):
            return None
        return f"anonymous got {status} {location}, expected a redirect to the login page"
    if not allowed:
        if status in (403, 404):
            return None
        return f"{persona} got {status} {location}, expected 403 or 404"
    if status == 302 and location.startswith(login_url) and not route.public:
        return f"{persona} was sent to the login page"
    if route.ok_status is None:
        return None if status in (200, 302, 303) else f"{persona} got {status}, expected 200 or a redirect"
    return None if status == route.ok_status else f"{persona} got {status}, expected {route.ok_status}"


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.id)
def test_route_obeys_the_permission_matrix(route, client, world):
    failures = []
    for persona in PERSONAS:
        user = world.users[persona]
        # Each persona's request runs in a savepoint that is rolled back: no persona sees another's writes.
        with transaction.atomic():
            client.logout()
            if route.device:
                response = _device_request(client, route, world, persona)
            else:
                if user is not None:
                    client.force_login(user)
                response = _request(client, route, world)
            problem = _verdict(route, persona, response)
            if problem:
                failures.append(problem)
            transaction.set_rollback(True)
    assert not failures, f"{route.id}: " + "; ".join(failures)


def test_admin_site_is_for_admins_only(client, world):
    for persona in ("researcher_a", "coordinator", "manager"):
        client.force_login(world.users[persona])
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(world.users["admin"])
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:clusters_cluster_changelist")).status_code == 200
