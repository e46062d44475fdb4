"""Pages of the instruments app. Each view: permission, scoping (other clusters' objects are 404), one call."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clusters.access import get_visible_cluster, require_perm
from clusters.collation import spanish
from clusters.concurrency import ConcurrentEdit, form_after_concurrent_edit
from clusters.forms import add_service_errors
from clusters.pagination import CountedPaginator
from instruments import selectors, services, tracking
from instruments.exports import tracking_workbook
from instruments.forms import (
    ActivityForm,
    ExportForm,
    IndicatorForm,
    InstrumentTypeForm,
    InterventionForm,
    MeasurementForm,
    PortfolioFilterForm,
    ReviewForm,
)

PAGE_SIZE = 25


def _intervention(user, pk):
    queryset = selectors.visible_interventions(user).select_related("cluster", "instrument_type__goal")
    return get_object_or_404(queryset, pk=pk)


def _indicator(user, pk):
    queryset = selectors.visible_indicators(user).select_related("intervention__cluster")
    return get_object_or_404(queryset, pk=pk)


def _measurement(user, pk):
    queryset = selectors.visible_measurements(user).select_related(
        "indicator__intervention__cluster", "recorded_by", "reviewed_by"
    )
    return get_object_or_404(queryset, pk=pk)


def _activity(user, pk):
    return get_object_or_404(selectors.visible_activities(user).select_related("intervention__cluster"), pk=pk)


# --- Portfolio and catalogue --------------------------------------------------------------------


@require_GET
def portfolio(request):
    require_perm(request.user, "instruments.view_intervention")
    filters = PortfolioFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    data = selectors.portfolio(
        request.user,
        goal=criteria.get("goal"),
        government_level=criteria.get("government_level", ""),
        status=criteria.get("status", ""),
        region=criteria.get("region"),
        sector=criteria.get("sector"),
    )
    # The totals counted the same interventions (``totals["count"]``): the pager does not count them again.
    page = CountedPaginator(data["interventions"], PAGE_SIZE, count=data["totals"]["count"]).get_page(
        request.GET.get("page")
    )
    rows = selectors.portfolio_rows(page.object_list)
    return render(request, "instruments/portfolio.html", {**data, "filters": filters, "page": page, "rows": rows})


@require_GET
def catalogue(request):
    require_perm(request.user, "instruments.view_instrumenttype")
    return render(request, "instruments/catalogue.html", {"goals": selectors.catalogue_usage(request.user)})


@require_http_methods(["GET", "POST"])
def instrument_type_create(request):
    require_perm(request.user, "instruments.add_instrumenttype")
    form = InstrumentTypeForm(request.POST or None, initial={"goal": request.GET.get("goal")})
    if request.method == "POST" and form.is_valid():
        try:
            instrument = services.instrument_type_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Local instrument “%(name)s” added.") % {"name": instrument.name})
            return redirect("instruments:catalogue")
    return render(request, "instruments/instrument_type_form.html", {"form": form})


# --- A cluster's instruments --------------------------------------------------------------------


@require_GET
def cluster_tab(request, slug):
    require_perm(request.user, "instruments.view_intervention")
    cluster = get_visible_cluster(request.user, slug)
    return render(
        request,
        "instruments/cluster.html",
        {
            "cluster": cluster,
            "groups": selectors.cluster_instruments(cluster),
            "totals": selectors.cluster_totals(cluster),
        },
    )


@require_http_methods(["GET", "POST"])
def intervention_create(request, slug):
    require_perm(request.user, "instruments.add_intervention")
    cluster = get_visible_cluster(request.user, slug)
    form = InterventionForm(request.POST or None, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        try:
            intervention = services.intervention_create(
                cluster=cluster, created_by=request.user, **form.domain_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Intervention recorded."))
            return redirect(intervention)
    return render(request, "instruments/intervention_form.html", {"form": form, "cluster": cluster})


@require_GET
def intervention_detail(request, pk):
    require_perm(request.user, "instruments.view_intervention")
    intervention = _intervention(request.user, pk)
    indicators = selectors.indicator_summaries(intervention.indicators.all()).get(intervention.pk, [])
    measurements = list(selectors.intervention_measurements(intervention))
    by_indicator = {}
    for measurement in measurements:
        by_indicator.setdefault(measurement.indicator_id, []).append(measurement)
    activities = intervention.activities.order_by("-date", "-pk")
    return render(
        request,
        "instruments/intervention_detail.html",
        {
            "cluster": intervention.cluster,
            "intervention": intervention,
            "implementing": intervention.implementing_institutions.order_by(spanish("name")),
            "funding": intervention.funding_institutions.order_by(spanish("name")),
            "beneficiaries": intervention.beneficiaries.order_by(spanish("name")),
            "beneficiaries_by_size": selectors.beneficiaries_by_size(intervention),
            "indicators": [(indicator, by_indicator.get(indicator.pk, [])) for indicator in indicators],
            "activities": activities,
            "activity_totals": selectors.activity_totals(activities),
            "history": selectors.history_entries(intervention),
        },
    )


@require_http_methods(["GET", "POST"])
def intervention_edit(request, pk):
    require_perm(request.user, "instruments.change_intervention")
    intervention = _intervention(request.user, pk)
    cluster = intervention.cluster
    form = InterventionForm(request.POST or None, instance=intervention, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        try:
            services.intervention_update(
                intervention=intervention,
                expected_version=form.cleaned_data.get("version") or 0,
                changed_by=request.user,
                **form.domain_values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ConcurrentEdit:
            current = _intervention(request.user, pk)
            form = form_after_concurrent_edit(
                InterventionForm, request.POST, version=current.version, instance=current, cluster=cluster
            )
        else:
            messages.success(request, _("Intervention saved."))
            return redirect(intervention)
    return render(
        request, "instruments/intervention_form.html", {"form": form, "cluster": cluster, "intervention": intervention}
    )


# --- Indicators and measurements ------------------------------------------------------------------


def _add_to_intervention(request, pk, *, permission, form_class, create, done, template):
    """The page that adds an indicator or an activity to an intervention: the form, the service
    call, its errors on the form, and back to the intervention with ``done``."""
    require_perm(request.user, permission)
    intervention = _intervention(request.user, pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            create(intervention=intervention, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(intervention)
    return render(request, template, {"form": form, "intervention": intervention, "cluster": intervention.cluster})


@require_http_methods(["GET", "POST"])
def indicator_create(request, pk):
    return _add_to_intervention(
        request,
        pk,
        permission="instruments.add_indicator",
        form_class=IndicatorForm,
        create=services.indicator_create,
        done=_("Indicator added."),
        template="instruments/indicator_form.html",
    )


@require_GET
def indicator_detail(request, pk):
    require_perm(request.user, "instruments.view_indicator")
    indicator = _indicator(request.user, pk)
    summary = selectors.indicator_summaries(type(indicator).objects.filter(pk=indicator.pk))[indicator.intervention_id][
        0
    ]
    return render(
        request,
        "instruments/indicator_detail.html",
        {
            "indicator": indicator,
            "summary": summary,
            "intervention": indicator.intervention,
            "cluster": indicator.intervention.cluster,
            "measurements": indicator.measurements.select_related("recorded_by", "reviewed_by").order_by("date", "pk"),
            "history": selectors.history_entries(indicator),
        },
    )


@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk):
    require_perm(request.user, "instruments.change_indicator")
    indicator = _indicator(request.user, pk)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(indicator=indicator, changed_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Indicator saved."))
            return redirect(indicator)
    return render(
        request,
        "instruments/indicator_form.html",
        {
            "form": form,
            "indicator": indicator,
            "intervention": indicator.intervention,
            "cluster": indicator.intervention.cluster,
        },
    )


@require_http_methods(["GET", "POST"])
def measurement_create(request, pk):
    require_perm(request.user, "instruments.add_measurement")
    indicator = _indicator(request.user, pk)
    form = MeasurementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            measurement = services.measurement_create(
                indicator=indicator, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Measurement recorded. It counts in progress once a coordinator approves it."))
            return redirect("instruments:measurement_detail", pk=measurement.pk)
    return render(
        request,
        "instruments/measurement_form.html",
        {"form": form, "indicator": indicator, "cluster": indicator.intervention.cluster},
    )


@require_GET
def measurement_detail(request, pk):
    require_perm(request.user, "instruments.view_measurement")
    return _measurement_page(request, _measurement(request.user, pk), ReviewForm())


def _measurement_page(request, measurement, review_form, status=200):
    """A measurement with its history and the review form (empty, or refused with what was chosen)."""
    return render(
        request,
        "instruments/measurement_detail.html",
        {
            "measurement": measurement,
            "indicator": measurement.indicator,
            "cluster": measurement.indicator.intervention.cluster,
            "review_form": review_form,
            "history": selectors.history_entries(measurement),
        },
        status=status,
    )


def _locked(request, measurement):
    messages.error(request, _("This measurement is approved: it is locked and can no longer be changed."))
    return redirect("instruments:measurement_detail", pk=measurement.pk)


@require_http_methods(["GET", "POST"])
def measurement_edit(request, pk):
    require_perm(request.user, "instruments.change_measurement")
    measurement = _measurement(request.user, pk)
    if measurement.is_locked:
        return _locked(request, measurement)
    form = MeasurementForm(request.POST or None, instance=measurement)
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_update(measurement=measurement, changed_by=request.user, **form.cleaned_data)
        except services.MeasurementLocked:
            return _locked(request, measurement)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Measurement saved. It waits for review again."))
            return redirect("instruments:measurement_detail", pk=measurement.pk)
    return render(
        request,
        "instruments/measurement_form.html",
        {
            "form": form,
            "measurement": measurement,
            "indicator": measurement.indicator,
            "cluster": measurement.indicator.intervention.cluster,
        },
    )


@require_POST
def measurement_delete(request, pk):
    require_perm(request.user, "instruments.delete_measurement")
    measurement = _measurement(request.user, pk)
    indicator = measurement.indicator
    try:
        services.measurement_delete(measurement=measurement, deleted_by=request.user)
    except services.MeasurementLocked:
        return _locked(request, measurement)
    messages.success(request, _("Measurement deleted."))
    return redirect(indicator)


@require_POST
def measurement_review(request, pk):
    require_perm(request.user, "instruments.review_measurement")
    measurement = _measurement(request.user, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == ReviewForm.APPROVE:
                services.measurement_approve(measurement=measurement, reviewer=request.user)
                messages.success(request, _("Measurement approved: it now counts in progress."))
            else:
                services.measurement_return(
                    measurement=measurement, reviewer=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Measurement returned for correction."))
        except services.MeasurementLocked:
            return _locked(request, measurement)
        except ValidationError as error:  # e.g. approving a measurement one recorded oneself
            add_service_errors(form, error)
        else:
            if request.POST.get("next") == "review_queue":
                return redirect("instruments:review_queue")
            return redirect(measurement.indicator)
    return _measurement_page(request, measurement, form, status=400)


@require_GET
def review_queue(request):
    require_perm(request.user, "instruments.review_measurement")
    page = Paginator(selectors.pending_review(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "instruments/review_queue.html", {"page": page, "review_form": ReviewForm()})


# --- Activities ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def activity_create(request, pk):
    return _add_to_intervention(
        request,
        pk,
        permission="instruments.add_activity",
        form_class=ActivityForm,
        create=services.activity_create,
        done=_("Activity recorded."),
        template="instruments/activity_form.html",
    )


@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    require_perm(request.user, "instruments.change_activity")
    activity = _activity(request.user, pk)
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(activity=activity, changed_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Activity saved."))
            return redirect(activity.intervention)
    return render(
        request,
        "instruments/activity_form.html",
        {
            "form": form,
            "activity": activity,
            "intervention": activity.intervention,
            "cluster": activity.intervention.cluster,
        },
    )


# --- Export -------------------------------------------------------------------------------------------


@require_GET
def indicator_export(request):
    require_perm(request.user, "instruments.view_indicator")
    form = ExportForm(request.GET)
    if not form.is_valid():
        raise Http404
    cluster = get_visible_cluster(request.user, form.cleaned_data["cluster"]) if form.cleaned_data["cluster"] else None
    by = form.cleaned_data["period"] or ExportForm.QUARTER
    content = tracking_workbook(tracking.indicator_tracking(request.user, cluster=cluster, by=by), by=by)
    name = f"indicadores-{cluster.slug if cluster else 'programa'}-{by}.xlsx"
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
