"""What the registry's pages share: the visible cluster of a URL, pagination, sortable column headers."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
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


def delete_when_confirmed(request, cluster, tab, *, question, delete, done, **more):
    """A deletion (or a removal) from one of a cluster's tabs (``tab``: its URL name). GET: the page that asks
    ``question`` (``more``: what else happens, ``consequence``, and the ``button``'s text), whose cancel goes
    back to the tab. POST: ``delete()``, the message ``done`` (or ``done(what delete returned)``), the tab."""
    if request.method == "POST":
        result = delete()
        messages.success(request, done(result) if callable(done) else done)
        return redirect(tab, slug=cluster.slug)
    cancel_url = reverse(tab, kwargs={"slug": cluster.slug})
    context = {"cluster": cluster, "question": question, "cancel_url": cancel_url, **more}
    return render(request, "clusters/confirm_delete.html", context)
