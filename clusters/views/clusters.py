"""Pages of a cluster: the list with its map, the profile (new, edit, history), headline figures, the team."""

import copy

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from clusters import selectors as cluster_selectors
from clusters import services
from clusters.access import Role, require_perm, role_of, visible_clusters
from clusters.addresses import address_maker
from clusters.collation import spanish
from clusters.concurrency import ConcurrentEdit, form_after_concurrent_edit
from clusters.filters import ClusterFilter
from clusters.forms import ClusterForm, HeadlineFigureForm, TeamAddForm
from clusters.models import Cluster, HeadlineFigure
from clusters.peru_map import clusters_per_department, peru_map
from clusters.views.common import cluster_or_404, delete_when_confirmed, page_of, sort_links


@require_GET
def cluster_list(request):
    require_perm(request.user, "clusters.view_cluster")
    filterset = ClusterFilter(request.GET, queryset=cluster_selectors.cluster_rows(request.user), user=request.user)
    page = page_of(request, filterset.qs)
    return render(
        request,
        "clusters/cluster_list.html",
        {
            "filter": filterset,
            "page": page,
            "map": _cluster_map(filterset.qs, request.GET.get("sector", "")),
            "sort": sort_links(request.GET.get("sort", ""), ["name", "stage", "status", "actors"]),
            "mine_only": role_of(request.user) == Role.RESEARCHER,
        },
    )


def _cluster_map(clusters, sector):
    """The map of Peru of every cluster the list found (not only this page's), shaded by how many are in each
    department; a department links to the list narrowed to it."""
    found = cluster_selectors.map_clusters(clusters.order_by().values("pk"))
    query = f"&sector={sector}" if sector.isdigit() else ""
    return peru_map(
        values=clusters_per_department(found),
        value_label=lambda n: ngettext("%(n)s cluster", "%(n)s clusters", int(n or 0)) % {"n": int(n or 0)},
        department_url=lambda code: f"{reverse('clusters:list')}?region={code}{query}",
        clusters=found,
        cluster_url=address_maker("clusters:detail"),
    )


@require_GET
def cluster_detail(request, slug):
    require_perm(request.user, "clusters.view_cluster")
    cluster = get_object_or_404(
        visible_clusters(request.user)
        .select_related("main_sector", "coordinator")
        .prefetch_related("regions", "related_sectors", "team"),
        slug=slug,
    )
    return render(
        request,
        "clusters/cluster_detail.html",
        {
            "cluster": cluster,
            "figures": cluster_selectors.latest_figures(cluster),
            "breakdown": cluster_selectors.actor_breakdown(cluster),
            "trend": cluster_selectors.evaluation_trend(cluster, limit=6),
        },
    )


def cluster_create(request):
    require_perm(request.user, "clusters.add_cluster")
    initial = {"coordinator": request.user.pk} if role_of(request.user) == Role.COORDINATOR else {}
    # A candidate of the identification pages comes with its activity and territory (?main_sector=&regions=).
    initial.update(ClusterForm.initial_from_query(request.GET))
    form = ClusterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        cluster = services.cluster_create(
            **form.profile_fields(),
            regions=form.cleaned_data["regions"],
            related_sectors=form.cleaned_data.get("related_sectors") or [],
        )
        messages.success(request, _("The cluster “%(name)s” was registered.") % {"name": cluster.name})
        return redirect(cluster)
    return render(request, "clusters/cluster_form.html", {"form": form})


def cluster_edit(request, slug):
    cluster = cluster_or_404(request, slug, "clusters.change_cluster")
    # The form gets its own copy: validation writes what was typed into its instance, and the page around
    # the form (tabs, links) must keep using the stored slug and name.
    form = ClusterForm(request.POST or None, instance=copy.copy(cluster))
    if request.method == "POST" and form.is_valid():
        try:
            cluster = services.cluster_update(
                cluster=cluster,
                expected_version=form.cleaned_data["version"],
                regions=form.cleaned_data["regions"],
                related_sectors=form.cleaned_data.get("related_sectors") or [],
                **form.profile_fields(),
            )
        except ConcurrentEdit:
            current = Cluster.objects.get(pk=cluster.pk)
            form = form_after_concurrent_edit(ClusterForm, request.POST, version=current.version, instance=current)
            return render(request, "clusters/cluster_form.html", {"form": form, "cluster": current, "stale": current})
        messages.success(request, _("The cluster's profile was saved."))
        return redirect(cluster)
    return render(request, "clusters/cluster_form.html", {"form": form, "cluster": cluster})


@require_GET
def cluster_history(request, slug):
    cluster = cluster_or_404(request, slug, "clusters.change_cluster")
    entries = cluster_selectors.cluster_history(cluster)
    return render(
        request,
        "clusters/history.html",
        {"cluster": cluster, "subject": cluster, "page": page_of(request, entries, 50), "back": cluster},
    )


def figures(request, slug):
    cluster = cluster_or_404(request, slug, "clusters.add_headlinefigure")
    form = HeadlineFigureForm(request.POST or None, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        services.headline_figure_create(cluster=cluster, **form.cleaned_data)
        messages.success(request, _("The figure was added."))
        return redirect("clusters:figures", slug=cluster.slug)
    return render(
        request,
        "clusters/figures.html",
        {"cluster": cluster, "form": form, "figures": cluster.figures.order_by("metric", "-year")},
    )


def figure_edit(request, slug, pk):
    cluster = cluster_or_404(request, slug, "clusters.change_headlinefigure")
    figure = get_object_or_404(HeadlineFigure, pk=pk, cluster=cluster)
    form = HeadlineFigureForm(request.POST or None, instance=figure, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        services.headline_figure_update(figure=figure, **form.cleaned_data)
        messages.success(request, _("The figure was saved."))
        return redirect("clusters:figures", slug=cluster.slug)
    return render(request, "clusters/figure_form.html", {"cluster": cluster, "form": form, "figure": figure})


def figure_delete(request, slug, pk):
    cluster = cluster_or_404(request, slug, "clusters.delete_headlinefigure")
    figure = get_object_or_404(HeadlineFigure, pk=pk, cluster=cluster)
    return delete_when_confirmed(
        request,
        cluster,
        "clusters:figures",
        question=_("Delete the figure “%(figure)s”?") % {"figure": figure},
        delete=lambda: services.headline_figure_delete(figure=figure),
        done=_("The figure was deleted."),
    )


def team(request, slug):
    cluster = cluster_or_404(request, slug, "clusters.change_cluster")
    form = TeamAddForm(request.POST or None, candidates=cluster_selectors.team_candidates(cluster))
    if request.method == "POST" and form.is_valid():
        user = form.cleaned_data["user"]
        services.cluster_team_add(cluster=cluster, user=user)
        messages.success(
            request, _("%(person)s is now on the team.") % {"person": user.get_full_name() or user.username}
        )
        return redirect("clusters:team", slug=cluster.slug)
    members = cluster.team.order_by(spanish("first_name"), spanish("last_name"), "username").prefetch_related("groups")
    return render(request, "clusters/team.html", {"cluster": cluster, "form": form, "members": members})


def team_remove(request, slug, user_id):
    cluster = cluster_or_404(request, slug, "clusters.change_cluster")
    user = get_object_or_404(cluster.team.all(), pk=user_id)
    person = user.get_full_name() or user.get_username()
    return delete_when_confirmed(
        request,
        cluster,
        "clusters:team",
        question=_("Take %(person)s off the team of %(cluster)s?") % {"person": person, "cluster": cluster},
        delete=lambda: services.cluster_team_remove(cluster=cluster, user=user),
        done=_("%(person)s is no longer on the team.") % {"person": person},
        consequence=_("A field researcher off the team no longer sees this cluster, its actors or interviews."),
        button=_("Take off the team"),
    )
