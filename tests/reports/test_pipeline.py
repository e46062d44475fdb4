"""A report job from request to stored PDF, in the unit suite (Celery eager): what a manager gets back."""

import datetime
import os
import socket
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from reports import services
from reports.models import ReportJob
from reports.tasks import build_report
from tests.reports.conftest import pdf_metadata, pdf_pages, qpdf_check
from tests.reports.programme import fill_cluster_a

pytestmark = pytest.mark.django_db


def es(msgid):
    with translation.override("es"):
        return gettext(msgid)


def request_report(world, django_capture_on_commit_callbacks, **params):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.report_request(requested_by=world.users["manager"], cluster=world.cluster_a, **params)
    job.refresh_from_db()
    return job


@pytest.fixture
def done_job(world, django_capture_on_commit_callbacks):
    fill_cluster_a(world)
    return request_report(world, django_capture_on_commit_callbacks)


def test_a_requested_case_study_is_built_stored_and_done(done_job):
    assert done_job.status == ReportJob.Status.DONE
    assert done_job.progress == 100
    assert done_job.attempts == 1
    assert done_job.error == ""
    assert done_job.claim is None
    assert done_job.enqueued_at is not None
    assert done_job.file.name.startswith("reports/") and done_job.file.name.endswith(".pdf")
    # The stored name is random: it says nothing about the cluster.
    assert "camelidos" not in done_job.file.name
    with done_job.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_the_pdf_names_the_cluster_and_its_numbers_and_has_every_section(done_job, world, tmp_path):
    with done_job.file.open("rb") as handle:
        pdf = handle.read()
    pages = pdf_pages(pdf)
    text = " ".join(pages)
    assert len(pages) == done_job.page_count
    assert pages[0].count("Pelos Finos de Camélidos") >= 1
    for number, heading in enumerate(
        [
            "Executive summary",
            "Diagnosis, lessons and recommendations",
            "Cluster profile",
            "The actors",
            "The network of relationships",
            "What the interviews say",
            "Interventions and their results",
            "Latest evaluation",
            "Annexes",
        ],
        start=1,
    ):
        assert f"{number}. {es(heading)}" in pages[1], heading
    with translation.override("es"):
        members = ngettext(
            "%(count)s organisation takes part in the cluster.",
            "%(count)s organisations take part in the cluster.",
            7,
        ) % {"count": 7}
        approved = gettext("Approved")
        submitted = gettext("Submitted")
    assert members in text
    # Methodology annex: interviews of the period by status, counted or not.
    annex = text
    assert f"{approved} 4 {es('Yes')}" in annex
    assert f"{submitted} 3 {es('No')}" in annex
    assert es("Only interviews approved by a coordinator count; submitted ones still under review do not.") in annex
    qpdf_check(pdf, tmp_path)


def test_the_pdf_metadata_names_the_cluster_the_author_and_the_language(done_job, world):
    with done_job.file.open("rb") as handle:
        metadata = pdf_metadata(handle.read())
    assert metadata.title == f"Pelos Finos de Camélidos — {es('Case study')}"
    assert metadata.author == world.users["manager"].get_full_name()
    assert metadata.creator == "Cluster Casebook"


def test_an_english_report_with_submitted_interviews_counts_them(world, django_capture_on_commit_callbacks):
    fill_cluster_a(world)
    job = request_report(world, django_capture_on_commit_callbacks, language="en", include_submitted=True)
    with job.file.open("rb") as handle:
        pages = pdf_pages(handle.read())
    assert "1. Executive summary" in pages[1]
    assert "Approved 4 Yes" in pages[-1]
    assert "Submitted 3 Yes" in pages[-1]
    assert "Draft 2 No" in pages[-1]


def test_a_period_leaves_out_interviews_outside_it(world, django_capture_on_commit_callbacks):
    fill_cluster_a(world, approved=2, interview_date=datetime.date(2024, 3, 1))
    job = request_report(
        world,
        django_capture_on_commit_callbacks,
        language="en",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
    )
    with job.file.open("rb") as handle:
        annex = pdf_pages(handle.read())[-1]
    assert "Approved 2 Yes" in annex
    # The world's own interviews are of 2025: outside the period.
    assert "Draft" not in annex


def test_a_done_job_is_not_built_again(done_job):
    name, finished = done_job.file.name, done_job.finished_at
    build_report.apply(args=[done_job.pk])
    done_job.refresh_from_db()
    assert (done_job.file.name, done_job.finished_at, done_job.attempts) == (name, finished, 1)


def test_a_second_delivery_does_nothing_while_another_workers_heartbeat_is_fresh(world):
    job = services.report_request(requested_by=world.users["manager"], cluster=world.cluster_a, enqueue=False)
    token = uuid.uuid4()
    ReportJob.objects.filter(pk=job.pk).update(
        status="running", claim=token, worker="other-host:4242", attempts=1, heartbeat_at=timezone.now()
    )
    build_report.apply(args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.claim, job.worker, job.attempts, job.file.name) == (
        "running",
        token,
        "other-host:4242",
        1,
        "",
    )


def test_a_job_whose_worker_process_is_gone_from_this_host_is_taken_over_at_once(world):
    job = services.report_request(requested_by=world.users["manager"], cluster=world.cluster_a, enqueue=False)
    dead_pid = _a_pid_that_is_not_running()
    ReportJob.objects.filter(pk=job.pk).update(
        status="running",
        claim=uuid.uuid4(),
        worker=f"{socket.gethostname()}:{dead_pid}",
        attempts=1,
        heartbeat_at=timezone.now(),
    )
    build_report.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert job.attempts == 2


def test_a_job_that_keeps_killing_its_worker_fails_after_the_last_attempt(world, settings):
    settings.CASEBOOK_REPORT_MAX_ATTEMPTS = 3
    job = services.report_request(
        requested_by=world.users["manager"], cluster=world.cluster_a, language="en", enqueue=False
    )
    ReportJob.objects.filter(pk=job.pk).update(
        status="running",
        claim=uuid.uuid4(),
        worker=f"{socket.gethostname()}:{_a_pid_that_is_not_running()}",
        attempts=3,
        heartbeat_at=timezone.now(),
    )
    build_report.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.error.startswith("The worker that was building this report stopped")
    assert not job.file


def test_the_sweep_fails_a_job_whose_heartbeat_stopped_and_says_so_in_its_language(world, settings):
    settings.CASEBOOK_REPORT_STALE_SECONDS = 120
    job = services.report_request(requested_by=world.users["manager"], cluster=world.cluster_a, enqueue=False)
    alive = services.report_request(requested_by=world.users["manager"], cluster=world.cluster_b, enqueue=False)
    now = timezone.now()
    ReportJob.objects.filter(pk=job.pk).update(
        status="running", claim=uuid.uuid4(), worker="gone:1", heartbeat_at=now - datetime.timedelta(seconds=121)
    )
    ReportJob.objects.filter(pk=alive.pk).update(
        status="running", claim=uuid.uuid4(), worker="busy:1", heartbeat_at=now - datetime.timedelta(seconds=60)
    )
    result = services.report_sweep()
    job.refresh_from_db()
    alive.refresh_from_db()
    assert result.failed == [job.pk]
    assert job.status == ReportJob.Status.FAILED
    assert job.claim is None
    assert job.error == es(str(services.Failure.WORKER_STOPPED.value))
    assert "Traceback" not in job.error
    assert alive.status == ReportJob.Status.RUNNING


def test_a_late_write_from_a_run_the_sweep_gave_up_on_changes_nothing(world):
    job = services.report_request(requested_by=world.users["manager"], cluster=world.cluster_a, enqueue=False)
    claim = services.report_claim(job_id=job.pk, worker="slow:1")
    ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    services.report_sweep()
    with pytest.raises(services.JobLost):
        services.report_build(claim=claim)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert not job.file


def test_a_failed_job_can_be_retried_and_then_succeeds(world, django_capture_on_commit_callbacks):
    job = services.report_request(requested_by=world.users["manager"], cluster=world.cluster_a, enqueue=False)
    services.report_fail(job_id=job.pk, failure=services.Failure.WORKER_STOPPED)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retry(job=job)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert job.error == ""
    assert job.page_count >= 6


def test_a_done_job_cannot_be_retried(done_job):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.report_retry(job=done_job)


def test_a_storage_outage_is_retried_and_the_report_still_arrives(world, settings, django_capture_on_commit_callbacks):
    from tests.reports.flaky_storage import FlakyStorage

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "tests.reports.flaky_storage.FlakyStorage"}}
    FlakyStorage.failures_left, FlakyStorage.attempts = 2, 0
    job = request_report(world, django_capture_on_commit_callbacks)
    assert FlakyStorage.attempts == 3
    assert job.status == ReportJob.Status.DONE
    assert job.attempts == 3
    with job.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_a_storage_that_stays_down_fails_the_job_with_a_readable_error_and_logs_why(
    world, settings, caplog, django_capture_on_commit_callbacks
):
    from tests.reports.flaky_storage import FlakyStorage

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "tests.reports.flaky_storage.FlakyStorage"}}
    settings.CASEBOOK_REPORT_MAX_RETRIES = 2
    FlakyStorage.failures_left, FlakyStorage.attempts = 99, 0
    build_report.max_retries = 2
    try:
        job = request_report(world, django_capture_on_commit_callbacks)
    finally:
        build_report.max_retries = settings.CASEBOOK_REPORT_MAX_RETRIES = 5
    assert FlakyStorage.attempts == 3
    assert job.status == ReportJob.Status.FAILED
    assert job.error == es(str(services.Failure.TEMPORARY.value))
    assert "No space left" not in job.error and "Traceback" not in job.error
    assert "No space left on device" in caplog.text
    assert "giving up" in caplog.text


def test_retry_delays_grow_exponentially_up_to_a_cap(settings):
    from reports.tasks import retry_delay

    settings.CASEBOOK_REPORT_RETRY_BACKOFF = 5
    settings.CASEBOOK_REPORT_RETRY_BACKOFF_MAX = 60
    assert [retry_delay(n) for n in range(6)] == [5, 10, 20, 40, 60, 60]


def test_the_sweep_does_nothing_with_one_query_when_all_is_well(done_job):
    with CaptureQueriesContext(connection) as queries:
        result = services.report_sweep()
    assert (result.failed, result.requeued) == ([], [])
    assert len(queries) == 1


def _a_pid_that_is_not_running():
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


def test_an_unexpected_error_is_not_retried_and_fails_the_job_with_a_readable_error_in_its_language(
    world, settings, caplog, django_capture_on_commit_callbacks
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.reports.flaky_storage.MisconfiguredStorage"},
    }
    job = request_report(world, django_capture_on_commit_callbacks, language="en")
    assert job.status == ReportJob.Status.FAILED
    assert job.attempts == 1
    assert job.error.startswith("The report could not be built because of an unexpected error.")
    assert "S3_BUCKET" not in job.error
    assert "S3_BUCKET is empty" in caplog.text and "Traceback" in caplog.text
