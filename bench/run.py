"""Benchmarks at the scale of a national programme: ratios measured side by side in one run.

    make bench                                   # everything (seeds the databases the first time)
    uv run python bench/run.py --only pages      # one part: pages, floor, reports, export, submission, mapping
    uv run python bench/run.py --reseed          # rebuild both databases

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
PASSWORD = "bench-password-1"
MANAGER, RESEARCHER = "bench-manager", "bench-researcher-2"
PAGE_CLUSTER = "volumen-002"  # a typical cluster (researchers 2 and 3 are on its team)
REPORT_CLUSTERS = {"5000": "volumen-000", "50": "volumen-001"}  # see seed_volume.REPORT_CLUSTERS
CLIENTS = 8
SUBMISSION_MARK = "Envío de prueba de carga"
VAR = Path(tempfile.gettempdir()) / "casebook-bench"
PARTS = ("pages", "floor", "reports", "export", "submission", "mapping")

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
    )
    env.pop("CASEBOOK_TESTING", None)
    if redis_index is None:
        env["REDIS_URL"] = REDIS
    else:  # a server whose tasks no benchmark worker should take
        env["REDIS_URL"] = REDIS.rsplit("/", 1)[0] + f"/{redis_index}"
    return env


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
                        "SELECT count(*) FROM surveys_interview WHERE respondent_name <> %s", [SUBMISSION_MARK]
                    ).fetchone()[0]
            except psycopg.Error:
                seeded = None
            if seeded == interviews:
                manage(database, "migrate", "--noinput", "-v0")  # the schema of this checkout
                return
        log(f"seeding {database} at scale {scale} (once; --reseed to rebuild)")
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    started = time.monotonic()
    manage(database, "migrate", "--noinput", "-v0")
    subprocess.run(
        [sys.executable, "bench/seed_volume.py", "--scale", str(scale)], cwd=ROOT, env=site_env(database), check=True
    )
    log(f"{database} seeded in {time.monotonic() - started:.0f} s")


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
    """A Celery worker (one process, solo pool) building reports from the full database."""

    def __enter__(self):
        VAR.mkdir(parents=True, exist_ok=True)
        self.log = open(VAR / "worker.log", "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-l", "warning"],
            cwd=ROOT,
            env=site_env(FULL),
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

    def __init__(self, port, cookies=None):
        self.port = port
        self.cookies = dict(cookies or {})

    def request(self, method, path, data=None, sink=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=900)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
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


def _hammer(job):
    """One client process: requests for ``seconds`` seconds; returns how many succeeded and failed."""
    port, cookies, seconds, kind, payload = job
    client = Client(port, cookies)
    done = failed = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if kind == "get":
            status = client.request("GET", payload)[0]
            ok = status == 200
        else:
            data = dict(payload, uuid=str(uuid.uuid4()), form_token=str(uuid.uuid4()))
            status = client.request("POST", "/surveys/interviews/new/", data)[0]
            ok = status == 302
        done += ok
        failed += not ok
    return done, failed


def throughput(port, cookies, seconds, kind, payload):
    with ProcessPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(_hammer, [(port, cookies, seconds, kind, payload)] * CLIENTS))
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
}


def bench_pages(servers, repeat):
    clients = {db: Client(server.port).login(MANAGER) for db, server in servers.items()}
    for name, path in PAGES.items():
        times = {FULL: [], SMALL: []}
        queries = {FULL: set(), SMALL: set()}
        for db in (FULL, SMALL):
            for _ in range(3 * servers[db].workers):  # warm every worker's caches, and the database's
                server_time(clients[db], path)
        for _ in range(repeat):  # side by side, alternating
            for db in (FULL, SMALL):
                ms, count = server_time(clients[db], path)
                times[db].append(ms)
                queries[db].add(count)
        full, small = statistics.median(times[FULL]), statistics.median(times[SMALL])
        ratio = full / small
        # A page that caches (findings) shows two counts, first view and later ones: the same two at both volumes.
        same = queries[FULL] == queries[SMALL]
        report(
            f"flat pages: {name} 100%/1%",
            f"{ratio:.2f}",
            "<= 1.3",
            ratio <= 1.3 and same,
            f"{full:.1f} ms vs {small:.1f} ms (medians of {repeat}); "
            f"queries {sorted(queries[FULL])} vs {sorted(queries[SMALL])}{'' if same else ' DIFFER'}",
        )


def _touch_an_interview(database, slug):
    """What an edit does to one of the cluster's approved interviews' stamp (every save bumps these)."""
    with psycopg.connect(f"{PG}/{database}", autocommit=True) as conn:
        conn.execute(
            "UPDATE surveys_interview SET updated_at = now(), lock_version = lock_version + 1 "
            "WHERE id = (SELECT i.id FROM surveys_interview i JOIN clusters_cluster c ON c.id = i.cluster_id "
            "WHERE c.slug = %s AND i.status = 'approved' ORDER BY i.id LIMIT 1)",
            [slug],
        )


def bench_findings_uncached(servers, repeat):
    """The findings page on its first view after an interview changed (the aggregates are recomputed)."""
    clients = {db: Client(server.port).login(MANAGER) for db, server in servers.items()}
    path = PAGES["findings page"]
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
        f"{full:.1f} ms vs {small:.1f} ms (medians of {repeat}): the answers' aggregates are recomputed",
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
        ">= 0.35",
        ratio >= 0.35,
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
        "<= 3",
        ratio <= 3,
        f"{big:.2f} s ({pages['5000']} pages, {sizes['5000']} interviews) vs {small:.2f} s "
        f"({pages['50']} pages, {sizes['50']} interviews); best of 2, worker time",
    )
    report("report: worker peak memory", f"{peak:.0f} MB", "< 300 MB", peak < 300, "VmHWM of the solo-pool worker")


COPY_ANSWERS = """
    COPY (
        SELECT a.interview_id, a.question_id, a.text_value, a.number_value, a.date_value, a.bool_value,
               ac.choice_id
        FROM surveys_answer a LEFT JOIN surveys_answerchoice ac ON ac.answer_id = a.id
    ) TO STDOUT
"""


def _copy_seconds():
    rows = 0
    with psycopg.connect(f"{PG}/{FULL}") as conn, conn.cursor() as cursor:
        started = time.perf_counter()
        with cursor.copy(COPY_ANSWERS) as copy:
            for data in copy:
                rows += bytes(data).count(b"\n")
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
        ">= 0.25",
        ratio >= 0.25,
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

    from surveys import selectors
    from surveys.forms import InterviewForm
    from surveys.views import _cluster_actors

    questions = list(selectors.ordered_questions(version).prefetch_related("choices"))
    data = QueryDict(mutable=True)
    posted = dict(_submission(version, cluster, token), uuid=str(uuid.uuid4()), form_token=str(uuid.uuid4()))
    for key, value in posted.items():
        data.setlist(key, [str(v) for v in value] if isinstance(value, list) else [str(value)])
    form = InterviewForm(data, questions=questions, cluster_actors=_cluster_actors(cluster), interview=None)
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


def cleanup_submissions():
    from surveys.models import Interview

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
            with Server(FULL, workers=1) as full, Server(SMALL, workers=1, redis_index=8) as small:
                bench_pages({FULL: full, SMALL: small}, args.repeat)
                bench_findings_uncached({FULL: full, SMALL: small}, 7)
        with Server(FULL, workers=4) as full:
            if "floor" in parts:
                bench_floor(full, args.seconds)
            if "reports" in parts:
                bench_reports(full)
            if "submission" in parts:
                bench_submission(full, args.seconds)
                cleanup_submissions()  # before the export, which counts every interview
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
