"""The report sweep on a schedule, so that no job waits for someone to open a reports page.

A thread runs ``services.report_sweep`` every CASEBOOK_REPORT_SWEEP_SECONDS:

- in each Celery worker's main process, from the moment the worker is ready (``celery -A config worker``:
  nothing else to start or deploy); several workers each sweep, which is harmless (the sweep locks each
  job it changes, and a job handed to the queue twice is built once);
- in the embedded mode (no REDIS_URL, tasks run in-process: ``make run``), in the web process, from its
  first request.

The sweep fails the jobs whose worker died, hands again to the queue the jobs the broker refused, and the
jobs whose message the broker lost (Redis restarted without its data) after CASEBOOK_REPORT_LOST_SECONDS.
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_sweeper = None


class Sweeper(threading.Thread):
    def __init__(self, period: float):
        super().__init__(name="report-sweeper", daemon=True)
        self.period = period
        self.stopped = threading.Event()
        self.sweeps = 0

    def run(self):
        from reports.services import report_sweep

        while not self.stopped.is_set():
            try:
                close_old_connections()
                result = report_sweep()
                if result.failed or result.requeued:
                    logger.info("Report sweep: failed %s, queued again %s", result.failed, result.requeued)
            except Exception:
                # The database or the broker is away: the next sweep tries again.
                logger.warning("Report sweep failed; trying again in %s s", self.period, exc_info=True)
                connection.close()
            self.sweeps += 1
            self.stopped.wait(self.period)
        connection.close()

    def stop(self):
        self.stopped.set()


def start() -> Sweeper | None:
    """Start this process's sweeper (once); None when CASEBOOK_REPORT_SWEEP_SECONDS is 0."""
    global _sweeper
    period = settings.CASEBOOK_REPORT_SWEEP_SECONDS
    if period <= 0:
        return None
    with _lock:
        if _sweeper is None or not _sweeper.is_alive():
            _sweeper = Sweeper(period)
            _sweeper.start()
            logger.info("Report sweeper started: every %s s", period)
        return _sweeper


def start_in_worker(**kwargs):
    start()


def start_in_web_process(**kwargs):
    """The embedded mode's sweeper, started by the first request (request_started); disconnects itself."""
    from django.core.signals import request_started

    request_started.disconnect(start_in_web_process, dispatch_uid="report-sweeper")
    start()
