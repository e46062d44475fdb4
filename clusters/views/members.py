"""Pages of a cluster's actors: the members (add, edit, take out)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from clusters import selectors as cluster_selectors
from clusters import services
from clusters.forms import MembershipAddForm, MembershipForm
from clusters.models import Membership
from clusters.views.common import cluster_or_404, delete_when_confirmed, page_of


@require_GET
def cluster_actors(request, slug):
    cluster = cluster_or_404(request, slug)
    add_form = None
    if request.user.has_perm("clusters.add_membership"):
        add_form = MembershipAddForm(cluster=cluster, user=request.user)
    return render(
        request,
        "clusters/cluster_actors.html",
        {
            "cluster": cluster,
            "page": page_of(request, cluster_selectors.cluster_members(cluster), 50),
            "breakdown": cluster_selectors.actor_breakdown(cluster),
            "add_form": add_form,
        },
    )


def membership_add(request, slug):
    cluster = cluster_or_404(request, slug, "clusters.add_membership")
    form = MembershipAddForm(request.POST or None, cluster=cluster, user=request.user)
    if request.method == "POST" and form.is_valid():
        actor = form.cleaned_data["actor"]
        services.membership_create(cluster=cluster, actor=actor, role=form.membership_role())
        messages.success(request, _("%(actor)s joined %(cluster)s.") % {"actor": actor.name, "cluster": cluster.name})
        return redirect("clusters:actors", slug=cluster.slug)
    return render(request, "clusters/membership_add.html", {"cluster": cluster, "form": form})


def membership_edit(request, slug, pk):
    cluster = cluster_or_404(request, slug, "clusters.change_membership")
    membership = get_object_or_404(Membership.objects.select_related("actor"), pk=pk, cluster=cluster)
    form = MembershipForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        services.membership_update(membership=membership, **form.cleaned_data)
        messages.success(request, _("The membership of %(actor)s was saved.") % {"actor": membership.actor.name})
        return redirect("clusters:actors", slug=cluster.slug)
    return render(
        request, "clusters/membership_form.html", {"cluster": cluster, "form": form, "membership": membership}
    )


def membership_delete(request, slug, pk):
    cluster = cluster_or_404(request, slug, "clusters.delete_membership")
    membership = get_object_or_404(Membership.objects.select_related("actor"), pk=pk, cluster=cluster)
    return delete_when_confirmed(
        request,
        cluster,
        "clusters:actors",
        question=_("Take %(actor)s out of %(cluster)s?") % {"actor": membership.actor.name, "cluster": cluster},
        delete=lambda: services.membership_delete(membership=membership),
        done=lambda removed: (
            ngettext(
                "%(actor)s left the cluster, with its %(count)s tie.",
                "%(actor)s left the cluster, with its %(count)s ties.",
                removed,
            )
            % {"actor": membership.actor.name, "count": removed}
        ),
        consequence=_(
            "Its ties in this cluster's network are deleted too. The actor stays in the registry and in its "
            "other clusters."
        ),
        button=_("Take out of the cluster"),
    )
