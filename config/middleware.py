"""Project-wide request guards: input no database can store is refused before any view runs."""

from django.shortcuts import render
from django.utils.translation import gettext as _

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
                from django.http import JsonResponse

                return JsonResponse({"detail": message}, status=400)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)
