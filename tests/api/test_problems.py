"""Every API error is an RFC 9457 problem (application/problem+json) in the request's language."""

import pytest
from django.test import override_settings
from django.urls import reverse

from api.models import ApiToken
from tests.api.conftest import make_token

pytestmark = pytest.mark.django_db


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["type"].startswith(("about:blank", "urn:casebook:problem:"))
    return body


@pytest.mark.parametrize(
    ("language", "title", "detail"),
    [("en", "Not found", "Not found."), ("es", "No encontrado", "No encontrado.")],
)
def test_404_in_the_requests_language(world, api, language, title, detail):
    client = api(make_token(world.users["researcher_a"], ApiToken.Scope.READ), language=language)
    body = _problem(client.get(reverse("api:cluster-detail", kwargs={"slug": "cafe"})), 404)
    assert body["title"] == title
    assert body["detail"] == detail
    assert body["instance"] == "/api/v1/clusters/cafe/"
    _problem(client.get("/api/v1/no-such-thing/"), 404)
    _problem(client.get("/api/v2/clusters/"), 404)


def test_401_without_credentials(db, api):
    body = _problem(api(language="en").get(reverse("api:cluster-list")), 401)
    assert body["type"] == "urn:casebook:problem:not-authenticated"
    assert body["title"] == "Authentication needed"


def test_403_for_what_the_role_does_not_allow(world, api):
    body = _problem(api(make_token(world.users["researcher_a"]), language="es").get(reverse("api:report-list")), 403)
    assert body["title"] == "No permitido"


def test_405_for_a_method_the_endpoint_does_not_have(world, api):
    client = api(make_token(world.users["admin"]), language="en")
    body = _problem(client.put(reverse("api:cluster-detail", kwargs={"slug": "cafe"}), {}), 405)
    assert body["title"] == "Method not allowed"


def test_400_for_a_body_that_is_not_json(world, api):
    client = api(make_token(world.users["admin"]), language="en")
    response = client.post(reverse("api:tie-list"), data="{not json", content_type="application/json")
    _problem(response, 400)
    _problem(client.post(reverse("api:tie-list"), data="<a/>", content_type="application/xml"), 415)


def test_400_lists_every_field_with_its_message(world, api):
    client = api(make_token(world.users["coordinator"]), language="en")
    body = _problem(client.post(reverse("api:tie-list"), {"kind": "loves"}), 400)
    assert body["type"] == "urn:casebook:problem:validation-error"
    assert set(body["errors"]) == {"cluster", "source", "kind", "target"}
    assert body["errors"]["cluster"] == ["This field is required."]


def test_429_when_a_token_asks_too_often(world, api):
    secret = make_token(world.users["manager"], ApiToken.Scope.READ)
    other = make_token(world.users["manager"], ApiToken.Scope.READ)
    with override_settings(CASEBOOK_API_RATE="3/minute"):
        client = api(secret, language="en")
        for _ in range(3):
            assert client.get(reverse("api:me")).status_code == 200
        response = client.get(reverse("api:me"))
        body = _problem(response, 429)
        assert body["type"] == "urn:casebook:problem:rate-limited"
        assert int(response["Retry-After"]) > 0
        # Limits are per token.
        assert api(other).get(reverse("api:me")).status_code == 200


def test_500_is_a_problem_too_and_is_logged(world, api, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("the database said no")

    monkeypatch.setattr("api.views.surveys.typed_answers", broken)
    client = api(make_token(world.users["admin"]), language="en")
    body = _problem(client.get(reverse("api:interview-detail", kwargs={"pk": world.interview_a.pk})), 500)
    assert body["title"] == "Server error"
    assert "the database said no" not in str(body)
    assert any("the database said no" in str(record.exc_info) for record in caplog.records if record.exc_info)


def test_the_browsable_api_shows_problems_as_a_page(world, client):
    client.force_login(world.users["researcher_a"])
    response = client.get(reverse("api:report-list"), HTTP_ACCEPT="text/html")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
