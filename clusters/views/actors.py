"""Pages of the actor registry: the list, an actor (new, edit, history), and the JSON the pickers read."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from clusters import selectors as cluster_selectors
from clusters import services
from clusters.access import Role, get_visible_cluster, require_perm, role_of, visible_actors
from clusters.collation import spanish
from clusters.concurrency import ConcurrentEdit, form_after_concurrent_edit
from clusters.filters import ActorFilter
from clusters.forms import ActorCreateForm, ActorEditForm
from clusters.models import Actor, Region
from clusters.views.common import page_of
from clusters.views.imports import can_import


@require_GET
def actor_list(request):
    require_perm(request.user, "clusters.view_actor")
    filterset = ActorFilter(request.GET, queryset=cluster_selectors.actor_rows(request.user), user=request.user)
    return render(
        request,
        "clusters/actor_list.html",
        {
            "filter": filterset,
            "page": page_of(request, filterset.qs),
            "can_import": can_import(request.user),
        },
    )


def _visible_actor(request, pk, perm="clusters.view_actor"):
    require_perm(request.user, perm)
    return get_object_or_404(visible_actors(request.user).select_related("region__parent__parent"), pk=pk)


@require_GET
def actor_detail(request, pk):
    actor = _visible_actor(request, pk)
    memberships = cluster_selectors.actor_memberships(actor, request.user)
    return render(
        request,
        "clusters/actor_detail.html",
        {
            "actor": actor,
            "memberships": memberships,
            "ties": cluster_selectors.actor_ties(actor, request.user),
        },
    )


def actor_create(request):
    require_perm(request.user, "clusters.add_actor")
    researcher = role_of(request.user) == Role.RESEARCHER
    initial = {"cluster": request.GET.get("cluster", "")}
    form = ActorCreateForm(request.POST or None, user=request.user, researcher=researcher, initial=initial)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        cluster = form.cleaned_data.get("cluster")
        if cluster is not None:
            require_perm(request.user, "clusters.add_membership")
        duplicates = cluster_selectors.actor_duplicates(request.user, name=form.cleaned_data["name"])
        if duplicates.similar and not form.cleaned_data.get("create_anyway"):
            form.ask_to_confirm()
        else:
            actor = services.actor_create(
                created_by=request.user, cluster=cluster, role=form.membership_role(), **form.actor_fields()
            )
            messages.success(request, _("The actor “%(name)s” was registered.") % {"name": actor.name})
            if cluster is not None:
                return redirect("clusters:actors", slug=cluster.slug)
            return redirect(actor)
    chosen_cluster = form.cleaned_data.get("cluster") if form.is_bound and form.is_valid() else None
    return render(
        request,
        "clusters/actor_form.html",
        {"form": form, "similar": duplicates.similar if duplicates else (), "chosen_cluster": chosen_cluster},
    )


def actor_edit(request, pk):
    actor = _visible_actor(request, pk, "clusters.change_actor")
    form = ActorEditForm(request.POST or None, instance=actor, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.actor_update(actor=actor, expected_version=form.cleaned_data["version"], **form.actor_fields())
        except ConcurrentEdit:
            current = Actor.objects.get(pk=actor.pk)
            form = form_after_concurrent_edit(
                ActorEditForm, request.POST, version=current.version, instance=current, user=request.user
            )
            return render(request, "clusters/actor_form.html", {"form": form, "actor": current, "stale": current})
        messages.success(request, _("The actor was saved."))
        return redirect(actor)
    return render(request, "clusters/actor_form.html", {"form": form, "actor": actor})


@require_GET
def actor_history(request, pk):
    actor = _visible_actor(request, pk, "clusters.change_actor")
    entries = cluster_selectors.actor_history(actor, request.user)
    return render(
        request,
        "clusters/history.html",
        {"subject": actor, "page": page_of(request, entries, 50), "back": actor},
    )


@require_GET
def actor_autocomplete(request):
    """JSON for forms that pick an actor: ?q= part of a name or RUC, optionally &cluster=<slug>."""
    require_perm(request.user, "clusters.view_actor")
    cluster = None
    if request.GET.get("cluster"):
        cluster = get_visible_cluster(request.user, request.GET["cluster"])
    actors = cluster_selectors.autocomplete_actors(request.user, request.GET.get("q", ""), cluster=cluster)
    return JsonResponse(
        {
            "results": [
                {
                    "id": actor.pk,
                    "name": actor.name,
                    "ruc": actor.ruc,
                    "kind": actor.kind,
                    "kind_label": str(actor.get_kind_display()),
                    "label": f"{actor.name} · #{actor.pk}",
                    "url": actor.get_absolute_url(),
                }
                for actor in actors
            ]
        }
    )


@require_GET
def region_children(request, code):
    """JSON: the provinces of a department, or the districts of a province (for the region picker)."""
    require_perm(request.user, "clusters.view_actor")
    region = get_object_or_404(Region, code=code)
    children = region.children.order_by(spanish("name")).values("code", "name")
    return JsonResponse({"region": region.code, "children": list(children)})
