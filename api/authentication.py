"""``Authorization: Bearer <token>`` (or ``Token <token>``) for the API: a personal token acts as its owner."""

import hmac

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api.models import TOKEN_PREFIX, ApiToken, token_digest

SCHEMES = (b"bearer", b"token")


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A personal API token: valid, not revoked, not expired, its owner active. Anything else is 401."""

    invalid = _("The token is not valid.")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in SCHEMES:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as “Authorization: Bearer <token>”."))
        try:
            text = header[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(self.invalid) from None
        prefix, _sep, rest = text.partition("_")
        key_id, _sep, secret = rest.partition("_")
        if prefix != TOKEN_PREFIX or not key_id or not secret:
            raise exceptions.AuthenticationFailed(self.invalid)
        token = ApiToken.objects.select_related("user").filter(key_id=key_id).first()
        if token is None or not hmac.compare_digest(token.digest, token_digest(text)):
            raise exceptions.AuthenticationFailed(self.invalid)
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked."), code="token_revoked")
        if token.is_expired(timezone.now()):
            raise exceptions.AuthenticationFailed(_("This token has expired."), code="token_expired")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token's owner can no longer sign in."))
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
