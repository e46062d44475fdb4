"""Attachments: checked by size and by content, stored under random names, downloaded through a permission check."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys.models import Attachment, Interview
from tests.factories import PNG_BYTES

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x21" + b"\x00" * 64
OGG = b"OggS\x00\x02" + b"\x00" * 64
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 64
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00" + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(client, interview, name, content, content_type="application/octet-stream"):
    return client.post(
        reverse("surveys:attachment_upload", kwargs={"pk": interview.pk}),
        {"file": SimpleUploadedFile(name, content, content_type=content_type), "caption": "Taller"},
        follow=True,
    )


@pytest.mark.parametrize(
    ("name", "content", "kind", "content_type"),
    [
        ("foto.jpg", JPEG, "photo", "image/jpeg"),
        ("foto.png", PNG_BYTES, "photo", "image/png"),
        ("foto.webp", WEBP, "photo", "image/webp"),
        ("acta.pdf", PDF, "pdf", "application/pdf"),
        ("audio.mp3", MP3, "audio", "audio/mpeg"),
        ("audio.ogg", OGG, "audio", "audio/ogg"),
        ("audio.wav", WAV, "audio", "audio/wav"),
        ("audio.m4a", M4A, "audio", "audio/mp4"),
        ("audio.webm", WEBM, "audio", "audio/webm"),
        ("foto.jpg", PDF, "pdf", "application/pdf"),
    ],
)
def test_accepted_files_are_typed_by_their_content_and_stored_under_a_random_name(
    client_for, world, media, name, content, kind, content_type
):
    response = _upload(client_for(world.users["researcher_a"]), world.interview_a, name, content)
    assert "Archivo adjuntado." in response.content.decode()
    attachment = Attachment.objects.filter(interview=world.interview_a).latest("pk")
    # The name keeps its extension when it says what the content is, and gets the content's own otherwise.
    stored_name = "foto.pdf" if (name, content) == ("foto.jpg", PDF) else name
    assert (attachment.kind, attachment.content_type, attachment.original_name) == (kind, content_type, stored_name)
    assert name not in attachment.file.name
    assert (media / attachment.file.name).read_bytes() == content


@pytest.mark.parametrize(
    ("name", "content"), [("acta.pdf", EXE), ("foto.jpg", b"hola, soy texto"), ("x.svg", b"<svg/>")]
)
def test_files_that_are_not_photos_audio_or_pdf_are_refused_whatever_their_name(
    client_for, world, media, name, content
):
    before = Attachment.objects.count()
    response = _upload(client_for(world.users["researcher_a"]), world.interview_a, name, content)
    assert "no es una foto, una grabación de audio ni un PDF" in response.content.decode()
    assert Attachment.objects.count() == before


def test_files_over_the_size_limit_are_refused(client_for, world, media, settings):
    settings.CASEBOOK_MAX_ATTACHMENT_BYTES = 1024
    response = _upload(client_for(world.users["researcher_a"]), world.interview_a, "foto.jpg", JPEG + b"\x00" * 2000)
    assert "demasiado grande" in response.content.decode()
    assert not Attachment.objects.filter(original_name="foto.jpg").exists()


def test_downloads_check_permission_every_time(client_for, world, media):
    client = client_for(world.users["researcher_a"])
    _upload(client, world.interview_a, "acta.pdf", PDF)
    attachment = Attachment.objects.get(original_name="acta.pdf")
    url = reverse("surveys:attachment_download", kwargs={"pk": attachment.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "acta.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    assert client_for(world.users["researcher_b"]).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    # Removed from the cluster's team: the same link stops working.
    world.cluster_a.team.remove(world.users["researcher_a"])
    assert client_for(world.users["researcher_a"]).get(url).status_code == 404


def test_submitted_interviews_take_no_more_files(client_for, world, media):
    Interview.objects.filter(pk=world.interview_a.pk).update(status=Interview.Status.SUBMITTED)
    response = client_for(world.users["researcher_a"]).post(
        reverse("surveys:attachment_upload", kwargs={"pk": world.interview_a.pk}),
        {"file": SimpleUploadedFile("foto.jpg", JPEG)},
    )
    assert response.status_code == 403


def test_removing_an_attachment_is_in_the_history(client_for, world, media):
    client = client_for(world.users["researcher_a"])
    _upload(client, world.interview_a, "foto.jpg", JPEG)
    attachment = Attachment.objects.get(original_name="foto.jpg")
    client.post(reverse("surveys:attachment_delete", kwargs={"pk": attachment.pk}))
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    actions = list(world.interview_a.changes.values_list("action", flat=True))
    assert actions[:2] == ["attachment_removed", "attachment_added"]


@pytest.mark.parametrize(
    ("name", "served"),
    [
        ("evil.html", "evil.jpg"),
        ("evil.svg", "evil.jpg"),
        ("foto.JPEG", "foto.JPEG"),
        ("sin-extension", "sin-extension.jpg"),
    ],
)
def test_a_photo_named_as_a_web_page_is_stored_and_served_as_the_photo_it_is(client_for, world, media, name, served):
    client = client_for(world.users["researcher_a"])
    _upload(client, world.interview_a, name, JPEG, content_type="text/html")
    attachment = Attachment.objects.filter(interview=world.interview_a).latest("pk")
    assert attachment.original_name == served
    assert attachment.file.name.endswith(".jpg")
    response = client.get(reverse("surveys:attachment_download", kwargs={"pk": attachment.pk}))
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == f'attachment; filename="{served}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == JPEG
    inline = client.get(reverse("surveys:attachment_download", kwargs={"pk": attachment.pk}) + "?inline=1")
    assert inline["Content-Disposition"] == f'inline; filename="{served}"'


def test_a_file_kept_before_names_followed_content_is_still_downloaded_under_its_type(client_for, world, media):
    client = client_for(world.users["researcher_a"])
    _upload(client, world.interview_a, "foto.jpg", JPEG)
    attachment = Attachment.objects.filter(interview=world.interview_a).latest("pk")
    Attachment.objects.filter(pk=attachment.pk).update(original_name="evil.html")  # as stored before
    response = client.get(reverse("surveys:attachment_download", kwargs={"pk": attachment.pk}))
    assert response["Content-Disposition"] == 'attachment; filename="evil.jpg"'
    assert response["Content-Type"] == "image/jpeg"
