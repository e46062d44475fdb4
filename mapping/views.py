"""Pages of mapping/: economic datasets, candidates, prioritisation, and why a registered cluster is there."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from import_export.formats.base_formats import CSV, XLSX

from clusters.access import get_visible_cluster, require_perm, sees_cluster_scores
from clusters.imports import (
    ImportFileError,
    forget_pending_file,
    keep_pending_file,
    pending_file,
    read_pending_file,
)
from clusters.pagination import BoundedPaginator
from mapping import charts, demo, selectors, services
from mapping.exports import prioritisation_workbook
from mapping.forms import CandidateFilterForm, DataImportForm, WeightsForm
from mapping.imports import COLUMNS, data_format, template_dataset
from mapping.models import Criterion, Dataset

IMPORT_SESSION_KEY = "mapping_data_import"
PER_PAGE = 50


def index(request):
    require_perm(request.user, "mapping.view_dataset")
    return render(
        request,
        "mapping/index.html",
        {"datasets": Dataset.objects.select_related("created_by").order_by("-created_at", "-pk")},
    )


def candidates(request):
    require_perm(request.user, "mapping.view_dataset")
    computed = selectors.datasets()
    form = CandidateFilterForm(request.GET or None, datasets=computed)
    form.is_valid()  # a wrong filter is told at its field; the valid ones still apply
    chosen = form.cleaned_data.get("dataset") if form.is_bound else None
    dataset = selectors.current_dataset(chosen.pk if chosen else None)
    context = {"form": form, "dataset": dataset}
    if dataset is not None:
        cells = (
            selectors.candidate_cells(dataset, **form.filters())
            if form.is_bound
            else selectors.candidate_cells(dataset)
        )
        paginator = BoundedPaginator(cells, PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        index = selectors.ClusterIndex(request.user)
        rows = [
            {
                "cell": cell,
                "territory": selectors.territory_label(cell.region),
                "clusters": index.matching(cell.region.code, cell.sector.code),
            }
            for cell in page.object_list
        ]
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            page=page,
            paginator=paginator,
            rows=rows,
            heatmap=selectors.heatmap(dataset, page.object_list),
            query=query.urlencode(),
            can_register=request.user.has_perm("clusters.add_cluster"),
        )
    return render(request, "mapping/candidates.html", context)


def _weights_from(request):
    """The weights to rank with: those typed in the page's form (not saved) if valid, else the saved ones."""
    saved = selectors.saved_weights()
    if any(name in request.GET for name in Criterion.values):
        form = WeightsForm(request.GET)
        if form.is_valid():
            return form, form.weights(), True
        return form, saved, False
    return WeightsForm(initial={criterion.value: weight for criterion, weight in saved.items()}), saved, False


def priorities(request):
    require_perm(request.user, "mapping.view_dataset")
    dataset = selectors.current_dataset(request.GET.get("dataset"))
    form, weights, trying = _weights_from(request)
    result = selectors.prioritisation(dataset, weights)
    query = urlencode({name: str(weights[Criterion(name)]) for name in Criterion.values})
    return render(
        request,
        "mapping/priorities.html",
        {
            "dataset": dataset,
            "form": form,
            "result": result,
            "trying": trying,
            "chart": charts.ranking_chart(result.rows),
            "query": query,
            "weights": [(criterion, weights[criterion]) for criterion in Criterion],
            "can_edit": request.user.has_perm("mapping.change_priorityweight"),
            "can_recompute": request.user.has_perm("mapping.change_dataset"),
        },
    )


@require_POST
def weights_save(request):
    require_perm(request.user, "mapping.change_priorityweight")
    form = WeightsForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("mapping:priorities")
    try:
        services.weights_update(weights=form.weights(), user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("mapping:priorities")
    messages.success(request, _("The prioritisation weights were saved."))
    return redirect("mapping:priorities")


@require_GET
def priorities_export(request):
    require_perm(request.user, "mapping.view_dataset")
    dataset = selectors.current_dataset(request.GET.get("dataset"))
    _form, weights, _trying = _weights_from(request)
    result = selectors.prioritisation(dataset, weights)
    response = HttpResponse(
        prioritisation_workbook(result),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="priorizacion-{stamp}.xlsx"'
    return response


def dataset_detail(request, pk):
    require_perm(request.user, "mapping.view_dataset")
    dataset = get_object_or_404(Dataset.objects.select_related("created_by"), pk=pk)
    return render(
        request,
        "mapping/dataset_detail.html",
        {
            "dataset": dataset,
            "concentrations": selectors.concentrations(dataset) if dataset.computed_at else [],
            "can_change": request.user.has_perm("mapping.change_dataset"),
            "can_delete": request.user.has_perm("mapping.delete_dataset"),
        },
    )


@require_POST
def dataset_compute(request, pk):
    """Recompute the registered clusters' criteria (after clusters were added or changed)."""
    require_perm(request.user, "mapping.change_dataset")
    dataset = get_object_or_404(Dataset, pk=pk)
    services.cluster_criteria_compute(dataset=dataset)
    messages.success(request, _("The criteria of the registered clusters were computed again."))
    return redirect(request.POST.get("next") if request.POST.get("next") == reverse("mapping:priorities") else dataset)


def dataset_delete(request, pk):
    require_perm(request.user, "mapping.delete_dataset")
    dataset = get_object_or_404(Dataset, pk=pk)
    if request.method == "POST":
        services.dataset_delete(dataset=dataset)
        messages.success(request, _("The dataset “%(name)s” was deleted.") % {"name": dataset.name})
        return redirect("mapping:index")
    return render(request, "mapping/dataset_confirm_delete.html", {"dataset": dataset})


# --- Import -------------------------------------------------------------------------------------------


def data_import(request):
    """Upload a file and see, row by row, what it would do. Nothing is written here."""
    require_perm(request.user, "mapping.add_dataset")
    form = DataImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        pending = keep_pending_file(
            request.session,
            IMPORT_SESSION_KEY,
            uploaded,
            now=timezone.now(),
            file_name=uploaded.name,
            name=form.cleaned_data["name"],
            source=form.cleaned_data["source"],
            notes=form.cleaned_data["notes"],
            illustrative=form.cleaned_data["illustrative"],
        )
        report = services.dataset_import(
            table=form.cleaned_data["table"],
            user=request.user,
            name=form.cleaned_data["name"],
            source=form.cleaned_data["source"],
            apply=False,
        )
        return render(
            request,
            "mapping/import_preview.html",
            {"report": report, "token": pending["token"], "file_name": uploaded.name, "pending": pending},
        )
    return render(request, "mapping/import.html", {"form": form, "columns": COLUMNS})


@require_POST
def data_import_confirm(request):
    """Apply the previewed file: every row or none, then compute the measures."""
    require_perm(request.user, "mapping.add_dataset")
    pending = pending_file(request.session, IMPORT_SESSION_KEY, request.POST.get("token"))
    if pending is None:
        messages.error(request, _("That preview is no longer available. Upload the file again."))
        return redirect("mapping:import")
    try:
        table = read_pending_file(pending, max_bytes=settings.MAPPING_MAX_IMPORT_BYTES, table_format=data_format())
    except ImportFileError as error:
        forget_pending_file(request.session, IMPORT_SESSION_KEY)
        messages.error(request, error.message)
        return redirect("mapping:import")
    report = services.dataset_import(
        table=table,
        user=request.user,
        name=pending["name"],
        source=pending["source"],
        notes=pending["notes"],
        illustrative=pending["illustrative"],
        file_name=pending["file_name"],
        apply=True,
    )
    if not report.applied:
        messages.error(request, _("Nothing was written: some rows are rejected. Correct the file and upload it again."))
        return render(
            request,
            "mapping/import_preview.html",
            {"report": report, "token": pending["token"], "file_name": pending["file_name"], "pending": pending},
        )
    forget_pending_file(request.session, IMPORT_SESSION_KEY)
    messages.success(
        request,
        _("Import done: %(rows)s rows stored and their measures computed.") % {"rows": report.total},
    )
    return redirect("mapping:candidates")


EXPORT_FORMATS = {"csv": CSV, "xlsx": XLSX}


@require_GET
def data_import_template(request):
    require_perm(request.user, "mapping.add_dataset")
    file_format = EXPORT_FORMATS.get(request.GET.get("format", "xlsx"))
    if file_format is None:
        raise Http404
    exported = file_format().export_data(template_dataset())
    response = HttpResponse(exported, content_type=file_format().get_content_type())
    response["Content-Disposition"] = (
        f'attachment; filename="plantilla-datos-economicos.{file_format().get_extension()}"'
    )
    return response


@require_GET
def demo_file(request):
    """The demo's illustrative dataset as a CSV file, to try the import with."""
    require_perm(request.user, "mapping.add_dataset")
    response = HttpResponse(demo.demo_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="empleo-ilustrativo.csv"'
    return response


# --- One registered cluster -----------------------------------------------------------------------------


def cluster_scores(request, slug):
    """ "Por qué este clúster": the cluster's scores in the current prioritisation and its best cells."""
    require_perm(request.user, "clusters.view_cluster")
    cluster = get_visible_cluster(request.user, slug)
    if not sees_cluster_scores(request.user, cluster):
        raise PermissionDenied
    return render(
        request,
        "mapping/cluster_scores.html",
        {"cluster": cluster, "scores": selectors.cluster_scores(cluster, cells=10)},
    )
