from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from clusters import demo as cluster_demo
from instruments import demo as instruments_demo
from mapping import demo as mapping_demo
from reports import demo as reports_demo
from surveys import demo as survey_demo

# Each app adds its part of the demo programme, in this order (later parts build on earlier ones).
DEMO_STEPS = [
    cluster_demo.build,
    survey_demo.build,
    instruments_demo.build,
    # The illustrative economic dataset, once the clusters exist (their criteria are computed with it).
    mapping_demo.build,
    # Last: the finished case studies gather everything the steps above created.
    reports_demo.build,
]


class Command(BaseCommand):
    help = "Load the demo programme (accounts, clusters, actors ...). Only with DEBUG on, or --force. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even when DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: it creates accounts with a known password. "
                "Use --force if you really mean it."
            )
        with translation.override("es"), transaction.atomic():
            for step in DEMO_STEPS:
                step(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Accounts use the password 'casebook-demo'."))
