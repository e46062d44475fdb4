"""A manager asks for a case study in Chromium, watches the page follow the job, and downloads the PDF.

The job is not built eagerly here: the request hands it to Celery's in-memory broker and the page polls
while it waits. The test then does what a worker does, with the same services (claim, then build), and
the page, polling, shows it running and then ready. Status requests are held while the test touches the
database (Playwright answers them only between its calls), so the live server and the test never use the
shared in-memory SQLite connection at the same time.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reports import services
from reports.models import ReportJob
from tests.reports.conftest import pdf_pages

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def jobs_wait_in_the_queue():
    from config.celery import app

    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def test_a_manager_asks_for_a_case_study_watches_it_finish_and_downloads_it(
    signed_in_page, world, jobs_wait_in_the_queue, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = signed_in_page(world.users["manager"])
    polled = []
    page.route(re.compile(r"/reports/\d+/status/$"), lambda route: route.continue_())
    page.on("response", lambda response: polled.append(response.url) if "/status/" in response.url else None)

    page.get_by_role("link", name="Informes").first.click()
    page.get_by_role("link", name="Solicitar un estudio de caso").click()
    page.get_by_label("Clúster").select_option(label="Pelos Finos de Camélidos")
    page.get_by_label("Castellano").check()
    page.get_by_role("button", name="Solicitar el estudio de caso").click()

    job_box = page.get_by_test_id("report-job")
    live = job_box.get_by_role("status")
    expect(job_box).to_have_attribute("data-report-state", "queued")
    expect(live).to_have_text("Esperando a que un proceso de trabajo empiece el informe.")
    expect(job_box).to_have_attribute("data-report-polls", re.compile(r"[1-9]"))
    job = ReportJob.objects.latest("pk")
    assert job.status == ReportJob.Status.QUEUED and job.enqueued_at is not None

    claim = services.report_claim(job_id=job.pk, worker="e2e-test:1")
    expect(job_box).to_have_attribute("data-report-state", "running")
    expect(live).to_have_text("El informe se está elaborando.")
    expect(page.get_by_role("progressbar")).to_be_visible()
    download_link = page.get_by_role("link", name="Descargar el PDF")
    expect(download_link).to_be_hidden()

    services.report_build(claim=claim)
    job.refresh_from_db()
    expect(job_box).to_have_attribute("data-report-state", "done")
    expect(live).to_have_text(f"El informe está listo: {job.page_count} páginas.")
    expect(page.get_by_role("progressbar")).to_be_hidden()
    expect(download_link).to_be_visible()
    assert len(polled) >= 3

    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert re.fullmatch(r"estudio-de-caso-camelidos-\d{4}-\d{2}-\d{2}\.pdf", download.suggested_filename)
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert "Pelos Finos de Camélidos" in " ".join(pdf_pages(pdf))


def test_the_job_page_fits_a_phone_and_a_failed_job_is_retried_by_keyboard(signed_in_page, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = signed_in_page(world.users["coordinator"])
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(page.url.rsplit("/", 1)[0] + world.failed_report_a.get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.get_by_test_id("report-job")).to_have_attribute("data-report-polls", "1")
    retry = page.get_by_role("button", name="Intentar de nuevo")
    retry.focus()
    page.keyboard.press("Enter")
    # Eager in the unit suite: the retried job is built during the request.
    expect(page.get_by_test_id("report-job")).to_have_attribute("data-report-state", "done")
    expect(page.get_by_role("link", name="Descargar el PDF")).to_be_visible()
