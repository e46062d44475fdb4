"""The Celery application.

With ``REDIS_URL`` set, tasks go through Redis to a worker started with
``celery -A config worker``; without it, settings make them run eagerly
in-process, so the embedded default needs no server.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("casebook")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="casebook.ping")
def ping():
    """Answer 'pong': lets operators and the integration suite check the worker path."""
    return "pong"
