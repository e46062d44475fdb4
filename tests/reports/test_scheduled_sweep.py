"""The sweep runs on its own schedule, never in a page view: a job whose worker died is failed with a reason
though nobody opens a reports page, and opening one writes nothing and calls no broker."""

import datetime
import socket
import subprocess
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports import services, sweeper
from reports.models import ReportJob


def _running(world, cluster, *, worker="gone:1", silent_for=600):
    job = services.report_request(requested_by=world.users["manager"], cluster=cluster, enqueue=False)
    ReportJob.objects.filter(pk=job.pk).update(
        status="running",
        claim=uuid.uuid4(),
        worker=worker,
        started_at=timezone.now() - datetime.timedelta(seconds=silent_for),
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=silent_for),
    )
    return job


@pytest.mark.django_db
def test_opening_the_reports_pages_and_polling_the_progress_change_no_job(client_for, world):
    job = _running(world, world.cluster_a)
    waiting = services.report_request(requested_by=world.users["manager"], cluster=world.cluster_b, enqueue=False)
    ReportJob.objects.filter(pk=waiting.pk).update(enqueue_failed_at=timezone.now() - datetime.timedelta(hours=1))
    client = client_for(world.users["manager"])
    with CaptureQueriesContext(connection) as queries:
        for url in (
            reverse("reports:list"),
            reverse("reports:detail", args=[job.pk]),
            reverse("reports:status", args=[job.pk]),
            reverse("reports:detail", args=[waiting.pk]),
        ):
            assert client.get(url).status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if "reports_reportjob" in q["sql"] and "UPDATE" in q["sql"]]
    assert writes == []
    job.refresh_from_db()
    waiting.refresh_from_db()
    assert job.status == ReportJob.Status.RUNNING
    assert waiting.enqueued_at is None


@pytest.mark.django_db(transaction=True)
def test_the_sweeper_fails_a_job_whose_worker_died_with_nobody_looking(world, settings):
    settings.CASEBOOK_REPORT_SWEEP_SECONDS = 3600  # one sweep at start, then this test stops it
    job = _running(world, world.cluster_a)
    thread = sweeper.Sweeper(settings.CASEBOOK_REPORT_SWEEP_SECONDS)
    thread.start()
    try:
        while thread.sweeps == 0 and thread.is_alive():
            thread.stopped.wait(0.05)
    finally:
        thread.stop()
        thread.join()
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.error == _spanish(services.Failure.WORKER_STOPPED)


def _spanish(failure):
    from django.utils import translation

    with translation.override("es"):
        return str(failure.value)


@pytest.mark.django_db
def test_a_run_whose_process_is_gone_from_this_host_is_failed_without_waiting_for_it_to_go_stale(world):
    finished = subprocess.Popen(["true"])
    finished.wait()
    # Silent for 40 s: less than CASEBOOK_REPORT_STALE_SECONDS (60), more than the two heartbeats (30 s) left to
    # another pool process to take a killed one's job over.
    dead = _running(world, world.cluster_a, worker=f"{socket.gethostname()}:{finished.pid}", silent_for=40)
    alive = _running(world, world.cluster_b, worker=f"{socket.gethostname()}:1", silent_for=40)  # init never dies
    result = services.report_sweep()
    assert result.failed == [dead.pk]
    alive.refresh_from_db()
    assert alive.status == ReportJob.Status.RUNNING


@pytest.mark.django_db
def test_a_dead_runs_job_is_left_to_the_pool_process_that_takes_it_over_at_once(world):
    finished = subprocess.Popen(["true"])
    finished.wait()
    job = _running(world, world.cluster_a, worker=f"{socket.gethostname()}:{finished.pid}", silent_for=2)
    assert services.report_sweep().failed == []
    job.refresh_from_db()
    assert job.status == ReportJob.Status.RUNNING


def test_a_process_starts_one_sweeper_and_none_when_the_period_is_0(settings):
    settings.CASEBOOK_REPORT_SWEEP_SECONDS = 0
    assert sweeper.start() is None
