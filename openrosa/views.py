"""The OpenRosa endpoints that ODK Collect, KoboCollect and Enketo use, and the pages that go with them.

Device endpoints live twice: under /openrosa/ (HTTP Digest, or Basic over HTTPS) and under
/key/<token>/ (a device token, as ODK Central's app users). Both sign in the same user and show what
she may see. Every device response carries ``X-OpenRosa-Version: 1.0``.
"""

import base64
import functools
import json
import zlib

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from clusters.access import require_perm
from openrosa import documents, selectors, services, xforms
from openrosa.auth import Locked, StaleNonce, challenges, sign_in_with_password, sign_in_with_token
from openrosa.forms import DeviceTokenForm
from openrosa.models import DeviceToken, Submission

OPENROSA_VERSION = "1.0"
XML = "text/xml; charset=utf-8"


def _openrosa(response):
    response["X-OpenRosa-Version"] = OPENROSA_VERSION
    return response


def _message(status, text):
    return _openrosa(HttpResponse(documents.response_message(text), status=status, content_type=XML))


def device_endpoint(view):
    """Sign the device in (token in the URL, or Digest/Basic), refuse what the matrix refuses, and
    mark every answer as OpenRosa 1.0. The view receives the sign-in and the token (or None)."""

    @login_not_required
    @csrf_exempt  # devices post without a CSRF token; a browser session is never accepted here
    @never_cache
    @functools.wraps(view)
    def wrapper(request, *args, token=None, **kwargs):
        try:
            sign_in = sign_in_with_token(request, token) if token is not None else sign_in_with_password(request)
        except Locked:
            return _message(429, _("Too many failed sign-in attempts. Wait 15 minutes and try again."))
        except StaleNonce:
            response = _message(401, _("Sign in again."))
            response["WWW-Authenticate"] = ", ".join(challenges(request, stale=True))
            return response
        if sign_in is None:
            if token is not None:
                return _message(403, _("This device's access was revoked or does not exist. Ask for a new QR code."))
            response = _message(401, _("Sign in with your user name and password."))
            # Digest first, then Basic over HTTPS: Collect answers the first scheme it supports.
            response["WWW-Authenticate"] = ", ".join(challenges(request))
            return response
        request.user = sign_in.user
        if not selectors.records_interviews(sign_in.user):
            return _message(403, _("Your role does not record interviews, so it has no forms to fill."))
        try:
            return _openrosa(view(request, sign_in, token, *args, **kwargs))
        except Http404:
            return _message(404, _("This form or file is not available to you (any more). Update the forms list."))

    return wrapper


def _absolute(request, url_name, token, **kwargs):
    if token is not None:
        return request.build_absolute_uri(reverse(f"openrosa:key_{url_name}", kwargs={"token": token, **kwargs}))
    return request.build_absolute_uri(reverse(f"openrosa:{url_name}", kwargs=kwargs))


@require_http_methods(["GET", "HEAD"])
@device_endpoint
def form_list(request, sign_in, token):
    """OpenRosa Form List API: the published versions she may fill, with their hash."""
    forms = []
    for version, document in selectors.fillable_forms(sign_in.user):
        forms.append(
            {
                "form_id": document.form_id,
                "name": document.title,
                "version": document.version,
                "hash": document.md5,
                "download_url": _absolute(request, "form_xml", token, pk=version.pk),
                "manifest_url": _absolute(request, "manifest", token, pk=version.pk),
            }
        )
    return HttpResponse(documents.form_list(forms), content_type=XML)


def _fillable_version(user, pk):
    version = selectors.fillable_versions(user).filter(pk=pk).first()
    if version is None:
        raise Http404
    return version


@require_http_methods(["GET", "HEAD"])
@device_endpoint
def form_xml(request, sign_in, token, pk):
    version = _fillable_version(sign_in.user, pk)
    try:
        document = xforms.version_xform(version)
    except xforms.XFormUnavailable:
        raise Http404 from None
    response = HttpResponse(document.xml, content_type=XML)
    response["Content-Disposition"] = f'attachment; filename="{document.form_id}.xml"'
    return response


@require_http_methods(["GET", "HEAD"])
@device_endpoint
def manifest(request, sign_in, token, pk):
    version = _fillable_version(sign_in.user, pk)
    generated = xforms.media_files(sign_in.user)
    files = [
        {
            "filename": name,
            "hash": xforms.md5_hex(data),
            "download_url": _absolute(request, "media", token, pk=pk, name=name),
        }
        for name, data in generated.items()
    ]
    # The form's own files (a CSV of choices, an image a label shows), attached by the coordinator.
    files += [
        {
            "filename": file.name,
            "hash": file.md5,
            "download_url": _absolute(request, "media", token, pk=pk, name=file.name),
        }
        for file in version.files.exclude(name__in=list(generated))
    ]
    return HttpResponse(documents.manifest(files), content_type=XML)


@require_http_methods(["GET", "HEAD"])
@device_endpoint
def media(request, sign_in, token, pk, name):
    version = _fillable_version(sign_in.user, pk)
    files = xforms.media_files(sign_in.user)
    if name in files:
        response = HttpResponse(files[name], content_type="text/csv; charset=utf-8")
    else:
        file = version.files.filter(name=name).first()
        if file is None:
            raise Http404
        try:
            response = FileResponse(file.file.open("rb"), content_type=file.content_type)
        except FileNotFoundError:
            raise Http404 from None
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _accept_bytes():
    return settings.CASEBOOK_OPENROSA_MAX_POST_BYTES


@require_http_methods(["GET", "HEAD", "POST"])
@device_endpoint
def submission(request, sign_in, token):
    """OpenRosa Form Submission API: HEAD (or GET) says how much one post may carry; POST sends a form."""
    if request.method != "POST":
        response = HttpResponse(status=204)
        response["X-OpenRosa-Accept-Content-Length"] = str(_accept_bytes())
        return response
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > _accept_bytes():
        return _message(413, _("The submission is too large. Send it again: the app splits it into parts."))
    xml_file = request.FILES.get("xml_submission_file")
    if xml_file is None:
        return _message(400, _("The post has no xml_submission_file."))
    uploads = [upload for key in request.FILES if key != "xml_submission_file" for upload in request.FILES.getlist(key)]
    incomplete = request.POST.get("*isIncomplete*", "").lower() == "yes"
    receipt = services.submission_receive(
        user=sign_in.user,
        device=sign_in.token,
        xml_file=xml_file,
        uploads=uploads,
        incomplete=incomplete,
        device_id=request.GET.get("deviceID", ""),
    )
    response = HttpResponse(
        documents.response_message(receipt.message, nature="submit_success" if receipt.status == 201 else ""),
        status=receipt.status,
        content_type=XML,
    )
    if receipt.status == 201:
        response["Location"] = request.build_absolute_uri()
    return response


# --- Pages: device tokens ----------------------------------------------------------------------------


def _collect_settings(request, token):
    """The QR code's payload: Collect's settings as zlib-compressed, base64 JSON (as Collect reads them)."""
    form_list_url = request.build_absolute_uri(reverse("openrosa:key_form_list", kwargs={"token": token}))
    server_url = form_list_url.rsplit("/", 1)[0]  # Collect adds /formList and /submission itself
    payload = {
        "general": {"server_url": server_url, "form_update_mode": "match_exactly", "autosend": "wifi_and_cellular"},
        "admin": {},
        "project": {"name": f"Cluster Casebook · {request.user.get_username()}", "icon": "C", "color": "#1f5f8b"},
    }
    return base64.b64encode(zlib.compress(json.dumps(payload).encode())).decode(), server_url


def devices(request):
    """Her device tokens (and, for those who may revoke anyone's, everyone's active ones)."""
    require_perm(request.user, "openrosa.view_devicetoken")
    own = DeviceToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at")[:50]
    others = None
    if request.user.has_perm("openrosa.delete_devicetoken"):
        others = (
            DeviceToken.objects.filter(revoked_at__isnull=True)
            .exclude(user=request.user)
            .select_related("user")
            .order_by("user__username", "-created_at")[:200]
        )
    return render(
        request,
        "openrosa/devices.html",
        {
            "own": own,
            "others": others,
            "form": DeviceTokenForm() if request.user.has_perm("openrosa.add_devicetoken") else None,
            "recent": selectors.recent_submissions(request.user),
            "openrosa_url": request.build_absolute_uri(reverse("openrosa:form_list")).rsplit("/", 1)[0],
        },
    )


@require_POST
@never_cache
def device_create(request):
    """Make a token and show its QR code once (only its hash is kept)."""
    require_perm(request.user, "openrosa.add_devicetoken")
    form = DeviceTokenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("openrosa:devices")
    device, token = services.device_token_create(user=request.user, name=form.cleaned_data["name"])
    payload, server_url = _collect_settings(request, token)
    qr = segno.make(payload, error="l")
    return render(
        request,
        "openrosa/device_created.html",
        {
            "device": device,
            "server_url": server_url,
            "qr_svg": qr.svg_inline(scale=4, dark="#000", light="#fff", title=_("Collect configuration QR code")),
        },
    )


@require_POST
def device_revoke(request, pk):
    device = get_object_or_404(DeviceToken, pk=pk)
    mine = device.user_id == request.user.pk and request.user.has_perm("openrosa.add_devicetoken")
    if not (mine or request.user.has_perm("openrosa.delete_devicetoken")):
        raise PermissionDenied
    services.device_token_revoke(device=device, revoked_by=request.user)
    messages.success(request, _("The device %(name)s can no longer connect.") % {"name": device.name})
    return redirect("openrosa:devices")


# --- Pages: submissions with observations -------------------------------------------------------------


def observations(request):
    require_perm(request.user, "openrosa.view_submission")
    return render(
        request,
        "openrosa/observations.html",
        {"page": selectors.submissions_with_observations_page(request.GET.get("page"))},
    )


def submission_detail(request, pk):
    require_perm(request.user, "openrosa.view_submission")
    submission = get_object_or_404(
        Submission.objects.select_related("user", "interview", "version__questionnaire", "device_token"), pk=pk
    )
    return render(
        request,
        "openrosa/submission_detail.html",
        {"submission": submission, "files": submission.files.all(), "states": dict(Submission.State.choices)},
    )
