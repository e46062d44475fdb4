import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from clusters.models import Region, Sector

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_suite_runs_on_postgresql():
    assert connection.vendor == "postgresql"


def test_every_migration_is_applied_on_postgresql():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


def test_models_and_migrations_agree():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "CASEBOOK_VAR_DIR": "/tmp/casebook-ci-var"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_reference_data_is_loaded_on_postgresql():
    assert Region.objects.filter(level="district").count() == 1893
    assert Sector.objects.count() == 21 + 88 + 238 + 419


def test_postgresql_lists_names_in_spanish_order_with_its_icu_collation(client, world):
    from clusters.collation import SPANISH, sort_key
    from tests import factories as f
    from tests.clusters.test_spanish_order import SPANISH_ORDER, _names_in

    with connection.cursor() as cursor:
        cursor.execute("SELECT collprovider FROM pg_collation WHERE collname = %s", [SPANISH])
        assert cursor.fetchone() == ("i",), f"PostgreSQL has no ICU collation {SPANISH}"
    for name in ("Cooperativa Agraria Cabana", "Cámara de Comercio de Puno", "Ñandú Textil", "Nazca Fibras"):
        f.MembershipFactory(cluster=world.cluster_a, actor=f.ActorFactory(name=name))
    client.force_login(world.users["coordinator"])
    names = _names_in(client.get("/actors/").content.decode(), "actors")
    assert names == sorted(names, key=sort_key)
    assert names.index("Cámara de Comercio de Puno") < names.index("Cooperativa Agraria Cabana")
    assert names.index("Nazca Fibras") < names.index("Ñandú Textil")
    # The database and the SQLite collation agree on the words that matter (accents, ñ, case).
    with connection.cursor() as cursor:
        assert SPANISH == "es-PE-x-icu"
        cursor.execute('SELECT x FROM unnest(%s::text[]) AS x ORDER BY x COLLATE "es-PE-x-icu"', [SPANISH_ORDER[::-1]])
        assert [row[0] for row in cursor.fetchall()] == SPANISH_ORDER


def test_a_nul_character_is_refused_with_a_400_on_postgresql(client, world):
    """PostgreSQL cannot compare text holding NUL: without the guard these pages answered 500."""
    client.force_login(world.users["researcher_a"])
    for url in ("/surveys/interviews/new/?version=1&cluster=%00", "/reports/?cluster=%00", "/actors/?q=%00"):
        page = client.get(url)
        assert page.status_code == 400, url
        assert "carácter NUL" in page.content.decode()


def test_the_portfolio_takes_its_first_page_without_sorting_every_intervention(world):
    """clusters/0010: with an index of the clusters' names in Spanish order, the portfolio's first page walks
    the clusters in that order and stops after the rows it shows, instead of sorting every intervention with
    ICU first (12 ms for 5,000 interventions, 18 times the page's cost at 50, in the bench's million)."""
    import copy

    from clusters.collation import sort_key
    from instruments.models import Intervention
    from instruments.selectors import portfolio
    from tests import factories as f

    template = f.InterventionFactory(cluster=world.cluster_a)
    clusters = [f.ClusterFactory(name=f"Clúster {n:03d}") for n in range(60)]
    rows = []
    for cluster in clusters:
        for n in range(50):
            row = copy.copy(template)
            row.pk, row.cluster, row.title = None, cluster, f"Intervención {n}"
            rows.append(row)
    Intervention.objects.bulk_create(rows, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clusters_cluster; ANALYZE instruments_intervention")
        page = portfolio(world.users["manager"])["interventions"][:25]
        sql, params = page.query.sql_with_params()
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = str(cursor.fetchone()[0])
    assert "cluster_name_spanish" in plan, plan
    names = [row["cluster__name"] for row in page]
    assert len(names) == 25 and names == sorted(names, key=sort_key)
