"""Migration operations that do not lock a live table while an index is built or dropped.

On PostgreSQL a plain ``CREATE INDEX`` or ``DROP INDEX`` holds a lock that blocks every write to the table
until it finishes; on a table of interviews or answers that is minutes of refused submissions. These
operations build and drop indexes ``CONCURRENTLY`` there (which PostgreSQL allows only outside a
transaction: the migration says ``atomic = False``), and do the plain thing on SQLite, where Django's own
``django.contrib.postgres.operations.AddIndexConcurrently`` refuses to run. The migration state is the one
of the plain operation, so ``makemigrations`` sees no difference.

The convention (``docs/architecture.md``, "Migrations on a live database"; ``tests/test_migrations.py``
holds new migrations to it): an index on an existing table is added with ``AddIndexConcurrently``, removed
with ``RemoveIndexConcurrently``, and a field's own index is dropped or added with
``AlterFieldIndexConcurrently``, each in a migration with ``atomic = False`` and nothing else that writes.
"""

from django.db import NotSupportedError
from django.db.migrations import AddIndex, AlterField, RemoveIndex


def _concurrently(schema_editor, operation):
    """True on PostgreSQL (checked to run outside a transaction); False elsewhere: do the plain thing."""
    if schema_editor.connection.vendor != "postgresql":
        return False
    if schema_editor.connection.in_atomic_block:
        raise NotSupportedError(
            f"{type(operation).__name__} cannot run inside a transaction: set atomic = False on the migration."
        )
    return True


def _change_index(operation, app_label, schema_editor, state, change, index=None):
    """Add or remove (``change``: the schema editor's method) the index, concurrently, on the model in ``state``."""
    model = state.apps.get_model(app_label, operation.model_name)
    if operation.allow_migrate_model(schema_editor.connection.alias, model):
        index = index or state.models[app_label, operation.model_name_lower].get_index_by_name(operation.name)
        getattr(schema_editor, change)(model, index, concurrently=True)


class AddIndexConcurrently(AddIndex):
    """``AddIndex`` built with ``CREATE INDEX CONCURRENTLY`` on PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if not _concurrently(schema_editor, self):
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        _change_index(self, app_label, schema_editor, to_state, "add_index", self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if not _concurrently(schema_editor, self):
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        _change_index(self, app_label, schema_editor, from_state, "remove_index", self.index)


class RemoveIndexConcurrently(RemoveIndex):
    """``RemoveIndex`` dropped with ``DROP INDEX CONCURRENTLY`` on PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if not _concurrently(schema_editor, self):
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        _change_index(self, app_label, schema_editor, from_state, "remove_index")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if not _concurrently(schema_editor, self):
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        _change_index(self, app_label, schema_editor, to_state, "add_index")


class AlterFieldIndexConcurrently(AlterField):
    """``AlterField`` that only turns a field's own index (``db_index``) on or off, concurrently on PostgreSQL.

    Any other change of the field is refused: it belongs in an ordinary, atomic migration.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        # AlterField runs backwards through this method too, with the two states swapped.
        if not _concurrently(schema_editor, self):
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        old = from_state.apps.get_model(app_label, self.model_name)._meta.get_field(self.name)
        new = model._meta.get_field(self.name)
        if not _only_db_index_differs(old, new):
            raise NotSupportedError(f"{type(self).__name__} changes only db_index; {self.name} changes more.")
        if old.db_index and not new.db_index:
            for name in _field_index_names(schema_editor, model, new.column):
                schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(name)}")
        elif new.db_index and not old.db_index:
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[new], concurrently=True))


def _only_db_index_differs(old, new):
    _, path, args, kwargs = old.deconstruct()
    _, new_path, new_args, new_kwargs = new.deconstruct()
    kwargs.pop("db_index", None)
    new_kwargs.pop("db_index", None)
    return (path, args, kwargs) == (new_path, new_args, new_kwargs)


def _field_index_names(schema_editor, model, column):
    """The indexes on the column alone that Django made for ``db_index`` (not Meta.indexes, not unique)."""
    declared = {index.name for index in model._meta.indexes}
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, model._meta.db_table)
    return sorted(
        name
        for name, details in constraints.items()
        if details["index"]
        and details["columns"] == [column]
        and not details["unique"]
        and not details["primary_key"]
        and name not in declared
    )
