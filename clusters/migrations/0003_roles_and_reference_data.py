"""Create the role groups with their permissions, and load the ubigeo tree and CIIU Rev.4."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from clusters.access import sync_role_permissions
from clusters.reference import load_regions, load_sectors


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate; create them now so the groups can get them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_role_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def load_reference(apps, schema_editor):
    load_regions(apps.get_model("clusters", "Region"))
    load_sectors(apps.get_model("clusters", "Sector"))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("clusters", "0002_initial"),
        ("surveys", "0001_initial"),
        ("instruments", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(load_reference, migrations.RunPython.noop),
    ]
