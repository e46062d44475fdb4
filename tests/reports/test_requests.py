"""Asking for reports: one person's reports waiting or being built are limited, asking twice for the same one
shows it, a layout error fails for good (not retried), and the programme report is asked for and built
like a case study."""

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from reports import services
from reports.gather_programme import gather_programme, on_track
from reports.models import ReportJob
from tests import factories as f
from tests.reports.conftest import pdf_pages

pytestmark = pytest.mark.django_db


def ask(client, follow=False, **data):
    return client.post(reverse("reports:request"), {"cluster": "camelidos", "language": "es", **data}, follow=follow)


def test_asking_again_for_the_same_report_while_it_waits_shows_that_job(client_for, world):
    client = client_for(world.users["manager"])
    first = ask(client, period_start="2025-01-01")
    job = ReportJob.objects.latest("pk")
    assert job.status == ReportJob.Status.QUEUED  # on_commit callbacks are not run: it waits
    second = ask(client, period_start="2025-01-01", follow=True)
    assert first["Location"] == job.get_absolute_url()
    assert second.redirect_chain[-1][0] == job.get_absolute_url()
    assert ReportJob.objects.filter(requested_by=world.users["manager"], period_start="2025-01-01").count() == 1
    assert "no se hizo uno nuevo" in second.content.decode()
    # Other options are another report.
    ask(client, period_start="2025-01-01", language="en")
    assert ReportJob.objects.filter(requested_by=world.users["manager"], period_start="2025-01-01").count() == 2


def test_one_person_may_have_only_so_many_reports_waiting(client_for, world, settings):
    settings.CASEBOOK_REPORT_MAX_ACTIVE_PER_USER = 2
    client = client_for(world.users["coordinator"])  # the world already has one of theirs waiting (cluster B)
    assert ask(client, period_start="2024-01-01").status_code == 302
    refused = ask(client, period_start="2023-01-01")
    assert refused.status_code == 409, refused.content.decode()[-3000:]
    assert "Ya tiene 2 informes en espera o en elaboración" in refused.content.decode()
    assert not ReportJob.objects.filter(period_start="2023-01-01").exists()
    assert 'value="2023-01-01"' in refused.content.decode()  # nothing typed is lost
    # A finished report frees a place.
    ReportJob.objects.filter(requested_by=world.users["coordinator"], status="queued").update(status="done")
    assert ask(client, period_start="2023-01-01").status_code == 302


def test_twenty_quick_requests_make_at_most_the_limit(world, settings):
    settings.CASEBOOK_REPORT_MAX_ACTIVE_PER_USER = 3
    from django.core.exceptions import ValidationError

    made, refused = set(), 0
    for day in range(1, 21):
        try:
            job = services.report_request(
                requested_by=world.users["manager"],
                cluster=world.cluster_a,
                period_end=f"2025-01-{day:02d}",
                enqueue=False,
            )
        except ValidationError:
            refused += 1
        else:
            made.add(job.pk)
    assert len(made) == 3 and refused == 17


def test_a_layout_error_fails_the_job_for_good_with_a_clear_reason(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """The builder's permanent errors are not taken for a database outage: no retry, and the reason says so."""
    from reports import pdf
    from reports.services import jobs

    def broken(data, on_progress=None):
        raise pdf.BuildError("ValueError: paragraph text caused exception")

    monkeypatch.setattr(jobs, "build_case_study", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.report_request(requested_by=world.users["manager"], cluster=world.cluster_a)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.attempts == 1
    with translation.override("es"):
        assert job.error == str(services.Failure.CONTENT.value)
    assert "base de datos" not in job.error


def test_a_programme_report_is_asked_for_built_and_downloaded(client_for, world, django_capture_on_commit_callbacks):
    client = client_for(world.users["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:programme_request"), {"language": "en"})
    job = ReportJob.objects.latest("pk")
    assert response["Location"] == job.get_absolute_url()
    assert (job.kind, job.cluster, job.status) == (ReportJob.Kind.PROGRAMME, None, ReportJob.Status.DONE)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Programme report" in page or "Informe del programa" in page
    download = client.get(reverse("reports:download", kwargs={"pk": job.pk}))
    assert download["Content-Disposition"].startswith('attachment; filename="programme-report-')
    text = " ".join(pdf_pages(b"".join(download.streaming_content)))
    for cluster in (world.cluster_a, world.cluster_b):
        assert cluster.name in text
    assert world.users["manager"].get_full_name() in text
    # Researchers may neither ask for it nor see it.
    researcher = client_for(world.users["researcher_a"])
    assert researcher.post(reverse("reports:programme_request"), {"language": "es"}).status_code == 403
    assert researcher.get(job.get_absolute_url()).status_code == 403


def test_the_programme_reports_figures_are_the_databases(world):
    fill = f.InterventionFactory(cluster=world.cluster_b, instrument_type=world.instrument_type, status="cancelled")
    job = ReportJob(kind=ReportJob.Kind.PROGRAMME, requested_by=world.users["manager"], language="en")
    data = gather_programme(job)
    rows = {row.name: row for row in data.clusters}
    assert rows[world.cluster_a.name].actors == world.cluster_a.memberships.count()
    assert rows[world.cluster_a.name].interviews == world.cluster_a.interviews.filter(status="approved").count()
    assert rows[world.cluster_b.name].budget_planned == world.intervention_b.budget_planned  # the cancelled one apart
    assert data.cancelled == 1 and data.cancelled_planned == fill.budget_planned
    goal = next(goal for goal in data.goals if goal.interventions)
    assert goal.clusters == 2 and not goal.without
    assert all(world.cluster_a.name in goal.without for goal in data.goals if not goal.interventions)


def test_programme_gathering_takes_as_many_queries_for_many_clusters_as_for_few(world):
    job = ReportJob(kind=ReportJob.Kind.PROGRAMME, requested_by=world.users["manager"], language="es")
    from django.db import connection

    gather_programme(job)  # the requester's role is read once and kept
    with CaptureQueriesContext(connection) as few:
        small = gather_programme(job)
    for _ in range(12):
        cluster = f.ClusterFactory()
        f.MembershipFactory(cluster=cluster)
        intervention = f.InterventionFactory(cluster=cluster, instrument_type=world.instrument_type)
        f.IndicatorFactory(intervention=intervention)
        f.EvaluationFactory(cluster=cluster)
    with CaptureQueriesContext(connection) as many:
        large = gather_programme(job)
    assert len(large.clusters) == len(small.clusters) + 12
    assert len(few) == len(many)
    assert len(many) <= 14


def test_an_indicator_is_on_track_when_its_progress_keeps_pace_with_the_time_gone_by():
    import datetime

    start, end = datetime.date(2024, 1, 1), datetime.date(2026, 1, 1)
    half = datetime.date(2025, 1, 1)
    assert on_track(progress_value=0.6, baseline_date=start, target_date=end, as_of=half)
    assert not on_track(progress_value=0.3, baseline_date=start, target_date=end, as_of=half)
    assert on_track(progress_value=1.2, baseline_date=start, target_date=end, as_of=datetime.date(2030, 1, 1))
    assert not on_track(progress_value=0.9, baseline_date=start, target_date=end, as_of=datetime.date(2030, 1, 1))
