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
