import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clusters.access import get_visible_cluster, require_perm
from reports import selectors, services
from reports.forms import EditionForm, ProgrammeRequestForm, ProgrammeSettingsForm, ReportRequestForm
from reports.models import ProgrammeSettings, ReportJob

logger = logging.getLogger(__name__)
PAGE_SIZE = 25


@require_GET
def job_list(request):
    require_perm(request.user, "reports.view_reportjob")
    jobs = selectors.visible_jobs(request.user)
    cluster = None
    if request.GET.get("cluster"):
        cluster = get_visible_cluster(request.user, request.GET["cluster"])
        jobs = jobs.filter(cluster=cluster)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/job_list.html", {"page": page, "jobs": page.object_list, "cluster": cluster})


@require_http_methods(["GET", "POST"])
def job_request(request):
    require_perm(request.user, "reports.add_reportjob")
    initial = {"cluster": request.GET.get("cluster", ""), "edition": request.GET.get("edition", "")}
    form = ReportRequestForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        return _requested(request, form, kind=ReportJob.Kind.CASE_STUDY)
    return render(request, "reports/job_request.html", {"form": form})


@require_http_methods(["GET", "POST"])
def programme_request(request):
    require_perm(request.user, "reports.add_reportjob")
    form = ProgrammeRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        return _requested(request, form, kind=ReportJob.Kind.PROGRAMME)
    return render(request, "reports/programme_request.html", {"form": form})


def _requested(request, form, *, kind):
    """Ask for the report, or show the same one already on its way, or say why not (the person's limit)."""
    try:
        job = services.report_request(requested_by=request.user, kind=kind, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        template = "reports/job_request.html" if kind == ReportJob.Kind.CASE_STUDY else "reports/programme_request.html"
        return render(request, template, {"form": form}, status=409)
    job.refresh_from_db(fields=["enqueued_at", "enqueue_failed_at"])
    if job.waiting_for_queue:
        messages.warning(
            request,
            _(
                "The job queue is not answering right now. Your request is saved and will be sent as soon as "
                "the queue is back; you do not need to ask again."
            ),
        )
    elif job.existing:
        messages.info(
            request,
            _("You had already asked for this report with the same options: here it is, no new one was made."),
        )
    elif kind == ReportJob.Kind.PROGRAMME:
        messages.success(request, _("Your programme report has been requested. This page shows its progress."))
    else:
        messages.success(request, _("Your case study has been requested. This page shows its progress."))
    return redirect(job)


@require_GET
def job_detail(request, pk):
    require_perm(request.user, "reports.view_reportjob")
    job = selectors.get_visible_job(request.user, pk)
    return render(
        request,
        "reports/job_detail.html",
        {
            "job": job,
            "cluster": job.cluster,
            "message": selectors.status_message(job),
            "may_retry": request.user.has_perm("reports.add_reportjob") and services.may_retry(job),
        },
    )


@never_cache
@require_GET
def job_status(request, pk):
    require_perm(request.user, "reports.view_reportjob")
    job = selectors.get_visible_job(request.user, pk)
    return JsonResponse(selectors.job_status(job))


@require_GET
def job_download(request, pk):
    require_perm(request.user, "reports.view_reportjob")
    job = selectors.get_visible_job(request.user, pk)
    if not job.has_file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except OSError:
        logger.error("Report job %s: its file is missing from storage", job.pk, exc_info=True)
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=download_name(job), content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def download_name(job):
    """e.g. estudio-de-caso-pelos-finos-camelidos-2026-05-12.pdf, in the report's language."""
    day = timezone.localdate(job.finished_at or job.created_at)
    with translation.override(job.language):
        if job.is_programme:
            return f"{slugify(_('Programme report'))}-{day:%Y-%m-%d}.pdf"
        kind = slugify(_("Case study"))
    return f"{kind}-{job.cluster.slug}-{day:%Y-%m-%d}.pdf"


@require_POST
def job_retry(request, pk):
    require_perm(request.user, "reports.add_reportjob")
    job = selectors.get_visible_job(request.user, pk)
    return _done(request, job, lambda: services.report_retry(job=job), _("The report has been queued again."))


def _done(request, target, action, success):
    """A button's POST: run the service call, say its refusal or ``success`` as a message, back to ``target``."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(target)


# --- Editions ---


@require_GET
def edition_list(request):
    require_perm(request.user, "reports.view_reportedition")
    cluster = None
    if request.GET.get("cluster"):
        cluster = get_visible_cluster(request.user, request.GET["cluster"])
    editions = selectors.visible_editions(request.user, cluster=cluster)
    page = Paginator(editions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "reports/edition_list.html", {"page": page, "editions": page.object_list, "cluster": cluster}
    )


@require_http_methods(["GET", "POST"])
def edition_create(request, slug):
    require_perm(request.user, "reports.add_reportedition")
    cluster = get_visible_cluster(request.user, slug)
    form = EditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.edition_create(cluster=cluster, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The edition was saved as a draft."))
            return redirect(edition)
    return render(request, "reports/edition_form.html", {"form": form, "cluster": cluster, "edition": None})


@require_GET
def edition_detail(request, pk):
    require_perm(request.user, "reports.view_reportedition")
    edition = selectors.get_visible_edition(request.user, pk)
    return render(
        request,
        "reports/edition_detail.html",
        {"edition": edition, "cluster": edition.cluster, "history": selectors.edition_history(edition)},
    )


@require_http_methods(["GET", "POST"])
def edition_edit(request, pk):
    require_perm(request.user, "reports.change_reportedition")
    edition = selectors.get_visible_edition(request.user, pk)
    if edition.is_final:
        messages.error(request, _("A final edition cannot be changed. Reopen it as a draft first."))
        return redirect(edition)
    form = EditionForm(request.POST or None, instance=edition)
    if request.method == "POST" and form.is_valid():
        try:
            services.edition_update(edition=edition, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The edition was saved."))
            return redirect(edition)
    return render(request, "reports/edition_form.html", {"form": form, "cluster": edition.cluster, "edition": edition})


@require_POST
def edition_finalise(request, pk):
    require_perm(request.user, "reports.finalise_reportedition")
    edition = selectors.get_visible_edition(request.user, pk)
    return _done(
        request,
        edition,
        lambda: services.edition_finalise(edition=edition, by=request.user),
        _("The edition is final: the next case studies of the cluster set it."),
    )


@require_POST
def edition_reopen(request, pk):
    require_perm(request.user, "reports.finalise_reportedition")
    edition = selectors.get_visible_edition(request.user, pk)
    return _done(
        request,
        edition,
        lambda: services.edition_reopen(edition=edition),
        _("The edition is a draft again and can be changed."),
    )


# --- Who publishes the reports ---


@require_http_methods(["GET", "POST"])
def programme_settings(request):
    require_perm(request.user, "reports.change_programmesettings")
    current = ProgrammeSettings.current()
    form = ProgrammeSettingsForm(
        request.POST or None,
        request.FILES or None,
        initial={"programme_name": current.programme_name, "institution": current.institution},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_settings_update(
                by=request.user,
                programme_name=form.cleaned_data["programme_name"],
                institution=form.cleaned_data["institution"],
                logo=form.cleaned_data["logo"],
                remove_logo=form.cleaned_data["remove_logo"],
            )
        except ValidationError as error:
            form.add_error("logo", error)
        else:
            messages.success(request, _("Saved: the next reports print the programme, the institution and the logo."))
            return redirect("reports:settings")
    return render(request, "reports/programme_settings.html", {"form": form, "current": current})
