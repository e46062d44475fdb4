"""Pages of the cluster registry: thin views that check the matrix, call one selector or service, and render.

The home page lives in clusters/views.py, which every app shares for its home panel.
"""

import copy
import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET
from import_export.formats.base_formats import CSV, XLSX

from clusters import selectors as cluster_selectors
from clusters import services
from clusters.access import (
    Role,
    get_visible_cluster,
    require_perm,
    role_of,
    visible_actors,
    visible_clusters,
)
from clusters.addresses import address_maker
from clusters.collation import spanish
from clusters.concurrency import ConcurrentEdit
from clusters.filters import ActorFilter, ClusterFilter
from clusters.forms import (
    ActorCreateForm,
    ActorEditForm,
    ActorImportForm,
    ClusterForm,
    EvaluationForm,
    HeadlineFigureForm,
    MembershipAddForm,
    MembershipForm,
    RelationshipForm,
    TeamAddForm,
)
from clusters.imports import (
    PENDING_DIR,
    ActorResource,
    ImportFileError,
    read_table,
    sweep_pending_files,
    template_dataset,
)
from clusters.models import Actor, Cluster, Evaluation, HeadlineFigure, Membership, Region, Relationship
from clusters.network import draw
from clusters.peru_map import clusters_per_department, peru_map

PAGE_SIZE = 25
IMPORT_SESSION_KEY = "clusters_actor_import"
EXPORT_FORMATS = {"csv": CSV, "xlsx": XLSX}


def _page(request, items, per_page=PAGE_SIZE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _cluster(request, slug, perm="clusters.view_cluster"):
    """The cluster if the user has ``perm`` and may see it: 403 without the permission, 404 if not visible."""
    require_perm(request.user, perm)
    return get_visible_cluster(request.user, slug)


def _sort_links(current, columns):
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


def _stale_form(form_class, request, current, **kwargs):
    """The user's input again, now against the stored version, with the "someone else changed it" message."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = form_class(data, instance=current, **kwargs)
    form.is_valid()
    form.add_error(None, str(ConcurrentEdit.message))
    return form


# --- Clusters ---------------------------------------------------------------------------------------------


@require_GET
def cluster_list(request):
    require_perm(request.user, "clusters.view_cluster")
    filterset = ClusterFilter(request.GET, queryset=cluster_selectors.cluster_rows(request.user), user=request.user)
    page = _page(request, filterset.qs)
    return render(
        request,
        "clusters/cluster_list.html",
        {
            "filter": filterset,
            "page": page,
            "map": _cluster_map(filterset.qs, request.GET.get("sector", "")),
            "sort": _sort_links(request.GET.get("sort", ""), ["name", "stage", "status", "actors"]),
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
    cluster = _cluster(request, slug, "clusters.change_cluster")
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
            form = _stale_form(ClusterForm, request, current)
            return render(request, "clusters/cluster_form.html", {"form": form, "cluster": current, "stale": current})
        messages.success(request, _("The cluster's profile was saved."))
        return redirect(cluster)
    return render(request, "clusters/cluster_form.html", {"form": form, "cluster": cluster})


@require_GET
def cluster_history(request, slug):
    cluster = _cluster(request, slug, "clusters.change_cluster")
    entries = cluster_selectors.cluster_history(cluster)
    return render(
        request,
        "clusters/history.html",
        {"cluster": cluster, "subject": cluster, "page": _page(request, entries, 50), "back": cluster},
    )


def figures(request, slug):
    cluster = _cluster(request, slug, "clusters.add_headlinefigure")
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
    cluster = _cluster(request, slug, "clusters.change_headlinefigure")
    figure = get_object_or_404(HeadlineFigure, pk=pk, cluster=cluster)
    form = HeadlineFigureForm(request.POST or None, instance=figure, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        services.headline_figure_update(figure=figure, **form.cleaned_data)
        messages.success(request, _("The figure was saved."))
        return redirect("clusters:figures", slug=cluster.slug)
    return render(request, "clusters/figure_form.html", {"cluster": cluster, "form": form, "figure": figure})


def figure_delete(request, slug, pk):
    cluster = _cluster(request, slug, "clusters.delete_headlinefigure")
    figure = get_object_or_404(HeadlineFigure, pk=pk, cluster=cluster)
    if request.method == "POST":
        services.headline_figure_delete(figure=figure)
        messages.success(request, _("The figure was deleted."))
        return redirect("clusters:figures", slug=cluster.slug)
    return render(
        request,
        "clusters/confirm_delete.html",
        {
            "cluster": cluster,
            "question": _("Delete the figure “%(figure)s”?") % {"figure": figure},
            "cancel_url": reverse("clusters:figures", kwargs={"slug": cluster.slug}),
        },
    )


def team(request, slug):
    cluster = _cluster(request, slug, "clusters.change_cluster")
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
    cluster = _cluster(request, slug, "clusters.change_cluster")
    user = get_object_or_404(cluster.team.all(), pk=user_id)
    person = user.get_full_name() or user.get_username()
    if request.method == "POST":
        services.cluster_team_remove(cluster=cluster, user=user)
        messages.success(request, _("%(person)s is no longer on the team.") % {"person": person})
        return redirect("clusters:team", slug=cluster.slug)
    return render(
        request,
        "clusters/confirm_delete.html",
        {
            "cluster": cluster,
            "question": _("Take %(person)s off the team of %(cluster)s?") % {"person": person, "cluster": cluster},
            "consequence": _("A field researcher off the team no longer sees this cluster, its actors or interviews."),
            "button": _("Take off the team"),
            "cancel_url": reverse("clusters:team", kwargs={"slug": cluster.slug}),
        },
    )


# --- A cluster's actors -----------------------------------------------------------------------------------


@require_GET
def cluster_actors(request, slug):
    cluster = _cluster(request, slug)
    add_form = None
    if request.user.has_perm("clusters.add_membership"):
        add_form = MembershipAddForm(cluster=cluster, user=request.user)
    return render(
        request,
        "clusters/cluster_actors.html",
        {
            "cluster": cluster,
            "page": _page(request, cluster_selectors.cluster_members(cluster), 50),
            "breakdown": cluster_selectors.actor_breakdown(cluster),
            "add_form": add_form,
        },
    )


def membership_add(request, slug):
    cluster = _cluster(request, slug, "clusters.add_membership")
    form = MembershipAddForm(request.POST or None, cluster=cluster, user=request.user)
    if request.method == "POST" and form.is_valid():
        actor = form.cleaned_data["actor"]
        services.membership_create(cluster=cluster, actor=actor, role=form.membership_role())
        messages.success(request, _("%(actor)s joined %(cluster)s.") % {"actor": actor.name, "cluster": cluster.name})
        return redirect("clusters:actors", slug=cluster.slug)
    return render(request, "clusters/membership_add.html", {"cluster": cluster, "form": form})


def membership_edit(request, slug, pk):
    cluster = _cluster(request, slug, "clusters.change_membership")
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
    cluster = _cluster(request, slug, "clusters.delete_membership")
    membership = get_object_or_404(Membership.objects.select_related("actor"), pk=pk, cluster=cluster)
    if request.method == "POST":
        removed = services.membership_delete(membership=membership)
        messages.success(
            request,
            ngettext(
                "%(actor)s left the cluster, with its %(count)s tie.",
                "%(actor)s left the cluster, with its %(count)s ties.",
                removed,
            )
            % {"actor": membership.actor.name, "count": removed},
        )
        return redirect("clusters:actors", slug=cluster.slug)
    return render(
        request,
        "clusters/confirm_delete.html",
        {
            "cluster": cluster,
            "question": _("Take %(actor)s out of %(cluster)s?") % {"actor": membership.actor.name, "cluster": cluster},
            "consequence": _(
                "Its ties in this cluster's network are deleted too. The actor stays in the registry and in its "
                "other clusters."
            ),
            "button": _("Take out of the cluster"),
            "cancel_url": reverse("clusters:actors", kwargs={"slug": cluster.slug}),
        },
    )


# --- The network ------------------------------------------------------------------------------------------


def network(request, slug):
    cluster = _cluster(request, slug)
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
    cluster = _cluster(request, slug, "clusters.delete_relationship")
    tie = get_object_or_404(Relationship.objects.select_related("source", "target"), pk=pk, cluster=cluster)
    if request.method == "POST":
        services.relationship_delete(relationship=tie)
        messages.success(request, _("The tie was deleted."))
        return redirect("clusters:network", slug=cluster.slug)
    return render(
        request,
        "clusters/confirm_delete.html",
        {
            "cluster": cluster,
            "question": _("Delete the tie “%(tie)s”?") % {"tie": tie},
            "cancel_url": reverse("clusters:network", kwargs={"slug": cluster.slug}),
        },
    )


# --- Evaluations ------------------------------------------------------------------------------------------


@require_GET
def evaluations(request, slug):
    cluster = _cluster(request, slug)
    return render(
        request,
        "clusters/evaluations.html",
        {
            "cluster": cluster,
            "page": _page(request, cluster_selectors.evaluation_rows(cluster), 20),
            "trend": cluster_selectors.evaluation_trend(cluster, limit=6),
        },
    )


def evaluation_create(request, slug):
    cluster = _cluster(request, slug, "clusters.add_evaluation")
    form = EvaluationForm(request.POST or None, initial={"date": datetime.date.today()})
    if request.method == "POST" and form.is_valid():
        evaluation = services.evaluation_create(
            cluster=cluster,
            evaluator=request.user,
            date=form.cleaned_data["date"],
            summary=form.cleaned_data["summary"],
            ratings=form.ratings(),
        )
        messages.success(request, _("The evaluation was recorded."))
        return redirect("clusters:evaluation_detail", slug=cluster.slug, pk=evaluation.pk)
    return render(request, "clusters/evaluation_form.html", {"cluster": cluster, "form": form})


def evaluation_edit(request, slug, pk):
    cluster = _cluster(request, slug, "clusters.change_evaluation")
    evaluation = get_object_or_404(Evaluation, pk=pk, cluster=cluster)
    form = EvaluationForm(request.POST or None, evaluation=evaluation)
    if request.method == "POST" and form.is_valid():
        services.evaluation_update(
            evaluation=evaluation,
            date=form.cleaned_data["date"],
            summary=form.cleaned_data["summary"],
            ratings=form.ratings(),
        )
        messages.success(request, _("The evaluation was saved."))
        return redirect("clusters:evaluation_detail", slug=cluster.slug, pk=evaluation.pk)
    return render(
        request, "clusters/evaluation_form.html", {"cluster": cluster, "form": form, "evaluation": evaluation}
    )


@require_GET
def evaluation_detail(request, slug, pk):
    cluster = _cluster(request, slug)
    evaluation = get_object_or_404(cluster_selectors.evaluation_rows(cluster).prefetch_related("ratings"), pk=pk)
    history = None
    if request.user.has_perm("clusters.change_evaluation"):
        history = cluster_selectors.evaluation_history(evaluation)
    return render(
        request,
        "clusters/evaluation_detail.html",
        {
            "cluster": cluster,
            "evaluation": evaluation,
            "ratings": cluster_selectors.ordered_ratings(evaluation),
            "history": history,
        },
    )


# --- Actors -----------------------------------------------------------------------------------------------


@require_GET
def actor_list(request):
    require_perm(request.user, "clusters.view_actor")
    filterset = ActorFilter(request.GET, queryset=cluster_selectors.actor_rows(request.user), user=request.user)
    return render(
        request,
        "clusters/actor_list.html",
        {
            "filter": filterset,
            "page": _page(request, filterset.qs),
            "can_import": _can_import(request.user),
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
            form = _stale_form(ActorEditForm, request, current, user=request.user)
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
        {"subject": actor, "page": _page(request, entries, 50), "back": actor},
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


# --- Import and export ------------------------------------------------------------------------------------


def _can_import(user):
    return user.has_perm("clusters.add_actor") and user.has_perm("clusters.change_actor")


def _require_import(user):
    if not _can_import(user):
        raise PermissionDenied


@require_GET
def actor_export(request):
    require_perm(request.user, "clusters.view_actor")
    file_format = EXPORT_FORMATS.get(request.GET.get("format", "csv"))
    if file_format is None:
        raise Http404
    filterset = ActorFilter(request.GET, queryset=cluster_selectors.actor_rows(request.user), user=request.user)
    cluster = filterset.form.cleaned_data.get("cluster") if filterset.is_valid() else None
    dataset = ActorResource(export_cluster=cluster).export(filterset.qs)
    return _spreadsheet_response(dataset, file_format(), f"actores-{datetime.date.today():%Y%m%d}")


def _spreadsheet_response(dataset, file_format, stem):
    content = file_format.export_data(dataset)
    if isinstance(content, str):
        content = ("\ufeff" + content).encode("utf-8")  # the BOM makes Excel read UTF-8 accents right
    response = HttpResponse(content, content_type=file_format.get_content_type())
    response["Content-Disposition"] = f'attachment; filename="{stem}.{file_format.get_extension()}"'
    return response


@require_GET
def actor_import_template(request):
    _require_import(request.user)
    file_format = EXPORT_FORMATS.get(request.GET.get("format", "xlsx"))
    if file_format is None:
        raise Http404
    return _spreadsheet_response(template_dataset(), file_format(), "plantilla-actores")


def _forget_pending_import(request):
    pending = request.session.pop(IMPORT_SESSION_KEY, None)
    if pending and default_storage.exists(pending["path"]):
        default_storage.delete(pending["path"])


def actor_import(request):
    """Upload a file and see, row by row, what it would do. Nothing is written here."""
    _require_import(request.user)
    form = ActorImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        uploaded.seek(0)
        _forget_pending_import(request)
        sweep_pending_files(default_storage, now=timezone.now())
        extension = PurePath(uploaded.name).suffix.lower()
        path = default_storage.save(f"{PENDING_DIR}/{uuid.uuid4().hex}{extension}", ContentFile(uploaded.read()))
        token = uuid.uuid4().hex
        request.session[IMPORT_SESSION_KEY] = {"token": token, "path": path, "name": uploaded.name}
        report = services.actors_import(table=form.cleaned_data["table"], user=request.user, apply=False)
        return render(
            request,
            "clusters/actor_import_preview.html",
            {"report": report, "token": token, "file_name": uploaded.name},
        )
    return render(
        request,
        "clusters/actor_import.html",
        {
            "form": form,
            "kinds": Actor.Kind.choices,
            "sizes": Actor.Size.choices,
            "roles": Membership.Role.choices,
        },
    )


def actor_import_confirm(request):
    """Apply the previewed file: every row or none."""
    _require_import(request.user)
    if request.method != "POST":
        return redirect("clusters:actor_import")
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or pending.get("token") != request.POST.get("token") or not default_storage.exists(pending["path"]):
        messages.error(request, _("That preview is no longer available. Upload the file again."))
        return redirect("clusters:actor_import")
    try:
        with default_storage.open(pending["path"], "rb") as stored:
            table = read_table(stored, max_bytes=settings.CASEBOOK_MAX_IMPORT_BYTES)
    except ImportFileError as error:
        _forget_pending_import(request)
        messages.error(request, error.message)
        return redirect("clusters:actor_import")
    report = services.actors_import(table=table, user=request.user, apply=True)
    if not report.applied:
        messages.error(request, _("Nothing was written: some rows are rejected. Correct the file and upload it again."))
        return render(
            request,
            "clusters/actor_import_preview.html",
            {"report": report, "token": pending["token"], "file_name": pending["name"]},
        )
    _forget_pending_import(request)
    messages.success(
        request,
        _("Import done: %(created)s actors created, %(updated)s updated.")
        % {"created": report.created, "updated": report.updated},
    )
    return redirect("clusters:actor_list")
