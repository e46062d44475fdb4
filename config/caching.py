"""No copy of a signed-in person's pages, files or API answers is kept by a browser or a proxy.

Nearly everything behind the login carries personal data (interviews, contacts, attachments, exports), so a
response to a signed-in request, or to an API or device request with credentials, is marked
``Cache-Control: private, no-store`` unless its view chose its own caching. The login page and static files
(served by whitenoise before this) keep theirs.
"""

from django.utils.cache import patch_cache_control


class PrivateResponsesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            patch_cache_control(response, private=True, no_store=True)
        return response
