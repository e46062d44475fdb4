"""Project-wide request guards: input no database can store is refused before any view runs, and a database
that is away for a moment is told as such (503, try again), not as a lost session."""

import logging

from django.contrib.sessions import middleware as django_sessions
from django.contrib.sessions.exceptions import SessionInterrupted
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

NUL = "\x00"


def _has_nul(querydict) -> bool:
    return any(NUL in key or any(NUL in value for value in querydict.getlist(key)) for key in querydict)


def _request_has_nul(request) -> bool:
    if _has_nul(request.GET):
        return True
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        # Django already removes non-printable characters from uploaded file names.
        return _has_nul(request.POST)
    if content_type.endswith("json"):
        # A JSON string spells the NUL character \u0000; the raw byte is refused by the JSON parser itself.
        return b"\\u0000" in request.body
    return False


class RefuseNulMiddleware:
    """A NUL character in a query parameter, a form field or a JSON string is answered with a 400.

    PostgreSQL cannot store or even compare text that holds NUL (the query fails with a 500); no person
    types it, so the request is refused as a whole with a page that says why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _request_has_nul(request):
            message = _(
                "The request contains a NUL character (code 0), which no field accepts. Remove it and try again."
            )
            if request.path.startswith("/api/"):
                # The API's errors are problem details (api.problems), this one too.
                from django.http import JsonResponse

                from api.problems import CONTENT_TYPE, problem_type

                body = {
                    "type": problem_type("validation-error"),
                    "title": _("The request is not valid"),
                    "status": 400,
                    "detail": message,
                    "instance": request.path,
                }
                return JsonResponse(body, status=400, content_type=CONTENT_TYPE)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)


class SessionMiddleware(django_sessions.SessionMiddleware):
    """Django's session middleware, with a database that cannot save the session answered as a 503.

    While PostgreSQL restarts, saving the session at the end of a request fails: Django reads that as
    "the session was deleted" and answers 400. The session is not gone, the database is away for a moment:
    the person is told so and asked to try again (503, Retry-After), in her language.
    """

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except (SessionInterrupted, DatabaseError) as error:
            if isinstance(error, SessionInterrupted) and not _database_unavailable(error):
                raise  # the session was really deleted (signed out in another tab): Django's answer stands
            logger.warning("The session could not be saved: the database is not answering", exc_info=True)
            return database_unavailable(request)

    def process_exception(self, request, exception):
        """A view that lost its database connection (a restart) answers 503 "try again" too, not 500."""
        if _database_unavailable(exception):
            logger.warning("The database is not answering", exc_info=exception)
            return database_unavailable(request)
        return None


def _database_unavailable(error) -> bool:
    """Whether the chain of causes of ``error`` holds a lost or refused database connection."""
    seen = error
    while seen is not None:
        if isinstance(seen, OperationalError | InterfaceError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def database_unavailable(request):
    # Rendered without the request's context processors: they read the database that is away.
    page = render_to_string("503.html", {"LANGUAGE_CODE": get_language()})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = "10"
    response["Cache-Control"] = "no-store"
    return response
