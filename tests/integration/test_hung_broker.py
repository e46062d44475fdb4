"""A Redis that accepts connections but answers nothing (hung, not down) holds a report request no longer than
CASEBOOK_REPORT_PUBLISH_TIMEOUT: the person is told the queue is not answering and that her request is saved,
and the job is sent when the queue answers again, with nobody looking."""

import socket
import threading
import time

import pytest
from django.urls import reverse

from reports.models import ReportJob
from tests.integration.conftest import BrokerOutage
from tests.integration.test_reports import wait_for
from tests.world import build_world

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


class HungRedis:
    """A TCP server on loopback that accepts every connection and never sends a byte."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.port = self.server.getsockname()[1]
        self.held = []
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                conn, _addr = self.server.accept()
            except OSError:
                return
            self.held.append(conn)  # read nothing, answer nothing

    def close(self):
        self.closed = True
        self.server.close()
        for conn in self.held:
            conn.close()


class HungBroker(BrokerOutage):
    """This process publishes to a Redis that hangs."""

    def __init__(self, hung):
        from config.celery import app

        self.app = app
        self.saved = app.conf.broker_write_url
        app.conf.broker_write_url = f"redis://127.0.0.1:{hung.port}/0"
        self._reset_pools()


def test_a_report_asked_for_while_redis_hangs_answers_in_time_and_is_sent_when_redis_answers(workers, client, settings):
    workers.slow(step_delay=0, CASEBOOK_REPORT_SWEEP_SECONDS="2", CASEBOOK_REPORT_REQUEUE_SECONDS="2")
    world = build_world()
    hung = HungRedis()
    broker = HungBroker(hung)
    try:
        client.force_login(world.users["manager"])
        started = time.monotonic()
        response = client.post(reverse("reports:request"), {"cluster": "camelidos", "language": "es"}, follow=True)
        elapsed = time.monotonic() - started
        # The bound is the feature: the publish timeout (3 s) and the page, not the client's 15 s of retries.
        assert elapsed < settings.CASEBOOK_REPORT_PUBLISH_TIMEOUT + 3, f"the request took {elapsed:.1f} s"
        assert hung.held, "the request never reached the hung Redis"
        page = response.content.decode()
        assert "La cola de trabajos no responde en este momento" in page
        assert "Su solicitud está guardada" in page
        job = ReportJob.objects.latest("pk")
        assert job.status == ReportJob.Status.QUEUED and job.waiting_for_queue
    finally:
        broker.end()
        hung.close()
    # Redis answers again (this process publishes to the real one); the worker's sweep sends the job.
    job = wait_for(job, lambda job: job.status == ReportJob.Status.DONE, timeout=90, what="the build after the hang")
    assert job.page_count
