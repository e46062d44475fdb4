"""Signing in: the client's address behind the reverse proxy, and a limit of failed logins per address.

django-axes locks a user name out after AXES_FAILURE_LIMIT wrong passwords from one address. Two more rules:
- The address is the client's, not the proxy's: X-Forwarded-For is read only when the request comes from a
  proxy listed in CASEBOOK_TRUSTED_PROXIES, from the right, skipping the listed proxies; whatever a client
  writes in that header itself is never believed. Without a trusted proxy every client would share one
  address, and anyone could lock anyone out.
- One address may fail CASEBOOK_LOGIN_FAILURES_PER_ADDRESS times across all user names within the cool-off
  (AXES_COOLOFF_TIME); then it is refused like a locked-out user name, whatever name it tries.
"""

import functools
import ipaddress

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_client_ip_address, get_lockout_message
from axes.models import AccessFailureLog
from django.conf import settings
from django.utils import timezone


@functools.lru_cache(maxsize=8)
def _networks(proxies):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _trusted(address, networks):
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def client_address(request):
    """The address of whoever sent the request (axes' AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.CASEBOOK_TRUSTED_PROXIES))
    if not _trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    client = remote
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # not an address our proxies wrote: stop at the last one they did
        client = hop
        if not _trusted(hop, networks):
            break
    return client


def address_failures(address):
    """Failed logins from ``address`` within the cool-off, whatever the user name."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessFailureLog.objects.filter(ip_address=address, attempt_time__gte=since).count()


class AddressLimitBackend(AxesStandaloneBackend):
    """Axes' backend, which refuses locked-out user names, that also refuses an address over its limit."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and settings.AXES_ENABLED:
            address = get_client_ip_address(request)
            if address and address_failures(address) >= settings.CASEBOOK_LOGIN_FAILURES_PER_ADDRESS:
                kwargs.get("response_context", {})["error"] = get_lockout_message()
                request.axes_locked_out = True
                raise AxesBackendPermissionDenied("Too many failed logins from this address")
        return super().authenticate(request, username=username, password=password, **kwargs)
