"""The sweep runs in the worker on its own schedule: with nobody opening a reports page, a job whose worker was
killed is failed with a reason, and a job whose queued message Redis lost is sent again and built."""

import time

import pytest
import redis
from django.conf import settings

from reports.models import ReportJob
from tests.integration.test_reports import ask_for_case_study, wait_for
from tests.world import build_world

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_worker_killed_with_nobody_looking_has_its_job_failed_with_a_reason_within_two_minutes(workers, client):
    world = build_world()
    slow = workers.slow(step_delay=0.5, CASEBOOK_REPORT_SWEEP_SECONDS="5")
    job = ask_for_case_study(client, world)
    wait_for(job, lambda job: job.status == ReportJob.Status.RUNNING and job.progress >= 10, what="a start")
    slow.stop(kill=True)  # the whole worker: main process and pool
    killed_at = time.monotonic()
    # The worker comes back as a service manager would restart it. Nobody opens a page or runs a command.
    workers.slow(step_delay=0.5, CASEBOOK_REPORT_SWEEP_SECONDS="5")
    job = wait_for(
        job,
        lambda job: job.status != ReportJob.Status.RUNNING,
        timeout=max(1, 120 - (time.monotonic() - killed_at)),
        what="the sweep of the dead run",
    )
    assert job.status == ReportJob.Status.FAILED
    assert job.error.startswith("El proceso de trabajo que elaboraba este informe se detuvo")


def test_a_job_whose_message_redis_lost_is_sent_again_and_built_with_nobody_looking(workers, client):
    world = build_world()
    workers.session_worker.stop()
    job = ask_for_case_study(client, world)
    assert job.enqueued_at is not None and job.task_id
    broker = redis.Redis.from_url(settings.REDIS_URL)
    assert broker.delete("celery") == 1  # Redis restarted without its data: the message is gone
    workers.slow(step_delay=0, CASEBOOK_REPORT_SWEEP_SECONDS="2", CASEBOOK_REPORT_LOST_SECONDS="3")
    job = wait_for(job, lambda job: job.status == ReportJob.Status.DONE, timeout=90, what="the build of the lost job")
    assert job.attempts == 1
