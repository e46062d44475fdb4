"""Reads about clusters that pages, exports and reports share."""

from django.db.models import Count

from clusters.access import Role, role_of, visible_clusters


def home_panel(user):
    """The clusters block of the home page: the user's clusters with their status, for everyone who sees some."""
    clusters = (
        visible_clusters(user)
        .select_related("main_sector")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )
    if role_of(user) == Role.NONE:
        return None
    return {
        "template": "clusters/_home_panel.html",
        "clusters": clusters[:12],
        "cluster_total": clusters.count(),
        "mine_only": role_of(user) == Role.RESEARCHER,
    }
