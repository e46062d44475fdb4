"""Memberships get copies of their actor's kind and size (empty until 0008 fills them), so that a cluster's
members are counted by kind, size and role from the memberships alone. Adding a column with a constant
default is a change of the catalogue on PostgreSQL (no table rewrite): this migration is quick on any size."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0006_sector_groups_and_classes"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="actor_kind",
            field=models.CharField(blank=True, default="", editable=False, max_length=30),
        ),
        migrations.AddField(
            model_name="membership",
            name="actor_size",
            field=models.CharField(blank=True, default="", editable=False, max_length=10),
        ),
    ]
