"""Benchmarks at the scale of a national programme: ratios measured side by side in one run.

    make bench                                   # everything (seeds the databases the first time)
    .venv/bin/python bench/run.py --only pages   # one part: pages, floor, reports, programme, export, submission,
                                                 # openrosa, api, mapping
    .venv/bin/python bench/run.py --reseed       # rebuild both databases

Two PostgreSQL databases are compared: ``casebook_bench`` at the volume of a national programme
(bench/seed_volume.py --scale 1) and ``casebook_bench_small`` at 1% of it. Each is served by gunicorn
with production settings plus a timing header (bench/settings.py); reports are built by a real Celery
worker through Redis. Every line prints a ratio of two figures measured in this run, the figures
themselves, the target and whether it holds. docs/benchmarks.md explains each figure.

Environment: BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432, a role that may create
databases) and BENCH_REDIS (default redis://127.0.0.1:6379/7; that Redis database is flushed).
"""

import argparse
import datetime
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/7")
# BENCH_DB_PREFIX lets two checkouts benchmark on one server without sharing databases.
PREFIX = os.environ.get("BENCH_DB_PREFIX", "casebook_bench")
FULL, SMALL = PREFIX, f"{PREFIX}_small"
VOLUMES = {FULL: (1.0, 100_000), SMALL: (0.01, 1_000)}
VOLUME_LABEL = "100%/1%"  # how the figures name the pair compared
SEED_OPTIONS = ()  # more options for bench/seed_volume.py
SMALL_REDIS_INDEX = 8  # the Redis database of the small volume's servers (their cache; no worker takes their tasks)
CLUSTERS = 50  # at both volumes (bench/seed_volume.py): the pages compared show the same content
PASSWORD = "bench-password-1"
MANAGER, RESEARCHER = "bench-manager", "bench-researcher-2"
PAGE_CLUSTER = "volumen-002"  # a typical cluster (researchers 2 and 3 are on its team)
REPORT_CLUSTERS = {"5000": "volumen-000", "50": "volumen-001"}  # see seed_volume.REPORT_CLUSTERS
CLIENTS = 8
SUBMISSION_MARK = "Envío de prueba de carga"
VAR = Path(tempfile.gettempdir()) / "casebook-bench"
PARTS = ("pages", "floor", "reports", "programme", "export", "submission", "openrosa", "api", "mapping")

RESULTS = []


def report(figure, ratio, target, holds, detail):
    """One line per figure: the ratio, the target, whether it holds, and the absolute figures."""
    verdict = "ok" if holds else "NOT MET"
    line = f"{figure:<44} {ratio:>8} {target:<12} {verdict:<8} {detail}"
    print(line, flush=True)
    RESULTS.append({"figure": figure, "value": ratio, "target": target, "met": holds, "detail": detail})


def log(text):
    print(f"  · {text}", flush=True)


# --- Databases -------------------------------------------------------------------------------------


def site_env(database, redis_index=None):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{PG}/{database}",
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEF",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        DEBUG="0",
        CASEBOOK_VAR_DIR=str(VAR / database),
        STATIC_ROOT=str(VAR / "static"),
        PYTHONUNBUFFERED="1",
        # The API's per-token rate limit would turn the load tests' requests into 429s.
        CASEBOOK_API_RATE="10000000/minute",
    )
    env.pop("CASEBOOK_TESTING", None)
    if redis_index is None:
        env["REDIS_URL"] = REDIS
    else:  # a server whose tasks no benchmark worker should take
        env["REDIS_URL"] = REDIS.rsplit("/", 1)[0] + f"/{redis_index}"
    return env


def use_volumes(prefix, full, small, label, seed_options=(), redis=None, small_redis_index=None):
    """Compare another pair of volumes than make bench's (bench/scale.py): the databases ``prefix`` and
    ``prefix``_small, seeded at ``full`` and ``small``, each (scale, interviews)."""
    global PREFIX, FULL, SMALL, VOLUMES, VOLUME_LABEL, SEED_OPTIONS, REDIS, SMALL_REDIS_INDEX, VAR
    PREFIX, FULL, SMALL = prefix, prefix, f"{prefix}_small"
    VOLUMES = {FULL: full, SMALL: small}
    VOLUME_LABEL, SEED_OPTIONS = label, tuple(seed_options)
    REDIS = redis or REDIS
    SMALL_REDIS_INDEX = SMALL_REDIS_INDEX if small_redis_index is None else small_redis_index
    VAR = Path(tempfile.gettempdir()) / f"{prefix}-bench"


def manage(database, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=site_env(database), check=True)


def ensure_seeded(database, reseed):
    scale, interviews = VOLUMES[database]
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists and not reseed:
            try:
                with psycopg.connect(f"{PG}/{database}") as db:
                    seeded = db.execute(
                        "SELECT (SELECT count(*) FROM surveys_interview WHERE respondent_name <> %s),"
                        " (SELECT count(*) FROM clusters_cluster)",
                        [SUBMISSION_MARK],
                    ).fetchone()
            except psycopg.Error:
                seeded = None
            if seeded == (interviews, CLUSTERS):  # an older seed (5 clusters at 1 %) is made again
                manage(database, "migrate", "--noinput", "-v0")  # the schema of this checkout
                return
        log(f"seeding {database} at scale {scale} (once; --reseed to rebuild)")
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    started = time.monotonic()
    manage(database, "migrate", "--noinput", "-v0")
    subprocess.run(
        [sys.executable, "bench/seed_volume.py", "--scale", str(scale), *SEED_OPTIONS],
        cwd=ROOT,
        env=site_env(database),
        check=True,
    )
    # The seed leaves gigabytes of changed pages that PostgreSQL's checkpointer would otherwise write out over
    # the next minutes, under the first figures: written now, so that every figure meets a settled database.
    with psycopg.connect(f"{PG}/{database}", autocommit=True) as conn:
        conn.execute("CHECKPOINT")
    took = time.monotonic() - started
    log(f"{database} seeded in {took:.0f} s")
    return took


# --- Processes -------------------------------------------------------------------------------------


def peak_rss_mb(pid):
    """The peak resident memory of a process so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def children(pid):
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


class Server:
    """gunicorn serving one database (tests/integration/servers.Gunicorn), once it answers /health/."""

    def __init__(self, database, workers, redis_index=None):
        from tests.integration.servers import Gunicorn  # ROOT is on sys.path once the script runs

        VAR.mkdir(parents=True, exist_ok=True)
        self.workers = workers
        # A long timeout: the export of 100,000 interviews is one request.
        self.gunicorn = Gunicorn(
            site_env(database, redis_index), workers=workers, log_path=VAR / f"gunicorn-{database}.log", timeout=900
        )
        self.port = self.gunicorn.port

    def __enter__(self):
        try:
            self.gunicorn.start()
        except TimeoutError:
            self.gunicorn.stop()
            raise
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if Client(self.port).request("GET", "/health/")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.gunicorn.stop()
        raise RuntimeError(f"gunicorn on port {self.port} did not start (see {self.gunicorn.log_path})")

    def __exit__(self, *exc):
        self.gunicorn.stop()

    def worker_pids(self):
        return children(self.gunicorn.process.pid)


class Worker:
    """A Celery worker (one process, solo pool) building reports from one database (the full one by default)."""

    def __init__(self, database=FULL, redis_index=None):
        self.database = database
        self.redis_index = redis_index

    def __enter__(self):
        VAR.mkdir(parents=True, exist_ok=True)
        self.log = open(VAR / f"worker-{self.database}.log", "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-l", "warning"],
            cwd=ROOT,
            env=site_env(self.database, self.redis_index),
            start_new_session=True,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        return self

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log.close()


# --- HTTP ------------------------------------------------------------------------------------------


class Client:
    """A browser enough for the benchmarks: cookies, CSRF tokens, form posts. One connection per request."""

    def __init__(self, port, cookies=None, headers=None):
        self.port = port
        self.cookies = dict(cookies or {})
        self.headers = dict(headers or {})  # e.g. an API token's Authorization header

    def request(self, method, path, data=None, sink=None, json_body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=900)
        headers = {"Host": "127.0.0.1", **self.headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if json_body is not None:
            body = json.dumps(json_body)
            headers["Content-Type"] = "application/json"
        elif data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _sep, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        if sink is None:
            content = response.read()
        else:
            while chunk := response.read(1 << 16):
                sink(chunk)
            content = b""
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, content

    def token(self, path):
        status, _headers, content = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1).decode()

    def login(self, username):
        token = self.token("/accounts/login/")
        status, _headers, _content = self.request(
            "POST", "/accounts/login/", {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        )
        if status != 302:
            raise RuntimeError(f"could not sign in as {username}: {status}")
        return self


def server_time(client, path):
    status, headers, _content = client.request("GET", path)
    if status != 200:
        raise RuntimeError(f"GET {path} on port {client.port}: {status}")
    return float(headers["x-bench-ms"]), int(headers["x-bench-queries"])


def side_by_side(clients, path, repeat, warmup, volumes=None):
    """``path`` requested ``warmup`` times on each volume (to warm every worker's caches, and the database's),
    then ``repeat`` times alternating between the two. ``volumes`` names the full and the small database
    (``clients`` and ``warmup`` are keyed by them; make bench's two by default, bench/mapping.py passes its own).
    Returns the median server milliseconds of each volume and the sets of query counts each one showed."""
    full, small = volumes or (FULL, SMALL)
    times = {full: [], small: []}
    queries = {full: set(), small: set()}
    for db in (full, small):
        for _ in range(warmup[db]):
            server_time(clients[db], path)
    for _ in range(repeat):
        for db in (full, small):
            ms, count = server_time(clients[db], path)
            times[db].append(ms)
            queries[db].add(count)
    return statistics.median(times[full]), statistics.median(times[small]), queries


def _hammer(job):
    """One client process: requests for ``seconds`` seconds; returns how many succeeded and failed."""
    port, cookies, seconds, kind, payload, headers = job
    client = Client(port, cookies, headers)
    done = failed = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if kind == "get":
            status = client.request("GET", payload)[0]
            ok = status == 200
        elif kind == "device":
            path, template = payload
            status = device_post(port, path, template.replace(b"__INSTANCE__", str(uuid.uuid4()).encode()))[0]
            ok = status == 201
        else:
            data = dict(payload, uuid=str(uuid.uuid4()), form_token=str(uuid.uuid4()))
            status = client.request("POST", "/surveys/interviews/new/", data)[0]
            ok = status == 302
        done += ok
        failed += not ok
    return done, failed


def throughput(port, cookies, seconds, kind, payload, headers=None):
    with ProcessPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(_hammer, [(port, cookies, seconds, kind, payload, headers)] * CLIENTS))
    done, failed = sum(r[0] for r in results), sum(r[1] for r in results)
    if failed:
        what = payload if kind == "get" else "submissions"
        raise RuntimeError(f"{failed} of {done + failed} requests failed under load ({what})")
    return done / seconds


# --- The figures -----------------------------------------------------------------------------------


PAGES = {
    "interview list": "/surveys/interviews/",
    "cluster page": f"/clusters/{PAGE_CLUSTER}/",
    "portfolio page": "/instruments/",
    "findings page": f"/surveys/findings/{PAGE_CLUSTER}/",
    # The seed's interviews are dated 2024-2025: the year 2025 has some in every month at both volumes.
    "dashboard": "/dashboard/?period=2025",
}
# Pages whose visible content must have the same shape at both volumes (rows, marks, chart series), so that
# the ratio compares the same page: counted in the HTML of one response from each database.
# The portfolio: its rows and the gap matrix's columns (one per cluster), 25 x 50 at both volumes.
SAME_SHAPE = {
    "interview list": ("<tr",),
    "cluster page": ("<tr", "<li"),
    "portfolio page": ("<tr", '<th scope="col"'),
    "dashboard": ("<tr", 'class="map-mark"', 'class="legend-swatch series-', 'class="map-area"'),
}


def bench_pages(servers, repeat):
    clients = {db: Client(server.port).login(MANAGER) for db, server in servers.items()}
    for name, path in PAGES.items():
        warmup = {db: 3 * server.workers for db, server in servers.items()}
        full, small, queries = side_by_side(clients, path, repeat, warmup)
        ratio = full / small
        # A page that caches (findings) shows two counts, first view and later ones: the same two at both volumes.
        same = queries[FULL] == queries[SMALL]
        shape, same_shape = "", True
        if name in SAME_SHAPE:
            shapes = {db: page_shape(clients[db], path, SAME_SHAPE[name]) for db in (FULL, SMALL)}
            same_shape = shapes[FULL] == shapes[SMALL]
            shape = f"; shown {shapes[FULL]} vs {shapes[SMALL]}{'' if same_shape else ' DIFFER'}"
        report(
            f"flat pages: {name} {VOLUME_LABEL}",
            f"{ratio:.2f}",
            "<= 1.3",
            ratio <= 1.3 and same and same_shape and max(queries[FULL]) <= MAX_PAGE_QUERIES,
            f"{full:.1f} ms vs {small:.1f} ms (medians of {repeat}); "
            f"queries {sorted(queries[FULL])} vs {sorted(queries[SMALL])}{'' if same else ' DIFFER'}{shape}",
        )


MAX_PAGE_QUERIES = 20


def page_shape(client, path, markers):
    """How many times each marker occurs in the page: what it shows, counted (rows, marks, series)."""
    status, _headers, content = client.request("GET", path)
    if status != 200:
        raise RuntimeError(f"GET {path}: {status}")
    html = content.decode()
    return tuple(html.count(marker) for marker in markers)


def _touch_an_interview(database, slug):
    """A researcher's correction of one of the cluster's approved interviews, as a save through the site leaves it:
    one answer changed and the interview's stamp bumped (every save bumps ``updated_at`` and ``lock_version``).
    The answer is, in turn, a number (its first decimal answer, else its first integer one, one more than it
    was: a decimal question has as many distinct values as answers, the costliest median to add up again) and
    a text (its first text answer, ending in "(corrección N)" with N the save's number): never a value it held
    before, so no figure cached for an earlier content can stand in for the new one."""
    with psycopg.connect(f"{PG}/{database}", autocommit=True) as conn, conn.transaction():
        interview, saves = conn.execute(
            "UPDATE surveys_interview SET updated_at = now(), lock_version = lock_version + 1 "
            "WHERE id = (SELECT i.id FROM surveys_interview i JOIN clusters_cluster c ON c.id = i.cluster_id "
            "WHERE c.slug = %s AND i.status = 'approved' ORDER BY i.id LIMIT 1) RETURNING id, lock_version",
            [slug],
        ).fetchone()
        first_answer = (
            "(SELECT a.id FROM surveys_answer a JOIN surveys_question q ON q.id = a.question_id "
            "WHERE a.interview_id = %s AND {} ORDER BY q.type = 'decimal' DESC, q.id LIMIT 1)"
        )
        if saves % 2:
            changed = conn.execute(
                "UPDATE surveys_answer SET number_value = number_value + 1 WHERE id = "
                + first_answer.format("q.type IN ('integer', 'decimal') AND a.number_value IS NOT NULL"),
                [interview],
            ).rowcount
        else:
            changed = conn.execute(
                "UPDATE surveys_answer SET text_value = regexp_replace(text_value, ' \\(corrección \\d+\\)$', '')"
                " || ' (corrección ' || %s || ')' WHERE id = "
                + first_answer.format("q.type IN ('text', 'long_text') AND a.text_value <> ''"),
                [saves, interview],
            ).rowcount
        if changed != 1:
            raise RuntimeError(f"no answer of interview {interview} in {database} to correct")


FINDINGS_TABLES = ("surveys_findingsbucket", "surveys_findingstally", "surveys_findingsdigest")


def vacuum_findings(database):
    """VACUUM ANALYZE the findings' tables: each edit replaces a month's tallies, and a PostgreSQL without
    autovacuum (this machine's and CI's run with it off) would otherwise carry every earlier run's dead rows
    into the next one's timings (548,682 dead tally rows against 142,178 live were seen after a day of runs)."""
    with psycopg.connect(f"{PG}/{database}", autocommit=True) as conn:
        for table in FINDINGS_TABLES:
            conn.execute(f"VACUUM ANALYZE {table}")


def bench_findings_uncached(servers, repeat):
    """The findings page on its first view after an interview changed (the changed interview's bucket is computed
    again and the buckets added up: surveys.tallies)."""
    clients = {db: Client(server.port).login(MANAGER) for db, server in servers.items()}
    path = PAGES["findings page"]
    for db in servers:
        vacuum_findings(db)
    times = {FULL: [], SMALL: []}
    for _ in range(repeat):
        for db in (FULL, SMALL):
            _touch_an_interview(db, PAGE_CLUSTER)
            times[db].append(server_time(clients[db], path)[0])
    full, small = statistics.median(times[FULL]), statistics.median(times[SMALL])
    report(
        "findings page, first view after an edit",
        f"{full / small:.2f}",
        "(figure)",
        True,
        f"{full:.1f} ms vs {small:.1f} ms (medians of {repeat}): the changed interview's bucket is computed again",
    )


def bench_floor(server, seconds):
    client = Client(server.port).login(MANAGER)
    list_path = PAGES["interview list"]
    server_time(client, "/bench/floor/")
    server_time(client, list_path)
    rates = {"floor": [], "list": []}
    # Alternating in four short rounds rather than two long ones (the same time in all), so that a
    # noisy moment of the machine weighs on both sides: the ratio varies less from run to run.
    rounds, each = 4, seconds / 2
    for _round in range(rounds):
        rates["floor"].append(throughput(server.port, client.cookies, each, "get", "/bench/floor/"))
        rates["list"].append(throughput(server.port, client.cookies, each, "get", list_path))
    floor, listing = statistics.mean(rates["floor"]), statistics.mean(rates["list"])
    ratio = listing / floor
    report(
        "page cost: interview list rps / floor rps",
        f"{ratio:.2f}",
        ">= 0.5",
        ratio >= 0.5,
        f"{listing:.1f} vs {floor:.1f} requests/s, {CLIENTS} clients, {server.workers} gunicorn workers, "
        f"{rounds} x {each:g} s each, alternating",
    )


def _request_report(client, slug):
    token = client.token("/reports/new/")
    status, headers, _content = client.request(
        "POST",
        "/reports/new/",
        {"csrfmiddlewaretoken": token, "cluster": slug, "language": "es", "include_submitted": "on"},
    )
    if status != 302:
        raise RuntimeError(f"report request for {slug}: {status}")
    return int(re.search(r"/reports/(\d+)/", headers["location"]).group(1))


def _wait_for_report(pk, timeout=600):
    from reports.models import ReportJob

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = ReportJob.objects.get(pk=pk)
        if job.status == ReportJob.Status.DONE:
            return (job.finished_at - job.started_at).total_seconds(), job.page_count
        if job.status == ReportJob.Status.FAILED:
            raise RuntimeError(f"report {pk} failed: {job.error}")
        time.sleep(0.2)
    raise RuntimeError(f"report {pk} did not finish in {timeout} s")


def bench_reports(server):
    from surveys.models import Interview

    client = Client(server.port).login(MANAGER)
    sizes = {size: Interview.objects.filter(cluster__slug=slug).count() for size, slug in REPORT_CLUSTERS.items()}
    with Worker() as worker:
        times = {"50": [], "5000": []}
        pages = {}
        for _round in range(2):
            for size in ("50", "5000"):
                _touch_an_interview(FULL, REPORT_CLUSTERS[size])  # so that no cached findings help
                seconds, pages[size] = _wait_for_report(_request_report(client, REPORT_CLUSTERS[size]))
                times[size].append(seconds)
        peak = peak_rss_mb(worker.process.pid)
    big, small = min(times["5000"]), min(times["50"])
    ratio = big / small
    report(
        "report: 5,000 interviews / 50 interviews",
        f"{ratio:.2f}",
        "<= 2",
        ratio <= 2,
        f"{big:.2f} s ({pages['5000']} pages, {sizes['5000']} interviews) vs {small:.2f} s "
        f"({pages['50']} pages, {sizes['50']} interviews); best of 2, worker time",
    )
    report("report: worker peak memory", f"{peak:.0f} MB", "< 300 MB", peak < 300, "VmHWM of the solo-pool worker")


def _request_programme(client):
    token = client.token("/reports/programme/new/")
    status, headers, _content = client.request(
        "POST", "/reports/programme/new/", {"csrfmiddlewaretoken": token, "language": "es"}
    )
    if status != 302:
        raise RuntimeError(f"programme report request: {status}")
    return int(re.search(r"/reports/(\d+)/", headers["location"]).group(1))


def _wait_for_job(database, pk, timeout=900):
    """(worker seconds, pages) of a finished job, read straight from ``database`` (any of the two)."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(f"{PG}/{database}", autocommit=True) as conn:
        while time.monotonic() < deadline:
            status, started, finished, pages, error = conn.execute(
                "SELECT status, started_at, finished_at, page_count, error FROM reports_reportjob WHERE id = %s", [pk]
            ).fetchone()
            if status == "done":
                return (finished - started).total_seconds(), pages
            if status == "failed":
                raise RuntimeError(f"job {pk} in {database} failed: {error}")
            time.sleep(0.2)
    raise RuntimeError(f"job {pk} in {database} did not finish in {timeout} s")


def bench_programme():
    """The programme report of the full volume (50 clusters) against the small one (5), each built by a worker
    of its own database, best of two; and the peak memory of the worker that built the big one."""
    seconds, pages, clusters, peaks = {}, {}, {}, {}
    for database, redis_index in ((SMALL, 8), (FULL, None)):
        with psycopg.connect(f"{PG}/{database}") as conn:
            clusters[database] = conn.execute("SELECT count(*) FROM clusters_cluster").fetchone()[0]
        with Server(database, workers=1, redis_index=redis_index) as server, Worker(database, redis_index) as worker:
            client = Client(server.port).login(MANAGER)
            runs = [_wait_for_job(database, _request_programme(client)) for _round in range(2)]
            seconds[database] = min(run[0] for run in runs)
            pages[database] = runs[-1][1]
            peaks[database] = peak_rss_mb(worker.process.pid)
    ratio = seconds[FULL] / seconds[SMALL]
    report(
        "programme report: 50 clusters / 5 clusters",
        f"{ratio:.2f}",
        "<= 5",
        ratio <= 5,
        f"{seconds[FULL]:.2f} s ({pages[FULL]} pages, {clusters[FULL]} clusters) vs {seconds[SMALL]:.2f} s "
        f"({pages[SMALL]} pages, {clusters[SMALL]} clusters); best of 2, worker time",
    )
    peak = max(peaks.values())
    report(
        "programme report: worker peak memory",
        f"{peak:.0f} MB",
        "< 300 MB",
        peak < 300,
        f"VmHWM of the solo-pool workers ({peaks[FULL]:.0f} MB full, {peaks[SMALL]:.0f} MB small)",
    )


COPY_ANSWERS = """
    COPY (
        SELECT a.interview_id, a.question_id, a.text_value, a.number_value, a.date_value, a.bool_value,
               ac.choice_id
        FROM surveys_answer a LEFT JOIN surveys_answerchoice ac ON ac.answer_id = a.id
    ) TO STDOUT
"""


def _copy_seconds():
    """(seconds, rows) of PostgreSQL's COPY of the answers, read as fast as a client reads it: libpq's rows taken
    one by one, as psql takes them. Read through psycopg's Copy object instead, the Python it runs for each of the
    4.5 million rows made the floor itself slower than the database: 10.6 s against 4.9 s this way and 4.4 s by
    psql on 2026-12-07, which flattered the export's ratio (0.66 instead of 0.30)."""
    with psycopg.connect(f"{PG}/{FULL}") as conn:
        pgconn = conn.pgconn
        started = time.perf_counter()
        pgconn.send_query(COPY_ANSWERS.encode())
        if pgconn.get_result().status != psycopg.pq.ExecStatus.COPY_OUT:
            raise RuntimeError(f"COPY: {pgconn.error_message.decode()}")
        rows = 0
        while pgconn.get_copy_data(0)[0] >= 0:
            rows += 1
        statuses = []
        while (result := pgconn.get_result()) is not None:
            statuses.append(result.status)
        if statuses != [psycopg.pq.ExecStatus.COMMAND_OK]:
            raise RuntimeError(f"COPY: {pgconn.error_message.decode()}")
        return time.perf_counter() - started, rows


def _export(query):
    """(seconds, interview rows, peak MB of the gunicorn worker) of the wide CSV export, in a fresh server."""
    with Server(FULL, workers=1) as server:
        client = Client(server.port).login(MANAGER)
        server_time(client, "/surveys/interviews/")  # the worker has loaded what a page needs
        lines = 0

        def count(chunk):
            nonlocal lines
            lines += chunk.count(b"\n")

        started = time.perf_counter()
        status = client.request("GET", f"/surveys/interviews/export/csv/wide/?{query}", sink=count)[0]
        seconds = time.perf_counter() - started
        if status != 200:
            raise RuntimeError(f"export: {status}")
        (pid,) = server.worker_pids()
        return seconds, lines - 1, peak_rss_mb(pid)


def bench_export():
    ten_thousand = "date_from=2024-01-01&date_to=2024-03-10"  # 70 of the seed's 700 days
    _seconds, rows_10k, peak_10k = _export(ten_thousand)
    # COPY before and after the export, so that a noisy moment of the machine weighs on both sides.
    copy_before, copy_rows = _copy_seconds()
    seconds_100k, rows_100k, peak_100k = _export("")
    copy_after, _rows = _copy_seconds()
    copy_seconds = (copy_before + copy_after) / 2
    ratio = copy_seconds / seconds_100k  # = (interviews/s of the export) / (interviews/s of COPY)
    report(
        "export: wide CSV interviews/s / COPY's",
        f"{ratio:.2f}",
        ">= 0.5",
        ratio >= 0.5,
        f"{rows_100k} interviews in {seconds_100k:.1f} s ({rows_100k / seconds_100k:,.0f}/s) vs COPY of their "
        f"{copy_rows:,} answer rows in {copy_seconds:.1f} s ({rows_100k / copy_seconds:,.0f} interviews/s; "
        f"mean of {copy_before:.1f} s before and {copy_after:.1f} s after)",
    )
    growth = peak_100k / peak_10k
    report(
        "export: peak memory 100,000 / 10,000",
        f"{growth:.2f}",
        "<= 1.2",
        growth <= 1.2,
        f"{peak_100k:.0f} MB vs {peak_10k:.0f} MB ({rows_10k} interviews; VmHWM of the gunicorn worker)",
    )


def _submission(version, cluster, token):
    """What the interview form posts to submit an interview that answers every question."""
    from surveys.models import Question

    data = {
        "csrfmiddlewaretoken": token,
        "version": version.pk,
        "cluster": cluster.slug,
        "actor": cluster.memberships.order_by("pk").values_list("actor_id", flat=True).first(),
        "date": "2025-06-10",
        "mode": "in_person",
        "place": "Juliaca",
        "duration": "45",
        "respondent_name": SUBMISSION_MARK,
        "consent_given": "on",
        "submit": "1",
    }
    values = {
        Question.Type.SINGLE_CHOICE: "o1",
        Question.Type.MULTIPLE_CHOICE: ["o0", "o2"],
        Question.Type.SCALE: "4",
        Question.Type.INTEGER: "12",
        Question.Type.DECIMAL: "30.5",
        Question.Type.YES_NO: "yes",
        Question.Type.TEXT: "Respuesta breve",
        Question.Type.LONG_TEXT: "Una respuesta más larga, con acentos: capacitación y asociatividad.",
    }
    for code, qtype in version.questions.values_list("code", "type"):
        data[f"q_{code}"] = values[qtype]
    return data


def _service_queries(version, cluster, token):
    """Queries of one submission (InterviewForm.save, the service call the form view makes)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.http import QueryDict

    from surveys import engine, selectors
    from surveys.forms import InterviewForm
    from surveys.languages import form_language
    from surveys.views.interviews import _cluster_actors

    # As the form view builds it (surveys.views.interviews._interview_form_page).
    questions = selectors.form_questions(version, form_language(version, ""))
    structure = engine.Structure.of(questions)
    data = QueryDict(mutable=True)
    posted = dict(_submission(version, cluster, token), uuid=str(uuid.uuid4()), form_token=str(uuid.uuid4()))
    for key, value in posted.items():
        data.setlist(key, [str(v) for v in value] if isinstance(value, list) else [str(value)])
    form = InterviewForm(data, structure=structure, cluster_actors=_cluster_actors(cluster), interview=None)
    if not form.is_valid():
        raise RuntimeError(f"the bench's submission does not validate: {form.errors.as_json()}")
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    researcher = get_user_model().objects.get(username=RESEARCHER)
    with connection.execute_wrapper(counter):
        saved = form.save(user=researcher, version=version, cluster=cluster, submit=True)
    if not saved.submitted:
        raise RuntimeError(f"the bench's submission was kept as a draft: {saved.problems}")
    return count


def bench_submission(server, seconds):
    from bench.seed_volume import ensure_wide_questionnaire
    from clusters.models import Cluster
    from surveys.models import QuestionnaireVersion

    cluster = Cluster.objects.get(slug=PAGE_CLUSTER)
    versions = {
        40: QuestionnaireVersion.objects.get(form_id="volumen"),
        250: ensure_wide_questionnaire(),
    }
    client = Client(server.port).login(RESEARCHER)
    token = client.token(f"/surveys/interviews/new/?version={versions[40].pk}&cluster={cluster.slug}")
    queries = {}
    for size, version in versions.items():
        posts = []
        for _ in range(3):
            data = dict(_submission(version, cluster, token), uuid=str(uuid.uuid4()), form_token=str(uuid.uuid4()))
            status, headers, _content = client.request("POST", "/surveys/interviews/new/", data)
            if status != 302 or "/edit/" in headers.get("location", ""):
                raise RuntimeError(f"the {size}-answer submission was not accepted ({status})")
            posts.append(int(headers["x-bench-queries"]))
        queries[size] = posts[-1]
    service = {size: _service_queries(version, cluster, token) for size, version in versions.items()}
    report(
        "submission: queries 250 answers / 40",
        f"{service[250]}/{service[40]}",
        "same, <= 15",
        service[40] == service[250] and service[40] <= 15,
        "the submission itself (InterviewForm.save: surveys.services.interview_save)",
    )
    report(
        "submission: whole request's queries 250 / 40",
        f"{queries[250]}/{queries[40]}",
        "(figure)",
        queries[40] == queries[250],
        "plus session, user, permissions, the form's cluster, version, questions and actors",
    )
    rate = throughput(server.port, client.cookies, seconds, "post", _submission(versions[40], cluster, token))
    report(
        "submission: submissions/s (40 answers)",
        f"{rate:.1f}",
        "(figure)",
        True,
        f"{CLIENTS} clients, {server.workers} gunicorn workers, {seconds} s",
    )


# --- OpenRosa (field devices) ------------------------------------------------------------------------

DEVICE_BOUNDARY = "casebook-bench-boundary"


def device_post(port, path, xml, files=()):
    """POST a submission as ODK Collect does: multipart, xml_submission_file first, then each file.
    ``files`` are (name, path on disk): streamed from disk, never read whole into this process."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    head = (
        (
            f'--{DEVICE_BOUNDARY}\r\nContent-Disposition: form-data; name="xml_submission_file"; '
            f'filename="submission.xml"\r\nContent-Type: text/xml\r\n\r\n'
        ).encode()
        + xml
        + b"\r\n"
    )
    parts = [head]
    sizes = len(head)
    for name, file_path in files:
        part = (
            f'--{DEVICE_BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        parts.append((part, file_path))
        sizes += len(part) + Path(file_path).stat().st_size + 2
    tail = f"--{DEVICE_BOUNDARY}--\r\n".encode()
    sizes += len(tail)
    connection.putrequest("POST", path, skip_host=True)  # the Host header once (gunicorn refuses two)
    connection.putheader("Host", "127.0.0.1")
    connection.putheader("X-OpenRosa-Version", "1.0")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={DEVICE_BOUNDARY}")
    connection.putheader("Content-Length", str(sizes))
    connection.endheaders()
    connection.send(head)
    for part, file_path in parts[1:]:
        connection.send(part)
        with open(file_path, "rb") as handle:
            while chunk := handle.read(1 << 16):
                connection.send(chunk)
        connection.send(b"\r\n")
    connection.send(tail)
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, content


def _device_instance(version, cluster, actor_id, photo=""):
    """The instance a device sends for ``version`` answering every question (instanceID: __INSTANCE__)."""
    from xml.etree import ElementTree as Tree

    from defusedxml import ElementTree

    from openrosa import xforms
    from openrosa.instances import local
    from surveys.models import Question

    T = Question.Type
    form = ElementTree.fromstring(xforms.version_xform(version).xml)
    namespace = "{http://www.w3.org/2002/xforms}"
    data = form.find(f".//{namespace}model/{namespace}instance")[0]
    by_type = {
        T.SINGLE_CHOICE: "o1",
        T.MULTIPLE_CHOICE: "o0 o2",
        T.SCALE: "4",
        T.INTEGER: "12",
        T.DECIMAL: "30.5",
        T.YES_NO: "yes",
        T.TEXT: "Respuesta breve",
        T.DATE: "2025-06-10",
        T.LONG_TEXT: "Una respuesta más larga, con acentos: capacitación y asociatividad.",
    }
    values = dict.fromkeys(version.questions.values_list("code", flat=True))
    values.update({code: by_type.get(qtype) for code, qtype in version.questions.values_list("code", "type")})
    values.update(
        {
            xforms.CLUSTER_FIELD: str(cluster.pk),
            xforms.ACTOR_FIELD: str(actor_id),
            "respondent-name": SUBMISSION_MARK,
            "interview-date": "2025-06-10",
            "interview-mode": "in_person",
            "duration-minutes": "45",
            "consent-given": "yes",
            "instanceID": "uuid:__INSTANCE__",
            xforms.PHOTO_FIELD: photo,
        }
    )
    for element in data.iter():
        if values.get(local(element.tag)):
            element.text = values[local(element.tag)]
    return Tree.tostring(data, encoding="utf-8").replace(b' xmlns="http://www.w3.org/2002/xforms"', b"")


def bench_openrosa(server, seconds):
    """Device submissions: queries at 40 and 250 answers, submissions/s beside the web form's, a 10 MB photo."""
    from django.contrib.auth import get_user_model

    from bench.seed_volume import ensure_wide_questionnaire
    from clusters.models import Cluster
    from openrosa.services import device_token_create
    from surveys.models import QuestionnaireVersion

    cluster = Cluster.objects.get(slug=PAGE_CLUSTER)
    actor_id = cluster.memberships.order_by("pk").values_list("actor_id", flat=True).first()
    versions = {40: QuestionnaireVersion.objects.get(form_id="volumen"), 250: ensure_wide_questionnaire()}
    researcher = get_user_model().objects.get(username=RESEARCHER)
    _device, token = device_token_create(user=researcher, name=DEVICE_MARK)
    path = f"/key/{token}/submission"
    queries = {}
    for size, version in versions.items():
        template = _device_instance(version, cluster, actor_id)
        posts = []
        for _ in range(3):
            status, headers, content = device_post(
                server.port, path, template.replace(b"__INSTANCE__", str(uuid.uuid4()).encode())
            )
            if status != 201 or b"revisi" not in content:
                raise RuntimeError(
                    f"the {size}-answer device submission was not recorded ({status}): {content[:300]!r}"
                )
            posts.append((int(headers["x-bench-data-queries"]), int(headers["x-bench-queries"])))
        queries[size] = posts[-1]
    report(
        "openrosa: queries of a submission 250 / 40",
        f"{queries[250][0]}/{queries[40][0]}",
        "same, <= 20",
        queries[40] == queries[250] and queries[40][0] <= 20,
        "the whole request: device token, raw storage, mapping, interview_save; statements that read or write "
        f"rows (with the savepoints: {queries[250][1]}/{queries[40][1]})",
    )
    # Side by side: web form and device posts alternate in rounds, so a noisy moment weighs on both.
    client = Client(server.port).login(RESEARCHER)
    csrf = client.token(f"/surveys/interviews/new/?version={versions[40].pk}&cluster={cluster.slug}")
    web_payload = _submission(versions[40], cluster, csrf)
    device_payload = (path, _device_instance(versions[40], cluster, actor_id))
    web, device = [], []
    for _round in range(2):
        web.append(throughput(server.port, client.cookies, seconds / 2, "post", web_payload))
        device.append(throughput(server.port, {}, seconds / 2, "device", device_payload))
    ratio = statistics.mean(device) / statistics.mean(web)
    report(
        "openrosa: device submissions/s / web submissions/s",
        f"{ratio:.2f}",
        ">= 0.8",
        ratio >= 0.8,
        f"{statistics.mean(device):.1f} vs {statistics.mean(web):.1f} per s (40 answers, {CLIENTS} clients)",
    )
    # A 10 MB photo: the worker's peak memory must not grow by the photo's size (it is streamed to disk).
    with tempfile.NamedTemporaryFile(suffix=".jpg") as photo:
        photo.write(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(10 * 1024 * 1024) + b"\xff\xd9")
        photo.flush()
        template = _device_instance(versions[40], cluster, actor_id, photo="taller.jpg")
        device_post(server.port, path, template.replace(b"__INSTANCE__", str(uuid.uuid4()).encode()))  # warm
        before = max(peak_rss_mb(pid) for pid in server.worker_pids())
        for _ in range(3):
            status, _headers, content = device_post(
                server.port,
                path,
                template.replace(b"__INSTANCE__", str(uuid.uuid4()).encode()),
                files=[("taller.jpg", photo.name)],
            )
            if status != 201:
                raise RuntimeError(f"the 10 MB photo was refused ({status}): {content[:300]!r}")
        after = max(peak_rss_mb(pid) for pid in server.worker_pids())
    report(
        "openrosa: peak memory growth with a 10 MB photo",
        f"{after - before:.0f} MB",
        "< 10 MB",
        after - before < 10,
        f"VmHWM of the gunicorn workers {before:.0f} -> {after:.0f} MB over three posts",
    )


DEVICE_MARK = "bench"


# --- The API ---------------------------------------------------------------------------------------

API_LIST = "/api/v1/interviews/"


def api_token(database, username, scope="read"):
    """A personal API token made in that database by `manage.py api_token` (the same rules as the page). The
    earlier runs' tokens are revoked first: a person may hold 20 active ones, which repeated runs reached."""
    with psycopg.connect(f"{PG}/{database}", autocommit=True) as conn:
        conn.execute(
            "UPDATE api_apitoken SET revoked_at = now() WHERE name = 'bench' AND revoked_at IS NULL"
            " AND user_id = (SELECT id FROM auth_user WHERE username = %s)",
            [username],
        )
    made = subprocess.run(
        [sys.executable, "manage.py", "api_token", username, "--scope", scope, "--days", "1", "--name", "bench"],
        cwd=ROOT,
        env=site_env(database),
        check=True,
        capture_output=True,
        text=True,
    )
    return {"Authorization": f"Bearer {made.stdout.strip()}"}


def bench_api_flat(servers, repeat):
    """The API's interview list (a token, cursor pagination) at 100% and 1% volume, side by side."""
    clients = {db: Client(server.port, headers=api_token(db, MANAGER)) for db, server in servers.items()}
    for name, path, target in (
        ("API interview list", API_LIST, True),
        ("API interview list with answers", API_LIST + "?include=answers", False),
    ):
        warmup = {db: 3 * server.workers for db, server in servers.items()}
        full, small, queries = side_by_side(clients, path, repeat, warmup)
        ratio = full / small
        same = queries[FULL] == queries[SMALL]
        report(
            f"api: {name} 100%/1%",
            f"{ratio:.2f}",
            "<= 1.3" if target else "(figure)",
            (ratio <= 1.3 and same) if target else same,
            f"{full:.1f} ms vs {small:.1f} ms (medians of {repeat}); "
            f"queries {sorted(queries[FULL])} vs {sorted(queries[SMALL])}{'' if same else ' DIFFER'}",
        )


def bench_api_floor(server, seconds):
    """Requests per second of the API's interview list against the floor view's, alternating."""
    session = Client(server.port).login(MANAGER)
    token = api_token(FULL, MANAGER)
    api = Client(server.port, headers=token)
    server_time(session, "/bench/floor/")
    server_time(api, API_LIST)
    rates = {"floor": [], "api": []}
    rounds, each = 4, seconds / 2
    for _round in range(rounds):
        rates["floor"].append(throughput(server.port, session.cookies, each, "get", "/bench/floor/"))
        rates["api"].append(throughput(server.port, {}, each, "get", API_LIST, token))
    floor, listing = statistics.mean(rates["floor"]), statistics.mean(rates["api"])
    ratio = listing / floor
    report(
        "api: interview list rps / floor rps",
        f"{ratio:.2f}",
        ">= 0.5",
        ratio >= 0.5,
        f"{listing:.1f} vs {floor:.1f} requests/s, {CLIENTS} clients, {server.workers} gunicorn workers, "
        f"{rounds} x {each:g} s each, alternating",
    )


def _api_interview(version, cluster):
    """The JSON that creates (and submits) an interview answering every question of ``version``."""
    from surveys.models import Question

    values = {
        Question.Type.SINGLE_CHOICE: "o1",
        Question.Type.MULTIPLE_CHOICE: ["o0", "o2"],
        Question.Type.SCALE: 4,
        Question.Type.INTEGER: 12,
        Question.Type.DECIMAL: 30.5,
        Question.Type.YES_NO: True,
        Question.Type.TEXT: "Respuesta breve",
        Question.Type.LONG_TEXT: "Una respuesta más larga, con acentos: capacitación y asociatividad.",
    }
    return {
        "uuid": str(uuid.uuid4()),
        "questionnaire_version": version.pk,
        "cluster": cluster.slug,
        "actor": cluster.memberships.order_by("pk").values_list("actor_id", flat=True).first(),
        "date": "2025-06-10",
        "mode": "in_person",
        "place": "Juliaca",
        "duration_minutes": 45,
        "respondent_name": SUBMISSION_MARK,
        "consent_given": True,
        "submit": True,
        "answers": {code: values[qtype] for code, qtype in version.questions.values_list("code", "type")},
    }


def bench_api_create(server):
    """Queries of creating (and submitting) an interview through the API, at 40 and 250 answers."""
    from bench.seed_volume import ensure_wide_questionnaire
    from clusters.models import Cluster
    from surveys.models import QuestionnaireVersion

    cluster = Cluster.objects.get(slug=PAGE_CLUSTER)
    versions = {40: QuestionnaireVersion.objects.get(form_id="volumen"), 250: ensure_wide_questionnaire()}
    client = Client(server.port, headers=api_token(FULL, RESEARCHER, "read_write"))
    queries, times = {}, {}
    for size, version in versions.items():
        posts = []
        for _ in range(3):
            status, headers, content = client.request("POST", API_LIST, json_body=_api_interview(version, cluster))
            if status != 201 or json.loads(content)["status"] != "submitted":
                raise RuntimeError(f"the API's {size}-answer interview was not accepted ({status}): {content[:300]}")
            posts.append((int(headers["x-bench-queries"]), float(headers["x-bench-ms"])))
        queries[size], times[size] = posts[-1]
    report(
        "api: create queries 250 answers / 40",
        f"{queries[250]}/{queries[40]}",
        "same",
        queries[250] == queries[40],
        f"the whole POST /api/v1/interviews/ (token, checks, interview_save, the answer); "
        f"{times[40]:.0f} ms vs {times[250]:.0f} ms",
    )


def cleanup_submissions():
    from openrosa.models import DeviceToken, Submission
    from surveys.models import Interview

    Submission.objects.filter(device_token__name=DEVICE_MARK).delete()
    DeviceToken.objects.filter(name=DEVICE_MARK).delete()
    Interview.objects.filter(respondent_name=SUBMISSION_MARK).delete()


# --- Main ------------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts of {', '.join(PARTS)}")
    parser.add_argument("--reseed", action="store_true", help="rebuild both databases")
    parser.add_argument("--repeat", type=int, default=21, help="requests per page and volume")
    parser.add_argument("--seconds", type=int, default=8, help="length of each load test")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    parts = [part.strip() for part in args.only.split(",") if part.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")

    started = time.monotonic()
    print(f"Cluster Casebook benchmarks, {datetime.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores", flush=True)
    if parts == ["mapping"]:  # its own databases (bench/mapping.py): the volume ones are not needed
        print(f"{'figure':<44} {'value':>8} {'target':<12} {'verdict':<8} detail", flush=True)
        _bench_mapping(args)
        _summary(started, args)
        return
    for database in (FULL, SMALL):
        ensure_seeded(database, args.reseed)
    manage(FULL, "collectstatic", "--noinput", "-v0")
    redis.Redis.from_url(REDIS).flushdb()  # no task left over from an interrupted run

    os.environ.update(site_env(FULL))
    import django

    django.setup()
    cleanup_submissions()
    print(f"{'figure':<44} {'value':>8} {'target':<12} {'verdict':<8} detail", flush=True)
    try:
        if "pages" in parts:
            # One worker each, so that every request meets the same warm process.
            with Server(FULL, workers=1) as full, Server(SMALL, workers=1, redis_index=SMALL_REDIS_INDEX) as small:
                bench_pages({FULL: full, SMALL: small}, args.repeat)
                bench_findings_uncached({FULL: full, SMALL: small}, 7)
        if "api" in parts:
            with Server(FULL, workers=1) as full, Server(SMALL, workers=1, redis_index=SMALL_REDIS_INDEX) as small:
                bench_api_flat({FULL: full, SMALL: small}, args.repeat)
        with Server(FULL, workers=4) as full:
            if "floor" in parts:
                bench_floor(full, args.seconds)
            if "reports" in parts:
                bench_reports(full)
            if "submission" in parts:
                bench_submission(full, args.seconds)
                cleanup_submissions()  # before the export, which counts every interview
            if "openrosa" in parts:
                bench_openrosa(full, args.seconds)
                cleanup_submissions()
            if "api" in parts:
                bench_api_floor(full, args.seconds)
                bench_api_create(full)
                cleanup_submissions()
        if "programme" in parts:
            bench_programme()
        if "export" in parts:
            bench_export()
        if "mapping" in parts:
            _bench_mapping(args)
    finally:
        cleanup_submissions()
    _summary(started, args)


def _bench_mapping(args):
    """bench/mapping.py: every measure of a district x class table, and the identification pages flat."""
    from bench import mapping
    from bench import run as module  # the figures are reported there (this file may run as __main__)

    before = len(module.RESULTS)
    mapping.run(reseed=args.reseed, repeat=args.repeat)
    if module.RESULTS is not RESULTS:
        RESULTS.extend(module.RESULTS[before:])


def _summary(started, args):
    unmet = [r["figure"] for r in RESULTS if not r["met"]]
    took = time.monotonic() - started
    print(f"{len(RESULTS) - len(unmet)} of {len(RESULTS)} targets met in {took:.0f} s", flush=True)
    for figure in unmet:
        print(f"  not met: {figure}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(RESULTS, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
