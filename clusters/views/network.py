"""The page of a cluster's network: the drawing, its ties (add, delete)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from clusters import selectors as cluster_selectors
from clusters import services
from clusters.forms import RelationshipForm
from clusters.models import Relationship
from clusters.network import draw
from clusters.views.common import cluster_or_404, delete_when_confirmed


def network(request, slug):
    cluster = cluster_or_404(request, slug)
    can_add = request.user.has_perm("clusters.add_relationship")
    form = RelationshipForm(request.POST or None, cluster=cluster) if can_add else None
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.relationship_create(
                    cluster=cluster,
                    source=data["source"],
                    target=data["target"],
                    kind=data["kind"],
                    note=data["note"],
                    created_by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The tie was recorded."))
                return redirect("clusters:network", slug=cluster.slug)
    summary = cluster_selectors.network_summary(cluster)
    return render(
        request,
        "clusters/network.html",
        {
            "cluster": cluster,
            "summary": summary,
            "drawing": draw(summary),
            "ties": Paginator(cluster_selectors.cluster_ties(cluster), 100).get_page(request.GET.get("ties_page")),
            "form": form,
        },
    )


def relationship_delete(request, slug, pk):
    cluster = cluster_or_404(request, slug, "clusters.delete_relationship")
    tie = get_object_or_404(Relationship.objects.select_related("source", "target"), pk=pk, cluster=cluster)
    return delete_when_confirmed(
        request,
        cluster,
        "clusters:network",
        question=_("Delete the tie “%(tie)s”?") % {"tie": tie},
        delete=lambda: services.relationship_delete(relationship=tie),
        done=_("The tie was deleted."),
    )
