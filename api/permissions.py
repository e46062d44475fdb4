"""Who may call what: DESIGN.md's matrix, the same model permissions the pages check, and the token's scope."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions

from api.models import ApiToken
from api.services import allowed_scopes


def required_permission(view, request):
    """The model permission the view names for this action (``perms`` maps action or method to it)."""
    perms = getattr(view, "perms", {})
    action = getattr(view, "action", None)
    if action in perms:
        return perms[action]
    return perms.get(request.method.lower())


class FollowsTheMatrix(permissions.BasePermission):
    """Signed in (401 otherwise); a write needs a read-write token (or a session); the model permission
    that the page for the same thing requires. Which objects are visible is the views' querysets' job."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            raise exceptions.NotAuthenticated()
        if not hasattr(view, request.method.lower()):
            return True  # the view answers 405 Method Not Allowed next
        token = request.auth if isinstance(request.auth, ApiToken) else None
        writing = token is not None and request.method not in permissions.SAFE_METHODS
        if writing and (not token.writes or ApiToken.Scope.READ_WRITE not in allowed_scopes(user)):
            raise exceptions.PermissionDenied(_("This token is read-only: make a read-write token to change data."))
        perm = required_permission(view, request)
        if perm is None:
            return request.method in permissions.SAFE_METHODS or request.method == "OPTIONS"
        return user.has_perm(perm)
