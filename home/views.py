from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from clusters import selectors as cluster_selectors
from clusters.access import ROLE_LABELS, Role, role_of, visible_clusters
from clusters.addresses import address_maker
from clusters.peru_map import peru_map
from home import charts
from home.dashboard import dashboard_figures, period_of
from home.forms import SHADE_BUDGET, DashboardFilterForm
from home.selectors import home_kind, reports_block, researcher_home, reviewer_home
from instruments.models import localised
from instruments.progress import BEHIND, ON_TRACK, STALE
from instruments.templatetags.instruments_tags import soles
from surveys.models import Interview

DASHBOARD_ROLES = (Role.COORDINATOR, Role.MANAGER, Role.ADMIN)


@require_GET
def home(request):
    """Each role's first screen: the researcher's interviews, the coordinator's queues, the manager's dashboard."""
    user = request.user
    kind = home_kind(user)
    context = {"kind": kind, "role_label": ROLE_LABELS[role_of(user)]}
    if kind == "manager":
        return render(request, "home/dashboard.html", {**context, **dashboard_context(request), **reports_block(user)})
    if kind == "researcher":
        context.update(researcher_home(user))
    elif kind == "reviewer":
        context.update(reviewer_home(user))
    return render(request, "home/home.html", context)


@require_GET
def dashboard(request):
    """The programme dashboard for those who see every cluster: coordinators, managers and admins."""
    if role_of(request.user) not in DASHBOARD_ROLES:
        raise PermissionDenied
    return render(request, "home/dashboard.html", dashboard_context(request))


@login_not_required
@require_GET
def health(request):
    """For load balancers and uptime checks: answers without touching the database or the broker."""
    return render(request, "home/health.html")


# --- The dashboard's page ---------------------------------------------------------------------------


def _link(name, **params):
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return reverse(name) + (f"?{query}" if query else "")


def dashboard_context(request):
    user = request.user
    today = timezone.localdate()
    form = DashboardFilterForm(request.GET or None, user=user, today=today)
    criteria = form.criteria()
    region, sector = criteria["region"], criteria["sector"]
    sector_pk = sector.pk if sector else None
    chosen = cluster_selectors.clusters_in(visible_clusters(user), department=region, sector=sector)
    period = period_of(criteria["period"], today=today)
    figures = dashboard_figures(
        list(chosen.values_list("pk", flat=True)), period, today=today, budget_map=criteria["shade"] == SHADE_BUDGET
    )
    scope = {"cluster_region": region, "cluster_sector": sector_pk}
    names = {cluster.pk: cluster.name for cluster in figures.clusters}
    return {
        "form": form,
        "period": period,
        "figures": figures,
        "links": {
            "clusters": _link("clusters:list", region=region, sector=sector_pk),
            "actors": _link("clusters:actor_list", **scope),
            "budget": _link("instruments:portfolio", region=region, sector=sector_pk),
            "risks": _link("clusters:list", region=region, sector=sector_pk, risk="serious"),
        },
        # Whole soles fit a phone's half-width card; the exact amount is in the title and the portfolio.
        "budget_short": {key: f"S/ {figures.budget[key]:,.0f}" for key in ("planned", "executed")},
        "interview_rows": _interview_rows(figures, period, scope),
        "quarter_labels": [_quarter_label(period.this_quarter[0]), _quarter_label(period.last_quarter[0])],
        "standings": [
            (_("On track"), figures.standings[ON_TRACK], "on_track"),
            (_("Behind"), figures.standings[BEHIND], "behind"),
            (_("No recent measurement"), figures.standings[STALE], "stale"),
        ],
        "interviews_chart": _interviews_chart(figures, names),
        "budget_chart": _budget_chart(figures),
        "progress_chart": _progress_chart(figures),
        "map": _map(figures, criteria["shade"], sector_pk),
        "shade_budget": criteria["shade"] == SHADE_BUDGET,
    }


def _quarter_label(first_day):
    return _("%(year)s Q%(quarter)s") % {"year": first_day.year, "quarter": (first_day.month - 1) // 3 + 1}


def _interview_rows(figures, period, scope):
    """Interviews by status in this quarter and the last, each count linking to the list that shows them."""
    rows = []
    for status, label in Interview.Status.choices:
        cells = []
        for counts, (start, end) in (
            (figures.this_quarter, period.this_quarter),
            (figures.last_quarter, period.last_quarter),
        ):
            url = _link(
                "surveys:interview_list", status=status, date_from=start.isoformat(), date_to=end.isoformat(), **scope
            )
            cells.append({"count": counts[status], "url": url})
        rows.append({"status": status, "label": label, "cells": cells})
    return rows


def _interviews_chart(figures, names):
    series = [(names.get(pk, "") if pk is not None else _("Other clusters"), counts) for pk, counts in figures.series]
    months = [date_format(month, "M") for month in figures.months]
    stacks = [tuple(counts[index] for _name, counts in series) for index in range(len(figures.months))]
    return {
        "chart": charts.column_chart(stacks, months, label_every=1 if len(months) <= 12 else 2),
        "series": [{"name": name, "index": index, "total": sum(counts)} for index, (name, counts) in enumerate(series)],
        "rows": [
            {"month": date_format(month, "F Y"), "counts": stack, "total": sum(stack)}
            for month, stack in zip(figures.months, stacks, strict=True)
        ],
        "total": sum(sum(stack) for stack in stacks),
    }


def _budget_chart(figures):
    rows = [
        (localised(name_es, name_en), planned, executed) for _code, name_es, name_en, planned, executed in figures.goals
    ]
    return {
        "chart": charts.planned_executed_chart(rows),
        "rows": [
            {
                "goal": name,
                "planned": planned,
                "executed": executed,
                "share": f"{round(100 * float(executed) / float(planned))} %" if planned else "—",
            }
            for name, planned, executed in rows
        ],
    }


def _progress_chart(figures):
    labels = [
        _("No measurement"),
        _("Below the baseline"),
        "0-25 %",
        "25-50 %",
        "50-75 %",
        "75-100 %",
        _("Target reached"),
    ]
    short = ["—", "< 0", "0-25", "25-50", "50-75", "75-100", "≥ 100"]
    stacks = [(count,) for count in figures.progress_buckets]
    return {
        "chart": charts.column_chart(stacks, short, height=170),
        "rows": list(zip(labels, figures.progress_buckets, strict=True)),
        "total": sum(figures.progress_buckets),
    }


def _map(figures, shade, sector_pk):
    if shade == SHADE_BUDGET:
        values = {code: entry["executed"] for code, entry in figures.departments.items()}
        label = soles
    else:
        values = {code: entry["clusters"] for code, entry in figures.departments.items()}

        def label(n):
            n = int(n or 0)
            return ngettext("%(n)s cluster", "%(n)s clusters", n) % {"n": n}

    return peru_map(
        values=values,
        value_label=label,
        department_url=lambda code: _link("clusters:list", region=code, sector=sector_pk),
        clusters=figures.clusters,
        cluster_url=address_maker("clusters:detail"),
    )
