"""Schemathesis fuzzes every operation of /api/schema/ with a researcher's and a coordinator's token: no
server error, and every response (status, content type, headers, body) as the schema says.

The schema is the one the site serves (drf-spectacular's generator), and the requests go through
the whole Django stack in-process (WSGI), against the test world's database. It is in the integration
suite (PostgreSQL, Redis; run by .ci/run) because its ~70 cases take minutes, too long for the unit suite.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import ApiToken
from tests.api.conftest import make_token

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Enough examples to reach every field of every operation: about 4 minutes for the ~70 cases on 2 cores.
EXAMPLES = 10


def _served_schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


schema = schemathesis.openapi.from_dict(_served_schema())
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """As Django's test client does: a request must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["researcher_a", "coordinator"])
def bearer(request, world):
    user = world.users[request.param]
    return {"Authorization": f"Bearer {make_token(user, ApiToken.Scope.READ_WRITE)}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
def test_api_matches_its_schema(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
