"""Accounts: login throttling, its Spanish lockout page, the admin-visible log of logins and failures."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _try(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_user_name_out_with_a_spanish_page(client, world, settings, caplog):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _try(client, "coordinator", "adivinanza").status_code == 200
    response = _try(client, "coordinator", "adivinanza")
    assert response.status_code == 429
    content = response.content.decode()
    assert "Demasiados intentos fallidos" in content
    assert "15 minutos" in content
    # Even the right password is refused during the cool-off.
    assert _try(client, "coordinator", PASSWORD).status_code == 429
    assert AccessAttempt.objects.filter(username="coordinator").exists()
    assert any("Locking out" in record.getMessage() for record in caplog.records)


def test_a_successful_login_resets_the_failure_count_and_is_logged(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, "manager", "adivinanza")
    response = _try(client, "manager", PASSWORD)
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="manager").exists()
    assert AccessLog.objects.filter(username="manager").exists()
    assert AccessFailureLog.objects.filter(username="manager").count() == settings.AXES_FAILURE_LIMIT - 1


def test_another_user_is_not_locked_out_by_someone_elses_failures(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "coordinator", "adivinanza")
    assert _try(client, "manager", PASSWORD).status_code == 302


def test_administrators_see_the_log_of_logins_and_failures(client_for, world):
    client = client_for(world.users["admin"])
    for name in ("axes_accesslog_changelist", "axes_accessfailurelog_changelist", "axes_accessattempt_changelist"):
        assert client.get(reverse(f"admin:{name}")).status_code == 200


def test_passwords_must_be_strong(client_for, world):
    response = client_for(world.users["manager"]).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "demasiado corta" in content or "demasiado común" in content


def test_sessions_expire_after_inactivity(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


def _try_from(client, username, password, *, address, forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_guessing_across_many_user_names_from_one_address_is_throttled(client, world, settings):
    settings.CASEBOOK_LOGIN_FAILURES_PER_ADDRESS = 12
    for number in range(12):
        assert _try_from(client, f"persona{number}", "adivinanza", address="203.0.113.7").status_code == 200
    # The address is refused now, whatever the name and even with the right password...
    response = _try_from(client, "manager", PASSWORD, address="203.0.113.7")
    assert response.status_code == 429
    assert "Demasiados intentos fallidos" in response.content.decode()
    # ...but only that address.
    assert _try_from(client, "manager", PASSWORD, address="203.0.113.8").status_code == 302


def test_behind_a_trusted_proxy_one_client_cannot_lock_another_out(client, world, settings):
    settings.CASEBOOK_TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = "10.0.0.1"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try_from(client, "coordinator", "adivinanza", address=proxy, forwarded="198.51.100.66")
    assert _try_from(client, "coordinator", PASSWORD, address=proxy, forwarded="198.51.100.66").status_code == 429
    # The coordinator, at another address behind the same proxy (two proxy hops here), signs in.
    response = _try_from(client, "coordinator", PASSWORD, address=proxy, forwarded="198.51.100.20, 10.0.0.2")
    assert response.status_code == 302
    # The failures were counted against the client, not the proxy (the refused attempt is logged too).
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}


def test_a_forged_x_forwarded_for_is_ignored_from_a_client_that_is_not_a_trusted_proxy(client, world, settings):
    settings.CASEBOOK_TRUSTED_PROXIES = ["10.0.0.1"]
    for number in range(settings.AXES_FAILURE_LIMIT):
        _try_from(client, "coordinator", "adivinanza", address="203.0.113.9", forwarded=f"192.0.2.{number}")
    response = _try_from(client, "coordinator", PASSWORD, address="203.0.113.9", forwarded="192.0.2.200")
    assert response.status_code == 429
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    # Through the proxy, an address written by the client to the left of the proxy's own entry is ignored too.
    for number in range(settings.AXES_FAILURE_LIMIT):
        _try_from(client, "manager", "adivinanza", address="10.0.0.1", forwarded=f"192.0.2.{number}, 198.51.100.9")
    assert _try_from(client, "manager", PASSWORD, address="10.0.0.1", forwarded="198.51.100.9").status_code == 429


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "client"),
    [
        ("203.0.113.1", "", [], "203.0.113.1"),
        ("203.0.113.1", "198.51.100.1", [], "203.0.113.1"),  # no trusted proxy: the header is anyone's
        ("10.0.0.1", "198.51.100.1", ["10.0.0.1"], "198.51.100.1"),
        ("10.0.0.1", "6.6.6.6, 198.51.100.1", ["10.0.0.1"], "198.51.100.1"),
        ("10.0.0.1", "198.51.100.1, 10.0.0.2", ["10.0.0.0/24"], "198.51.100.1"),
        ("10.0.0.1", "", ["10.0.0.1"], "10.0.0.1"),
        ("10.0.0.1", "nonsense", ["10.0.0.1"], "10.0.0.1"),
        ("2001:db8::1", "2001:db8:1::5", ["2001:db8::/64"], "2001:db8:1::5"),
    ],
)
def test_the_client_address_is_read_from_x_forwarded_for_only_through_trusted_proxies(
    rf, settings, remote, forwarded, trusted, client
):
    from config.signin import client_address

    settings.CASEBOOK_TRUSTED_PROXIES = trusted
    request = rf.get("/", REMOTE_ADDR=remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}))
    assert client_address(request) == client
