from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _after_migrate(sender, using="default", **kwargs):
    """Keep the role groups and reference data in place after every migrate or test flush."""
    from django.contrib.auth.models import Group, Permission

    from clusters.access import sync_role_permissions
    from clusters.models import Region, Sector
    from clusters.reference import load_regions, load_sectors

    sync_role_permissions(Group, Permission)
    if sender.name == "clusters":
        if not Region.objects.using(using).exists():
            load_regions(Region)
        if not Sector.objects.using(using).exists():
            load_sectors(Sector)


class ClustersConfig(AppConfig):
    name = "clusters"
    verbose_name = _("Cluster registry")

    def ready(self):
        from clusters.collation import install_sqlite_collation

        post_migrate.connect(_after_migrate, dispatch_uid="casebook_after_migrate")
        connection_created.connect(install_sqlite_collation, dispatch_uid="casebook_spanish_collation")
