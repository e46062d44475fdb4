"""Actors get a folded name key (no case, accents, punctuation or legal form) for duplicate checks and search."""

from django.db import migrations, models

BATCH_SIZE = 2000


def fill_name_keys(apps, schema_editor):
    from clusters.models import actor_name_key

    Actor = apps.get_model("clusters", "Actor")
    # In chunks, so that a large registry is never held in memory at once.
    batch = []
    for actor in Actor.objects.only("pk", "name").order_by("pk").iterator(chunk_size=BATCH_SIZE):
        actor.name_key = actor_name_key(actor.name)
        batch.append(actor)
        if len(batch) == BATCH_SIZE:
            Actor.objects.bulk_update(batch, ["name_key"], batch_size=500)
            batch = []
    if batch:
        Actor.objects.bulk_update(batch, ["name_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0003_roles_and_reference_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="actor",
            name="name_key",
            field=models.CharField(db_index=True, default="", editable=False, max_length=255),
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
    ]
