"""The Celery task that builds a report job: another door into ``reports.services``.

It takes the job id, claims the job, lets the services gather, build and store, and records any failure
on the job row in the job's language (the traceback goes to the worker's log, never to the user).
Temporary failures (database, storage) are retried with exponential back-off. While it builds, a thread
refreshes the job's heartbeat, so that a sweep can tell a dead worker from a slow one.
"""

import logging
import threading
from contextlib import contextmanager

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils import timezone

from reports import services
from reports.models import ReportJob

logger = logging.getLogger(__name__)

# Failures worth another try: the database went away, or the file storage did.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)


def retry_delay(retries: int) -> int:
    """Seconds before retry number ``retries + 1``: 5, 10, 20, 40 ... capped."""
    return min(settings.CASEBOOK_REPORT_RETRY_BACKOFF * 2**retries, settings.CASEBOOK_REPORT_RETRY_BACKOFF_MAX)


@shared_task(
    bind=True,
    name="reports.build_report",
    ignore_result=True,  # the job row is the result; and a down Redis must not hold the request
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=settings.CASEBOOK_REPORT_MAX_RETRIES,
    soft_time_limit=settings.CASEBOOK_REPORT_TIME_LIMIT,
    time_limit=settings.CASEBOOK_REPORT_TIME_LIMIT + 30,
)
def build_report(self, job_id, resume=None):
    claim = None
    try:
        services.report_sweep()
        claim = services.report_claim(
            job_id=job_id, worker=services.this_worker(), task_id=self.request.id or "", resume=resume
        )
        if claim is None:
            logger.info("Report job %s: nothing to do (done, failed, or held by a live run)", job_id)
            return
        with _heartbeat(claim, enabled=not self.request.is_eager):
            services.report_build(claim=claim)
    except services.JobLost:
        logger.warning("Report job %s: this run lost the job to a sweep or another run; stopped", job_id)
    except SoftTimeLimitExceeded:
        logger.error("Report job %s: stopped by its soft time limit (%s)", job_id, self.request.timelimit)
        _record_failure(job_id, services.Failure.TOO_LONG, claim)
    except services.BuildError:
        # The data cannot be laid out: a permanent failure, never retried as if the database were down.
        logger.exception("Report job %s: the document could not be laid out", job_id)
        _record_failure(job_id, services.Failure.CONTENT, claim)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries < self.max_retries:
            delay = retry_delay(self.request.retries)
            logger.warning(
                "Report job %s: temporary failure (%s); retry %s of %s in %s s",
                job_id,
                exc,
                self.request.retries + 1,
                self.max_retries,
                delay,
                exc_info=True,
            )
            # A broken database connection is replaced before the job row is touched again.
            close_old_connections()
            if claim is not None:
                _quietly(services.report_release, claim=claim)
            raise self.retry(
                exc=exc,
                countdown=delay,
                args=(job_id,),
                kwargs={"resume": str(claim.token) if claim else resume},
            ) from exc
        logger.exception("Report job %s: giving up after %s retries", job_id, self.request.retries)
        close_old_connections()
        _record_failure(job_id, services.Failure.TEMPORARY, claim)
    except Exception:
        logger.exception("Report job %s: failed", job_id)
        _record_failure(job_id, services.Failure.UNEXPECTED, claim)


def _record_failure(job_id, failure, claim):
    # If even this fails (the database is still down), the job's heartbeat goes stale and the sweep fails it.
    _quietly(services.report_fail, job_id=job_id, failure=failure, claim=claim)


def _quietly(function, **kwargs):
    try:
        return function(**kwargs)
    except Exception:
        logger.exception("Report task: %s failed", function.__name__)
        return None


@contextmanager
def _heartbeat(claim, *, enabled):
    if not enabled:
        yield
        return
    beat = _Heartbeat(claim)
    beat.start()
    try:
        yield
    finally:
        beat.stop()


class _Heartbeat(threading.Thread):
    """Refreshes the job's heartbeat every CASEBOOK_REPORT_HEARTBEAT_SECONDS while the build runs.

    It proves the worker process is alive even when a step of the build is slow; the soft time limit
    stops a build that is alive but stuck.
    """

    def __init__(self, claim):
        super().__init__(name=f"report-heartbeat-{claim.job.pk}", daemon=True)
        self.job_id = claim.job.pk
        self.token = claim.token
        self.stopped = threading.Event()

    def run(self):
        try:
            while not self.stopped.wait(settings.CASEBOOK_REPORT_HEARTBEAT_SECONDS):
                try:
                    ReportJob.objects.filter(pk=self.job_id, claim=self.token, status=ReportJob.Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:
                    logger.warning("Report job %s: heartbeat failed", self.job_id, exc_info=True)
                    connection.close()
        finally:
            connection.close()

    def stop(self):
        self.stopped.set()
        self.join(timeout=5)
