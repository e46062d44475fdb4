"""The prioritisation starts with the default weights (coordinators change them on the priorities page)."""

from django.db import migrations

from mapping.models import DEFAULT_WEIGHTS


def create_weights(apps, schema_editor):
    weight_model = apps.get_model("mapping", "PriorityWeight")
    for criterion, weight in DEFAULT_WEIGHTS.items():
        weight_model.objects.get_or_create(criterion=str(criterion), defaults={"weight": weight})


class Migration(migrations.Migration):
    dependencies = [("mapping", "0001_initial")]

    operations = [migrations.RunPython(create_weights, migrations.RunPython.noop)]
