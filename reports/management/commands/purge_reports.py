from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.services import report_purge


class Command(BaseCommand):
    help = (
        "Delete the PDF files of reports finished more than N days ago (default CASEBOOK_REPORT_RETENTION_DAYS). "
        "The jobs stay, marked as purged, for the record."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.CASEBOOK_REPORT_RETENTION_DAYS,
            help="Keep files of reports finished in the last N days (default %(default)s).",
        )

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("--days must be zero or more.")
        purged = report_purge(older_than_days=days)
        for job in purged:
            subject = job.cluster.slug if job.cluster_id else "programme"
            self.stdout.write(f"Job {job.pk} ({subject}, finished {job.finished_at:%Y-%m-%d}): file deleted.")
        self.stdout.write(
            self.style.SUCCESS(f"Purged {len(purged)} report file(s) of reports finished more than {days} days ago.")
        )
