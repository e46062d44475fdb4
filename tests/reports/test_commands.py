"""The command-line doors: make_report, sweep_reports, purge_reports, and the demo's finished reports."""

import datetime
import io
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from reports.models import ReportJob
from tests import factories as f
from tests.reports.conftest import pdf_metadata, pdf_pages, qpdf_check
from tests.reports.programme import fill_cluster_a

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_make_report_writes_the_same_case_study_as_a_job(world, tmp_path):
    fill_cluster_a(world)
    output = tmp_path / "camelidos.pdf"
    said = run(
        "make_report",
        "--cluster",
        "camelidos",
        "--lang",
        "en",
        "--include-submitted",
        "--user",
        world.users["manager"].username,
        "--output",
        str(output),
    )
    pdf = output.read_bytes()
    pages = pdf_pages(pdf)
    assert f"Wrote {output} ({len(pages)} pages" in said
    assert "Pelos Finos de Camélidos" in pages[0]
    assert "7 organisations take part in the cluster." in " ".join(pages)
    text = " ".join(pages)
    assert "Approved 4 Yes" in text and "Submitted 3 Yes" in text
    # The author is the person named, not the software.
    assert pdf_metadata(pdf).author == world.users["manager"].get_full_name()
    assert world.users["manager"].get_full_name() in pages[0]
    assert not ReportJob.objects.exclude(
        pk__in=[world.report_a.pk, world.report_b.pk, world.failed_report_a.pk, world.programme_report.pk]
    )
    qpdf_check(pdf, tmp_path)


def test_make_report_builds_the_programme_report_of_every_cluster(world, tmp_path):
    output = tmp_path / "programa.pdf"
    said = run("make_report", "--programme", "--user", world.users["manager"].username, "--output", str(output))
    pages = pdf_pages(output.read_bytes())
    text = " ".join(pages)
    assert f"Wrote {output} ({len(pages)} pages" in said
    assert "Informe del programa" in pages[0]
    for cluster in (world.cluster_a, world.cluster_b):
        assert cluster.name in text
    qpdf_check(output.read_bytes(), tmp_path)
    with pytest.raises(CommandError):
        run("make_report", "--programme", "--cluster", "camelidos")
    with pytest.raises(CommandError, match="No user"):
        run("make_report", "--programme", "--user", "nadie")


def test_make_report_takes_a_period_and_refuses_one_back_to_front(world, tmp_path):
    output = tmp_path / "period.pdf"
    run("make_report", "--cluster", "camelidos", "--from", "2025-01-01", "--to", "2025-06-30", "--output", str(output))
    assert "1 de enero de 2025" in pdf_pages(output.read_bytes())[0]
    with pytest.raises(CommandError, match=r"end of the period|final del periodo"):
        run("make_report", "--cluster", "camelidos", "--from", "2025-06-30", "--to", "2025-01-01")
    with pytest.raises(CommandError, match="Not a date"):
        run("make_report", "--cluster", "camelidos", "--from", "30/06/2025")


def test_make_report_refuses_an_unknown_cluster(world):
    with pytest.raises(CommandError, match="No cluster"):
        run("make_report", "--cluster", "no-such-cluster")


def test_sweep_reports_fails_jobs_whose_worker_stopped_and_says_so(world):
    job = f.ReportJobFactory(
        cluster=world.cluster_a,
        status=ReportJob.Status.RUNNING,
        claim=uuid.uuid4(),
        worker="gone:1",
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1),
    )
    said = run("sweep_reports")
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert f"Job {job.pk}: its worker stopped" in said
    assert "1 failed, 0 queued again" in said


def test_sweep_reports_queues_again_a_job_the_broker_refused(world):
    job = f.ReportJobFactory(cluster=world.cluster_a, enqueue_failed_at=timezone.now() - datetime.timedelta(minutes=5))
    said = run("sweep_reports")
    job.refresh_from_db()
    # Eager in the unit suite: handed to the "queue" means built.
    assert job.status == ReportJob.Status.DONE
    assert job.enqueued_at is not None and job.enqueue_failed_at is None
    assert "0 failed, 1 queued again" in said


def test_purge_reports_deletes_old_files_keeps_the_rows_and_says_what_it_did(world, settings):
    settings.CASEBOOK_REPORT_RETENTION_DAYS = 30
    old = f.ReportJobFactory(
        cluster=world.cluster_a, done=True, finished_at=timezone.now() - datetime.timedelta(days=31)
    )
    old.file.save("old.pdf", io.BytesIO(b"%PDF-1.4 old"), save=True)
    recent = f.ReportJobFactory(
        cluster=world.cluster_a, done=True, finished_at=timezone.now() - datetime.timedelta(days=29)
    )
    recent.file.save("recent.pdf", io.BytesIO(b"%PDF-1.4 recent"), save=True)
    storage, old_name = old.file.storage, old.file.name
    said = run("purge_reports")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not storage.exists(old_name)
    assert old.status == ReportJob.Status.DONE and not old.file and old.purged_at is not None
    assert storage.exists(recent.file.name) and recent.purged_at is None
    assert f"Job {old.pk} (camelidos" in said and "Purged 1 report file(s)" in said and "30 days" in said
    assert f"Job {recent.pk} (camelidos" in run("purge_reports", "--days", "0")


def test_a_purged_report_says_so_and_cannot_be_downloaded(client_for, world):
    world.report_a.purged_at = timezone.now()
    world.report_a.file = ""
    world.report_a.save()
    client = client_for(world.users["manager"])
    from django.urls import reverse

    assert client.get(reverse("reports:download", kwargs={"pk": world.report_a.pk})).status_code == 404
    assert "plazo de conservación" in client.get(world.report_a.get_absolute_url()).content.decode()


def test_the_demo_leaves_finished_case_studies_to_download_and_loading_it_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    jobs = list(ReportJob.objects.filter(status=ReportJob.Status.DONE))
    assert {job.language for job in jobs} == {"es", "en"}
    assert {job.cluster.slug for job in jobs} == {"pelos-finos-camelidos"}
    assert {job.requested_by.username for job in jobs} == {"gerente"}
    for job in jobs:
        with job.file.open("rb") as handle:
            pages = pdf_pages(handle.read())
        assert len(pages) == job.page_count
        assert "Pelos Finos de Camélidos" in pages[0]
    call_command("load_demo", stdout=io.StringIO())
    assert ReportJob.objects.count() == len(jobs) == 2
