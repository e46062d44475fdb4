"""Report editions: coordinators write the diagnosis, lessons and recommendations, mark an edition final and
reopen it; managers read; the case study sets the chosen edition (or the latest final one); history is kept.
And the programme settings page: an administrator sets the programme, the institution and a logo checked by
its content."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.gather import gather_case_study
from reports.models import ProgrammeSettings, ReportEdition, ReportJob
from tests import factories as f
from tests.reports.conftest import pdf_pages

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(2)> 🦙 \u202eRTL"


def test_a_coordinator_writes_a_draft_marks_it_final_and_the_history_says_so(client_for, world):
    client = client_for(world.users["coordinator"])
    response = client.post(
        reverse("reports:edition_create", kwargs={"slug": "camelidos"}),
        {"title": "Informe 2026", "strengths": "- Acopio organizado", "recommendations": "- Contratos"},
    )
    edition = ReportEdition.objects.latest("pk")
    assert response["Location"] == edition.get_absolute_url()
    assert (edition.status, edition.cluster, edition.created_by) == (
        "draft",
        world.cluster_a,
        world.users["coordinator"],
    )
    client.post(reverse("reports:edition_edit", kwargs={"pk": edition.pk}), {"title": "Informe 2026", "lessons": "Una"})
    client.post(reverse("reports:edition_finalise", kwargs={"pk": edition.pk}))
    edition.refresh_from_db()
    assert edition.status == "final" and edition.finalised_by == world.users["coordinator"]
    assert edition.lessons == "Una" and edition.strengths == ""  # the form saves what was sent
    # A final edition cannot be changed until it is reopened.
    refused = client.post(reverse("reports:edition_edit", kwargs={"pk": edition.pk}), {"title": "Otro"}, follow=True)
    edition.refresh_from_db()
    assert edition.title == "Informe 2026"
    assert "Vuelva a abrirla como borrador" in refused.content.decode()
    client.post(reverse("reports:edition_reopen", kwargs={"pk": edition.pk}))
    edition.refresh_from_db()
    assert edition.status == "draft"
    page = client.get(edition.get_absolute_url()).content.decode()
    assert page.count("<tr><td>") >= 4  # created, changed, marked final, reopened
    assert [record.status for record in edition.history.order_by("history_date")] == [
        "draft",
        "draft",
        "final",
        "draft",
    ]


def test_managers_read_editions_and_researchers_do_not(client_for, world):
    manager = client_for(world.users["manager"])
    page = manager.get(world.edition_a.get_absolute_url()).content.decode()
    assert world.edition_a.title in page
    assert reverse("reports:edition_edit", kwargs={"pk": world.edition_a.pk}) not in page
    assert reverse("reports:edition_finalise", kwargs={"pk": world.edition_a.pk}) not in page
    assert manager.post(reverse("reports:edition_finalise", kwargs={"pk": world.edition_a.pk})).status_code == 403
    researcher = client_for(world.users["researcher_a"])
    assert researcher.get(world.edition_a.get_absolute_url()).status_code == 403
    assert researcher.get(reverse("reports:edition_list")).status_code == 403


def test_edition_pages_show_hostile_text_escaped(client_for, world):
    edition = f.ReportEditionFactory(cluster=world.cluster_a, title=HOSTILE, strengths=HOSTILE)
    client = client_for(world.users["manager"])
    for url in (edition.get_absolute_url(), reverse("reports:edition_list") + "?cluster=camelidos"):
        content = client.get(url).content.decode()
        assert "<script>alert(1)" not in content and "<img src=x" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
        assert "🦙" in content


def test_the_case_study_sets_the_chosen_edition_or_else_the_latest_final_one(world, tmp_path):
    job = ReportJob(cluster=world.cluster_a, requested_by=world.users["manager"], language="es")
    assert gather_case_study(job).edition.title == world.final_edition_a.title  # the draft is not taken
    chosen = ReportJob(cluster=world.cluster_a, requested_by=world.users["manager"], edition=world.edition_a)
    data = gather_case_study(chosen)
    assert (data.edition.title, data.edition.status) == (world.edition_a.title, "draft")
    from reports.builder import build_case_study

    text = " ".join(pdf_pages(build_case_study(data).pdf))
    assert "Borrador: la coordinación aún no ha marcado esta edición como final." in text
    assert "• Cooperativas que acopian fibra." in text
    assert world.edition_a.lessons in text


def test_an_edition_of_another_cluster_is_refused_in_the_request_form(client_for, world):
    other = f.ReportEditionFactory(cluster=world.cluster_b)
    response = client_for(world.users["manager"]).post(
        reverse("reports:request"), {"cluster": "camelidos", "language": "es", "edition": other.pk}
    )
    assert response.status_code == 200
    assert "Esta edición pertenece a otro clúster." in response.content.decode()
    assert not ReportJob.objects.filter(edition=other).exists()


def png(width=40, height=20):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (31, 95, 139)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_administrator_sets_the_programme_institution_and_logo_and_the_cover_shows_them(client_for, world):
    client = client_for(world.users["admin"])
    response = client.post(
        reverse("reports:settings"),
        {
            "programme_name": "Programa de Clústeres del Perú",
            "institution": "Ministerio de la Producción",
            "logo": SimpleUploadedFile("logo.png", png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    saved = ProgrammeSettings.current()
    assert (saved.logo_type, saved.logo_width, saved.logo_height) == ("image/png", 40, 20)
    job = ReportJob(cluster=world.cluster_a, requested_by=world.users["manager"], language="es")
    from reports.builder import build_case_study

    built = build_case_study(gather_case_study(job))
    cover = pdf_pages(built.pdf)[0]
    assert "Programa de Clústeres del Perú" in cover and "Ministerio de la Producción" in cover
    assert world.users["manager"].get_full_name() in cover
    import pypdf

    first = pypdf.PdfReader(io.BytesIO(built.pdf)).pages[0]
    images = [x for x in first["/Resources"].get("/XObject", {}).values() if x.get_object()["/Subtype"] == "/Image"]
    assert len(images) == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"GIF89a" + b"\x00" * 40, "El logotipo debe ser una imagen PNG o JPEG."),
        ("logo.png", b"%PDF-1.4 not an image", "El logotipo debe ser una imagen PNG o JPEG."),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "El logotipo no se pudo leer como imagen."),
        ("logo.html", b"\x89PNG\r\n\x1a\n<script>", "El logotipo no se pudo leer como imagen."),
        ("big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (600 * 1024), "El logotipo debe pesar como máximo 512 KB."),
    ],
)
def test_a_logo_is_checked_by_its_content_and_a_bad_one_keeps_the_rest(client_for, world, name, content, message):
    client = client_for(world.users["admin"])
    client.post(reverse("reports:settings"), {"programme_name": "Antes", "institution": "Inst"})
    response = client.post(
        reverse("reports:settings"),
        {"programme_name": "Después", "institution": "Inst", "logo": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="Después"' in response.content.decode()  # what was typed is shown again
    assert ProgrammeSettings.current().programme_name == "Antes" and not ProgrammeSettings.current().logo


def test_only_administrators_set_the_programme(client_for, world):
    for persona in ("coordinator", "manager", "researcher_a"):
        assert client_for(world.users[persona]).get(reverse("reports:settings")).status_code == 403
