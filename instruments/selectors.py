"""Reads of the instruments app shared by the pages and the PDF report (the XLSX tracking table is
``instruments.tracking``).

Sums and counts are done by the database; Python only groups rows that were already fetched. Every
selector that takes a user scopes to the clusters that user may see.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from clusters import history
from clusters.access import scope_to_clusters, sees_all_clusters, visible_clusters
from clusters.addresses import address_maker
from clusters.collation import spanish
from clusters.models import Actor
from clusters.selectors import clusters_in
from instruments.models import (
    Activity,
    Goal,
    Indicator,
    InstrumentType,
    Intervention,
    Measurement,
    PortfolioCell,
    localised,
)
from instruments.progress import bar_percent, percent_label, progress
from instruments.progress import standing as indicator_standing


@dataclass(frozen=True)
class IndicatorSummary:
    """An indicator with its approved series and progress. ``progress`` is a float (1.0 = target) or None."""

    pk: int
    name: str
    unit: str
    direction: str
    direction_label: str
    baseline: Decimal
    baseline_date: datetime.date
    target: Decimal
    target_date: datetime.date
    latest: Decimal | None
    latest_date: datetime.date | None
    progress: float | None
    series: list  # [(date, Decimal)] of approved measurements, oldest first

    @property
    def bar_percent(self):
        return bar_percent(self.progress)

    @property
    def percent_label(self):
        return percent_label(self.progress)


@dataclass(frozen=True)
class InterventionSummary:
    pk: int
    title: str
    instrument_name: str
    instrument_is_local: bool
    level: str
    level_label: str
    status: str
    status_label: str
    focus_label: str
    start: datetime.date
    end: datetime.date | None
    budget_planned: Decimal
    budget_executed: Decimal
    beneficiaries_count: int
    activities_count: int
    participants_women: int
    participants_men: int
    indicators: list = field(default_factory=list)

    @property
    def execution(self):
        """Executed over planned budget as a float, or None when nothing was planned."""
        if not self.budget_planned:
            return None
        return float(self.budget_executed / self.budget_planned)

    @property
    def execution_bar_percent(self):
        return bar_percent(self.execution)

    @property
    def execution_label(self):
        return percent_label(self.execution)


@dataclass(frozen=True)
class GoalGroup:
    code: str
    name: str
    heading: str
    heading_label: str
    budget_planned: Decimal
    budget_executed: Decimal
    interventions: list


def _sum_of(field_name):
    """A subquery that sums one counter of an intervention's activities (0 when it has none)."""
    return Coalesce(
        Subquery(
            Activity.objects.filter(intervention=OuterRef("pk"))
            .order_by()
            .values("intervention")
            .annotate(total=Sum(field_name))
            .values("total"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _period_filter(period_start, period_end, prefix=""):
    condition = Q()
    if period_start:
        condition &= Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": period_start})
    if period_end:
        condition &= Q(**{f"{prefix}start_date__lte": period_end})
    return condition


def indicator_summaries(indicators, *, period_start=None, period_end=None):
    """IndicatorSummary for each indicator of a queryset, keyed by intervention id. Two queries."""
    indicators = list(indicators.order_by("intervention_id", spanish("name"), "pk"))
    measurements = Measurement.objects.filter(indicator__in=[i.pk for i in indicators], status="approved")
    if period_start:
        measurements = measurements.filter(date__gte=period_start)
    if period_end:
        measurements = measurements.filter(date__lte=period_end)
    series = defaultdict(list)
    for indicator_id, date, value in measurements.order_by("indicator_id", "date", "pk").values_list(
        "indicator_id", "date", "value"
    ):
        series[indicator_id].append((date, value))
    by_intervention = defaultdict(list)
    for indicator in indicators:
        points = series.get(indicator.pk, [])
        latest_date, latest = points[-1] if points else (None, None)
        by_intervention[indicator.intervention_id].append(
            IndicatorSummary(
                pk=indicator.pk,
                name=indicator.name,
                unit=indicator.unit,
                direction=indicator.direction,
                direction_label=indicator.get_direction_display(),
                baseline=indicator.baseline_value,
                baseline_date=indicator.baseline_date,
                target=indicator.target_value,
                target_date=indicator.target_date,
                latest=latest,
                latest_date=latest_date,
                progress=progress(
                    baseline=indicator.baseline_value,
                    target=indicator.target_value,
                    latest=latest,
                    direction=indicator.direction,
                ),
                series=points,
            )
        )
    return by_intervention


def _intervention_rows(queryset):
    return (
        queryset.select_related("instrument_type__goal")
        .annotate(
            beneficiaries_count=Count("beneficiaries", distinct=True),
            activities_count=Coalesce(
                Subquery(
                    Activity.objects.filter(intervention=OuterRef("pk"))
                    .order_by()
                    .values("intervention")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            participants_women=_sum_of("women"),
            participants_men=_sum_of("men"),
        )
        .order_by("instrument_type__goal__order", "start_date", spanish("title"), "pk")
    )


def _summary(intervention, indicators):
    return InterventionSummary(
        pk=intervention.pk,
        title=intervention.title,
        instrument_name=intervention.instrument_type.name,
        instrument_is_local=intervention.instrument_type.is_local,
        level=intervention.government_level,
        level_label=intervention.get_government_level_display(),
        status=intervention.status,
        status_label=intervention.get_status_display(),
        focus_label=intervention.get_focus_display(),
        start=intervention.start_date,
        end=intervention.end_date,
        budget_planned=intervention.budget_planned,
        budget_executed=intervention.budget_executed,
        beneficiaries_count=intervention.beneficiaries_count,
        activities_count=intervention.activities_count,
        participants_women=intervention.participants_women,
        participants_men=intervention.participants_men,
        indicators=indicators,
    )


def cluster_instruments(cluster, *, period_start=None, period_end=None):
    """The cluster's interventions grouped by goal, in catalogue order, with indicators and progress.

    Returns [GoalGroup(code, name, heading, heading_label, budget_planned, budget_executed, interventions=[
    InterventionSummary(title, instrument_name, level_label, status_label, start, end, budget_planned,
    budget_executed, beneficiaries_count, ..., indicators=[IndicatorSummary(name, unit, direction, baseline,
    target, latest, progress, series, ...)])])]. Only goals with interventions appear. With a period,
    interventions that overlap it and measurements dated inside it count. Four queries, whatever the size.
    """
    interventions = list(
        _intervention_rows(
            Intervention.objects.filter(cluster=cluster).filter(_period_filter(period_start, period_end))
        )
    )
    if not interventions:
        return []
    ids = [i.pk for i in interventions]
    indicators = indicator_summaries(
        Indicator.objects.filter(intervention__in=ids), period_start=period_start, period_end=period_end
    )
    totals = goal_budgets(Intervention.objects.filter(pk__in=ids))
    groups = []
    for intervention in interventions:
        goal = intervention.instrument_type.goal
        if not groups or groups[-1].code != goal.code:
            groups.append(
                GoalGroup(
                    code=goal.code,
                    name=goal.name,
                    heading=goal.heading,
                    heading_label=goal.get_heading_display(),
                    budget_planned=totals[goal.pk]["planned"],
                    budget_executed=totals[goal.pk]["executed"],
                    interventions=[],
                )
            )
        groups[-1].interventions.append(_summary(intervention, indicators.get(intervention.pk, [])))
    return groups


def budget_by_goal(interventions):
    """Every goal of the catalogue, in order, with how many of the given interventions it has
    (``intervention_count``) and their budget ``planned`` and ``executed`` (0 when none). One query."""
    chosen = Q(instrument_types__interventions__in=interventions)
    return list(
        Goal.objects.order_by("order").annotate(
            intervention_count=Count("instrument_types__interventions", filter=chosen),
            planned=Coalesce(Sum("instrument_types__interventions__budget_planned", filter=chosen), Decimal("0")),
            executed=Coalesce(Sum("instrument_types__interventions__budget_executed", filter=chosen), Decimal("0")),
        )
    )


def goal_budgets(interventions):
    """{goal id: {"planned": Decimal, "executed": Decimal}} of the goals that have some of the given
    interventions (budget_by_goal, keyed)."""
    return {
        goal.pk: {"planned": goal.planned, "executed": goal.executed}
        for goal in budget_by_goal(interventions)
        if goal.intervention_count
    }


def budget_totals(interventions, **more):
    """How many interventions, and their budget planned and executed (0 when none), summed by the database
    in one query (with any ``more`` aggregates the caller adds)."""
    return interventions.aggregate(
        count=Count("pk"),
        planned=Coalesce(Sum("budget_planned"), Decimal("0")),
        executed=Coalesce(Sum("budget_executed"), Decimal("0")),
        **more,
    )


def executed_by_cluster(interventions):
    """{cluster id: budget executed} of a queryset of interventions, summed by the database."""
    rows = interventions.order_by().values_list("cluster_id").annotate(executed=Sum("budget_executed"))
    return dict(rows)


@dataclass(frozen=True)
class IndicatorStanding:
    pk: int
    cluster_id: int
    progress: float | None
    standing: str  # instruments.progress.ON_TRACK, BEHIND or STALE


def indicator_standings(indicators, *, as_of):
    """Each indicator of a queryset with its progress (from its latest approved measurement, as on the
    indicator's page and in the case study) and its standing on ``as_of``. One query: the latest approved
    value and date come as subqueries, not as every measurement."""
    latest = Measurement.objects.filter(indicator=OuterRef("pk"), status=Measurement.Status.APPROVED).order_by(
        "-date", "-pk"
    )
    rows = (
        indicators.order_by()
        .annotate(latest_value=Subquery(latest.values("value")[:1]), latest_date=Subquery(latest.values("date")[:1]))
        .values_list(
            "pk",
            "intervention__cluster_id",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "direction",
            "latest_value",
            "latest_date",
        )
    )
    standings = []
    for pk, cluster_id, baseline, baseline_date, target, target_date, direction, value, date in rows:
        reached = progress(baseline=baseline, target=target, latest=value, direction=direction)
        standings.append(
            IndicatorStanding(
                pk=pk,
                cluster_id=cluster_id,
                progress=reached,
                standing=indicator_standing(
                    progress=reached,
                    baseline_date=baseline_date,
                    target_date=target_date,
                    latest_date=date,
                    as_of=as_of,
                ),
            )
        )
    return standings


def cluster_totals(cluster):
    """Budget, beneficiaries and activity participants of all the cluster's interventions, summed by the DB."""
    interventions = Intervention.objects.filter(cluster=cluster)
    budget = budget_totals(interventions)
    people = activity_totals(Activity.objects.filter(intervention__cluster=cluster))
    beneficiaries = (
        Actor.objects.filter(benefiting_interventions__cluster=cluster).distinct().order_by().values("pk").count()
    )
    return {**budget, **people, "beneficiaries": beneficiaries}


def activity_totals(activities):
    """Activities, participants by sex and firms by size of an activity queryset, summed by the database."""
    totals = activities.aggregate(activities=Count("pk"), **{name: Coalesce(Sum(name), 0) for name in ACTIVITY_SUMS})
    return _with_participants_and_firms(totals)


# The counts an activity records, which activity_totals() adds up.
ACTIVITY_SUMS = ("women", "men", "firms_micro", "firms_small", "firms_medium", "firms_large")


def _with_participants_and_firms(totals):
    totals["participants"] = totals["women"] + totals["men"]
    totals["firms"] = totals["firms_micro"] + totals["firms_small"] + totals["firms_medium"] + totals["firms_large"]
    return totals


def visible_interventions(user):
    return scope_to_clusters(Intervention.objects.all(), user)


def visible_indicators(user):
    return scope_to_clusters(Indicator.objects.all(), user, "intervention__cluster")


def visible_measurements(user):
    return scope_to_clusters(Measurement.objects.all(), user, "indicator__intervention__cluster")


def visible_activities(user):
    return scope_to_clusters(Activity.objects.all(), user, "intervention__cluster")


def beneficiaries_by_size(intervention):
    """[(size label, count)] of an intervention's beneficiaries, counted by the database."""
    labels = dict(Actor.Size.choices)
    rows = intervention.beneficiaries.order_by("size").values("size").annotate(n=Count("pk"))
    return [(labels.get(row["size"], _("Not a firm / size unknown")), row["n"]) for row in rows]


def intervention_measurements(intervention):
    """All measurements of an intervention's indicators (any status), with who recorded and reviewed them."""
    return (
        Measurement.objects.filter(indicator__intervention=intervention)
        .select_related("recorded_by", "reviewed_by")
        .order_by("indicator_id", "date", "pk")
    )


def pending_review(user):
    """Measurements waiting for review in the clusters the user may see, oldest first."""
    return (
        visible_measurements(user)
        .filter(status=Measurement.Status.PENDING)
        .select_related("indicator__intervention__cluster", "recorded_by")
        .order_by("created_at", "pk")
    )


# --- Portfolio ---------------------------------------------------------------------------------


def portfolio(user, *, goal=None, government_level="", status="", region=None, sector=None):
    """Interventions across the clusters the user may see, filtered, with totals and the goals x clusters matrix.

    Returns {"interventions": queryset, "totals": {...}, "matrix": {"clusters": [...], "rows": [...]}}.
    A constant number of queries whatever the number of interventions.
    """
    interventions = visible_interventions(user)
    clusters = visible_clusters(user)
    # The whole programme, as a manager first opens the page: its activities and beneficiaries are all of them,
    # summed without asking which interventions they belong to (a join of every activity: 3.1 ms of the page's
    # 5.7 ms in the database at 5,000 interventions and 10,000 activities, 1.5 ms without it).
    everything = sees_all_clusters(user) and not (goal or government_level or status or region or sector)
    if goal is not None:
        interventions = interventions.filter(instrument_type__goal=goal)
    if government_level:
        interventions = interventions.filter(government_level=government_level)
    if status:
        interventions = interventions.filter(status=status)
    if region is not None or sector is not None:
        # The clusters of a department (any region in it) and of a sector, as the cluster list and the dashboard.
        clusters = clusters_in(clusters, department=region.code if region else "", sector=sector)
        interventions = interventions.filter(cluster__in=clusters)
    listing = (
        interventions.order_by(spanish("cluster__name"), "instrument_type__goal__order", "-start_date", "pk")
        # What a row shows, as values: portfolio_rows() turns a page of them into rows.
        .values(
            "pk",
            "title",
            "government_level",
            "status",
            "budget_planned",
            "budget_executed",
            "cluster__name",
            "cluster__slug",
            "instrument_type__goal__name_es",
            "instrument_type__goal__name_en",
        )
        # A subquery per row shown: grouping by intervention over the beneficiaries' join would count
        # those of every filtered intervention before the page is cut.
        .annotate(beneficiaries_count=_beneficiary_count())
    )
    if connection.vendor == "postgresql" and not (government_level or status):
        # PostgreSQL keeps these sums by cluster and goal (PortfolioCell): at 5,000 interventions and 10,000
        # activities, adding them up again on each view was most of what the page's cost grew by.
        counts, totals, activity = _sums_from_cells(clusters, goal)
    else:
        counts, totals, activity = _sums_from_rows(interventions, everything)
    links = Intervention.beneficiaries.through.objects.all()
    if not everything:
        links = links.filter(intervention__in=interventions)
    # Every link names an actor: the distinct actors linked are the beneficiaries, counted without reading them.
    totals["beneficiaries"] = links.order_by().values("actor_id").distinct().count()
    totals.update({f"activity_{key}": value for key, value in activity.items()})
    totals["execution"] = float(totals["executed"] / totals["planned"]) if totals["planned"] else None
    totals["execution_label"] = percent_label(totals["execution"])
    return {"interventions": listing, "totals": totals, "matrix": goal_matrix(counts, clusters)}


def _sums_from_rows(interventions, everything):
    """The gap matrix's counts ({(cluster id, goal id): n}), the interventions' totals and their activities'
    (activity_totals()), added up from the interventions and activities themselves."""
    # One pass over the interventions, grouped by cluster and goal, gives the gap matrix's counts and the
    # interventions' totals (a second query summing them all again cost 0.8 ms at 5,000 interventions).
    groups = list(
        interventions.order_by()
        .values("cluster_id", goal_id=F("instrument_type__goal_id"))
        .annotate(
            n=Count("pk"),
            planned=Coalesce(Sum("budget_planned"), Decimal("0")),
            executed=Coalesce(Sum("budget_executed"), Decimal("0")),
        )
    )
    totals = {
        "count": sum(group["n"] for group in groups),
        "planned": sum((group["planned"] for group in groups), Decimal("0")),
        "executed": sum((group["executed"] for group in groups), Decimal("0")),
        "clusters": len({group["cluster_id"] for group in groups}),
    }
    # The whole programme's activities are summed without asking which interventions they belong to.
    activities = Activity.objects.all() if everything else Activity.objects.filter(intervention__in=interventions)
    counts = {(group["cluster_id"], group["goal_id"]): group["n"] for group in groups}
    return counts, totals, activity_totals(activities)


def _sums_from_cells(clusters, goal):
    """What _sums_from_rows() gives, from the cells PostgreSQL keeps (PortfolioCell) of these clusters (a
    queryset) and this goal (None: every goal): two reads of at most clusters x goals rows."""
    cells = PortfolioCell.objects.filter(interventions__gt=0, cluster__in=clusters)
    if goal is not None:
        cells = cells.filter(goal=goal)
    counts = {
        (cluster_id, goal_id): n
        for cluster_id, goal_id, n in cells.values_list("cluster_id", "goal_id", "interventions")
    }
    sums = cells.aggregate(
        count=Coalesce(Sum("interventions"), 0),
        planned=Coalesce(Sum("budget_planned"), Decimal("0")),
        executed=Coalesce(Sum("budget_executed"), Decimal("0")),
        activities=Coalesce(Sum("activities"), 0),
        **{name: Coalesce(Sum(name), 0) for name in ACTIVITY_SUMS},
    )
    totals = {
        "count": sums.pop("count"),
        "planned": sums.pop("planned"),
        "executed": sums.pop("executed"),
        "clusters": len({cluster for cluster, _goal in counts}),
    }
    return counts, totals, _with_participants_and_firms(sums)


def portfolio_rows(values):
    """A page of the portfolio's list (``portfolio()["interventions"]``) as rows for the template:
    addresses, the goal's name in the current language and the choices' labels, made once a page."""
    detail, cluster_tab = address_maker("instruments:intervention_detail"), address_maker("instruments:cluster")
    levels, statuses = dict(Intervention.GovernmentLevel.choices), dict(Intervention.Status.choices)
    return [
        {
            "url": detail(row["pk"]),
            "title": row["title"],
            "cluster_url": cluster_tab(row["cluster__slug"]),
            "cluster_name": row["cluster__name"],
            "goal_name": localised(row["instrument_type__goal__name_es"], row["instrument_type__goal__name_en"]),
            "level": levels.get(row["government_level"], row["government_level"]),
            "status": statuses.get(row["status"], row["status"]),
            "budget_planned": row["budget_planned"],
            "budget_executed": row["budget_executed"],
            "beneficiaries_count": row["beneficiaries_count"],
        }
        for row in values
    ]


def _beneficiary_count():
    """The number of an intervention's beneficiaries, as a subquery (0 when it has none)."""
    links = Intervention.beneficiaries.through.objects.filter(intervention=OuterRef("pk"))
    return Coalesce(Subquery(links.order_by().values("intervention").annotate(n=Count("*")).values("n")), 0)


def goal_matrix(counts, clusters):
    """Goals (rows) x clusters (columns): how many interventions of each goal each cluster has (``counts``:
    {(cluster id, goal id): n}); 0 is a gap. Each cluster has the address of its instruments tab (``tab_url``),
    made once for all."""
    clusters = list(clusters.order_by(spanish("name")).only("pk", "name", "slug"))
    tab_of = address_maker("instruments:cluster")
    for cluster in clusters:
        cluster.tab_url = tab_of(cluster.slug)
    rows = []
    for goal in Goal.objects.order_by("order"):
        cells = [{"cluster": cluster, "count": counts.get((cluster.pk, goal.pk), 0)} for cluster in clusters]
        gaps = [cell for cell in cells if not cell["count"]]
        rows.append({"goal": goal, "cells": cells, "gap_count": len(gaps)})
    return {"clusters": clusters, "rows": rows}


# --- Catalogue ---------------------------------------------------------------------------------


def catalogue_usage(user):
    """Every goal with its instruments, and where each instrument is applied (clusters the user may see).

    Returns [{"goal": Goal, "instruments": [{"instrument": InstrumentType (with .intervention_count),
    "clusters": [{"name", "slug", "count"}]}]}]. Three queries.
    """
    scoped = Q(interventions__cluster__in=visible_clusters(user))
    instrument_types = InstrumentType.objects.select_related("goal").annotate(
        intervention_count=Count("interventions", filter=scoped)
    )
    where = defaultdict(list)
    for row in (
        visible_interventions(user)
        .order_by("instrument_type_id", spanish("cluster__name"))
        .values("instrument_type_id", "cluster__name", "cluster__slug")
        .annotate(n=Count("pk"))
    ):
        where[row["instrument_type_id"]].append(
            {"name": row["cluster__name"], "slug": row["cluster__slug"], "count": row["n"]}
        )
    goals = {}
    for instrument in instrument_types:
        entry = goals.setdefault(instrument.goal_id, {"goal": instrument.goal, "instruments": []})
        entry["instruments"].append({"instrument": instrument, "clusters": where.get(instrument.pk, [])})
    return list(goals.values())


# --- History ------------------------------------------------------------------------------------

# Shown on the record's own page, so not worth repeating in its history.
HISTORY_HIDDEN_FIELDS = {"cluster", "intervention", "indicator", "recorded_by"}


def history_entries(instance, *, limit=30):
    """Who changed what and when on one record, newest first (at most ``limit`` entries)."""
    records = type(instance).history.filter(id=instance.pk)
    return history.history_entries([(records, lambda record, names: "")], hidden=HISTORY_HIDDEN_FIELDS)[:limit]
