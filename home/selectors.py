"""What each role's home page shows first, read through the selectors of the apps that own the data."""

from clusters import selectors as cluster_selectors
from clusters.access import Role, role_of
from instruments import selectors as instrument_selectors
from reports import selectors as report_selectors
from surveys import selectors as survey_selectors

# Rows of each list on a home page: enough to act on, with a link to the whole list.
HOME_ROWS = 8
HOME_CLUSTERS = 12
HOME_REPORTS = 5


def researcher_home(user):
    """A field researcher's desk: her returned interviews and her drafts (newest first), then her clusters."""
    clusters, cluster_total = cluster_selectors.clusters_at_a_glance(user, limit=HOME_CLUSTERS)
    return {
        **survey_selectors.unfinished_interviews(user, limit=HOME_ROWS),
        "clusters": clusters,
        "cluster_total": cluster_total,
    }


def reviewer_home(user):
    """A coordinator's (or an admin's) queue: interviews and measurements to review, oldest first; then the
    clusters and their own reports."""
    context = {}
    if user.has_perm("surveys.review_interview"):
        context["interviews"], context["interview_total"] = survey_selectors.review_queue_head(user, limit=HOME_ROWS)
    if user.has_perm("instruments.review_measurement"):
        waiting = instrument_selectors.pending_review(user)
        context["measurements"], context["measurement_total"] = list(waiting[:HOME_ROWS]), waiting.count()
    context["clusters"], context["cluster_total"] = cluster_selectors.clusters_at_a_glance(user, limit=HOME_CLUSTERS)
    context.update(reports_block(user))
    return context


def reports_block(user):
    """The user's latest case studies and the way to ask for one, for those who may."""
    if not user.has_perm("reports.add_reportjob"):
        return {}
    return {"show_reports": True, "jobs": report_selectors.latest_jobs_of(user, limit=HOME_REPORTS)}


def home_kind(user):
    """Which home the user gets: "researcher", "reviewer" (coordinators, admins), "manager" or "none"."""
    role = role_of(user)
    if role == Role.RESEARCHER:
        return "researcher"
    if role in (Role.COORDINATOR, Role.ADMIN):
        return "reviewer"
    if role == Role.MANAGER:
        return "manager"
    return "none"
