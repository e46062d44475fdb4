# The cluster's own index on interviews is a prefix of interview_cluster_status and interview_cluster_newest,
# which serve every lookup by cluster; dropping it saves a write per interview. On PostgreSQL it is dropped
# concurrently (no lock on a live table of interviews), hence atomic = False (config/migration_ops.py).

import django.db.models.deletion
from django.db import migrations, models

from config.migration_ops import AlterFieldIndexConcurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('clusters', '0006_sector_groups_and_classes'),
        ('surveys', '0006_interview_observations'),
    ]

    operations = [
        AlterFieldIndexConcurrently(
            model_name='interview',
            name='cluster',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='interviews', to='clusters.cluster', verbose_name='cluster'),
        ),
    ]
