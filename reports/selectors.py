"""Reads about report jobs that the pages, the status endpoint and the home page share."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusters.access import scope_to_clusters
from reports.models import ReportEdition, ReportJob


def visible_jobs(user):
    """Everyone's report jobs on the clusters this user may see, newest first, ready for a list."""
    return scope_to_clusters(ReportJob.objects.select_related("cluster", "requested_by"), user).order_by(
        "-created_at", "-pk"
    )


def get_visible_job(user, pk):
    """The job if its cluster is visible to the user; 404 otherwise (no hint that it exists)."""
    job = visible_jobs(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def status_message(job):
    """One sentence that says where the job stands, for the page and for screen readers."""
    if job.status == ReportJob.Status.QUEUED:
        if job.waiting_for_queue:
            return _(
                "The job queue is not available right now. Your report will start as soon as it is back; "
                "you do not need to ask again."
            )
        if job.retrying:
            return _("A temporary problem interrupted the build. It will be tried again shortly.")
        return _("Waiting for a worker to start the report.")
    if job.status == ReportJob.Status.RUNNING:
        return _("The report is being built.")
    if job.status == ReportJob.Status.DONE:
        if job.purged_at:
            return _(
                "The file of this report was deleted on %(date)s, after the retention period. Ask for a new one."
            ) % {"date": date_format(timezone.localtime(job.purged_at), "DATE_FORMAT")}
        pages = job.page_count or 0
        return ngettext("The report is ready: %(pages)s page.", "The report is ready: %(pages)s pages.", pages) % {
            "pages": pages
        }
    return _("The report could not be built.")


def job_status(job):
    """What the progress script needs to update the job's page."""
    return {
        "status": job.status,
        "label": job.get_status_display(),
        "progress": job.progress,
        "finished": job.is_finished,
        "message": status_message(job),
        "error": job.error if job.status == ReportJob.Status.FAILED else "",
        "download_url": reverse("reports:download", kwargs={"pk": job.pk}) if job.has_file else None,
    }


def latest_jobs_of(user, *, limit):
    """The user's own latest report jobs (on clusters they may still see), newest first."""
    return list(visible_jobs(user).filter(requested_by=user)[:limit])


def visible_editions(user, *, cluster=None):
    """The report editions of the clusters this user may see (of one cluster, if given), newest first."""
    editions = scope_to_clusters(ReportEdition.objects.select_related("cluster", "created_by"), user)
    if cluster is not None:
        editions = editions.filter(cluster=cluster)
    return editions.order_by("cluster__name", "-updated_at", "-pk")


def get_visible_edition(user, pk):
    """The edition if its cluster is visible to the user; 404 otherwise."""
    edition = visible_editions(user).filter(pk=pk).first()
    if edition is None:
        raise Http404
    return edition


def edition_history(edition, *, limit=30):
    """Who saved the edition, when, and in which state, newest first (from django-simple-history)."""
    records = edition.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit]
    labels = dict(ReportEdition.Status.choices)
    return [
        {
            "date": record.history_date,
            "who": (record.history_user.get_full_name() or record.history_user.get_username())
            if record.history_user
            else "—",
            "status": labels.get(record.status, record.status),
            "title": record.title,
            "kind": record.get_history_type_display(),
        }
        for record in records
    ]
