"""The index from which a cluster's members are counted by kind, size and role (with ``since`` for the counts
up to a date), built without locking the memberships; the actors' covering index that the count used to
probe once per member goes."""

from django.db import migrations, models

from config.migration_ops import AddIndexConcurrently, RemoveIndexConcurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("clusters", "0008_fill_membership_actor_copies"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="membership",
            index=models.Index(
                fields=["cluster", "actor_kind", "actor_size", "role"], include=("since",), name="membership_counts"
            ),
        ),
        RemoveIndexConcurrently(model_name="actor", name="actor_kind_size"),
    ]
