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
from reports.forms import ReportRequestForm

logger = logging.getLogger(__name__)
PAGE_SIZE = 25


@require_GET
def job_list(request):
    require_perm(request.user, "reports.view_reportjob")
    services.report_sweep()
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
    form = ReportRequestForm(
        request.POST or None, user=request.user, initial={"cluster": request.GET.get("cluster", "")}
    )
    if request.method == "POST" and form.is_valid():
        job = services.report_request(requested_by=request.user, **form.cleaned_data)
        messages.success(request, _("Your case study has been requested. This page shows its progress."))
        return redirect(job)
    return render(request, "reports/job_request.html", {"form": form})


@require_GET
def job_detail(request, pk):
    require_perm(request.user, "reports.view_reportjob")
    services.report_sweep()
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
    services.report_sweep()
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
    with translation.override(job.language):
        kind = slugify(_("Case study"))
    day = timezone.localdate(job.finished_at or job.created_at)
    return f"{kind}-{job.cluster.slug}-{day:%Y-%m-%d}.pdf"


@require_POST
def job_retry(request, pk):
    require_perm(request.user, "reports.add_reportjob")
    job = selectors.get_visible_job(request.user, pk)
    try:
        services.report_retry(job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report has been queued again."))
    return redirect(job)
