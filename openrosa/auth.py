"""How a device signs in to the OpenRosa endpoints: a device token in the URL, HTTP Digest, or Basic over HTTPS.

ODK Collect answers the server's ``WWW-Authenticate`` challenge with Digest (RFC 7616, MD5, qop=auth),
or with Basic but only over HTTPS; KoboCollect is Collect. Browser sessions are never accepted here:
these endpoints take posts without a CSRF token, so a cookie must not be enough to use them.

Digest needs HA1 = MD5(username:realm:password) on the server. Django keeps only a salted hash, so
HA1 is recorded when the password is set (``record_on_password_change``) or typed to sign in on the
website (``DigestRecordingBackend``), and is valid only while that password is still the user's.

Failed passwords go to django-axes like the login's, so the same limits lock a user name out from an
address; a wrong device token counts as a failure of the pseudo user name ``DEVICE_TOKEN_USERNAME``.
"""

import base64
import binascii
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache

from openrosa.models import DeviceToken, DigestCredential, token_digest

REALM = "Cluster Casebook"
NONCE_SECONDS = 300
DEVICE_TOKEN_USERNAME = "(device token)"  # noqa: S105 (a name for the throttle, not a secret)
DIGEST_PARAMETER = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


@dataclass
class DeviceSignIn:
    """Who is asking: the user, and the device token used (None for a password)."""

    user: object
    token: DeviceToken | None = None


class Locked(Exception):
    """Too many failed attempts for this user name from this address: refused during the cool-off."""


# --- Recording the Digest secret --------------------------------------------------------------------


def _fingerprint(user):
    return hashlib.sha256(user.password.encode()).hexdigest()


def _ha1(username, password):
    return hashlib.md5(f"{username}:{REALM}:{password}".encode(), usedforsecurity=False).hexdigest()


def digest_record(user, password):
    """Keep the Digest secret of this user's current password (nothing for an unusable one)."""
    if user.pk is None or not user.has_usable_password():
        return
    DigestCredential.objects.update_or_create(
        user=user, defaults={"ha1": _ha1(user.get_username(), password), "password_fingerprint": _fingerprint(user)}
    )


def record_on_password_change(sender, instance, **kwargs):
    """post_save of the user model: Django keeps the new raw password in ``_password`` until its
    ``save()`` has run the password-changed hooks, so every ``set_password`` + save passes here
    (the password change page, the admin, createsuperuser, a data import)."""
    password = getattr(instance, "_password", None)
    if password is not None:
        digest_record(instance, password)


class DigestRecordingBackend(ModelBackend):
    """Django's ModelBackend, which also records the Digest secret of a password that signs in."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and password:
            credential = DigestCredential.objects.filter(user=user).first()
            if credential is None or credential.password_fingerprint != _fingerprint(user):
                digest_record(user, password)
        return user


# --- Device tokens ----------------------------------------------------------------------------------


def new_token():
    """A fresh device token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def _failed(request, username):
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    # Axes marks the request so that its middleware swaps the response for the HTML lockout page;
    # the OpenRosa views answer a lockout themselves, in the protocol's terms.
    request.axes_locked_out = False


def _check_allowed(request, username):
    if not AxesProxyHandler.is_allowed(request, {"username": username}):
        request.axes_locked_out = False
        raise Locked


def sign_in_with_token(request, token):
    """The device token's sign-in, or None (unknown, revoked, or its owner deactivated). Raises Locked."""
    _check_allowed(request, DEVICE_TOKEN_USERNAME)
    device = (
        DeviceToken.objects.select_related("user")
        .filter(key_digest=token_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if device is None:
        _failed(request, DEVICE_TOKEN_USERNAME)
        return None
    return DeviceSignIn(user=device.user, token=device)


# --- Digest and Basic ---------------------------------------------------------------------------------


def _nonce_signature(stamp):
    return hmac.new(settings.SECRET_KEY.encode(), f"openrosa-nonce:{stamp}".encode(), hashlib.sha256).hexdigest()[:32]


def make_nonce():
    """A stateless nonce: a timestamp signed with the secret key (checked for age and signature)."""
    stamp = str(int(time.time()))
    return base64.b64encode(f"{stamp}:{_nonce_signature(stamp)}".encode()).decode()


def _nonce_state(nonce):
    """'fresh', 'stale' (genuine but old: the client retries without asking the user) or 'bad'."""
    try:
        stamp, signature = base64.b64decode(nonce.encode(), validate=True).decode().split(":", 1)
        issued = int(stamp)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return "bad"
    if not hmac.compare_digest(signature, _nonce_signature(stamp)):
        return "bad"
    return "fresh" if 0 <= time.time() - issued <= NONCE_SECONDS else "stale"


def challenges(request, stale=False):
    """The WWW-Authenticate values a 401 offers: Digest always, Basic only over HTTPS."""
    digest = (
        f'Digest realm="{REALM}", qop="auth", algorithm=MD5, nonce="{make_nonce()}", '
        f'opaque="{hashlib.md5(REALM.encode(), usedforsecurity=False).hexdigest()}"'
    )
    if stale:
        digest += ", stale=true"
    values = [digest]
    if request.is_secure():
        values.append(f'Basic realm="{REALM}", charset="UTF-8"')
    return values


def _digest_parameters(header):
    return {key.lower(): quoted or bare for key, quoted, bare in DIGEST_PARAMETER.findall(header)}


class StaleNonce(Exception):
    """A genuine but expired nonce: answer 401 with stale=true so the client retries at once."""


def _digest_sign_in(request, header):
    params = _digest_parameters(header)
    username = params.get("username", "")
    needed = ("username", "realm", "nonce", "uri", "response")
    if not all(params.get(key) for key in needed) or params["realm"] != REALM:
        return None
    state = _nonce_state(params["nonce"])
    if state == "bad":
        return None
    if state == "stale":
        raise StaleNonce
    qop = params.get("qop", "")
    if qop and qop != "auth":
        return None
    if qop and not (params.get("nc") and params.get("cnonce")):
        return None
    if params.get("algorithm", "MD5").upper() != "MD5":
        return None
    # The uri must be this request's (a response captured for another address is no good here).
    if params["uri"] != request.get_full_path() and params["uri"] != request.path:
        return None
    _check_allowed(request, username)
    user = get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: username}).first()
    credential = DigestCredential.objects.filter(user=user).first() if user is not None else None
    if credential is None or not user.is_active or credential.password_fingerprint != _fingerprint(user):
        _failed(request, username)
        return None
    ha2 = hashlib.md5(f"{request.method}:{params['uri']}".encode(), usedforsecurity=False).hexdigest()
    if qop:
        material = f"{credential.ha1}:{params['nonce']}:{params['nc']}:{params['cnonce']}:{qop}:{ha2}"
    else:
        material = f"{credential.ha1}:{params['nonce']}:{ha2}"
    expected = hashlib.md5(material.encode(), usedforsecurity=False).hexdigest()
    if not hmac.compare_digest(expected, params["response"].lower()):
        _failed(request, username)
        return None
    # A captured request replayed within the nonce's life is refused: each (nonce, nc, cnonce) once.
    replay_key = (
        "openrosa-digest:"
        + hashlib.sha256(
            f"{params['nonce']}:{params.get('nc')}:{params.get('cnonce')}:{params['response']}".encode()
        ).hexdigest()
    )
    if not cache.add(replay_key, 1, NONCE_SECONDS + 60):
        return None
    return DeviceSignIn(user=user)


def _basic_sign_in(request, header):
    if not request.is_secure():
        return None  # a password in clear over plain HTTP is never accepted
    try:
        username, password = base64.b64decode(header.strip(), validate=True).decode().split(":", 1)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    _check_allowed(request, username)
    # authenticate() goes through django-axes (which counts a failure) and records the Digest secret.
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        request.axes_locked_out = False
        raise Locked
    return DeviceSignIn(user=user) if user is not None else None


def sign_in_with_password(request):
    """The sign-in that the Authorization header proves, or None. Raises Locked or StaleNonce."""
    header = request.headers.get("Authorization", "")
    scheme, _, rest = header.partition(" ")
    if scheme.lower() == "digest":
        return _digest_sign_in(request, rest)
    if scheme.lower() == "basic":
        return _basic_sign_in(request, rest)
    return None
