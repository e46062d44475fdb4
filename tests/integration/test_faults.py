"""Parts failing: the site keeps working, or recovers by itself, when the database restarts or Redis is down."""

import pytest

from tests.html_forms import form_data
from tests.integration.servers import Browser, Gunicorn, PrivatePostgres, manage, site_environment

pytestmark = pytest.mark.integration

PASSWORD = "fault-test-password-1"
CLOSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: Redis is "down"


@pytest.fixture(scope="module")
def private_site(tmp_path_factory):
    """gunicorn on its own PostgreSQL cluster (migrated, the demo programme, a coordinator), Redis unreachable."""
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
        manage(env, "load_demo", "--force")
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


def _shell(env, code):
    """What ``code`` prints, run by ``manage.py shell`` in the site's environment."""
    return manage(env, "shell", "--no-imports", "-c", code).stdout.strip()


def test_interview_entry_saves_while_redis_is_down(private_site):
    _postgres, server, _root = private_site
    env = server.env
    version, slug = _shell(
        env,
        "from surveys.models import QuestionnaireVersion as V;"
        "v = V.objects.get(status='published', form_id='entrevista_actores'); print(v.pk, 'pelos-finos-camelidos')",
    ).split()
    before = int(_shell(env, "from surveys.models import Interview; print(Interview.objects.count())"))
    browser = Browser(server.url).sign_in("investigadora", "casebook-demo")
    path = f"/surveys/interviews/new/?version={version}&cluster={slug}"
    status, _, body = browser.request(path)
    assert status == 200
    data = form_data(body.decode(), with_field="uuid")
    data.update({"respondent_name": "Nilda Condori", "date": "2025-11-20", "save": "1"})
    # A draft: no answers yet (the parser would tick every box), no consent.
    data = {name: value for name, value in data.items() if not name.startswith(("q_", "consent"))}
    status, _headers, body = browser.request(path, data)
    assert status == 302, body.decode()[:2000]
    after = int(_shell(env, "from surveys.models import Interview; print(Interview.objects.count())"))
    assert after == before + 1
    assert _shell(
        env, "from surveys.models import Interview; print(Interview.objects.latest('pk').respondent_name)"
    ) == ("Nilda Condori")


def test_a_report_asked_for_while_redis_is_down_is_accepted_and_waits_for_the_queue(private_site):
    _postgres, server, _root = private_site
    browser = Browser(server.url).sign_in("coordinadora", PASSWORD)
    status, _, body = browser.request("/reports/new/")
    assert status == 200
    data = form_data(body.decode(), with_field="cluster")
    data["cluster"] = "cafe-del-peru"
    data.pop("include_submitted", None)
    status, headers, body = browser.request("/reports/new/", data, timeout=20)
    assert status == 302, body.decode()[:3000]
    job_page = headers["Location"]
    status, _, body = browser.request(job_page)
    assert status == 200
    assert "La cola de trabajos no está disponible en este momento." in body.decode()
    latest = "from reports.models import ReportJob; job = ReportJob.objects.latest('pk');"
    assert _shell(server.env, latest + "print(job.status, job.enqueue_failed_at is not None)") == "queued True"


def test_pages_work_while_redis_is_down(private_site):
    _postgres, server, _root = private_site
    browser = Browser(server.url).sign_in("coordinadora", PASSWORD)
    for path in ("/", "/accounts/password/"):
        status, _, body = browser.request(path)
        assert status == 200, path
        assert b"Cluster Casebook" in body
