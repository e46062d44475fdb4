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
