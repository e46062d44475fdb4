import pytest
from django.conf import settings

from config.celery import ping

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_task_goes_through_redis_and_a_real_worker_completes_it(celery_worker_process):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    result = ping.delay()
    assert result.get(timeout=30) == "pong"
    assert result.successful()
