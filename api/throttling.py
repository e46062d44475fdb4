"""Rate limits per token (per person for the browsable API), counted in the shared ``api`` cache."""

import logging

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken

logger = logging.getLogger(__name__)


class PerTokenThrottle(SimpleRateThrottle):
    scope = "api"

    def __init__(self):
        # The rate is read on each request (settings.CASEBOOK_API_RATE), not frozen at import.
        self.cache = caches["api"]
        self.rate = settings.CASEBOOK_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return f"throttle:token:{request.auth.pk}"
        if request.user and request.user.is_authenticated:
            return f"throttle:user:{request.user.pk}"
        return None  # refused anyway (401); nothing to count

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache (Redis) is down: serve the request rather than fail it
            logger.warning("API rate limit not applied: the cache is unreachable", exc_info=True)
            return True
