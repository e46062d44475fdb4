"""Pages of a cluster's evaluations: the list with its trend, one evaluation (new, edit)."""

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from clusters import selectors as cluster_selectors
from clusters import services
from clusters.forms import EvaluationForm
from clusters.models import Evaluation
from clusters.views.common import cluster_or_404, page_of


@require_GET
def evaluations(request, slug):
    cluster = cluster_or_404(request, slug)
    return render(
        request,
        "clusters/evaluations.html",
        {
            "cluster": cluster,
            "page": page_of(request, cluster_selectors.evaluation_rows(cluster), 20),
            "trend": cluster_selectors.evaluation_trend(cluster, limit=6),
        },
    )


def evaluation_create(request, slug):
    cluster = cluster_or_404(request, slug, "clusters.add_evaluation")
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
    cluster = cluster_or_404(request, slug, "clusters.change_evaluation")
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
    cluster = cluster_or_404(request, slug)
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
