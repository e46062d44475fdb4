"""The OpenAPI schema at /api/schema/, and Swagger UI and Redoc served from the install (no CDN)."""

import re

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from api.models import ApiToken
from tests.api.conftest import make_token

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3_and_names_every_operation(world, api):
    client = api(make_token(world.users["researcher_a"], ApiToken.Scope.READ))
    response = client.get(reverse("api:schema") + "?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in ("/api/v1/interviews/", "/api/v1/actors/", "/api/v1/reports/{id}/download/", "/api/v1/me/"):
        assert path in paths
    assert set(paths["/api/v1/interviews/"]) >= {"get", "post"}
    assert schema["components"]["securitySchemes"]["personalToken"]["scheme"] == "bearer"
    problem = paths["/api/v1/interviews/"]["post"]["responses"]["400"]["content"]
    assert problem == {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def test_the_served_schema_is_the_one_the_fuzzer_reads(world, api):
    """tests/integration/test_api_schemathesis.py fuzzes the generator's schema: it must be the served one."""
    client = api(make_token(world.users["coordinator"], ApiToken.Scope.READ))
    served = client.get(reverse("api:schema") + "?format=json").json()
    import json

    from drf_spectacular.renderers import OpenApiJsonRenderer

    generated = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    assert served["paths"].keys() == generated["paths"].keys()
    assert served["components"]["schemas"].keys() == generated["components"]["schemas"].keys()


def test_the_schema_needs_a_token_or_a_session(db, api):
    response = api().get(reverse("api:schema"))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_describing_the_api_leaves_the_pages_filters_working(world, api, client):
    """Generating the schema describes the pages' FilterSets; their per-request choices must still work."""
    api(make_token(world.users["admin"], ApiToken.Scope.READ)).get(reverse("api:schema"))
    client.force_login(world.users["admin"])
    page = client.get(reverse("clusters:list") + "?region=21")
    assert page.status_code == 200
    assert "Pelos Finos de Camélidos" in page.content.decode()
    assert "Café del Perú" not in page.content.decode()


@pytest.mark.parametrize("name", ["api:docs", "api:redoc"])
def test_the_documentation_pages_load_only_our_own_files(world, client, name):
    client.force_login(world.users["manager"])
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert addresses
    for address in addresses:
        assert address.startswith("/"), f"{name} loads {address} from elsewhere"
    assert not re.search(r"https?://", html.replace("http://testserver", ""))
    # The site's CSP forbids inline scripts: every script is a file of ours.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", html)
    for address in re.findall(r'<script[^>]*src="([^"]+)"', html):
        script = client.get(address)
        assert script.status_code == 200, address
        body = b"".join(script.streaming_content) if script.streaming else script.content
        assert b"cdn." not in body.lower() or name == "api:redoc", address


def test_the_documentation_pages_ask_anonymous_visitors_to_sign_in(db, client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
