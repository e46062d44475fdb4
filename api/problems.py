"""Errors as RFC 9457 problem details (``application/problem+json``), in the request's language.

Every error the API returns goes through ``exception_handler``: validation (400, with the fields'
messages under ``errors``), authentication (401), permission (403), absence (404), wrong method (405),
conflicts (409), rate limit (429) and unexpected failures (500, logged like Django logs them).
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

logger = logging.getLogger("django.request")

# Django REST framework's Spanish catalogue words five of Django's own messages differently, and it comes
# before Django's in the search order ("Este campo es requerido."). The project's catalogue comes first
# of all: listed here, these read as the site always wrote them, on its pages and in the API alike.
SITE_WORDING = (
    gettext_noop("This field is required."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    gettext_noop("Value must be valid JSON."),
)

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "urn:casebook:problem:"


def problem_type(name):
    return f"{TYPE_BASE}{name}"


def _titles():
    return {
        400: _("The request is not valid"),
        401: _("Authentication needed"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        409: _("Conflict"),
        415: _("Unsupported media type"),
        422: _("Unprocessable request"),
        429: _("Too many requests"),
        500: _("Server error"),
    }


class Conflict(exceptions.APIException):
    """409: the request is fine but clashes with what is stored (a duplicate, a concurrent edit, a reused key)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, detail, *, code="conflict", extra=None):
        super().__init__(detail, code)
        self.problem_code = code
        self.extra = extra or {}


class Unprocessable(Conflict):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY


def flatten_errors(detail, prefix=""):
    """DRF's nested error structure as {"field" or "field.sub" or "field.0": [messages]}."""
    flat = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key == "non_field_errors" and not prefix else f"{prefix}.{key}" if prefix else str(key)
            for sub, messages in flatten_errors(value, name).items():
                flat.setdefault(sub, []).extend(messages)
    elif isinstance(detail, list) and detail and all(not isinstance(item, dict | list) for item in detail):
        flat.setdefault(prefix, []).extend(str(item) for item in detail)
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            for sub, messages in flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)).items():
                flat.setdefault(sub, []).extend(messages)
    else:
        flat.setdefault(prefix, []).append(str(detail))
    return flat


def problem_response(request, status_code, *, detail="", type_name=None, title=None, headers=None, **extra):
    body = {
        "type": problem_type(type_name) if type_name else "about:blank",
        "title": title or _titles().get(status_code, str(status_code)),
        "status": status_code,
    }
    if detail:
        body["detail"] = str(detail)
    if request is not None:
        body["instance"] = request.path
    body.update(extra)
    # A person reading the browsable API gets the problem in its page; programs get problem+json.
    renderer = getattr(request, "accepted_renderer", None)
    browsing = renderer is not None and getattr(renderer, "format", "") == "api"
    return Response(body, status=status_code, headers=headers, content_type=None if browsing else CONTENT_TYPE)


def _django_validation_detail(error):
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"": [str(m) for m in error.messages]}


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_detail(exc))

    if not isinstance(exc, exceptions.APIException):
        logger.error(
            "Internal Server Error: %s",
            getattr(request, "path", ""),
            exc_info=(type(exc), exc, exc.__traceback__),
            extra={"status_code": 500, "request": getattr(request, "_request", request)},
        )
        set_rollback()
        return problem_response(request, 500, detail=_("Something went wrong on our side. It has been logged."))

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    set_rollback()

    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        return problem_response(
            request,
            exc.status_code,
            type_name="validation-error",
            detail=_("Some values are not valid: see errors."),
            errors=errors,
            headers=headers,
        )
    if isinstance(exc, Conflict):
        return problem_response(
            request, exc.status_code, type_name=exc.problem_code, detail=exc.detail, headers=headers, **exc.extra
        )
    detail = exc.detail if not isinstance(exc.detail, dict | list) else ""
    type_name = None
    codes = exc.get_codes() if hasattr(exc, "get_codes") else None
    if isinstance(exc, exceptions.AuthenticationFailed):
        type_name = {"token_revoked": "token-revoked", "token_expired": "token-expired"}.get(
            codes, "invalid-credentials"
        )
    elif isinstance(exc, exceptions.NotAuthenticated):
        type_name = "not-authenticated"
    elif isinstance(exc, exceptions.Throttled):
        type_name = "rate-limited"
        detail = _("Too many requests for this token. Try again in %(seconds)s seconds.") % {
            "seconds": int(exc.wait or 1)
        }
    return problem_response(request, exc.status_code, type_name=type_name, detail=detail, headers=headers)
