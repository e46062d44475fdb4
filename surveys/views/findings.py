"""What a cluster's interviews say, question by question."""

from django.db.models import Count, Q
from django.shortcuts import render

from clusters.access import get_visible_cluster, require_perm, visible_clusters
from clusters.collation import spanish
from surveys import selectors
from surveys.forms import FindingsForm
from surveys.models import Interview


def findings_index(request):
    require_perm(request.user, "surveys.view_interview")
    clusters = (
        visible_clusters(request.user)
        .annotate(
            approved=Count("interviews", filter=Q(interviews__status=Interview.Status.APPROVED)),
            submitted=Count("interviews", filter=Q(interviews__status=Interview.Status.SUBMITTED)),
        )
        .order_by(spanish("name"))
    )
    return render(request, "surveys/findings_index.html", {"clusters": clusters})


def cluster_findings(request, slug):
    require_perm(request.user, "surveys.view_interview")
    cluster = get_visible_cluster(request.user, slug)
    form = FindingsForm(request.GET or None, user=request.user)
    result = None
    if not form.is_bound:
        latest = selectors.findings_version(cluster, form.fields["version"].queryset)
        form = FindingsForm({"version": latest or "", "statuses": "approved"}, user=request.user)
    if form.is_valid():
        result = selectors.findings(
            cluster=cluster,
            version=form.cleaned_data["version"],
            statuses=form.status_values(),
            date_from=form.cleaned_data.get("date_from"),
            date_to=form.cleaned_data.get("date_to"),
        )
    return render(
        request,
        "surveys/findings.html",
        {
            "cluster": cluster,
            "form": form,
            "result": result,
            "counts": selectors.interview_counts_by_status(cluster),
            "status_labels": dict(Interview.Status.choices),
        },
    )
