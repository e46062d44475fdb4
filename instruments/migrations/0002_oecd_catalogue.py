"""Load the OECD catalogue of the article's Cuadro 1 (three headings, eight goals, their instruments)."""

from django.db import migrations

from instruments.catalogue import load_catalogue


def load(apps, schema_editor):
    load_catalogue(apps.get_model("instruments", "Goal"), apps.get_model("instruments", "InstrumentType"))


class Migration(migrations.Migration):
    dependencies = [
        ("instruments", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
