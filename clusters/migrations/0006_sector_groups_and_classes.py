"""CIIU Rev.4 groups and classes beside the sections and divisions (the measures of mapping/ use them)."""

from django.db import migrations, models

from clusters.reference import load_sectors


def load_groups_and_classes(apps, schema_editor):
    load_sectors(apps.get_model("clusters", "Sector"))


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0005_actor_kind_size_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="sector",
            name="level",
            field=models.CharField(
                choices=[("section", "Section"), ("division", "Division"), ("group", "Group"), ("class", "Class")],
                max_length=10,
                verbose_name="level",
            ),
        ),
        migrations.RunPython(load_groups_and_classes, migrations.RunPython.noop),
    ]
