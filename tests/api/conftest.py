"""API test helpers: personal tokens for the personas, and a client that sends them."""

import datetime

import pytest
from django.core.cache import caches
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import api_token_create


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    caches["api"].clear()
    yield
    caches["api"].clear()


def make_token(user, scope=ApiToken.Scope.READ_WRITE, *, days=30, name="test"):
    return api_token_create(user=user, name=name, scope=scope, days=days).secret


def expired_token(user):
    issued = api_token_create(user=user, name="old", scope=ApiToken.Scope.READ_WRITE, days=1)
    ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    return issued.secret


def revoked_token(user):
    issued = api_token_create(user=user, name="gone", scope=ApiToken.Scope.READ_WRITE, days=30)
    ApiToken.objects.filter(pk=issued.token.pk).update(revoked_at=timezone.now())
    return issued.secret


@pytest.fixture
def api():
    """api(token=None, language="es") -> an APIClient sending that token (as a Bearer header)."""

    def client(token=None, language="es"):
        c = APIClient()
        headers = {"HTTP_ACCEPT_LANGUAGE": language}
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        c.credentials(**headers)
        return c

    return client
