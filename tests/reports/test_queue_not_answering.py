"""A report asked for when the queue does not take it (refused, or hung) is saved and the person is told so
truthfully; the sweep sends it when the queue is back. (The time bound itself is proven against a hung
server in tests/integration/test_hung_broker.py.)"""

import socket

import pytest
from django.urls import reverse

from reports.models import ReportJob
from tests.integration.test_hung_broker import HungRedis

# The request queues its job when its transaction commits: real commits, as on the site.
pytestmark = pytest.mark.django_db(transaction=True)

SAVED = "La cola de trabajos no responde en este momento. Su solicitud está guardada"


@pytest.fixture
def broker_at():
    """broker_at(url): this process publishes real messages (not in-process tasks) to the broker at url."""
    from config.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_write_url)

    def point(url):
        app.conf.task_always_eager = False
        app.conf.broker_write_url = url
        app._pool = None
        app.amqp._producer_pool = None

    yield point
    app.conf.task_always_eager, app.conf.broker_write_url = saved
    app._pool = None
    app.amqp._producer_pool = None


def _closed_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def _ask(client_for, world):
    client = client_for(world.users["manager"])
    response = client.post(reverse("reports:request"), {"cluster": "camelidos", "language": "es"}, follow=True)
    assert response.status_code == 200
    return response.content.decode(), ReportJob.objects.latest("pk")


def test_a_report_the_queue_refuses_is_saved_and_the_person_is_told_so(client_for, world, broker_at):
    broker_at(f"redis://127.0.0.1:{_closed_port()}/0")
    page, job = _ask(client_for, world)
    assert SAVED in page
    assert job.status == ReportJob.Status.QUEUED and job.waiting_for_queue


def test_a_report_the_queue_does_not_answer_is_saved_and_the_person_is_told_so(client_for, world, broker_at, settings):
    hung = HungRedis()
    settings.CASEBOOK_REPORT_PUBLISH_TIMEOUT = 0.5
    try:
        broker_at(f"redis://127.0.0.1:{hung.port}/0")
        page, job = _ask(client_for, world)
    finally:
        hung.close()
    assert hung.held, "the request never reached the server"
    assert SAVED in page
    assert job.status == ReportJob.Status.QUEUED and job.waiting_for_queue


def test_a_report_the_queue_takes_says_nothing_about_the_queue(client_for, world):
    page, job = _ask(client_for, world)
    assert SAVED not in page
    assert not job.waiting_for_queue
