"""Benchmark of mapping/: every measure for a national district x class table, and the pages flat.

    .venv/bin/python bench/mapping.py                 # also: bench/run.py --only mapping
    .venv/bin/python bench/mapping.py --reseed        # rebuild its two databases

Two PostgreSQL databases of its own: ``<prefix>_mapping`` holds employment for 1,893 districts x the 419
CIIU Rev.4 classes x 2 years (1.59 million rows, every cell), ``<prefix>_mapping_small`` 1 % of that
(190 districts x 42 classes x 2 years). Both have the same ten registered clusters.

Figures (each a ratio of two times measured in this run):
- all measures / reading the rows: ``mapping.services.dataset_compute`` (read the rows, every measure,
  the clusters' criteria, store the results) against ``mapping.compute.read_rows`` (the same SELECT,
  fetched into an array). Target <= 5.
- each mapping page at 100 % / 1 %, server time (median), with the same query count. Target <= 1.3.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import PASSWORD, PG, PREFIX, Client, Server, log, report, side_by_side, site_env

FULL, SMALL = f"{PREFIX}_mapping", f"{PREFIX}_mapping_small"
SIZES = {FULL: (None, None), SMALL: (190, 42)}  # (districts, classes); None: all
YEARS = (2019, 2023)
USER = "bench-coordinator"
MARK = "bench-mapping"
CLUSTERS = 10


def manage(database, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=site_env(database), check=True)


def _seeded(database):
    try:
        with psycopg.connect(f"{PG}/{database}") as conn:
            row = conn.execute("SELECT row_count FROM mapping_dataset WHERE name = %s", [MARK]).fetchone()
            return row is not None and row[0] > 0
    except psycopg.Error:
        return False


def ensure_seeded(database, reseed):
    if _seeded(database) and not reseed:
        manage(database, "migrate", "--noinput", "-v0")
        return
    log(f"seeding {database}")
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    started = time.monotonic()
    manage(database, "migrate", "--noinput", "-v0")
    subprocess.run([sys.executable, __file__, "--seed", database], cwd=ROOT, env=site_env(database), check=True)
    log(f"{database} seeded and computed in {time.monotonic() - started:.0f} s")


def seed(database):
    """Rows straight into PostgreSQL (COPY), a coordinator, ten clusters; then the measures, once."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection

    from clusters.access import Role
    from clusters.models import Cluster, Region, Sector
    from mapping import services
    from mapping.models import Dataset, Observation

    districts, classes = SIZES[database]
    regions = list(Region.objects.filter(level="district").order_by("code").values_list("pk", "code"))[:districts]
    sectors = list(Sector.objects.filter(level="class").order_by("code").values_list("pk", "code"))[:classes]
    user = get_user_model().objects.create_user(USER, password=PASSWORD)
    user.groups.add(Group.objects.get(name=str(Role.COORDINATOR)))
    rng = np.random.default_rng(2013)
    for n in range(CLUSTERS):
        region_code = regions[(n * 37) % len(regions)][1]
        cluster = Cluster.objects.create(
            name=f"Clúster de volumen {n}", slug=f"volumen-mapa-{n}", main_sector_id=sectors[(n * 11) % len(sectors)][0]
        )
        cluster.regions.set(Region.objects.filter(code__in=[region_code, region_code[:2]]))
    dataset = Dataset.objects.create(
        name=MARK,
        source="bench/mapping.py",
        illustrative=True,
        territory_level="district",
        activity_level="class",
        first_year=YEARS[0],
        last_year=YEARS[-1],
        row_count=len(regions) * len(sectors) * len(YEARS),
    )
    region_ids = np.array([pk for pk, _code in regions])
    sector_ids = np.array([pk for pk, _code in sectors])
    size = rng.lognormal(3, 1.2, len(regions))
    structure = rng.lognormal(0, 1.5, len(sectors))
    base = np.outer(size, structure) * rng.lognormal(0, 0.6, (len(regions), len(sectors)))
    base[rng.random(base.shape) < 0.25] = 0  # a quarter of the cells without jobs, as in a real table
    with connection.cursor() as cursor:
        columns = "dataset_id, region_id, sector_id, year, employment, establishments"
        with cursor.cursor.copy(f"COPY {Observation._meta.db_table} ({columns}) FROM STDIN") as copy:
            for year, factor in zip(YEARS, (1.0, 1.08), strict=True):
                employment = np.round(base * factor * rng.lognormal(0, 0.1, base.shape)).astype(np.int64)
                establishments = np.maximum(1, employment // 12)
                for r in range(len(regions)):
                    for s in range(len(sectors)):
                        copy.write_row(
                            (dataset.pk, region_ids[r], sector_ids[s], year, employment[r, s], establishments[r, s])
                        )
        cursor.execute(f"ANALYZE {Observation._meta.db_table}")
    services.dataset_compute(dataset=dataset)
    with connection.cursor() as cursor:
        # The whole database, not only the measures: the regions and sectors the migrations have just loaded
        # had no statistics yet (2,114 regions estimated at 480), and the "why this cluster" page's measures
        # query then scanned the sectors once per region (8.7 ms against 1.5 ms once analysed: 1.49 vs 1.0).
        cursor.execute("ANALYZE")


def measure_compute(database, repeat):
    """Times, in this process, of reading the rows and of computing everything from them."""
    import django

    os.environ.update(site_env(database))
    django.setup()
    from mapping import compute, services
    from mapping.models import Dataset

    dataset = Dataset.objects.get(name=MARK)
    reads, computes, rows = [], [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = len(compute.read_rows(dataset.pk))
        reads.append(time.perf_counter() - started)
        started = time.perf_counter()
        services.dataset_compute(dataset=dataset)
        computes.append(time.perf_counter() - started)
    return {"read": statistics.median(reads), "compute": statistics.median(computes), "rows": rows}


def bench_compute(repeat):
    output = subprocess.run(
        [sys.executable, __file__, "--measure-compute", FULL, "--repeat", str(repeat)],
        cwd=ROOT,
        env=site_env(FULL),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    ratio = figures["compute"] / figures["read"]
    report(
        "mapping: all measures / reading the rows",
        f"{ratio:.2f}",
        "<= 5",
        ratio <= 5,
        f"{figures['compute']:.2f} s vs {figures['read']:.2f} s for {figures['rows']:,} rows (medians of {repeat})",
    )


def bench_pages(repeat):
    pages = {
        "candidates": "/mapping/candidates/",
        "candidates, 2 stars": "/mapping/candidates/?min_stars=2",
        "priorities": "/mapping/priorities/",
        "why this cluster": "/mapping/clusters/volumen-mapa-0/",
    }
    with Server(FULL, workers=1) as full, Server(SMALL, workers=1, redis_index=8) as small:
        servers = {FULL: full, SMALL: small}
        clients = {db: Client(server.port).login(USER) for db, server in servers.items()}
        for name, path in pages.items():
            full_ms, small_ms, queries = side_by_side(clients, path, repeat, {FULL: 3, SMALL: 3}, volumes=(FULL, SMALL))
            ratio = full_ms / small_ms
            same = queries[FULL] == queries[SMALL]
            report(
                f"mapping: {name} 100%/1%",
                f"{ratio:.2f}",
                "<= 1.3",
                ratio <= 1.3 and same,
                f"{full_ms:.1f} ms vs {small_ms:.1f} ms (medians of {repeat}); "
                f"queries {sorted(queries[FULL])} vs {sorted(queries[SMALL])}{'' if same else ' DIFFER'}",
            )


def run(*, reseed=False, repeat=21, compute_repeat=3):
    for database in (FULL, SMALL):
        ensure_seeded(database, reseed)
    manage(FULL, "collectstatic", "--noinput", "-v0")
    bench_compute(compute_repeat)
    bench_pages(repeat)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--repeat", type=int, default=21, help="requests per page and volume")
    parser.add_argument("--compute-repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    parser.add_argument("--measure-compute", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed:
        seed(args.seed)
        return
    if args.measure_compute:
        print(json.dumps(measure_compute(args.measure_compute, args.repeat)))
        return
    from bench import run as bench_run

    print(f"{'figure':<44} {'value':>8} {'target':<12} {'verdict':<8} detail", flush=True)
    run(reseed=args.reseed, repeat=args.repeat, compute_repeat=args.compute_repeat)
    if args.json:
        args.json.write_text(json.dumps(bench_run.RESULTS, indent=2, ensure_ascii=False))
    unmet = [r["figure"] for r in bench_run.RESULTS if not r["met"]]
    print(f"{len(bench_run.RESULTS) - len(unmet)} of {len(bench_run.RESULTS)} targets met", flush=True)


if __name__ == "__main__":
    main()
