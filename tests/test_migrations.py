"""Migrations that would lock a live table: new ones build and drop indexes concurrently (config/migration_ops.py).

The migrations up to ``REVIEWED`` were written before the convention and ran on small databases; they are
left as they are (rewriting their effects would change what an existing database holds). Every migration
after them is held to it: an index on a table that already exists is added and removed with the concurrent
operations, in a migration with ``atomic = False``.
"""

import pytest
from django.db import connection, migrations, models
from django.db.migrations.loader import MigrationLoader

from config import migration_ops

# The latest migration of each of our apps when the convention was written (docs/architecture.md).
REVIEWED = {
    "api": "0001_initial",
    "clusters": "0006_sector_groups_and_classes",
    "instruments": "0004_measurement_self_approved",
    "mapping": "0002_default_weights",
    "openrosa": "0001_initial",
    "reports": "0003_editions_programme_reports_and_settings",
    "surveys": "0007_interview_cluster_no_own_index",
}
CONCURRENT = (
    migration_ops.AddIndexConcurrently,
    migration_ops.RemoveIndexConcurrently,
    migration_ops.AlterFieldIndexConcurrently,
)


def _database_operations(operations):
    for operation in operations:
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            yield from _database_operations(operation.database_operations)
        else:
            yield operation


def locking_operations(migration):
    """What in the migration would hold a write lock on an existing table while an index is built or dropped."""
    created = {op.name_lower for op in migration.operations if isinstance(op, migrations.CreateModel)}
    problems = []
    for operation in _database_operations(migration.operations):
        if isinstance(operation, CONCURRENT):
            if migration.atomic:
                problems.append(f"{operation.describe()}: the migration needs atomic = False")
            continue
        model = getattr(operation, "model_name_lower", None)
        if model in created:
            continue  # a new table is empty: building its indexes locks nobody
        builds_index = isinstance(operation, (migrations.AddIndex, migrations.RemoveIndex)) or (
            isinstance(operation, migrations.AddConstraint)
            and isinstance(operation.constraint, models.UniqueConstraint)
        )
        if builds_index:
            problems.append(f"{operation.describe()}: use config.migration_ops (concurrently on PostgreSQL)")
        elif isinstance(operation, migrations.AddField) and (operation.field.db_index or operation.field.unique):
            # A new foreign key or indexed column builds its index in the same statement: add the field
            # with db_index=False, then its index with AddIndexConcurrently.
            problems.append(f"{operation.describe()}: add it with db_index=False, then AddIndexConcurrently")
    return problems


def test_new_migrations_build_and_drop_indexes_concurrently():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app, name), migration in loader.disk_migrations.items():
        if app in REVIEWED and name > REVIEWED[app]:
            assert locking_operations(migration) == [], f"{app}.{name}"
    for app, name in REVIEWED.items():
        assert (app, name) in loader.disk_migrations, f"{app}.{name} is gone: update REVIEWED"


def _migration(*operations, atomic=True):
    migration = migrations.Migration("0099_example", "surveys")
    migration.operations = list(operations)
    migration.atomic = atomic
    return migration


def test_a_plain_index_unique_constraint_or_indexed_new_field_on_an_existing_table_is_refused():
    index = models.Index(fields=["date"], name="interview_date")
    unique = models.UniqueConstraint(fields=["uuid", "date"], name="interview_uuid_date")
    assert len(locking_operations(_migration(migrations.AddIndex("interview", index)))) == 1
    assert len(locking_operations(_migration(migrations.RemoveIndex("interview", "interview_date")))) == 1
    assert len(locking_operations(_migration(migrations.AddConstraint("interview", unique)))) == 1
    hidden = migrations.SeparateDatabaseAndState(database_operations=[migrations.AddIndex("interview", index)])
    assert len(locking_operations(_migration(hidden))) == 1
    reviewer = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL)
    assert len(locking_operations(_migration(migrations.AddField("interview", "second_reviewer", reviewer)))) == 1
    plain = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL, db_index=False)
    assert locking_operations(_migration(migrations.AddField("interview", "second_reviewer", plain))) == []


def test_the_concurrent_operations_pass_in_a_non_atomic_migration_only():
    index = models.Index(fields=["date"], name="interview_date")
    add = migration_ops.AddIndexConcurrently("interview", index)
    assert locking_operations(_migration(add, atomic=False)) == []
    assert locking_operations(_migration(migration_ops.RemoveIndexConcurrently("interview", "x"), atomic=False)) == []
    assert len(locking_operations(_migration(add))) == 1


def test_a_new_table_may_have_its_indexes_built_plainly():
    created = migrations.CreateModel("Note", [("id", models.BigAutoField(primary_key=True))])
    index = migrations.AddIndex("note", models.Index(fields=["id"], name="note_id"))
    assert locking_operations(_migration(created, index)) == []


@pytest.mark.django_db
def test_interviews_have_no_index_on_the_cluster_alone_but_two_that_begin_with_it():
    """The cluster's own index was a prefix of two composite ones: every lookup by cluster uses those."""
    from surveys.models import Interview

    table = Interview._meta.db_table
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, table)
    starting_with_cluster = {
        name for name, index in indexes.items() if index["index"] and index["columns"][:1] == ["cluster_id"]
    }
    assert starting_with_cluster == {"interview_cluster_stamp", "interview_cluster_newest"}
