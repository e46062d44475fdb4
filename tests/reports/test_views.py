"""The reports pages: asking, the list, a job's page, its status, the download and a retry."""

import datetime
import json

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportJob
from tests import factories as f
from tests.reports.conftest import pdf_pages

pytestmark = pytest.mark.django_db


def test_the_request_form_offers_the_clusters_and_preselects_the_one_of_the_tab(client_for, world):
    response = client_for(world.users["manager"]).get(reverse("reports:request") + "?cluster=cafe")
    content = response.content.decode()
    assert response.status_code == 200
    assert '<option value="cafe" selected>Café del Perú</option>' in content
    assert "Pelos Finos de Camélidos" in content
    assert 'type="date"' in content


def test_asking_for_a_case_study_builds_it_and_lands_on_its_page(client_for, world, django_capture_on_commit_callbacks):
    client = client_for(world.users["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:request"),
            {"cluster": "camelidos", "language": "en", "period_start": "2025-01-01", "period_end": "2025-12-31"},
        )
    job = ReportJob.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert (job.cluster, job.requested_by, job.language) == (world.cluster_a, world.users["coordinator"], "en")
    assert (job.period_start, job.period_end, job.include_submitted) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 31),
        False,
    )
    assert job.status == ReportJob.Status.DONE
    page = client.get(job.get_absolute_url()).content.decode()
    assert reverse("reports:download", kwargs={"pk": job.pk}) in page
    assert "progress.js" in page
    assert "<script>" not in page and "onclick" not in page


def test_a_form_with_a_period_back_to_front_keeps_what_was_typed_and_says_what_is_wrong(client_for, world):
    response = client_for(world.users["manager"]).post(
        reverse("reports:request"),
        {"cluster": "cafe", "language": "en", "period_start": "2025-06-01", "period_end": "2025-01-31"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert not ReportJob.objects.filter(cluster=world.cluster_b, language="en").exists()
    assert list(response.context["form"].errors) == ["period_end"]
    assert "El final del periodo no puede ser anterior a su inicio." in content
    assert 'value="2025-06-01"' in content and 'value="2025-01-31"' in content
    assert '<option value="cafe" selected>' in content
    assert 'id="form-errors"' in content


def test_researchers_can_neither_ask_for_nor_download_reports(client_for, world):
    for persona in ("researcher_a", "researcher_b"):
        client = client_for(world.users[persona])
        assert client.get(reverse("reports:request")).status_code == 403
        assert client.post(reverse("reports:request"), {"cluster": "camelidos", "language": "es"}).status_code == 403
        assert client.get(reverse("reports:download", kwargs={"pk": world.report_a.pk})).status_code == 403
        assert client.get(reverse("reports:list")).status_code == 403
    assert ReportJob.objects.count() == 4  # the world's four jobs; none was added


def test_a_job_of_a_cluster_one_cannot_see_is_not_found(client_for, world):
    # A researcher given the reports permissions still sees only their own clusters' jobs.
    researcher = world.users["researcher_a"]
    researcher.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="reports", codename__in=["view_reportjob", "add_reportjob"])
    )
    job_b = f.ReportJobFactory(cluster=world.cluster_b, requested_by=world.users["manager"], done=True)
    client = client_for(researcher)
    for name in ("reports:detail", "reports:status", "reports:download"):
        assert client.get(reverse(name, kwargs={"pk": job_b.pk})).status_code == 404, name
    assert client.post(reverse("reports:retry", kwargs={"pk": world.report_b.pk})).status_code == 404
    assert client.get(reverse("reports:list") + "?cluster=cafe").status_code == 404
    listed = client.get(reverse("reports:list")).content.decode()
    assert "Café del Perú" not in listed
    assert client.get(reverse("reports:detail", kwargs={"pk": world.report_a.pk})).status_code == 200
    cannot_pick_b = client.post(reverse("reports:request"), {"cluster": "cafe", "language": "es"})
    assert cannot_pick_b.status_code == 200 and "cluster" in cannot_pick_b.context["form"].errors


def test_the_download_streams_the_pdf_named_after_the_cluster_and_date(
    client_for, world, django_capture_on_commit_callbacks
):
    client = client_for(world.users["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:request"), {"cluster": "camelidos", "language": "es"})
    job = ReportJob.objects.latest("pk")
    response = client.get(reverse("reports:download", kwargs={"pk": job.pk}))
    pdf = b"".join(response.streaming_content)
    day = timezone.localdate(job.finished_at)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="estudio-de-caso-camelidos-{day:%Y-%m-%d}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert job.file.name not in str(response.headers)
    assert len(pdf_pages(pdf)) == job.page_count
    assert "Pelos Finos de Camélidos" in pdf_pages(pdf)[0]


def test_the_storage_path_is_not_served_and_the_pages_never_show_it(client_for, world):
    client = client_for(world.users["manager"])
    job = world.report_a
    assert client.get(settings.MEDIA_URL + job.file.name).status_code == 404
    assert client.get("/media/" + job.file.name).status_code == 404
    for url in (reverse("reports:list"), job.get_absolute_url(), reverse("reports:status", kwargs={"pk": job.pk})):
        content = client.get(url).content.decode()
        assert job.file.name not in content
        assert settings.MEDIA_URL not in content
    assert client.get(reverse("reports:download", kwargs={"pk": job.pk})).status_code == 200


def test_a_job_without_a_file_has_nothing_to_download(client_for, world):
    client = client_for(world.users["manager"])
    assert client.get(reverse("reports:download", kwargs={"pk": world.report_b.pk})).status_code == 404
    assert client.get(reverse("reports:download", kwargs={"pk": world.failed_report_a.pk})).status_code == 404


def test_the_status_endpoint_says_where_the_job_stands(client_for, world):
    client = client_for(world.users["manager"])
    done = json.loads(client.get(reverse("reports:status", kwargs={"pk": world.report_a.pk})).content)
    queued = json.loads(client.get(reverse("reports:status", kwargs={"pk": world.report_b.pk})).content)
    failed = json.loads(client.get(reverse("reports:status", kwargs={"pk": world.failed_report_a.pk})).content)
    assert done["status"] == "done" and done["finished"] and done["progress"] == 100
    assert done["download_url"] == reverse("reports:download", kwargs={"pk": world.report_a.pk})
    assert queued == {
        "status": "queued",
        "label": "En cola",
        "progress": 0,
        "finished": False,
        "message": queued["message"],
        "error": "",
        "download_url": None,
    }
    assert failed["status"] == "failed" and failed["error"] == world.failed_report_a.error


def test_a_job_page_without_javascript_says_the_status_and_offers_a_reload(client_for, world):
    response = client_for(world.users["manager"]).get(world.report_b.get_absolute_url())
    content = response.content.decode()
    assert 'role="status"' in content
    assert "data-report-reload" in content and f'href="{world.report_b.get_absolute_url()}"' in content
    assert 'aria-valuenow="0"' in content


def test_a_failed_job_shows_its_error_and_can_be_retried(client_for, world, django_capture_on_commit_callbacks):
    client = client_for(world.users["coordinator"])
    job = world.failed_report_a
    page = client.get(job.get_absolute_url()).content.decode()
    assert job.error in page
    assert reverse("reports:retry", kwargs={"pk": job.pk}) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:retry", kwargs={"pk": job.pk}))
    job.refresh_from_db()
    assert response.status_code == 302
    assert job.status == ReportJob.Status.DONE and job.error == ""


def test_retrying_a_finished_job_changes_nothing_and_says_why(client_for, world):
    client = client_for(world.users["manager"])
    response = client.post(reverse("reports:retry", kwargs={"pk": world.report_a.pk}), follow=True)
    world.report_a.refresh_from_db()
    assert world.report_a.status == ReportJob.Status.DONE
    assert len(list(response.context["messages"])) == 1


def test_retry_is_a_post(client_for, world):
    client = client_for(world.users["manager"])
    assert client.get(reverse("reports:retry", kwargs={"pk": world.failed_report_a.pk})).status_code == 405


def test_the_list_shows_everyones_jobs_newest_first_in_a_constant_number_of_queries(
    client_for, world, django_assert_max_num_queries
):
    client = client_for(world.users["manager"])
    url = reverse("reports:list")
    client.get(url)  # sessions, permissions and role are cached after the first request

    def queries_for_list():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response

    few, _response = queries_for_list()
    f.ReportJobFactory.create_batch(20, cluster=world.cluster_b, requested_by=world.users["coordinator"], done=True)
    many, response = queries_for_list()
    assert few == many
    jobs = list(response.context["jobs"])
    assert len(jobs) == 24
    assert jobs[0].created_at >= jobs[-1].created_at
    assert world.users["coordinator"].get_full_name() in response.content.decode()


def test_the_list_is_paginated(client_for, world):
    f.ReportJobFactory.create_batch(30, cluster=world.cluster_a, requested_by=world.users["manager"])
    client = client_for(world.users["manager"])
    first = client.get(reverse("reports:list"))
    second = client.get(reverse("reports:list") + "?page=2")
    assert len(first.context["jobs"]) == 25
    assert len(second.context["jobs"]) == 34 - 25
    assert "?page=2" in first.content.decode()


def test_the_cluster_tab_lists_only_that_clusters_jobs(client_for, world):
    response = client_for(world.users["manager"]).get(reverse("reports:list") + "?cluster=cafe")
    assert [job.pk for job in response.context["jobs"]] == [world.report_b.pk]
    assert 'aria-current="page"' in response.content.decode()


def test_the_home_page_shows_managers_their_case_studies_and_a_link_to_ask(client_for, world):
    manager_home = client_for(world.users["manager"]).get(reverse("home")).content.decode()
    assert 'data-testid="home-reports"' in manager_home
    assert world.report_a.get_absolute_url() in manager_home
    assert reverse("reports:request") in manager_home
    researcher_home = client_for(world.users["researcher_a"]).get(reverse("home")).content.decode()
    assert 'data-testid="home-reports"' not in researcher_home


def test_the_menu_links_the_reports_for_those_who_may_see_them(client_for, world):
    assert (
        f'href="{reverse("reports:list")}"' in client_for(world.users["manager"]).get(reverse("home")).content.decode()
    )
    assert (
        f'href="{reverse("reports:list")}"'
        not in client_for(world.users["researcher_a"]).get(reverse("home")).content.decode()
    )
