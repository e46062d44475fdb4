"""Reads of the field-device door that the endpoints and pages share."""

import logging

from django.core.paginator import Paginator

from clusters.access import Role, role_of, visible_clusters
from openrosa import xforms
from openrosa.models import Submission
from surveys.selectors import usable_versions

logger = logging.getLogger(__name__)
PAGE_SIZE = 25


def records_interviews(user):
    """Whether she records interviews (the matrix: researchers and admins), read from her role (one query,
    kept on the user object and shared with visible_clusters) rather than her model permissions (two)."""
    return user.is_active and role_of(user) in (Role.RESEARCHER, Role.ADMIN)


def fillable_versions(user):
    """The published versions this user may fill on a device: none unless she records interviews in at
    least one cluster she sees (questionnaires are not tied to clusters; the cluster is chosen in the form)."""
    if not records_interviews(user) or not visible_clusters(user).exists():
        return usable_versions().none()
    return usable_versions()


def fillable_forms(user):
    """[(version, XForm)] of the versions she may fill, by name; a version pyxform cannot convert is left out."""
    forms = []
    for version in fillable_versions(user).order_by("questionnaire__name", "pk"):
        try:
            forms.append((version, xforms.version_xform(version)))
        except xforms.XFormUnavailable:
            logger.exception("Version %s has no XForm: left out of the form list", version.pk)
    return forms


def recent_submissions(user, limit=20):
    """Her latest device submissions, for her devices page."""
    return (
        Submission.objects.filter(user=user)
        .exclude(state=Submission.State.REJECTED)
        .select_related("interview__actor", "version__questionnaire")
        .order_by("-received_at", "-pk")[:limit]
    )


def submissions_with_observations():
    """Submissions a coordinator should look at: with observations, refused, or waiting for their parts."""
    return (
        Submission.objects.filter(
            state__in=[Submission.State.OBSERVATIONS, Submission.State.INCOMPLETE, Submission.State.REJECTED]
        )
        .select_related("user", "interview__actor", "version__questionnaire")
        .defer("xml")
        .order_by("-received_at", "-pk")
    )


def submissions_with_observations_page(number):
    return Paginator(submissions_with_observations(), PAGE_SIZE).get_page(number)
