"""What ODK Collect sends, replayed against the real PostgreSQL through a live server: HEAD, multipart posts,
a split submission, a resend after a lost response, and a 10 MB photo streamed to storage with flat memory."""

import http.client
import tracemalloc
import urllib.parse

import pytest
import requests

from openrosa.models import Submission
from openrosa.services import device_token_create
from surveys.models import Attachment, Interview
from tests.openrosa.conftest import JPEG, fill, received
from tests.surveys.conftest import build_questionnaire

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
BOUNDARY = "collect-replay"


def _post(live_server, token, xml, files=(), incomplete=False):
    """A Collect post, streamed: the body is sent in 64 KB pieces (files read from disk as they go)."""
    url = urllib.parse.urlsplit(f"{live_server.url}/key/{token}/submission")
    pieces = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="xml_submission_file"; filename="s.xml"\r\n'
        f"Content-Type: text/xml\r\n\r\n".encode(),
        xml,
        b"\r\n",
    ]
    for name, source in files:
        pieces.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n".encode()
        )
        pieces += [source, b"\r\n"]
    if incomplete:
        pieces.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="*isIncomplete*"\r\n\r\nyes\r\n'.encode())
    pieces.append(f"--{BOUNDARY}--\r\n".encode())
    length = sum(piece.stat().st_size if hasattr(piece, "stat") else len(piece) for piece in pieces)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    connection.putrequest("POST", url.path)
    for header, value in (
        ("X-OpenRosa-Version", "1.0"),
        ("Content-Length", str(length)),
        ("Content-Type", f"multipart/form-data; boundary={BOUNDARY}"),
    ):
        connection.putheader(header, value)
    connection.endheaders()
    for piece in pieces:
        if hasattr(piece, "stat"):
            with piece.open("rb") as handle:
                while chunk := handle.read(1 << 16):
                    connection.send(chunk)
        else:
            connection.send(piece)
    response = connection.getresponse()
    status, body = response.status, response.read()
    connection.close()
    return status, body


@pytest.fixture
def setting(world):
    version = build_questionnaire(world.users["coordinator"])
    _row, token = device_token_create(user=world.users["researcher_a"], name="Tableta")
    return version, token


def test_collect_s_head_then_post_then_resend_records_one_interview(live_server, world, setting):
    version, token = setting
    head = requests.head(f"{live_server.url}/key/{token}/submission", timeout=30)
    assert head.status_code == 204 and head.headers["X-OpenRosa-Version"] == "1.0"
    assert int(head.headers["X-OpenRosa-Accept-Content-Length"]) > 10 * 1024 * 1024
    xml = fill(version, world.cluster_a, world.actor_a)
    assert _post(live_server, token, xml)[0] == 201
    # The response was lost on the way back: Collect sends the same form again.
    status, body = _post(live_server, token, xml)
    assert status == 201 and "ya había llegado".encode() in body
    assert received().count() == 1
    interview = received().get().interview
    assert interview.status == Interview.Status.SUBMITTED
    assert interview.answers.count() == 9


def _peak(action):
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_split_submission_with_a_10_mb_photo_is_streamed_and_recorded_once(live_server, world, setting, tmp_path):
    version, token = setting
    small = tmp_path / "grupo.jpg"
    small.write_bytes(JPEG[:-2] + b"\x00" * (3 * 1024 * 1024) + b"\xff\xd9")
    photo = tmp_path / "taller.jpg"
    photo.write_bytes(JPEG[:-2] + b"\x00" * (10 * 1024 * 1024) + b"\xff\xd9")
    xml = fill(version, world.cluster_a, world.actor_a, details={"interview-photo": "taller.jpg"})
    # Collect splits it: two parts marked *isIncomplete*, then the last post.
    (status, _body), peak_small = _peak(
        lambda: _post(live_server, token, xml, files=[("grupo.jpg", small)], incomplete=True)
    )
    assert status == 201
    (status, _body), peak_large = _peak(
        lambda: _post(live_server, token, xml, files=[("taller.jpg", photo)], incomplete=True)
    )
    assert status == 201
    # Flat memory: the server (a thread of this process) holds no more for 10 MB than for 3 MB.
    assert peak_large - peak_small < 1024 * 1024, f"{peak_small / 1e6:.1f} MB -> {peak_large / 1e6:.1f} MB"
    assert received().get().state == Submission.State.INCOMPLETE
    assert _post(live_server, token, xml)[0] == 201
    submission = received().get()
    assert submission.state == Submission.State.MAPPED, submission.reason
    sizes = sorted(Attachment.objects.filter(interview=submission.interview).values_list("size", flat=True))
    assert sizes == [small.stat().st_size, photo.stat().st_size]
    assert Interview.objects.filter(device_submissions__isnull=False).count() == 1
