from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # The sweep runs on a schedule (reports.sweeper): in each Celery worker, or in the web process when
        # tasks run in-process (no REDIS_URL). Not in the test suite, whose tests sweep when they mean to.
        from celery.signals import worker_ready
        from django.conf import settings
        from django.core.signals import request_started

        from reports import sweeper

        worker_ready.connect(sweeper.start_in_worker, weak=False, dispatch_uid="report-sweeper")
        if settings.CELERY_TASK_ALWAYS_EAGER and not settings.TESTING:
            request_started.connect(sweeper.start_in_web_process, weak=False, dispatch_uid="report-sweeper")
