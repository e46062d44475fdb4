# The findings' bucket stamps sum the interviews' ids too (surveys.tallies.current_buckets): the index that
# serves them includes the id, so that they are still read from the index alone. Built before the old one is
# dropped, both concurrently on PostgreSQL (no lock on a live table of interviews), hence atomic = False.

from django.db import migrations, models

from config.migration_ops import AddIndexConcurrently, RemoveIndexConcurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("surveys", "0008_findings_buckets"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="interview",
            index=models.Index(
                fields=["cluster", "status", "version"],
                include=("date", "updated_at", "lock_version", "id"),
                name="interview_cluster_stamp",
            ),
        ),
        RemoveIndexConcurrently(
            model_name="interview",
            name="interview_cluster_status",
        ),
    ]
