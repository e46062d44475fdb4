"""Ten times the programme: the flat pages and the export at a million interviews against ten thousand.

    make bench-scale                               # seeds both databases the first time (under 20 minutes)
    .venv/bin/python bench/scale.py --only pages   # parts: pages, export, dsr
    .venv/bin/python bench/scale.py --reseed       # rebuild both databases
    .venv/bin/python bench/scale.py --only dsr     # django-survey-and-report's export against ours (or --compare-dsr)

Two PostgreSQL databases: ``casebook_scale`` with 1,000,000 interviews of 40 answers (40 million answer rows,
about 20 million chosen options), 200,000 actors and 5,000 interventions, and ``casebook_scale_small`` with
10,000 interviews, 2,000 actors and 50 interventions; the same 50 clusters in both, so that each page compared
shows the same content (bench/run.py's SAME_SHAPE). Both are seeded by bench/seed_volume.py --bulk:
PostgreSQL generates the rows itself in parallel sessions, into tables whose indexes and foreign keys are
made again after the load.

Every line prints a ratio measured side by side in this run, its target and verdict, and the figures behind
it; docs/benchmarks.md ("Ten times the programme") explains them and keeps the latest run.

Environment: as bench/run.py (BENCH_POSTGRES), plus BENCH_SCALE_PREFIX (default casebook_scale) and
BENCH_SCALE_REDIS (default redis://127.0.0.1:6379/10; flushed; the small volume's servers use database 11).
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run

PREFIX = os.environ.get("BENCH_SCALE_PREFIX", "casebook_scale")
REDIS = os.environ.get("BENCH_SCALE_REDIS", "redis://127.0.0.1:6379/10")
FULL_VOLUME = (10.0, 1_000_000)  # (bench/seed_volume.py --scale, interviews)
SMALL_VOLUME = (0.1, 10_000)
PARTS = ("pages", "export", "dsr")  # dsr (django-survey-and-report's export) only when asked
FINDINGS_EDIT_TARGET = 10  # the first view after an edit, at most this many times the cached view


def machine_load():
    """uptime's line (in UTC: Django's setup sets the process's TZ to the site's zone)."""
    return subprocess.run(["uptime"], capture_output=True, text=True, env={**os.environ, "TZ": "UTC"}).stdout.strip()


def bench_findings_edit_vs_cached(server, repeat):
    """At the full volume: the findings page's first view after an interview of the cluster was edited against
    the next view (the cached one), in pairs, side by side."""
    client = run.Client(server.port).login(run.MANAGER)
    path = run.PAGES["findings page"]
    run.vacuum_findings(run.FULL)
    for _ in range(3):
        run.server_time(client, path)
    first, cached = [], []
    queries = set()
    for _ in range(repeat):
        run._touch_an_interview(run.FULL, run.PAGE_CLUSTER)
        ms, count = run.server_time(client, path)
        first.append(ms)
        ms, count_cached = run.server_time(client, path)
        cached.append(ms)
        queries.add((count, count_cached))
    ratio = statistics.median(first) / statistics.median(cached)
    run.report(
        "findings: first view after an edit / cached",
        f"{ratio:.2f}",
        f"<= {FINDINGS_EDIT_TARGET}",
        ratio <= FINDINGS_EDIT_TARGET,
        f"{statistics.median(first):.1f} ms vs {statistics.median(cached):.1f} ms (medians of {repeat}, "
        f"{FULL_VOLUME[1]:,} interviews); queries (first, cached) {sorted(queries)}",
    )


def _export_peak(database):
    """(seconds, interview rows, peak MB of the gunicorn worker) of the wide CSV export of every interview of
    ``database``, downloaded from a fresh single-worker server."""
    with run.Server(database, workers=1) as server:
        client = run.Client(server.port).login(run.MANAGER)
        run.server_time(client, run.PAGES["interview list"])  # the worker has loaded what a page needs
        lines = 0

        def count(chunk):
            nonlocal lines
            lines += chunk.count(b"\n")

        started = time.perf_counter()
        status = client.request("GET", "/surveys/interviews/export/csv/wide/", sink=count)[0]
        seconds = time.perf_counter() - started
        if status != 200:
            raise RuntimeError(f"export of {database}: {status}")
        (pid,) = server.worker_pids()
        return seconds, lines - 1, run.peak_rss_mb(pid)


def bench_export_memory():
    small_seconds, small_rows, small_peak = _export_peak(run.SMALL)
    full_seconds, full_rows, full_peak = _export_peak(run.FULL)
    growth = full_peak / small_peak
    run.report(
        "export: peak memory 1,000,000 / 10,000",
        f"{growth:.2f}",
        "<= 1.2",
        growth <= 1.2,
        f"{full_peak:.0f} MB vs {small_peak:.0f} MB (VmHWM of the gunicorn worker); {full_rows:,} interviews in "
        f"{full_seconds:.0f} s ({full_rows / full_seconds:,.0f}/s) vs {small_rows:,} in {small_seconds:.1f} s "
        f"({small_rows / small_seconds:,.0f}/s)",
    )


DSR_PACKAGE = "django-survey-and-report==1.5.0"


def bench_compare_dsr():
    """Our wide CSV export of the small volume's 10,000 interviews against django-survey-and-report's CSV export
    of the same interviews (bench/dsr_export.py, in a virtual environment of its own under /tmp, never ours)."""
    venv = run.VAR / "dsr-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run(["python3", "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", DSR_PACKAGE, "psycopg[binary]"], check=True)
    target = f"{run.PREFIX}_dsr"
    import psycopg

    with psycopg.connect(f"{run.PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target}"')
    ours_seconds, ours_rows, ours_peak = _export_peak(run.SMALL)
    made = subprocess.run(
        [str(python), "bench/dsr_export.py", f"{run.PG}/{run.SMALL}", f"{run.PG}/{target}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    theirs = json.loads(made.stdout.strip().splitlines()[-1])
    ratio = (ours_rows / ours_seconds) / (theirs["rows"] / theirs["seconds"])
    run.report(
        "dsr: our CSV interviews/s / django-survey's",
        f"{ratio:.1f}",
        "(figure)",
        True,
        f"{ours_rows:,} interviews in {ours_seconds:.1f} s ({ours_peak:.0f} MB, a gunicorn worker, over HTTP) vs "
        f"{theirs['rows']:,} in {theirs['seconds']:.1f} s ({theirs['peak_mb']:.0f} MB, {DSR_PACKAGE}'s Survey2Csv "
        "in its own process)",
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="pages,export", help=f"comma-separated parts of {', '.join(PARTS)}")
    parser.add_argument("--reseed", action="store_true", help="rebuild both databases")
    parser.add_argument("--repeat", type=int, default=21, help="requests per page and volume")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--compare-dsr",
        action="store_true",
        help="also export the 10,000 interviews with django-survey-and-report (installed in a venv under /tmp)",
    )
    args = parser.parse_args(argv)
    parts = [part.strip() for part in args.only.split(",") if part.strip()] + (["dsr"] if args.compare_dsr else [])
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")

    run.use_volumes(
        PREFIX,
        FULL_VOLUME,
        SMALL_VOLUME,
        "1M/10k",
        seed_options=["--bulk"],
        redis=REDIS,
        small_redis_index=int(REDIS.rsplit("/", 1)[1]) + 1,
    )
    started = time.monotonic()
    print(
        f"Cluster Casebook at ten times the programme, {datetime.datetime.now():%Y-%m-%d %H:%M}, "
        f"{os.cpu_count()} cores",
        flush=True,
    )
    print(f"  · load: {machine_load()}", flush=True)
    for database in (run.FULL, run.SMALL):
        took = run.ensure_seeded(database, args.reseed)
        if took is not None:
            print(f"  · {database} seeded in {took / 60:.1f} min; load: {machine_load()}", flush=True)
    run.manage(run.FULL, "collectstatic", "--noinput", "-v0")
    import redis

    redis.Redis.from_url(run.REDIS).flushdb()

    os.environ.update(run.site_env(run.FULL))
    import django

    django.setup()
    print(f"{'figure':<44} {'value':>8} {'target':<12} {'verdict':<8} detail", flush=True)
    if "pages" in parts:
        with (
            run.Server(run.FULL, workers=1) as full,
            run.Server(run.SMALL, workers=1, redis_index=run.SMALL_REDIS_INDEX) as small,
        ):
            servers = {run.FULL: full, run.SMALL: small}
            run.bench_pages(servers, args.repeat)
            run.bench_findings_uncached(servers, 7)
            bench_findings_edit_vs_cached(full, 11)
    if "export" in parts:
        bench_export_memory()
    if "dsr" in parts:
        bench_compare_dsr()
    print(f"  · load: {machine_load()}", flush=True)
    run._summary(started, args)


if __name__ == "__main__":
    main()
