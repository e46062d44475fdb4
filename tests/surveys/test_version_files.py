"""Files of a form: a CSV of choices for select_one_from_file, attached before publishing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys.models import QuestionnaireVersion
from tests.surveys.xlsform_files import xlsx

pytestmark = pytest.mark.django_db

FORM = xlsx(
    survey=[
        ["type", "name", "label", "parameters"],
        ["select_one_from_file distritos.csv", "distrito", "Distrito", "value=ubigeo label=nombre"],
        ["text", "comentario", "Comentario", None],
    ],
    settings=[["form_title", "form_id"], ["Visita por distrito", "visita"]],
)


def _import(client):
    client.post(reverse("surveys:questionnaire_import"), {"file": SimpleUploadedFile("visita.xlsx", FORM)})
    return QuestionnaireVersion.objects.get(questionnaire__name="Visita por distrito")


def test_a_form_is_published_only_once_the_csv_it_reads_is_attached_and_its_rows_are_the_options(client_for, world):
    client = client_for(world.users["coordinator"])
    version = _import(client)
    page = client.get(reverse("surveys:version_detail", kwargs={"pk": version.pk})).content.decode()
    assert "distritos.csv" in page
    response = client.post(reverse("surveys:version_publish", kwargs={"pk": version.pk}), follow=True)
    assert "necesita el archivo distritos.csv" in response.content.decode()
    version.refresh_from_db()
    assert version.status == QuestionnaireVersion.Status.DRAFT

    csv = b"ubigeo,nombre,provincia\n210101,Puno,2101\n211101,Juliaca,2111\n"
    client.post(
        reverse("surveys:version_file_upload", kwargs={"pk": version.pk}),
        {"file": SimpleUploadedFile("distritos.csv", csv, content_type="text/csv")},
    )
    question = version.questions.get(code="distrito")
    assert list(question.choices.values_list("value", "labels", "extra")) == [
        ("210101", {"default": "Puno"}, {"provincia": "2101"}),
        ("211101", {"default": "Juliaca"}, {"provincia": "2111"}),
    ]
    client.post(reverse("surveys:version_publish", kwargs={"pk": version.pk}))
    version.refresh_from_db()
    assert version.status == QuestionnaireVersion.Status.PUBLISHED
    download = client.get(reverse("surveys:version_file_download", kwargs={"pk": version.files.get().pk}))
    assert b"".join(download.streaming_content) == csv


def test_a_csv_without_the_column_the_question_names_is_refused_with_the_reason(client_for, world):
    client = client_for(world.users["coordinator"])
    version = _import(client)
    response = client.post(
        reverse("surveys:version_file_upload", kwargs={"pk": version.pk}),
        {"file": SimpleUploadedFile("distritos.csv", b"name,label\n1,Uno\n", content_type="text/csv")},
        follow=True,
    )
    assert "ubigeo" in response.content.decode()
    assert not version.files.exists()
    assert not version.questions.get(code="distrito").choices.exists()


def test_a_choices_csv_in_latin_1_is_refused_telling_how_to_save_it_as_utf_8(client_for, world):
    client = client_for(world.users["coordinator"])
    version = _import(client)
    csv = b"ubigeo,nombre\n210101,Puno\n080101,Cusco\n150101,Lima\n"
    client.post(
        reverse("surveys:version_file_upload", kwargs={"pk": version.pk}),
        {"file": SimpleUploadedFile("distritos.csv", csv, content_type="text/csv")},
    )
    response = client.post(
        reverse("surveys:version_file_upload", kwargs={"pk": version.pk}),
        {"file": SimpleUploadedFile("distritos.csv", "ubigeo,nombre\n1,Cañete\n".encode("latin-1"))},
        follow=True,
    )
    assert "distritos.csv no está guardado como texto UTF-8 (la línea 2" in response.content.decode()
    question = version.questions.get(code="distrito")
    assert list(question.choices.values_list("value", flat=True)) == ["210101", "080101", "150101"]
    assert b"".join(version.files.get().file.open("rb")) == csv


def test_a_choices_csv_separated_by_semicolons_gives_its_options(client_for, world):
    client = client_for(world.users["coordinator"])
    version = _import(client)
    client.post(
        reverse("surveys:version_file_upload", kwargs={"pk": version.pk}),
        {"file": SimpleUploadedFile("distritos.csv", "ubigeo;nombre\n210101;Puno\n150501;Cañete\n".encode())},
    )
    question = version.questions.get(code="distrito")
    assert list(question.choices.values_list("value", "labels")) == [
        ("210101", {"default": "Puno"}),
        ("150501", {"default": "Cañete"}),
    ]


def test_a_researcher_cannot_attach_files_to_a_form(client_for, world):
    version = _import(client_for(world.users["coordinator"]))
    response = client_for(world.users["researcher_a"]).post(
        reverse("surveys:version_file_upload", kwargs={"pk": version.pk}),
        {"file": SimpleUploadedFile("distritos.csv", b"ubigeo,nombre\n1,Uno\n")},
    )
    assert response.status_code == 403
    assert not version.files.exists()


def test_a_version_imported_before_the_media_column_had_its_own_key_still_downloads(client_for, world):
    """Before the fix of the plain 'media' column, an import kept its text where the labels' media files live
    (``extra["media"]``); such versions read it as no file, and their pages and downloads still work."""
    from surveys.models import Question
    from surveys.xlsform import read_xlsform

    client = client_for(world.users["coordinator"])
    version = _import(client)
    Question.objects.filter(version=version, code="comentario").update(extra={"media": "ver ficha técnica"})
    page = client.get(reverse("surveys:version_detail", kwargs={"pk": version.pk}))
    assert page.status_code == 200
    download = client.get(reverse("surveys:version_export", kwargs={"pk": version.pk}))
    assert download.status_code == 200
    assert read_xlsform(download.content).files == ["distritos.csv"]
