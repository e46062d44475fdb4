"""Personal API tokens: made and revoked on the site, shown once, stored hashed, scoped by role, and
refused with 401 problem details once revoked or expired."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken, token_digest
from api.services import api_token_create, api_token_revoke
from tests.api.conftest import expired_token, make_token, revoked_token

pytestmark = pytest.mark.django_db


def test_a_token_is_made_on_the_site_shown_once_and_stored_hashed(client, world, api):
    client.force_login(world.users["researcher_a"])
    response = client.post(reverse("tokens:list"), {"name": "Stata en el ministerio", "scope": "read", "days": "90"})
    assert response.status_code == 302
    page = client.get(reverse("tokens:list")).content.decode()
    secret = re.search(r'id="new-token-text"[^>]*value="(cbk_[^"]+)"', page).group(1)
    token = ApiToken.objects.get(name="Stata en el ministerio")
    assert token.digest == token_digest(secret)
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.expires_at.date() == (timezone.now() + datetime.timedelta(days=90)).date()
    # Shown only once.
    assert secret not in client.get(reverse("tokens:list")).content.decode()
    me = api(secret).get(reverse("api:me")).json()
    assert me["username"] == "researcher_a"
    assert me["token"]["scope"] == "read"


def test_a_token_revoked_on_the_site_stops_working_at_once(client, world, api):
    secret = make_token(world.users["researcher_a"])
    assert api(secret).get(reverse("api:cluster-list")).status_code == 200
    client.force_login(world.users["researcher_a"])
    token = ApiToken.objects.get(digest=token_digest(secret))
    assert client.post(reverse("tokens:revoke", kwargs={"pk": token.pk})).status_code == 302
    response = api(secret, language="en").get(reverse("api:cluster-list"))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["type"] == "urn:casebook:problem:token-revoked"
    assert response.json()["detail"] == "This token was revoked."


def test_nobody_revokes_another_persons_token_on_the_site(client, world):
    token = ApiToken.objects.get(digest=token_digest(make_token(world.users["researcher_a"])))
    client.force_login(world.users["researcher_b"])
    assert client.post(reverse("tokens:revoke", kwargs={"pk": token.pk})).status_code == 404
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, revoked_by=world.users["coordinator"])
    api_token_revoke(token=token, revoked_by=world.users["admin"])
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_expired_wrong_and_malformed_tokens_get_401(world, api):
    expired = api(expired_token(world.users["admin"]), language="en").get(reverse("api:me"))
    assert expired.status_code == 401
    assert expired.json()["type"] == "urn:casebook:problem:token-expired"
    secret = make_token(world.users["admin"])
    for wrong in (secret[:-1] + ("A" if secret[-1] != "A" else "B"), "cbk_nothing_here", "abc", secret + " extra"):
        response = api(wrong).get(reverse("api:me"))
        assert response.status_code == 401, wrong
        assert response["Content-Type"] == "application/problem+json"
    assert api(revoked_token(world.users["admin"])).get(reverse("api:me")).status_code == 401


def test_the_token_scheme_works_as_well_as_bearer(world, client):
    secret = make_token(world.users["manager"], ApiToken.Scope.READ)
    response = client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 200
    assert response.json()["username"] == "manager"


def test_a_deactivated_persons_token_stops_working(world, api):
    secret = make_token(world.users["researcher_a"])
    world.users["researcher_a"].is_active = False
    world.users["researcher_a"].save()
    assert api(secret).get(reverse("api:me")).status_code == 401


def test_scopes_follow_the_roles(world, personas):
    assert api_token_create(user=world.users["manager"], name="x", scope="read", days=30)
    with pytest.raises(PermissionDenied):
        api_token_create(user=world.users["manager"], name="x", scope="read_write", days=30)
    for persona in ("researcher_a", "coordinator", "admin"):
        assert api_token_create(user=world.users[persona], name="x", scope="read_write", days=30)


def test_managers_are_offered_read_only_tokens_only(client, world):
    client.force_login(world.users["manager"])
    page = client.get(reverse("tokens:list")).content.decode()
    assert 'value="read"' in page
    assert 'value="read_write"' not in page
    response = client.post(reverse("tokens:list"), {"name": "Power BI", "scope": "read_write", "days": "30"})
    assert response.status_code == 200
    assert not ApiToken.objects.filter(user=world.users["manager"]).exists()


def test_people_without_a_role_make_no_tokens(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("tokens:list")).status_code == 403


def test_a_token_lasts_at_most_a_year(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        api_token_create(user=world.users["admin"], name="x", scope="read", days=366)


def test_a_read_only_token_cannot_write_and_says_why(world, api):
    client = api(make_token(world.users["coordinator"], ApiToken.Scope.READ), language="en")
    response = client.post(reverse("api:tie-list"), {}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "This token is read-only: make a read-write token to change data."


def test_the_browsable_api_needs_the_csrf_token_for_writes(world):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users["coordinator"])
    assert client.get(reverse("api:cluster-list")).status_code == 200
    response = client.post(reverse("api:measurement-list"), {"indicator": world.indicator_a.pk}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_the_command_line_makes_a_token_by_the_same_rules(world, api):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("api_token", "manager", "--name", "Power BI", "--days", "10", stdout=out)
    assert api(out.getvalue().strip()).get(reverse("api:me")).json()["token"]["name"] == "Power BI"
    with pytest.raises(CommandError):
        call_command("api_token", "manager", "--scope", "read_write", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("api_token", "nobody-here", stdout=StringIO())
