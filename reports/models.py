"""Documents: report jobs made by Celery workers, the coordinators' editions of a report, and who publishes them."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clusters.models import Cluster


def report_path(instance, filename):
    # Random names under reports/: a file is only ever served through the download view.
    return f"reports/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}.pdf"


class ReportJob(models.Model):
    class Kind(models.TextChoices):
        CASE_STUDY = "case_study", _("Cluster case study")
        PROGRAMME = "programme", _("Programme report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Language(models.TextChoices):
        SPANISH = "es", _("Spanish")
        ENGLISH = "en", _("English")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CASE_STUDY)
    # Empty for a programme report, which covers every cluster its requester may see.
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="reports", null=True, blank=True
    )
    # The coordinator's text the case study sets (empty: the cluster's latest final edition, if any).
    edition = models.ForeignKey(
        "ReportEdition",
        verbose_name=_("edition"),
        on_delete=models.SET_NULL,
        related_name="jobs",
        null=True,
        blank=True,
    )
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
        indexes = [
            models.Index(fields=["status", "heartbeat_at"]),
            # A person's jobs still waiting or running (the limit per person, and asking twice).
            models.Index(fields=["requested_by", "status"]),
        ]

    def __str__(self):
        subject = self.cluster if self.cluster_id else _("all clusters")
        return f"{self.get_kind_display()} · {subject} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("reports:detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValidationError({"period_end": _("The end of the period must not be before its start.")})
        if self.kind == self.Kind.CASE_STUDY and not self.cluster_id:
            raise ValidationError({"cluster": _("Choose the cluster of the case study.")})
        if self.kind == self.Kind.PROGRAMME and self.cluster_id:
            raise ValidationError({"cluster": _("A programme report covers every cluster; it has none of its own.")})
        if self.edition_id and self.edition.cluster_id != self.cluster_id:
            raise ValidationError({"edition": _("This edition belongs to another cluster.")})

    @property
    def is_programme(self):
        return self.kind == self.Kind.PROGRAMME

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


class ReportEdition(models.Model):
    """The coordinator's voice in one edition of a cluster's case study: diagnosis (strengths and
    weaknesses), lessons and recommendations, with the findings to lead with and how the interviewees were
    chosen. A draft can be changed; a final edition is what a report cites as agreed (it can be reopened,
    and its history keeps every version)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    cluster = models.ForeignKey(Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="editions")
    title = models.CharField(_("title"), max_length=200, help_text=_("For example “Annual report 2025”."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    strengths = models.TextField(
        _("strengths"), blank=True, help_text=_("One per line; a line starting with “-” is a bullet.")
    )
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    key_findings = models.TextField(
        _("key findings"),
        blank=True,
        help_text=_(
            "Three to five findings for the executive summary, one per line. Empty: the report picks the "
            "clearest answers of the interviews."
        ),
    )
    sampling = models.TextField(
        _("how the interviewees were chosen"), blank=True, help_text=_("Printed in the methodology annex.")
    )
    limitations = models.TextField(_("limitations"), blank=True, help_text=_("Printed in the methodology annex."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    finalised_at = models.DateTimeField(_("marked final at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked final by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "-updated_at", "-pk"]
        verbose_name = _("report edition")
        verbose_name_plural = _("report editions")
        permissions = [("finalise_reportedition", _("Can mark a report edition final"))]
        indexes = [models.Index(fields=["cluster", "status", "-updated_at"])]

    def __str__(self):
        return f"{self.title} · {self.cluster} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("reports:edition_detail", kwargs={"pk": self.pk})

    @property
    def is_final(self):
        return self.status == self.Status.FINAL


class ProgrammeSettings(models.Model):
    """Who publishes the reports: the programme and its institution, with a logo, printed on every cover.

    One row (pk 1), changed by an administrator. The logo is kept in the database (a few hundred KB at
    most), checked by its content when uploaded, and handed to ReportLab as bytes, never as a path."""

    SINGLETON = 1

    programme_name = models.CharField(_("programme"), max_length=200, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    logo = models.BinaryField(_("logo"), null=True, blank=True, editable=False)
    logo_type = models.CharField(max_length=20, blank=True, editable=False)
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("programme settings")
        verbose_name_plural = _("programme settings")

    def __str__(self):
        return self.programme_name or str(_("Programme settings"))

    @classmethod
    def current(cls):
        """The settings row (an empty, unsaved one before an administrator has set anything)."""
        return cls.objects.filter(pk=cls.SINGLETON).first() or cls(pk=cls.SINGLETON)
