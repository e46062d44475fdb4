import datetime
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clusters.models import Cluster
from reports.models import ReportJob
from reports.services import report_pdf


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = (
        "Build a cluster's case study (--cluster) or the programme report (--programme) now, with the same code "
        "as the site's report jobs, and write the PDF to a file (or '-' for standard output). Records no job."
    )

    def add_arguments(self, parser):
        subject = parser.add_mutually_exclusive_group(required=True)
        subject.add_argument("--cluster", help="The cluster's slug.")
        subject.add_argument(
            "--programme", action="store_true", help="The programme report: every cluster (or those --user may see)."
        )
        parser.add_argument(
            "--user",
            help="The requesting person's user name: the report's author (and, for --programme, whose clusters).",
        )
        parser.add_argument("--lang", choices=ReportJob.Language.values, default=ReportJob.Language.SPANISH)
        parser.add_argument("--output", help="Where to write the PDF (default: <slug>-<date>.pdf here; '-': stdout).")
        parser.add_argument(
            "--include-submitted", action="store_true", help="Count submitted interviews, not only approved ones."
        )
        parser.add_argument("--from", dest="period_start", type=iso_date, help="Start of the period (YYYY-MM-DD).")
        parser.add_argument("--to", dest="period_end", type=iso_date, help="End of the period (YYYY-MM-DD).")
        parser.add_argument("--author", help="Name printed as the report's author (default: the --user's name).")

    def handle(
        self,
        *args,
        cluster,
        programme,
        user,
        lang,
        output,
        include_submitted,
        period_start,
        period_end,
        author,
        **options,
    ):
        found = None
        if cluster:
            found = Cluster.objects.filter(slug=cluster).first()
            if found is None:
                raise CommandError(f"No cluster with the slug {cluster!r}.")
        person = None
        if user:
            person = get_user_model().objects.filter(username=user).first()
            if person is None:
                raise CommandError(f"No user with the user name {user!r}.")
        job = ReportJob(
            kind=ReportJob.Kind.PROGRAMME if programme else ReportJob.Kind.CASE_STUDY,
            cluster=found,
            requested_by=person,
            language=lang,
            include_submitted=include_submitted,
            period_start=period_start,
            period_end=period_end,
        )
        try:
            job.full_clean(exclude=["requested_by"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        built = report_pdf(job, author=author)
        if output == "-":
            sys.stdout.buffer.write(built.pdf)
            sys.stdout.buffer.flush()
            return
        name = found.slug if found else "programme"
        path = Path(output or f"{name}-{timezone.localdate():%Y-%m-%d}.pdf")
        path.write_bytes(built.pdf)
        self.stdout.write(f"Wrote {path} ({built.page_count} pages, {len(built.pdf):,} bytes).")
