"""Report jobs against the real thing: PostgreSQL, Redis and a `celery worker` process.

A case study asked for on the site is built by the worker and downloaded; a worker killed halfway leaves
a failed (then retried) job or a job taken over at once, never one that stays 'running'; a database
connection dropped halfway is retried; a broker that is down does not hold the request.
"""

import os
import signal
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportJob
from tests.integration.conftest import WORKER_LOG, child_pids
from tests.reports.conftest import pdf_pages
from tests.world import build_world

# No serialized_rollback: after each flush the post-migrate handlers restore the groups, the ubigeo tree,
# CIIU and the instrument catalogue (clusters/apps.py, instruments/apps.py).
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def wait_for(job, predicate, timeout=60, what="the job"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if predicate(job):
            return job
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen within {timeout} s: {job.status} {job.progress}% {job.error}")


def ask_for_case_study(client, world, **extra):
    client.force_login(world.users["manager"])
    response = client.post(reverse("reports:request"), {"cluster": "camelidos", "language": "es", **extra})
    assert response.status_code == 302
    return ReportJob.objects.latest("pk")


def downloaded_pages(client, job):
    response = client.get(reverse("reports:download", kwargs={"pk": job.pk}))
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF-")
    job.file.delete(save=False)
    return pdf_pages(pdf)


def test_a_case_study_asked_for_on_the_site_is_built_by_the_worker_and_downloaded(celery_worker_process, client):
    world = build_world()
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    job = ask_for_case_study(client, world)
    assert job.enqueued_at is not None and job.task_id
    job = wait_for(job, lambda job: job.status == ReportJob.Status.DONE, what="the build")
    assert job.worker.split(":")[0]  # host:pid of the worker process, not this one
    assert job.worker != f"{os.uname().nodename}:{os.getpid()}"
    page = client.get(job.get_absolute_url()).content.decode()
    assert reverse("reports:download", kwargs={"pk": job.pk}) in page
    pages = downloaded_pages(client, job)
    assert len(pages) == job.page_count
    assert "Pelos Finos de Camélidos" in pages[0]


def test_a_worker_killed_halfway_leaves_a_failed_job_that_can_be_retried(workers, client, settings):
    world = build_world()
    slow = workers.slow(step_delay=0.5)
    job = ask_for_case_study(client, world)
    wait_for(job, lambda job: job.status == ReportJob.Status.RUNNING and job.progress >= 10, what="a start")
    slow.stop(kill=True)  # SIGKILL the main process; its pool processes die with it (PR_SET_PDEATHSIG)
    killed_at = time.monotonic()
    time.sleep(1.5)
    job.refresh_from_db()
    # Straight after the crash the row still says running: nobody was left to say otherwise.
    assert job.status == ReportJob.Status.RUNNING and job.progress < 100
    workers.normal()
    settings.CASEBOOK_REPORT_STALE_SECONDS = 3
    while time.monotonic() - killed_at < 4:
        time.sleep(0.2)
    call_command("sweep_reports", stdout=open(os.devnull, "w"))  # noqa: SIM115
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.error.startswith("El proceso de trabajo que elaboraba este informe se detuvo")
    assert "Traceback" not in job.error
    response = client.post(reverse("reports:retry", kwargs={"pk": job.pk}))
    assert response.status_code == 302
    job = wait_for(job, lambda job: job.status == ReportJob.Status.DONE, what="the retried build")
    assert job.attempts == 1 and job.error == ""
    assert "Pelos Finos de Camélidos" in downloaded_pages(client, job)[0]


def test_a_pool_process_killed_halfway_has_its_job_taken_over_at_once(workers, client):
    world = build_world()
    slow = workers.slow(step_delay=0.3)
    job = ask_for_case_study(client, world)
    job = wait_for(job, lambda job: job.status == ReportJob.Status.RUNNING and job.progress >= 10, what="a start")
    pid = int(job.worker.rsplit(":", 1)[1])
    assert pid in child_pids(slow.process.pid)
    os.kill(pid, signal.SIGKILL)
    # acks_late + reject_on_worker_lost: Celery hands the message to a new pool process, which sees the old
    # one is gone from this host and takes the job over without waiting for its heartbeat to go stale.
    job = wait_for(job, lambda job: job.status == ReportJob.Status.DONE, timeout=90, what="the taken-over build")
    assert job.attempts == 2
    assert int(job.worker.rsplit(":", 1)[1]) != pid
    assert "taking it over" in WORKER_LOG.read_text()
    assert len(downloaded_pages(client, job)) == job.page_count


def test_a_database_connection_dropped_halfway_is_retried(workers, client):
    world = build_world()
    workers.slow(step_delay=0.3, CASEBOOK_REPORT_RETRY_BACKOFF="1")
    job = ask_for_case_study(client, world)
    wait_for(job, lambda job: job.status == ReportJob.Status.RUNNING and job.progress >= 10, what="a start")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchall(), "the worker had no database connection to drop"
    job = wait_for(job, lambda job: job.status == ReportJob.Status.DONE, timeout=90, what="the retried build")
    assert job.attempts == 2
    assert "temporary failure" in WORKER_LOG.read_text()
    assert "Pelos Finos de Camélidos" in downloaded_pages(client, job)[0]


def test_a_request_made_while_the_broker_is_down_is_accepted_and_built_when_it_is_back(
    celery_worker_process, client, broker_down, settings
):
    world = build_world()
    started = time.monotonic()
    job = ask_for_case_study(client, world)
    assert time.monotonic() - started < 5
    assert job.status == ReportJob.Status.QUEUED
    assert job.enqueued_at is None and job.enqueue_failed_at is not None
    page = client.get(job.get_absolute_url()).content.decode()
    assert "La cola de trabajos no está disponible en este momento" in page
    assert reverse("reports:retry", kwargs={"pk": job.pk}) in page
    # The sweep tries again while the broker is still down: the job keeps waiting.
    settings.CASEBOOK_REPORT_REQUEUE_SECONDS = 0
    call_command("sweep_reports", stdout=open(os.devnull, "w"))  # noqa: SIM115
    job.refresh_from_db()
    assert job.status == ReportJob.Status.QUEUED and job.enqueued_at is None
    broker_down.end()
    call_command("sweep_reports", stdout=open(os.devnull, "w"))  # noqa: SIM115
    job = wait_for(job, lambda job: job.status == ReportJob.Status.DONE, what="the build after the outage")
    assert "Pelos Finos de Camélidos" in downloaded_pages(client, job)[0]


def test_a_slow_build_keeps_its_heartbeat_and_is_not_taken_for_a_dead_one(workers, client, settings):
    world = build_world()
    workers.slow(step_delay=8, CASEBOOK_REPORT_HEARTBEAT_SECONDS="1", CASEBOOK_REPORT_STALE_SECONDS="3")
    job = ask_for_case_study(client, world)
    job = wait_for(job, lambda job: job.status == ReportJob.Status.RUNNING, what="a start")
    # Wait for a progress step, then stay inside the 8 s until the next one: longer than the 3 s after
    # which a silent job counts as dead. Only the heartbeat thread speaks for the worker meanwhile.
    first = job.progress
    job = wait_for(job, lambda job: job.progress != first, timeout=20, what="a progress step")
    step_seen, progress = time.monotonic(), job.progress
    time.sleep(4.5)
    settings.CASEBOOK_REPORT_STALE_SECONDS = 3
    call_command("sweep_reports", stdout=open(os.devnull, "w"))  # noqa: SIM115
    job.refresh_from_db()
    assert time.monotonic() - step_seen < 7.5, "the test was too slow to prove anything"
    assert job.progress == progress
    assert job.status == ReportJob.Status.RUNNING
    assert (timezone.now() - job.heartbeat_at).total_seconds() < 3


def test_a_build_that_takes_too_long_is_stopped_with_a_readable_error(workers, client, settings):
    world = build_world()
    workers.slow(step_delay=2)
    # The time limits travel with the message, from the settings of the process that queues it.
    settings.CASEBOOK_REPORT_TIME_LIMIT = 3
    job = ask_for_case_study(client, world, language="en")
    job = wait_for(job, lambda job: job.status == ReportJob.Status.FAILED, timeout=30, what="the time limit")
    assert job.error.startswith("Building the report took longer than allowed")
    assert not job.file
