"""Integration suite: the real PostgreSQL, Redis and a Celery worker process.

Run by .ci/run with CASEBOOK_INTEGRATION=1, DATABASE_URL (PostgreSQL) and REDIS_URL set.
The worker is started here, after pytest-django has created the test database,
so that it works on the same database as the tests.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.integration

WORKER_LOG = Path(os.environ.get("CASEBOOK_WORKER_LOG", "/tmp/casebook-ci-worker.log"))


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.integration)
            if not settings.INTEGRATION:
                item.add_marker(pytest.mark.skip(reason="integration suite: run .ci/run (CASEBOOK_INTEGRATION=1)"))


def _database_url(db_settings):
    user = db_settings.get("USER") or "postgres"
    password = db_settings.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    host = db_settings.get("HOST") or "127.0.0.1"
    port = db_settings.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{db_settings['NAME']}"


def worker_environment(db_settings):
    return {
        **os.environ,
        "DATABASE_URL": _database_url(db_settings),
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": "integration-worker-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "0",
        "CASEBOOK_TESTING": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CASEBOOK_VAR_DIR": str(settings.VAR_DIR),
        "PYTHONUNBUFFERED": "1",
    }


class Worker:
    """A `celery -A config worker` process on the test database; restartable (fault tests kill it)."""

    def __init__(self, env):
        self.env = env
        self.process = None

    def start(self):
        log = WORKER_LOG.open("a")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                "casebook-ci@%h",
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        from config.celery import app

        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Celery worker exited early; see {WORKER_LOG}")
            replies = app.control.ping(timeout=1)
            if replies:
                return self
        raise RuntimeError(f"the Celery worker did not answer within 60 s; see {WORKER_LOG}")

    def stop(self, kill=False):
        if self.process and self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock():
        env = worker_environment(connection.settings_dict)
    WORKER_LOG.write_text("")
    worker = Worker(env).start()
    yield worker
    worker.stop()


# --- Reports: a second kind of worker for the fault tests, and a broker that is down ---------------


def child_pids(pid):
    """The process ids whose parent is ``pid`` (a Celery worker's pool processes)."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(entry.name))
    return children


class Workers:
    """Swaps the session's worker for a slow one (and back) inside a test.

    The slow worker's environment sets CASEBOOK_TEST_REPORT_STEP_DELAY, a hook that only this suite sets:
    each progress step of a report pauses, so a build lasts long enough to kill its worker or drop its
    database connection halfway. The report's data stays honest; only the pace changes.
    """

    def __init__(self, session_worker):
        self.session_worker = session_worker
        self.slow_worker = None

    def slow(self, step_delay=0.5, **extra_env):
        self.session_worker.stop()
        env = {**self.session_worker.env, "CASEBOOK_TEST_REPORT_STEP_DELAY": str(step_delay), **extra_env}
        self.slow_worker = Worker(env).start()
        return self.slow_worker

    def normal(self):
        if self.slow_worker is not None:
            self.slow_worker.stop(kill=True)
            self.slow_worker = None
        if self.session_worker.process is None or self.session_worker.process.poll() is not None:
            self.session_worker.start()
        return self.session_worker


def _forget_unacknowledged_messages():
    # A message whose worker was killed waits in Redis for the visibility timeout (an hour); this run's
    # test database is gone by then, so the next run must not receive it.
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete("unacked", "unacked_index", "unacked_mutex")


@pytest.fixture
def workers(celery_worker_process):
    swap = Workers(celery_worker_process)
    yield swap
    swap.normal()
    _forget_unacknowledged_messages()


class BrokerOutage:
    """This process publishes to a closed port, as when Redis is down (the server itself is left alone)."""

    def __init__(self):
        from config.celery import app

        self.app = app
        self.saved = app.conf.broker_write_url
        app.conf.broker_write_url = "redis://127.0.0.1:1/0"
        self._reset_pools()

    def _reset_pools(self):
        # The app keeps its connection pools; without this it would go on publishing to the old URL.
        self.app._pool = None
        self.app.amqp._producer_pool = None

    def end(self):
        self.app.conf.broker_write_url = self.saved
        self._reset_pools()


@pytest.fixture
def broker_down():
    outage = BrokerOutage()
    yield outage
    outage.end()
