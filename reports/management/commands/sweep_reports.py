from django.core.management.base import BaseCommand

from reports.services import report_sweep


class Command(BaseCommand):
    help = (
        "Fail report jobs whose worker stopped (no heartbeat for CASEBOOK_REPORT_STALE_SECONDS) and queue again "
        "the jobs the broker refused. Run it from cron every few minutes."
    )

    def handle(self, *args, **options):
        result = report_sweep()
        for pk in result.failed:
            self.stdout.write(f"Job {pk}: its worker stopped; marked failed (it can be retried from its page).")
        for pk in result.requeued:
            self.stdout.write(f"Job {pk}: handed to the queue again.")
        self.stdout.write(
            self.style.SUCCESS(f"Swept: {len(result.failed)} failed, {len(result.requeued)} queued again.")
        )
