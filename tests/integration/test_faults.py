"""Parts failing: the site keeps working, or recovers by itself, when the database restarts or Redis is down."""

import pytest

from tests.integration.servers import Browser, Gunicorn, PrivatePostgres, manage, site_environment

pytestmark = pytest.mark.integration

PASSWORD = "fault-test-password-1"
CLOSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: Redis is "down"


@pytest.fixture(scope="module")
def private_site(tmp_path_factory):
    """gunicorn on its own PostgreSQL cluster (migrated, with a coordinator), Redis unreachable."""
    root = tmp_path_factory.mktemp("fault-site")
    postgres = PrivatePostgres().init().start()
    try:
        database_url = postgres.create_database("casebook_faults")
        env = site_environment(
            database_url, CLOSED_REDIS, MEDIA_ROOT=str(root / "media"), CASEBOOK_VAR_DIR=str(root / "var")
        )
        manage(env, "migrate", "--noinput")
        manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth.models import Group, User;"
            f"u = User.objects.create_user('coordinadora', password='{PASSWORD}');"
            "u.groups.add(Group.objects.get(name='coordinator'))",
        )
        manage(env, "collectstatic", "--noinput", "-v0")
        server = Gunicorn(env, workers=1, log_path=root / "gunicorn.log").start()
        try:
            yield postgres, server, root
        finally:
            server.stop()
    finally:
        postgres.stop()


def test_the_site_recovers_by_itself_after_the_database_restarts(private_site):
    postgres, server, root = private_site
    browser = Browser(server.url).sign_in("coordinadora", PASSWORD)
    assert browser.request("/")[0] == 200
    postgres.restart()
    # The worker's old connection died with the server; the next request must reconnect on its own.
    statuses = [browser.request("/")[0] for _ in range(3)]
    assert statuses == [200, 200, 200], (statuses, (root / "gunicorn.log").read_text()[-2000:])


def test_pages_work_while_redis_is_down(private_site):
    _postgres, server, _root = private_site
    browser = Browser(server.url).sign_in("coordinadora", PASSWORD)
    for path in ("/", "/accounts/password/"):
        status, _, body = browser.request(path)
        assert status == 200, path
        assert b"Cluster Casebook" in body
