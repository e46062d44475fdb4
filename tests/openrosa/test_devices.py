"""Device tokens: made on her devices page as Collect's QR code, stored hashed, revocable, no wider than her."""

import base64
import json
import re
import zlib

import pytest
from django.urls import reverse

from openrosa.models import DeviceToken, token_digest

pytestmark = pytest.mark.django_db


def _make(client, name="Tableta Samsung"):
    return client.post(reverse("openrosa:device_create"), {"name": name})


def test_a_researcher_gets_a_qr_code_with_collects_settings_and_only_its_hash_is_kept(client_for, world):
    response = _make(client_for(world.users["researcher_a"]))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    page = response.content.decode()
    assert "<svg" in page and "Escanea este código QR" in page
    server_url = re.search(r'data-testid="server-url">([^<]+)<', page).group(1)
    token = server_url.rsplit("/key/", 1)[1]
    device = DeviceToken.objects.get(name="Tableta Samsung")
    assert device.key_digest == token_digest(token)
    assert token not in json.dumps(list(DeviceToken.objects.values()), default=str)


def test_the_qr_payload_is_zlib_compressed_base64_json_that_collect_reads(rf, world):
    from openrosa.views import _collect_settings

    request = rf.get("/", secure=True)
    request.user = world.users["researcher_a"]
    payload, server_url = _collect_settings(request, "abc123")
    settings = json.loads(zlib.decompress(base64.b64decode(payload)))
    assert settings["general"]["server_url"] == server_url == "https://testserver/key/abc123"
    assert settings["project"]["name"].endswith("researcher_a")


def test_her_token_lists_forms_until_she_revokes_it(client_for, world, questionnaire):
    client = client_for(world.users["researcher_a"])
    token = re.search(r"/key/([^<\"]+)", _make(client).content.decode()).group(1)
    url = reverse("openrosa:key_form_list", kwargs={"token": token})
    assert questionnaire.questionnaire.name in client.get(url).content.decode()
    device = DeviceToken.objects.get(key_digest=token_digest(token))
    assert client.post(reverse("openrosa:device_revoke", kwargs={"pk": device.pk})).status_code == 302
    assert client.get(url).status_code == 403


def test_a_token_sees_nothing_once_she_leaves_the_team(client, world, questionnaire, device):
    _row, token = device
    url = reverse("openrosa:key_form_list", kwargs={"token": token})
    assert b"<xform>" in client.get(url).content
    world.cluster_a.team.remove(world.users["researcher_a"])
    assert b"<xform>" not in client.get(url).content
    media = client.get(
        reverse("openrosa:key_media", kwargs={"token": token, "pk": questionnaire.pk, "name": "actors.csv"})
    )
    assert media.status_code == 404


def test_a_deactivated_user_s_token_stops_working(client, world, device):
    _row, token = device
    world.users["researcher_a"].is_active = False
    world.users["researcher_a"].save()
    assert client.get(reverse("openrosa:key_form_list", kwargs={"token": token})).status_code == 403


def test_a_coordinator_revokes_anyone_s_device_and_a_researcher_cannot(client_for, world):
    device = world.device_a
    response = client_for(world.users["researcher_b"]).post(reverse("openrosa:device_revoke", kwargs={"pk": device.pk}))
    assert response.status_code == 403
    page = client_for(world.users["coordinator"]).get(reverse("openrosa:devices")).content.decode()
    assert "Tableta A" in page
    client_for(world.users["coordinator"]).post(reverse("openrosa:device_revoke", kwargs={"pk": device.pk}))
    device.refresh_from_db()
    assert device.revoked_at is not None and device.revoked_by == world.users["coordinator"]


def test_a_manager_has_no_device_page(client_for, world):
    assert client_for(world.users["manager"]).get(reverse("openrosa:devices")).status_code == 403


def test_the_observations_list_shows_the_reason(client_for, world):
    page = client_for(world.users["coordinator"]).get(reverse("openrosa:observations")).content.decode()
    assert "El formulario no trae los datos de la entrevista." in page
    detail = client_for(world.users["coordinator"]).get(
        reverse("openrosa:submission_detail", kwargs={"pk": world.submission_a.pk})
    )
    assert "&lt;data/&gt;" in detail.content.decode()


def test_the_observations_list_costs_the_same_queries_at_two_sizes(client_for, world, django_assert_max_num_queries):
    from openrosa.models import Submission

    client = client_for(world.users["coordinator"])
    client.get(reverse("openrosa:observations"))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("openrosa:observations"))
    Submission.objects.bulk_create(
        [
            Submission(
                instance_id=f"uuid:{n}",
                xml=b"<x/>",
                xml_sha256="0",
                user=world.users["researcher_a"],
                state="observations",
                reason="motivo",
            )
            for n in range(30)
        ]
    )
    with django_assert_max_num_queries(12) as large:
        client.get(reverse("openrosa:observations"))
    assert len(small) == len(large)
