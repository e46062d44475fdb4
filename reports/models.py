"""Documents: report jobs made by Celery workers."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusters.models import Cluster


def report_path(instance, filename):
    # Random names under reports/: a file is only ever served through the download view.
    return f"reports/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}.pdf"


class ReportJob(models.Model):
    class Kind(models.TextChoices):
        CASE_STUDY = "case_study", _("Cluster case study")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Language(models.TextChoices):
        SPANISH = "es", _("Spanish")
        ENGLISH = "en", _("English")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CASE_STUDY)
    cluster = models.ForeignKey(Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateField(pgettext_lazy("period", "from"), null=True, blank=True)
    period_end = models.DateField(pgettext_lazy("period", "to"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.SPANISH)
    include_submitted = models.BooleanField(
        _("include submitted interviews"),
        default=False,
        help_text=_("Off: only approved interviews. On: submitted interviews count too."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="report_jobs"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=report_path, max_length=255, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(max_length=255, blank=True)
    # The run that holds the job: a token per claim, and "host:pid" of the process doing the work.
    # Progress, heartbeat and the final save only count while the token is still the job's.
    claim = models.UUIDField(null=True, blank=True, editable=False)
    worker = models.CharField(_("worker"), max_length=255, blank=True)
    # When the job was handed to the queue (null: not yet, e.g. the broker was down) and the last failed try.
    enqueued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    enqueue_failed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Updated while a worker builds the document; a stale heartbeat means a dead worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The file was deleted by purge_reports; the row stays for the record.
    purged_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.cluster} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("reports:detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValidationError({"period_end": _("The end of the period must not be before its start.")})

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def has_file(self):
        return self.status == self.Status.DONE and bool(self.file) and self.purged_at is None

    @property
    def waiting_for_queue(self):
        """Queued but not handed to the broker: it was down when the job was asked for."""
        return self.status == self.Status.QUEUED and self.enqueued_at is None and self.enqueue_failed_at is not None

    @property
    def retrying(self):
        """Queued again after a temporary failure: a retry is scheduled."""
        return self.status == self.Status.QUEUED and self.attempts > 0
