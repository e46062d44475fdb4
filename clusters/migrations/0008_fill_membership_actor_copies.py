"""Fill the memberships' copies of their actor's kind and size: one ``UPDATE … FROM`` per chunk of ids, each
committed on its own (the migration is not atomic), so that no more than a chunk of memberships is locked
at a time and a large registry is never read into memory. Running it again changes nothing."""

from django.db import migrations

BATCH_SIZE = 5000


def fill_actor_copies(apps, schema_editor):
    Membership = apps.get_model("clusters", "Membership")
    Actor = apps.get_model("clusters", "Actor")
    connection = schema_editor.connection
    membership = connection.ops.quote_name(Membership._meta.db_table)
    actor = connection.ops.quote_name(Actor._meta.db_table)
    # UPDATE … FROM: PostgreSQL, and SQLite from 3.33.
    update = (
        f"UPDATE {membership} SET actor_kind = a.kind, actor_size = a.size FROM {actor} a "
        f"WHERE a.id = {membership}.actor_id AND {membership}.id >= %s"
    )
    memberships = Membership.objects.using(connection.alias).order_by("pk").values_list("pk", flat=True)
    start = memberships.first()
    while start is not None:
        # The first id of the next chunk (keyset: as quick at the end of the table as at its start).
        end = memberships.filter(pk__gte=start)[BATCH_SIZE : BATCH_SIZE + 1].first()
        with connection.cursor() as cursor:
            if end is None:
                cursor.execute(update, [start])
            else:
                cursor.execute(f"{update} AND {membership}.id < %s", [start, end])
        start = end
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            # Statistics of the new columns for the planner, and the visibility map for index-only scans
            # (every row was just written), at once rather than at autovacuum's next round.
            cursor.execute(f"VACUUM (ANALYZE) {membership}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("clusters", "0007_membership_actor_copies"),
    ]

    operations = [
        migrations.RunPython(fill_actor_copies, migrations.RunPython.noop, elidable=True),
    ]
