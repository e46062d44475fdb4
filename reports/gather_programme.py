"""Gathering the programme report: every cluster its requester may see, as ``reports.programme`` data.

Each figure is counted by the database in one grouped query over all the clusters, so the number of
queries is the same for 5 clusters as for 500. Indicators are read with their latest approved value
(a subquery per row) and judged here: on track when their progress keeps pace with the time elapsed
between baseline and target.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from clusters.access import visible_clusters
from clusters.models import Cluster, Evaluation, Membership, RiskRating
from instruments.models import Goal, Indicator, Intervention, Measurement, localised
from instruments.progress import progress
from reports.gather import _interviews_of, counted_statuses, programme, report_person
from reports.programme import ClusterRow, GoalTotal, InstrumentTotal, ProgrammeData

ZERO = Decimal(0)


def gather_programme(job, *, author=None, now=None) -> ProgrammeData:
    """The programme report that ``job`` asks for: the clusters its requester may see, in its language."""
    now = now or timezone.now()
    with translation.override(job.language):
        user = job.requested_by if job.requested_by_id else None
        clusters = visible_clusters(user) if user is not None else Cluster.objects.all()
        clusters = list(clusters.order_by("name").values("pk", "name", "stage"))
        ids = [row["pk"] for row in clusters]
        as_of = job.period_end or timezone.localdate(now)
        rows = _cluster_rows(clusters, ids, job, as_of)
        goals, cancelled, cancelled_planned = _goal_totals(ids, {row["pk"]: row["name"] for row in clusters}, job)
        return ProgrammeData(
            language=job.language,
            generated_at=now,
            period_start=job.period_start,
            period_end=job.period_end,
            include_submitted=job.include_submitted,
            author=author if author is not None else report_person(user),
            programme=programme(),
            clusters=rows,
            goals=goals,
            cancelled=cancelled,
            cancelled_planned=cancelled_planned,
        )


def _interventions(ids, job):
    """The interventions of these clusters that overlap the report's period."""
    interventions = Intervention.objects.filter(cluster_id__in=ids)
    if job.period_start:
        interventions = interventions.filter(Q(end_date__isnull=True) | Q(end_date__gte=job.period_start))
    if job.period_end:
        interventions = interventions.filter(start_date__lte=job.period_end)
    return interventions


def _cluster_rows(clusters, ids, job, as_of) -> list[ClusterRow]:
    stages = dict(Cluster.Stage.choices)
    regions = defaultdict(list)
    for cluster_id, name in (
        Cluster.regions.through.objects.filter(cluster_id__in=ids)
        .order_by("region__name")
        .values_list("cluster_id", "region__name")
    ):
        regions[cluster_id].append(name)
    members = Membership.objects.filter(cluster_id__in=ids)
    if job.period_end:
        members = members.exclude(since__gt=job.period_end)
    actors = dict(members.order_by().values_list("cluster_id").annotate(n=Count("*")))
    interviews = dict(
        _interviews_of(ids, job.period_start, job.period_end)
        .filter(status__in=counted_statuses(job.include_submitted))
        .values_list("cluster_id")
        .annotate(n=Count("*"))
    )
    active = _interventions(ids, job).exclude(status=Intervention.Status.CANCELLED)
    budgets = {
        row["cluster_id"]: row
        for row in active.order_by()
        .values("cluster_id")
        .annotate(n=Count("pk"), planned=Sum("budget_planned"), executed=Sum("budget_executed"))
    }
    tracking = _indicator_tracking(active, job, as_of)
    evaluations = _latest_ratings(ids, job.period_end)
    result = []
    for cluster in clusters:
        pk = cluster["pk"]
        budget = budgets.get(pk, {})
        on, off, none = tracking.get(pk, (0, 0, 0))
        evaluated, serious, watch = evaluations.get(pk, (None, 0, 0))
        result.append(
            ClusterRow(
                name=cluster["name"],
                regions=", ".join(regions.get(pk, [])),
                stage=str(stages.get(cluster["stage"], cluster["stage"])),
                actors=actors.get(pk, 0),
                interviews=interviews.get(pk, 0),
                interventions=budget.get("n", 0),
                budget_planned=budget.get("planned") or ZERO,
                budget_executed=budget.get("executed") or ZERO,
                on_track=on,
                off_track=off,
                no_data=none,
                evaluated=evaluated,
                serious=serious,
                watch=watch,
            )
        )
    return result


def on_track(*, progress_value, baseline_date, target_date, as_of) -> bool:
    """Whether an indicator keeps pace: its progress is at least the share of the time from its baseline
    to its target that has gone by (a target reached is on track whatever the date)."""
    if progress_value >= 1:
        return True
    if not baseline_date or not target_date or target_date <= baseline_date:
        return progress_value >= 1
    elapsed = (as_of - baseline_date).days / (target_date - baseline_date).days
    return progress_value >= min(max(elapsed, 0.0), 1.0)


def _indicator_tracking(interventions, job, as_of) -> dict[int, tuple[int, int, int]]:
    """{cluster id: (on track, off track, no data)} over the indicators of these interventions (one query)."""
    measurements = Measurement.objects.filter(indicator=OuterRef("pk"), status=Measurement.Status.APPROVED)
    if job.period_end:
        measurements = measurements.filter(date__lte=job.period_end)
    latest = measurements.order_by("-date", "-pk").values("value")[:1]
    counts = defaultdict(lambda: [0, 0, 0])
    for cluster_id, baseline, baseline_date, target, target_date, direction, value in (
        Indicator.objects.filter(intervention__in=interventions)
        .annotate(latest=Subquery(latest, output_field=DecimalField(max_digits=18, decimal_places=4)))
        .values_list(
            "intervention__cluster_id",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "direction",
            "latest",
        )
    ):
        value_progress = progress(baseline=baseline, target=target, latest=value, direction=direction)
        if value_progress is None:
            counts[cluster_id][2] += 1
        elif on_track(progress_value=value_progress, baseline_date=baseline_date, target_date=target_date, as_of=as_of):
            counts[cluster_id][0] += 1
        else:
            counts[cluster_id][1] += 1
    return {cluster_id: tuple(values) for cluster_id, values in counts.items()}


def _latest_ratings(ids, as_of) -> dict[int, tuple[datetime.date, int, int]]:
    """{cluster id: (date, serious, watch)} of each cluster's latest evaluation up to ``as_of`` (one query)."""
    evaluations = Evaluation.objects.filter(cluster=OuterRef("cluster"))
    if as_of:
        evaluations = evaluations.filter(date__lte=as_of)
    latest = evaluations.order_by("-date", "-pk").values("pk")[:1]
    found = Evaluation.objects.filter(cluster_id__in=ids, pk=Subquery(latest))
    rows = (
        found.annotate(
            serious=Count("ratings", filter=Q(ratings__level=RiskRating.Level.SERIOUS)),
            watch=Count("ratings", filter=Q(ratings__level=RiskRating.Level.WATCH)),
        )
        .order_by()
        .values_list("cluster_id", "date", "serious", "watch")
    )
    return {cluster_id: (day, serious, watch) for cluster_id, day, serious, watch in rows}


def _goal_totals(ids, names, job) -> tuple[list[GoalTotal], int, Decimal]:
    """Every goal of the catalogue with its interventions, budgets and instruments in use across the
    clusters, and the clusters with none (three queries)."""
    interventions = _interventions(ids, job)
    active = interventions.exclude(status=Intervention.Status.CANCELLED)
    cancelled = interventions.filter(status=Intervention.Status.CANCELLED).aggregate(
        n=Count("pk"), planned=Coalesce(Sum("budget_planned"), ZERO)
    )
    by_instrument = defaultdict(list)
    covered = defaultdict(set)
    for row in (
        active.order_by()
        .values(
            "instrument_type__goal_id",
            "instrument_type_id",
            "instrument_type__name_es",
            "instrument_type__name_en",
            "cluster_id",
        )
        .annotate(n=Count("pk"), planned=Sum("budget_planned"), executed=Sum("budget_executed"))
    ):
        by_instrument[row["instrument_type__goal_id"]].append(row)
        covered[row["instrument_type__goal_id"]].add(row["cluster_id"])
    goals = []
    for goal in Goal.objects.order_by("order"):
        instruments = {}
        for row in by_instrument.get(goal.pk, []):
            entry = instruments.setdefault(
                row["instrument_type_id"],
                {
                    "name": localised(row["instrument_type__name_es"], row["instrument_type__name_en"]),
                    "n": 0,
                    "clusters": set(),
                    "planned": ZERO,
                    "executed": ZERO,
                },
            )
            entry["n"] += row["n"]
            entry["clusters"].add(row["cluster_id"])
            entry["planned"] += row["planned"] or ZERO
            entry["executed"] += row["executed"] or ZERO
        listed = sorted(instruments.values(), key=lambda entry: (-entry["n"], entry["name"]))
        goals.append(
            GoalTotal(
                heading=str(goal.get_heading_display()),
                goal=str(goal.name),
                interventions=sum(entry["n"] for entry in listed),
                clusters=len(covered.get(goal.pk, ())),
                budget_planned=sum((entry["planned"] for entry in listed), ZERO),
                budget_executed=sum((entry["executed"] for entry in listed), ZERO),
                instruments=[
                    InstrumentTotal(
                        str(entry["name"]), entry["n"], len(entry["clusters"]), entry["planned"], entry["executed"]
                    )
                    for entry in listed
                ],
                without=[names[pk] for pk in ids if pk not in covered.get(goal.pk, set())],
            )
        )
    return goals, cancelled["n"], cancelled["planned"]
