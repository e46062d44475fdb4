from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clusters import selectors as cluster_selectors
from clusters.access import ROLE_LABELS, role_of
from instruments import selectors as instrument_selectors
from reports import selectors as report_selectors
from surveys import selectors as survey_selectors

# Each app contributes one block of "what you can act on now" to the home page.
HOME_PANELS = [
    cluster_selectors.home_panel,
    survey_selectors.home_panel,
    instrument_selectors.home_panel,
    report_selectors.home_panel,
]


def home(request):
    panels = [panel for panel in (provider(request.user) for provider in HOME_PANELS) if panel]
    return render(
        request,
        "home.html",
        {"panels": panels, "role": role_of(request.user), "role_label": ROLE_LABELS[role_of(request.user)]},
    )


@login_not_required
@require_GET
def health(request):
    """For load balancers and uptime checks: answers without touching the database or the broker."""
    return render(request, "health.html")
