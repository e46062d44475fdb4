"""Shared fixtures: the personas of STYLE.md, the small world the permission walk uses, the browser."""

import os
import shutil
from pathlib import Path

import pytest

from tests.world import build_world, make_personas


def _serial_server_class():
    """Django's threaded live server, answering one request at a time (the browser still opens several connections).

    With SQLite's in-memory test database every request thread shares the test's one connection: when the browser
    asked two things at once (ODK Web Forms fetching a form and its media files, ReDoc fetching the schema while
    the page asked for its icon), two threads interleaved that connection's transactions and cursors, and a request
    read nothing where a row existed (a device key refused with 403, a signed-in fetch answered 401: both seen in
    CI). A database file would give each thread its own connection, but code that closes connections on purpose
    (the report task after a failure) would then close the test's own, inside its transaction."""
    import threading

    from django.core.servers.basehttp import ThreadedWSGIServer

    class SerialWSGIServer(ThreadedWSGIServer):
        lock = threading.Lock()

        def set_app(self, application):
            def one_at_a_time(environ, start_response):
                with self.lock:
                    response = application(environ, start_response)
                    try:
                        body = b"".join(response)  # a streamed body reads the database too
                    finally:
                        if hasattr(response, "close"):
                            response.close()
                return [body]

            super().set_app(one_at_a_time)

    return SerialWSGIServer


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server (same address rules), serving one request at a time: see _serial_server_class."""
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    from django.test.testcases import TransactionTestCase

    server_class = _serial_server_class()
    server = LiveServer(addr, start=False)
    server.thread.server_class = server_class
    server.start()
    # A request the server is still answering when the test ends (its page closed mid-request) shares the
    # connection the test's database is flushed on: the flush waits for it.
    flush = TransactionTestCase._fixture_teardown

    def flush_between_requests(self):
        with server_class.lock:
            return flush(self)

    TransactionTestCase._fixture_teardown = flush_between_requests
    yield server
    TransactionTestCase._fixture_teardown = flush
    server.stop()


@pytest.fixture(autouse=True)
def _member_copies_stay_exact(request):
    """After every test that used the database, each membership's copies of its actor's kind and size equal the
    actor's (``Membership.actor_kind``, ``actor_size``: the cluster page and the case study count from them).
    A write anywhere that bypasses the models' copying fails the test that made it."""
    if not (request.node.get_closest_marker("django_db") or "_django_db_helper" in request.fixturenames):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up before this fixture, so torn down after its check
    yield
    from django.db import connection

    from clusters.models import Membership

    if connection.needs_rollback or not connection.is_usable():
        return  # the test left its transaction broken on purpose: nothing can be read in it
    stale = list(
        Membership.objects.stale_actor_copies().values_list(
            "pk", "actor_kind", "actor_size", "actor__kind", "actor__size"
        )
    )
    assert not stale, f"memberships whose copies of their actor's kind and size drifted: {stale}"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what is cached under a row's id (a version's XForm) must not
    outlive the test's rows, since the next test's database hands out the same ids again."""
    from django.core.cache import cache

    from surveys import engine

    cache.clear()
    engine._DATA.clear()
    engine._COMPILED.clear()  # the published versions' compiled form logic, kept in the process by id


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def personas(db):
    """The six personas without the rest of the world (anonymous is None)."""
    return make_personas()


@pytest.fixture
def researcher_a(world):
    return world.users["researcher_a"]


@pytest.fixture
def researcher_b(world):
    return world.users["researcher_b"]


@pytest.fixture
def coordinator(world):
    return world.users["coordinator"]


@pytest.fixture
def manager(world):
    return world.users["manager"]


@pytest.fixture
def admin(world):
    return world.users["admin"]


@pytest.fixture
def client_for(client):
    """client_for(user) signs the test client in as that user (None: signs out)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


# --- Browser tests: Playwright driving Debian's Chromium, never a downloaded browser. ---

CHROMIUM = os.environ.get("CASEBOOK_CHROMIUM", "/usr/bin/chromium")
HAVE_CHROMIUM = Path(CHROMIUM).exists()
# axe-core, the accessibility engine of tests/e2e/test_axe.py, installed from package-lock.json by `make install`.
AXE_CORE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
HAVE_AXE_CORE = AXE_CORE.exists()
# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Our users' browsers ask for Peruvian Spanish.
    return {**browser_context_args, "locale": "es-PE", "timezone_id": "America/Lima"}


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason=f"browser test skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")
    no_axe = pytest.mark.skip(reason=f"axe test skipped: no axe-core at {AXE_CORE} (install npm, then make install)")
    for item in items:
        if "page" in getattr(item, "fixturenames", ()) or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)
            if not HAVE_CHROMIUM:
                item.add_marker(skip)
        if item.get_closest_marker("axe") and not HAVE_AXE_CORE:
            item.add_marker(no_axe)


def require_tool(name, package):
    """Skip the calling test (or fixture) unless a command-line tool is installed; CI installs them all."""
    if shutil.which(name) is None:
        pytest.skip(f"tool test skipped: {name} not found (apt-get install {package})")


def pytest_terminal_summary(terminalreporter):
    skipped = [str(getattr(report, "longrepr", "")) for report in terminalreporter.stats.get("skipped", [])]
    browser_tests = sum("browser test skipped" in reason for reason in skipped)
    tool_tests = sum("tool test skipped" in reason for reason in skipped)
    axe_tests = sum("axe test skipped" in reason for reason in skipped)
    if browser_tests:
        terminalreporter.write_line(
            f"NOTE: {browser_tests} browser tests were SKIPPED because no Chromium was found at {CHROMIUM}.",
            yellow=True,
            bold=True,
        )
    if axe_tests:
        terminalreporter.write_line(
            f"NOTE: {axe_tests} accessibility tests were SKIPPED because axe-core is not installed "
            "(it comes from the npm registry: install npm, then run make install).",
            yellow=True,
            bold=True,
        )
    if tool_tests:
        terminalreporter.write_line(
            f"NOTE: {tool_tests} tests were SKIPPED because poppler-utils/qpdf are not installed "
            "(apt-get install poppler-utils qpdf; .ci/run installs them).",
            yellow=True,
            bold=True,
        )


@pytest.fixture
def signed_in_page(page, live_server):
    """sign_in(user) opens the login page in Chromium and signs in with the factories' password."""
    from tests.factories import PASSWORD

    def sign_in(user, password=PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Nombre de usuario").fill(user.username)
        page.get_by_label("Contraseña").fill(password)
        page.get_by_role("button", name="Ingresar").click()
        page.wait_for_load_state()
        return page

    return sign_in
