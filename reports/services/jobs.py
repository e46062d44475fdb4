"""Report jobs: asking for a case study or a programme report, running it, retrying, sweeping and purging.

Views, the Celery task, the demo and the management commands call these; they never change a job row
themselves. How the pieces fit (claims, heartbeats, the sweep) is told in docs/reports.md.
"""

import enum
import logging
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from reports.builder import build_case_study
from reports.gather import gather_case_study
from reports.gather_programme import gather_programme
from reports.models import ReportJob
from reports.pdf import BuildError, BuiltReport
from reports.programme_builder import build_programme_report

logger = logging.getLogger(__name__)
Status = ReportJob.Status


__all__ = ["BuildError", "BuiltReport", "Failure", "JobLost"]


class JobLost(Exception):
    """The run no longer holds the job: a sweep declared its worker dead, or another run took it over."""


class Failure(enum.Enum):
    """Why a job failed, as told to its reader (in the job's language; details go to the log)."""

    WORKER_STOPPED = gettext_lazy(
        "The worker that was building this report stopped before finishing. Nothing is wrong with your "
        "request: use “Try again” to build it again."
    )
    TEMPORARY = gettext_lazy(
        "The report could not be built because the database or the file storage was not available, even "
        "after several tries. Please try again in a few minutes."
    )
    TOO_LONG = gettext_lazy(
        "Building the report took longer than allowed and was stopped. Try a shorter period, or tell the administrator."
    )
    CONTENT = gettext_lazy(
        "The report could not be laid out from the data it holds. Trying again would give the same result; "
        "the error has been recorded for the administrators, who can tell which text caused it."
    )
    UNEXPECTED = gettext_lazy(
        "The report could not be built because of an unexpected error. It has been recorded for the "
        "administrators; please try again later."
    )


@dataclass(frozen=True)
class Claim:
    """A run's hold on a job: progress and the final save count only while the token is the job's."""

    job: ReportJob
    token: uuid.UUID


@dataclass
class SweepResult:
    failed: list[int] = field(default_factory=list)
    requeued: list[int] = field(default_factory=list)


def this_worker() -> str:
    """Who is running a job: host and process id, so that a run on the same host can tell a dead one."""
    return f"{socket.gethostname()}:{os.getpid()}"


# --- Asking ---


ACTIVE = (Status.QUEUED, Status.RUNNING)


@transaction.atomic
def report_request(
    *,
    requested_by,
    cluster=None,
    kind=ReportJob.Kind.CASE_STUDY,
    language=ReportJob.Language.SPANISH,
    include_submitted=False,
    period_start=None,
    period_end=None,
    edition=None,
    enqueue=True,
) -> ReportJob:
    """Record a request for a report and queue it once the transaction commits.

    When the same person already has the same report (kind, cluster and options) waiting or being built,
    that job is returned instead of a new one, with ``existing`` set to True. Raises ValidationError when
    the person already has CASEBOOK_REPORT_MAX_ACTIVE_PER_USER reports waiting or being built.
    """
    # One request at a time per person: two quick clicks cannot both pass the checks below.
    get_user_model().objects.select_for_update().filter(pk=requested_by.pk).first()
    job = ReportJob(
        requested_by=requested_by,
        kind=kind,
        cluster=cluster,
        language=language,
        include_submitted=include_submitted,
        period_start=period_start,
        period_end=period_end,
        edition=edition,
    )
    job.full_clean()
    active = ReportJob.objects.filter(requested_by=requested_by, status__in=ACTIVE)
    same = active.filter(
        kind=kind,
        cluster=cluster,
        language=language,
        include_submitted=include_submitted,
        period_start=period_start,
        period_end=period_end,
        edition=edition,
    ).first()
    if same is not None:
        same.existing = True
        return same
    limit = settings.CASEBOOK_REPORT_MAX_ACTIVE_PER_USER
    if active.count() >= limit:
        raise ValidationError(
            ngettext(
                "You already have %(count)s report waiting or being built. Wait until it is ready before "
                "asking for another one.",
                "You already have %(count)s reports waiting or being built. Wait until one is ready before "
                "asking for another one.",
                limit,
            )
            % {"count": limit},
            code="too_many",
        )
    job.save()
    job.existing = False
    if enqueue:
        transaction.on_commit(partial(report_enqueue, job_id=job.pk))
    return job


class PublishTimeout(Exception):
    """The broker accepted the connection but did not answer within CASEBOOK_REPORT_PUBLISH_TIMEOUT."""


def _publish(job_id):
    """Send the build task; raise when the broker refuses, or PublishTimeout when it does not answer in time.

    A hung Redis (it accepts connections, answers nothing) held the request for 15 s through the client's
    own timeouts and retries; the send is bounded here as a whole. A send that answers later anyway is
    harmless: the sweep's second send of the same job finds it taken and does nothing."""
    from reports.tasks import build_report

    # The limits travel with the message: the worker applies what this process's settings say.
    limit = settings.CASEBOOK_REPORT_TIME_LIMIT
    kwargs = {"args": [job_id], "soft_time_limit": limit, "time_limit": limit + 30}
    if build_report.app.conf.task_always_eager:
        return build_report.apply_async(**kwargs)  # in-process: the build itself, which must not be cut short
    outcome = {}

    def send():
        try:
            outcome["result"] = build_report.apply_async(**kwargs)
        except Exception as error:
            outcome["error"] = error

    sender = threading.Thread(target=send, name=f"report-publish-{job_id}", daemon=True)
    sender.start()
    sender.join(settings.CASEBOOK_REPORT_PUBLISH_TIMEOUT)
    if sender.is_alive():
        raise PublishTimeout(f"the broker did not answer within {settings.CASEBOOK_REPORT_PUBLISH_TIMEOUT} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def report_enqueue(*, job_id) -> bool:
    """Hand the job to the queue. When the broker cannot be reached, or does not answer within
    CASEBOOK_REPORT_PUBLISH_TIMEOUT seconds, the job stays queued, marked as waiting for the queue; the
    sweep hands it over when the broker is back. Never raises."""
    # Marked first: an eager run (no broker) starts the task inside apply_async, and its sweep must not
    # pick this job up again.
    ReportJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
    try:
        result = _publish(job_id)
    except Exception:
        logger.warning("Report job %s could not be queued; it will be queued again by the sweep", job_id, exc_info=True)
        ReportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
            enqueued_at=None, enqueue_failed_at=timezone.now()
        )
        return False
    ReportJob.objects.filter(pk=job_id).update(enqueue_failed_at=None, task_id=result.id or "")
    return True


def may_retry(job, now=None) -> bool:
    """A failed job, or a queued one that never reached a worker: the queue refused it, or it has waited
    longer than a whole build may take (its message was lost, e.g. Redis was restarted without its data)."""
    if job.status == Status.FAILED:
        return True
    if job.status != Status.QUEUED:
        return False
    if job.enqueued_at is None:
        return job.enqueue_failed_at is not None
    now = now or timezone.now()
    return job.enqueued_at < now - timedelta(seconds=settings.CASEBOOK_REPORT_TIME_LIMIT)


@transaction.atomic
def report_retry(*, job) -> ReportJob:
    """Put a failed (or never started) job back in the queue with the same parameters."""
    job = ReportJob.objects.select_for_update().get(pk=job.pk)
    if not may_retry(job):
        raise ValidationError(_("Only a report that failed or never started can be tried again."))
    job.status = Status.QUEUED
    job.progress = 0
    job.error = ""
    job.attempts = 0
    job.claim = None
    job.worker = ""
    job.started_at = job.heartbeat_at = job.finished_at = None
    job.enqueued_at = job.enqueue_failed_at = None
    job.full_clean()
    job.save(
        update_fields=[
            "status",
            "progress",
            "error",
            "attempts",
            "claim",
            "worker",
            "started_at",
            "heartbeat_at",
            "finished_at",
            "enqueued_at",
            "enqueue_failed_at",
        ]
    )
    transaction.on_commit(partial(report_enqueue, job_id=job.pk))
    return job


# --- Running (the task, the demo) ---


def _run_is_dead(job, now) -> bool:
    """True when the run holding the job has stopped: no heartbeat for too long, or its process is gone
    from this host (Celery hands the job of a killed pool process straight to another one)."""
    stale = now - timedelta(seconds=settings.CASEBOOK_REPORT_STALE_SECONDS)
    if (job.heartbeat_at or job.started_at or job.created_at) < stale:
        return True
    host, _sep, pid = job.worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def report_claim(*, job_id, worker, task_id="", resume=None) -> Claim | None:
    """Take the job for this run, or None when there is nothing to do.

    Nothing to do: the job is done or failed, or another live run holds it (a second delivery of the same
    job). A run that died is taken over, at most CASEBOOK_REPORT_MAX_ATTEMPTS runs in all; then the job
    fails. ``resume`` is the token of this task's previous attempt, after a temporary failure.
    """
    now = timezone.now()
    with transaction.atomic():
        # Lock the job row only, not the cluster and user rows joined to it.
        job = (
            ReportJob.objects.select_for_update(of=("self",))
            .select_related("cluster", "requested_by")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.status in (Status.DONE, Status.FAILED):
            return None
        if job.status == Status.RUNNING and not (resume and str(job.claim) == str(resume)):
            if not _run_is_dead(job, now):
                return None
            logger.warning("Report job %s: the run on %s stopped; taking it over", job.pk, job.worker)
            if job.attempts >= settings.CASEBOOK_REPORT_MAX_ATTEMPTS:
                _mark_failed(job, Failure.WORKER_STOPPED, now)
                return None
        job.status = Status.RUNNING
        job.claim = uuid.uuid4()
        job.worker = worker
        job.task_id = task_id or job.task_id
        job.attempts += 1
        job.progress = 0
        job.error = ""
        job.started_at = job.heartbeat_at = now
        job.save(
            update_fields=[
                "status",
                "claim",
                "worker",
                "task_id",
                "attempts",
                "progress",
                "error",
                "started_at",
                "heartbeat_at",
            ]
        )
    return Claim(job=job, token=job.claim)


class _ProgressWriter:
    """Writes a run's progress and heartbeat; raises JobLost when the run no longer holds the job."""

    def __init__(self, claim: Claim):
        self.job_id = claim.job.pk
        self.token = claim.token

    def __call__(self, percent: int):
        if settings.CASEBOOK_TEST_REPORT_STEP_DELAY:
            # Integration-suite hook (see config/settings.py): a slow build that a test can interrupt.
            time.sleep(settings.CASEBOOK_TEST_REPORT_STEP_DELAY)
        held = ReportJob.objects.filter(pk=self.job_id, claim=self.token, status=Status.RUNNING).update(
            progress=min(percent, 99), heartbeat_at=timezone.now()
        )
        if not held:
            raise JobLost(self.job_id)


def case_study_build(job, *, author=None, on_progress=None) -> BuiltReport:
    """The case study that ``job`` (saved or not) asks for, as PDF bytes: gather, then the pure builder.

    The task, the demo and ``manage.py make_report`` all build through here. Raises BuildError when the
    data cannot be laid out (a permanent failure: trying again would fail the same way).
    """
    progress = on_progress or (lambda percent: None)
    data = gather_case_study(job, author=author)
    progress(10)
    return build_case_study(data, on_progress=lambda percent: progress(10 + percent * 85 // 100))


def programme_build(job, *, author=None, on_progress=None) -> BuiltReport:
    """The programme report that ``job`` asks for (every cluster its requester may see), as PDF bytes."""
    progress = on_progress or (lambda percent: None)
    data = gather_programme(job, author=author)
    progress(10)
    return build_programme_report(data, on_progress=lambda percent: progress(10 + percent * 85 // 100))


def report_pdf(job, *, author=None, on_progress=None) -> BuiltReport:
    """The PDF of any kind of report job: the case study of a cluster, or the programme report."""
    if job.is_programme:
        return programme_build(job, author=author, on_progress=on_progress)
    return case_study_build(job, author=author, on_progress=on_progress)


def report_build(*, claim: Claim) -> ReportJob:
    """Build the claimed job's case study, store the PDF and mark the job done.

    Raises JobLost if the run lost the job meanwhile (the stored file is then removed); database and
    storage errors propagate to the caller, which may retry.
    """
    job = claim.job
    progress = _ProgressWriter(claim)
    progress(2)
    built = report_pdf(job, on_progress=progress)
    job.file.save("report.pdf", ContentFile(built.pdf), save=False)
    stored = job.file.name
    try:
        with transaction.atomic():
            current = ReportJob.objects.select_for_update().get(pk=job.pk)
            if current.claim != claim.token or current.status != Status.RUNNING:
                raise JobLost(job.pk)
            now = timezone.now()
            current.file.name = stored
            current.page_count = built.page_count
            current.status = Status.DONE
            current.progress = 100
            current.error = ""
            current.claim = None
            current.finished_at = current.heartbeat_at = now
            current.full_clean()
            current.save(
                update_fields=[
                    "file",
                    "page_count",
                    "status",
                    "progress",
                    "error",
                    "claim",
                    "finished_at",
                    "heartbeat_at",
                ]
            )
    except BaseException:
        _delete_quietly(job.file.storage, stored)
        raise
    logger.info("Report job %s done: %s pages, %s bytes", job.pk, built.page_count, len(built.pdf))
    return current


def _delete_quietly(storage, name):
    try:
        storage.delete(name)
    except Exception:
        logger.warning("Could not remove the orphan report file %s", name, exc_info=True)


def report_release(*, claim: Claim) -> bool:
    """Put a job back in the queue after a temporary failure, if this run still holds it."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=claim.job.pk)
        if job.claim != claim.token or job.status != Status.RUNNING:
            return False
        job.status = Status.QUEUED
        job.claim = None
        job.progress = 0
        job.save(update_fields=["status", "claim", "progress"])
    return True


def report_fail(*, job_id, failure: Failure, claim: Claim | None = None) -> bool:
    """Record that the job failed, with the reason in the job's language.

    With ``claim``, only while that run still holds the job; without, only a job that no run holds yet.
    """
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return False
        if claim is not None and (job.claim != claim.token or job.status != Status.RUNNING):
            return False
        if claim is None and job.status != Status.QUEUED:
            return False
        _mark_failed(job, failure, timezone.now())
    return True


def _mark_failed(job, failure: Failure, now):
    with translation.override(job.language):
        job.error = str(failure.value)
    job.status = Status.FAILED
    job.claim = None
    job.finished_at = now
    job.save(update_fields=["error", "status", "claim", "finished_at"])


# --- Keeping the queue honest ---


def report_sweep(*, now=None) -> SweepResult:
    """Fail the running jobs whose worker stopped (no heartbeat for CASEBOOK_REPORT_STALE_SECONDS), hand the
    jobs the broker refused to the queue again (at most every CASEBOOK_REPORT_REQUEUE_SECONDS), and those whose
    message the broker no longer holds CASEBOOK_REPORT_LOST_SECONDS after it was sent (Redis restarted empty).

    One query when there is nothing to do; run on a schedule by reports.sweeper (in each worker, or in the
    web process when tasks run in-process), at the start of each task, and by ``manage.py sweep_reports``.
    Never in a page view.
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.CASEBOOK_REPORT_STALE_SECONDS)
    lost = Q(status=Status.RUNNING) & (Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, started_at__lt=stale))
    # A run on this host whose process is gone (a worker killed and restarted) need not wait to go stale; but
    # a killed pool process's message goes at once to another pool process, which takes the job over: that
    # run is left two heartbeats to do so.
    taken_over_by_now = now - timedelta(seconds=2 * settings.CASEBOOK_REPORT_HEARTBEAT_SECONDS)
    on_this_host = Q(
        status=Status.RUNNING, worker__startswith=f"{socket.gethostname()}:", heartbeat_at__lt=taken_over_by_now
    )
    refused = Q(
        status=Status.QUEUED,
        enqueued_at__isnull=True,
        enqueue_failed_at__lt=now - timedelta(seconds=settings.CASEBOOK_REPORT_REQUEUE_SECONDS),
    )
    sent_a_while_ago = Q(
        status=Status.QUEUED, enqueued_at__lt=now - timedelta(seconds=settings.CASEBOOK_REPORT_LOST_SECONDS)
    )
    result = SweepResult()
    rows = ReportJob.objects.filter(lost | on_this_host | refused | sent_a_while_ago).order_by("pk")
    rows = list(rows.values_list("pk", "status", "enqueued_at", "task_id"))
    waiting = [task_id for _pk, status, enqueued_at, task_id in rows if status == Status.QUEUED and enqueued_at]
    held = broker_holds(waiting) if waiting else set()
    for pk, status, enqueued_at, task_id in rows:
        if status == Status.RUNNING:
            with transaction.atomic():
                job = ReportJob.objects.select_for_update().filter(lost | on_this_host, pk=pk).first()
                if job is None or not _run_is_dead(job, now):
                    continue
                logger.warning(
                    "Report job %s: no heartbeat from %s since %s, or its process is gone; marked failed",
                    pk,
                    job.worker,
                    job.heartbeat_at,
                )
                _mark_failed(job, Failure.WORKER_STOPPED, now)
            result.failed.append(pk)
            continue
        if enqueued_at is not None:
            if held is None or task_id in held:
                continue  # still waiting in the queue or taken by a worker (or the broker cannot tell)
            logger.warning("Report job %s: its message %s is no longer in the broker; sending it again", pk, task_id)
        if report_enqueue(job_id=pk):
            result.requeued.append(pk)
    return result


def broker_holds(task_ids) -> set | None:
    """Which of ``task_ids`` the broker still holds, waiting in the queue or taken by a worker (unacked).

    None when it cannot tell: tasks run in-process, the broker is not Redis, or it does not answer."""
    from config.celery import app

    if app.conf.task_always_eager or not str(app.conf.broker_url or "").startswith(("redis://", "rediss://")):
        return None
    queue = app.conf.task_default_queue
    try:
        with app.connection_for_read() as conn:
            client = conn.default_channel.client
            # kombu's Redis transport: one list per priority step, and a hash of the messages being worked on.
            messages = [
                m for name in (queue, *(f"{queue}\x06\x16{p}" for p in (3, 6, 9))) for m in client.lrange(name, 0, -1)
            ]
            messages += client.hvals("unacked")
    except Exception:
        logger.warning("Report sweep: the broker could not be asked which messages it holds", exc_info=True)
        return None
    text = b"\n".join(m if isinstance(m, bytes) else str(m).encode() for m in messages)
    return {task_id for task_id in task_ids if task_id and task_id.encode() in text}


# --- Keeping storage small ---


def report_purge(*, older_than_days: int, now=None) -> list[ReportJob]:
    """Delete the files of reports finished more than ``older_than_days`` days ago; keep the rows, marked."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=older_than_days)
    purged = []
    jobs = (
        ReportJob.objects.filter(status=Status.DONE, purged_at__isnull=True, finished_at__lt=cutoff)
        .exclude(file="")
        .select_related("cluster")
        .order_by("pk")
    )
    for job in jobs:
        job.file.delete(save=False)
        job.file = ""
        job.purged_at = now
        job.save(update_fields=["file", "purged_at"])
        purged.append(job)
    return purged
