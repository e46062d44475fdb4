"""Writes of the API app: issuing and revoking personal tokens. Views and the admin call these."""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import TOKEN_PREFIX, ApiToken, token_digest
from clusters.access import Role, role_of

# DESIGN.md, wave 2: researchers and coordinators may make read-only or read-write tokens, managers
# read-only ones, admins any. People without a role make none.
SCOPES_BY_ROLE = {
    Role.RESEARCHER: (ApiToken.Scope.READ, ApiToken.Scope.READ_WRITE),
    Role.COORDINATOR: (ApiToken.Scope.READ, ApiToken.Scope.READ_WRITE),
    Role.MANAGER: (ApiToken.Scope.READ,),
    Role.ADMIN: (ApiToken.Scope.READ, ApiToken.Scope.READ_WRITE),
}
MAX_ACTIVE_TOKENS = 20


def allowed_scopes(user):
    """The kinds of token this user may make (and use): none for people without a role."""
    return SCOPES_BY_ROLE.get(role_of(user), ())


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the whole token text: shown once, never stored


@transaction.atomic
def api_token_create(*, user, name, scope, days) -> IssuedToken:
    """Make a personal token for ``user`` that expires in ``days`` days; the text is returned once."""
    if scope not in allowed_scopes(user):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name that says what it is for.")})
    if not 1 <= days <= settings.CASEBOOK_API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {"days": _("A token lasts from 1 to %(days)s days.") % {"days": settings.CASEBOOK_API_TOKEN_MAX_DAYS}}
        )
    now = timezone.now()
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You have %(count)s active tokens, the most allowed. Revoke one you no longer use first.")
            % {"count": active}
        )
    key_id = secrets.token_hex(6)
    secret = f"{TOKEN_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user=user,
        name=name,
        key_id=key_id,
        digest=token_digest(secret),
        scope=scope,
        expires_at=now + datetime.timedelta(days=days),
    )
    token.full_clean(exclude=["key_id", "digest"])
    token.save()
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, token, revoked_by) -> ApiToken:
    """Revoke a token at once: its next request gets 401. Owners revoke theirs, admins anyone's."""
    if token.user_id != revoked_by.pk and role_of(revoked_by) != Role.ADMIN:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = revoked_by
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token
