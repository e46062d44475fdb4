"""/api/: the versioned API under /api/v1/, its OpenAPI schema and documentation pages.

API endpoints authenticate with a token or a session themselves (401 as problem details), so they
are exempt from the site's login redirect (Django REST framework marks its views so; _token_or_session
says it here too); the documentation pages are pages and ask to sign in.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api.views import base, instruments, me, registry, reports, surveys

app_name = "api"


class Router(DefaultRouter):
    include_root_view = True
    include_format_suffixes = False


router = Router()
router.register("clusters", registry.ClusterViewSet, basename="cluster")
router.register("actors", registry.ActorViewSet, basename="actor")
router.register("memberships", registry.MembershipViewSet, basename="membership")
router.register("ties", registry.TieViewSet, basename="tie")
router.register("evaluations", registry.EvaluationViewSet, basename="evaluation")
router.register("questionnaires", surveys.QuestionnaireViewSet, basename="questionnaire")
router.register("versions", surveys.VersionViewSet, basename="version")
router.register("interviews", surveys.InterviewViewSet, basename="interview")
router.register("interventions", instruments.InterventionViewSet, basename="intervention")
router.register("indicators", instruments.IndicatorViewSet, basename="indicator")
router.register("measurements", instruments.MeasurementViewSet, basename="measurement")
router.register("activities", instruments.ActivityViewSet, basename="activity")
router.register("reports", reports.ReportViewSet, basename="report")


# Redoc searches in a web worker it starts from a blob: the site's policy plus that, on this page only.
# (Its footer's logo is on Redocly's site: the policy keeps refusing it, so the page asks nothing of others.)
redoc_csp = csp_override({**settings.SECURE_CSP, "worker-src": [CSP.SELF, "blob:"]})


def _token_or_session(patterns):
    """Mark the views as checking their own authentication (LoginRequiredMiddleware leaves them be)."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _token_or_session(pattern.url_patterns)
        else:
            pattern.callback.login_required = False
    return patterns


v1 = [*router.urls, path("me/", me.MeView.as_view(), name="me")]

urlpatterns = [
    path("v1/", include(_token_or_session(v1))),
    *_token_or_session([path("schema/", SpectacularAPIView.as_view(), name="schema")]),
    # Pages for people: anonymous visitors are sent to the login page, as on the rest of the site.
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("redoc/", login_required(redoc_csp(SpectacularRedocView.as_view(url_name="api:schema"))), name="redoc"),
    *_token_or_session([re_path(r"^.*$", base.NotFoundView.as_view())]),
]
