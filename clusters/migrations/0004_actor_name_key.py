"""Actors get a folded name key (no case, accents, punctuation or legal form) for duplicate checks and search."""

from django.db import migrations, models


def fill_name_keys(apps, schema_editor):
    from clusters.models import actor_name_key

    Actor = apps.get_model("clusters", "Actor")
    actors = list(Actor.objects.only("pk", "name"))
    for actor in actors:
        actor.name_key = actor_name_key(actor.name)
    Actor.objects.bulk_update(actors, ["name_key"], batch_size=500)


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
