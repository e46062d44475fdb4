"""What the registry's pages share: the visible cluster of a URL, pagination, sortable column headers."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from clusters.access import get_visible_cluster, require_perm

PAGE_SIZE = 25


def page_of(request, items, per_page=PAGE_SIZE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def cluster_or_404(request, slug, perm="clusters.view_cluster"):
    """The cluster if the user has ``perm`` and may see it: 403 without the permission, 404 if not visible."""
    require_perm(request.user, perm)
    return get_visible_cluster(request.user, slug)


def sort_links(current, columns):
    """For sortable column headers: each column's next sort value and its aria-sort state."""
    links = {}
    for column in columns:
        if current == column:
            links[column] = {"value": f"-{column}", "aria": "ascending"}
        elif current == f"-{column}":
            links[column] = {"value": column, "aria": "descending"}
        else:
            links[column] = {"value": column, "aria": None}
    return links


def confirm_page(request, cluster, tab, question, **more):
    """The page that asks before a deletion or a removal from one of a cluster's tabs (``tab``: its URL name),
    and goes back to it on cancel. ``more``: what else happens (``consequence``), the ``button``'s text."""
    cancel_url = reverse(tab, kwargs={"slug": cluster.slug})
    context = {"cluster": cluster, "question": question, "cancel_url": cancel_url, **more}
    return render(request, "clusters/confirm_delete.html", context)
