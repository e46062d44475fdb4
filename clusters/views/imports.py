"""Actors in and out of spreadsheets: the export, the import's template, upload and preview, confirmation."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from import_export.formats.base_formats import CSV, XLSX

from clusters import selectors as cluster_selectors
from clusters import services
from clusters.access import require_perm
from clusters.filters import ActorFilter
from clusters.forms import ActorImportForm
from clusters.imports import (
    ACTOR_FORMAT,
    ActorResource,
    ImportFileError,
    forget_pending_file,
    keep_pending_file,
    pending_file,
    read_pending_file,
    template_dataset,
)
from clusters.models import Actor, Membership

IMPORT_SESSION_KEY = "clusters_actor_import"
EXPORT_FORMATS = {"csv": CSV, "xlsx": XLSX}


def can_import(user):
    return user.has_perm("clusters.add_actor") and user.has_perm("clusters.change_actor")


def _require_import(user):
    if not can_import(user):
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


def actor_import(request):
    """Upload a file and see, row by row, what it would do. Nothing is written here."""
    _require_import(request.user)
    form = ActorImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        pending = keep_pending_file(
            request.session, IMPORT_SESSION_KEY, uploaded, now=timezone.now(), name=uploaded.name
        )
        report = services.actors_import(table=form.cleaned_data["table"], user=request.user, apply=False)
        return render(
            request,
            "clusters/actor_import_preview.html",
            {"report": report, "token": pending["token"], "file_name": uploaded.name},
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
    pending = pending_file(request.session, IMPORT_SESSION_KEY, request.POST.get("token"))
    if pending is None:
        messages.error(request, _("That preview is no longer available. Upload the file again."))
        return redirect("clusters:actor_import")
    try:
        table = read_pending_file(pending, max_bytes=settings.CASEBOOK_MAX_IMPORT_BYTES, table_format=ACTOR_FORMAT)
    except ImportFileError as error:
        forget_pending_file(request.session, IMPORT_SESSION_KEY)
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
    forget_pending_file(request.session, IMPORT_SESSION_KEY)
    messages.success(
        request,
        _("Import done: %(created)s actors created, %(updated)s updated.")
        % {"created": report.created, "updated": report.updated},
    )
    return redirect("clusters:actor_list")
