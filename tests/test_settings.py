"""Production settings: `check --deploy` is clean, and missing secrets stop start-up with a clear message."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "DEBUG": "0",
    "SECRET_KEY": "k8Jv2-production-like-secret-key-with-enough-entropy-0123456789abcdefXYZ",
    "ALLOWED_HOSTS": "casebook.example.pe",
    "CASEBOOK_TESTING": "0",
}


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**env, "CASEBOOK_VAR_DIR": "/tmp/casebook-settings-test"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_warning_with_production_environment():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_start_up_fails_clearly_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_start_up_fails_clearly_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ALLOWED_HOSTS"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_unit_suite_runs_on_fast_settings():
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.CELERY_TASK_ALWAYS_EAGER
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_celery_runs_tasks_in_process_without_redis():
    from config.celery import ping

    assert ping.delay().get(timeout=5) == "pong"
