"""The page where people make and revoke their personal API tokens (/accounts/tokens/)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from api import services
from api.forms import TokenForm
from api.models import ApiToken

SHOWN_ONCE = "api_token_shown_once"


def _scopes(user):
    scopes = services.allowed_scopes(user)
    if not scopes:
        raise PermissionDenied
    return scopes


@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(request.POST or None, scopes=_scopes(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_token_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Shown on the next page once, then only its digest remains.
            request.session[SHOWN_ONCE] = {"id": issued.token.pk, "secret": issued.secret}
            return redirect("tokens:list")
    shown = request.session.pop(SHOWN_ONCE, None)
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-pk")
    return render(request, "api/token_list.html", {"form": form, "tokens": tokens, "shown": shown})


@require_POST
def token_revoke(request, pk):
    _scopes(request.user)
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(token=token, revoked_by=request.user)
    messages.success(request, _("The token “%(name)s” was revoked: it no longer works.") % {"name": token.name})
    return redirect("tokens:list")
