"""Collect signs in with HTTP Digest (Basic only over HTTPS), throttled like the login: real headers, live server."""

import pytest
import requests
from axes.models import AccessAttempt
from django.urls import reverse
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from openrosa.models import DigestCredential
from tests.factories import PASSWORD
from tests.openrosa.conftest import basic, fill, received

pytestmark = pytest.mark.django_db(transaction=True)


def _form_list(live_server, auth):
    return requests.get(f"{live_server.url}/openrosa/formList", auth=auth, headers={"X-OpenRosa-Version": "1.0"},
                        timeout=30)  # fmt: skip


def test_collect_s_digest_sign_in_lists_her_forms(live_server, world, questionnaire):
    response = _form_list(live_server, HTTPDigestAuth("researcher_a", PASSWORD))
    assert response.status_code == 200
    assert response.headers["X-OpenRosa-Version"] == "1.0"
    assert questionnaire.questionnaire.name in response.text


def test_the_challenge_offers_digest_and_no_basic_over_plain_http(live_server, world):
    response = _form_list(live_server, None)
    assert response.status_code == 401
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith('Digest realm="Cluster Casebook"') and 'qop="auth"' in challenge
    assert "Basic" not in challenge
    assert _form_list(live_server, HTTPBasicAuth("researcher_a", PASSWORD)).status_code == 401


def test_digest_posts_a_submission(live_server, world, questionnaire):
    xml = fill(questionnaire, world.cluster_a, world.actor_a)
    response = requests.post(
        f"{live_server.url}/openrosa/submission",
        files={"xml_submission_file": ("submission.xml", xml, "text/xml")},
        auth=HTTPDigestAuth("researcher_a", PASSWORD),
        headers={"X-OpenRosa-Version": "1.0"},
        timeout=60,
    )
    assert response.status_code == 201, response.text
    assert received().get().interview.interviewer == world.users["researcher_a"]


def test_wrong_digest_passwords_lock_the_user_name_out_like_the_login(live_server, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert _form_list(live_server, HTTPDigestAuth("researcher_a", "adivinanza")).status_code == 401
    locked = _form_list(live_server, HTTPDigestAuth("researcher_a", PASSWORD))
    assert locked.status_code == 429
    assert locked.headers["X-OpenRosa-Version"] == "1.0"
    assert AccessAttempt.objects.filter(username="researcher_a").exists()


def test_a_changed_password_stops_the_old_one_over_digest(live_server, world):
    user = world.users["researcher_a"]
    user.set_password("otra-clave-larga-2026")
    user.save()
    assert _form_list(live_server, HTTPDigestAuth("researcher_a", PASSWORD)).status_code == 401
    assert _form_list(live_server, HTTPDigestAuth("researcher_a", "otra-clave-larga-2026")).status_code == 200


def test_a_password_set_before_digest_existed_works_after_one_sign_in_on_the_website(live_server, world, client):
    DigestCredential.objects.all().delete()
    assert _form_list(live_server, HTTPDigestAuth("researcher_a", PASSWORD)).status_code == 401
    client.post(reverse("login"), {"username": "researcher_a", "password": PASSWORD})
    assert _form_list(live_server, HTTPDigestAuth("researcher_a", PASSWORD)).status_code == 200


def test_a_replayed_digest_answer_is_refused(live_server, world):
    session = requests.Session()
    first = session.get(
        f"{live_server.url}/openrosa/formList", auth=HTTPDigestAuth("researcher_a", PASSWORD), timeout=30
    )
    assert first.status_code == 200
    captured = first.request.headers["Authorization"]
    replay = requests.get(f"{live_server.url}/openrosa/formList", headers={"Authorization": captured}, timeout=30)
    assert replay.status_code == 401


def test_basic_over_https_works_and_counts_failures(client, world, settings):
    url = reverse("openrosa:form_list")
    assert client.get(url, headers={"Authorization": basic("researcher_a")}, secure=True).status_code == 200
    assert client.get(url, headers={"Authorization": basic("researcher_a", "x")}, secure=True).status_code == 401
    assert AccessAttempt.objects.filter(username="researcher_a").exists()


def test_a_session_cookie_is_not_a_device_sign_in(client, world):
    client.force_login(world.users["researcher_a"])
    assert client.get(reverse("openrosa:form_list")).status_code == 401
