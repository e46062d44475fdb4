"""Real processes for the fault tests and benchmarks: a private PostgreSQL, gunicorn, an HTTP browser.

A private PostgreSQL cluster (initdb in a temporary folder, run as the postgres user because
PostgreSQL refuses root) can be restarted without disturbing the machine's shared server.
"""

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

# The project's folder, found without Django's settings: bench/run.py starts servers with this module
# before it has chosen the database it measures.
BASE_DIR = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listened on port {port} within {timeout} s")


def _pg_bin():
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return candidates[-1].parent if candidates else None


class PrivatePostgres:
    """A throw-away PostgreSQL cluster on a free port, startable and restartable."""

    def __init__(self):
        self.bin = _pg_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL server binaries are not installed (apt-get install postgresql)")
        # Its own folder under /tmp: the postgres user cannot enter pytest's private temporary folders.
        self.root = Path(tempfile.mkdtemp(prefix="casebook-pg-"))
        self.data = self.root / "pgdata"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0

    def _run(self, *args, check=True):
        command = [str(self.bin / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def init(self):
        self.root.mkdir(parents=True, exist_ok=True)
        self.data.mkdir(exist_ok=True)
        if self._as_postgres:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.data, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust")
        return self

    def start(self):
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.data / "server.log"),
            "-w",
            "-o",
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data}",
            "start",
        )
        return self

    def stop(self):
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def restart(self):
        # -l matters: without it the new server would hold our output pipe open.
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-m",
            "fast",
            "-w",
            "-l",
            str(self.data / "server.log"),
            "-o",
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data}",
            "restart",
        )

    def create_database(self, name):
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-c", f"CREATE DATABASE {name}"],
            check=True,
            capture_output=True,
        )
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


def site_environment(database_url, redis_url="", **extra):
    """The environment of a production-like process (DEBUG off, secrets given, no pytest settings)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "integration-site-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "0",
        "CASEBOOK_TESTING": "0",
        "SECURE_SSL_REDIRECT": "0",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def manage(env, *args):
    """Run ``manage.py`` with a production-like environment; a failure shows its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


class Gunicorn:
    """gunicorn serving the project on a free port with the given environment."""

    def __init__(self, env, workers=2, log_path=None, timeout=60):
        self.env = env
        self.port = free_port()
        self.workers = workers
        self.log_path = log_path
        self.timeout = timeout
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        log = open(self.log_path, "a") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                str(self.timeout),
                "--graceful-timeout",
                "5",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


class _BehindTLSProxy(http.cookiejar.DefaultCookiePolicy):
    """Production cookies are Secure; our requests reach gunicorn as if through the HTTPS proxy."""

    def return_ok_secure(self, cookie, request):
        return True


class Browser:
    """A minimal HTTP client with cookies and Django's CSRF token, talking to gunicorn as the HTTPS proxy would.

    Each request carries X-Forwarded-Proto: https (SECURE_PROXY_SSL_HEADER), as a TLS-terminating proxy sets it.
    """

    def __init__(self, base_url):
        self.base_url = base_url
        self.secure_origin = base_url.replace("http://", "https://", 1)
        self.cookies = http.cookiejar.CookieJar(policy=_BehindTLSProxy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect())

    def request(self, path, data=None, timeout=30):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)
        request.add_header("X-Forwarded-Proto", "https")
        if data is not None:
            request.add_header("Referer", self.secure_origin + path)
            token = self.csrf_token()
            if token:
                request.add_header("X-CSRFToken", token)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def csrf_token(self):
        return next((cookie.value for cookie in self.cookies if cookie.name == "csrftoken"), None)

    def sign_in(self, username, password):
        status, _, body = self.request("/accounts/login/")
        assert status == 200, status
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        status, _headers, _ = self.request(
            "/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": match.group(1).decode()},
        )
        assert status == 302, f"sign-in failed with {status}"
        return self


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
