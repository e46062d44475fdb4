"""The programme dashboard: the manager's home, and a page for coordinators and admins.

Every figure is read through the selectors of the app that owns it, the same ones the portfolio
(instruments.selectors) and the case study (reports.gather) call, so that the three never disagree:
clusters.selectors (which clusters, their actors, risks and map), surveys.selectors (interviews by status
and month), instruments.selectors (budget totals and by goal, indicator standings).

The figures are counted over the whole programme, so they are kept in the cache under a key that changes
whenever any record they read changes (the newest history row of each model: one cheap query), plus the
clusters chosen and the period. A first view costs about fifteen queries, later ones about five; neither
depends on the number of interviews, interventions or clusters.
"""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from clusters import selectors as cluster_selectors
from clusters.models import Cluster, Evaluation, Membership, RiskRating
from clusters.peru_map import clusters_per_department
from instruments import selectors as instrument_selectors
from instruments.models import Indicator, Intervention, Measurement
from instruments.progress import BEHIND, ON_TRACK, STALE
from surveys import selectors as survey_selectors
from surveys.models import Interview

CACHE_SECONDS = 300  # a safety net only: the key already changes with every recorded change
# The interviews chart names the clusters with most interviews in the period and sums the rest, so that it
# reads the same with five clusters or fifty.
CHART_CLUSTERS = 4
# Progress buckets of the indicator chart: (upper bound, exclusive), the last is open.
PROGRESS_BUCKETS = (0.0, 0.25, 0.5, 0.75, 1.0)
# The records the figures read: a new history row in any of them is a new key.
WATCHED = (Cluster, Membership, Evaluation, RiskRating, Interview, Intervention, Indicator, Measurement)


# --- The period -------------------------------------------------------------------------------------


def quarter_of(day):
    """(first day, last day) of the calendar quarter of a date."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    end = _month_after(datetime.date(day.year, first_month + 2, 1)) - datetime.timedelta(days=1)
    return start, end


def _month_after(first_day):
    return datetime.date(first_day.year + first_day.month // 12, first_day.month % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    key: str  # "" (the last twelve months) or a year, as in the URL
    start: datetime.date
    end: datetime.date

    @property
    def months(self):
        """The first day of each month of the period, oldest first."""
        months, current = [], self.start.replace(day=1)
        while current <= self.end:
            months.append(current)
            current = _month_after(current)
        return months

    @property
    def this_quarter(self):
        """The quarter of the period's last day: "this quarter" for the last twelve months."""
        return quarter_of(self.end)

    @property
    def last_quarter(self):
        return quarter_of(self.this_quarter[0] - datetime.timedelta(days=1))


def period_of(key, *, today):
    """The period a URL asks for: a year ("2025"), or by default the twelve months up to today."""
    if key and key.isdigit() and len(key) == 4:
        return Period(key, datetime.date(int(key), 1, 1), datetime.date(int(key), 12, 31))
    start = datetime.date(today.year - 1, today.month, 1)
    return Period("", _month_after(start), today)


def year_choices(today, *, years=5):
    return [str(year) for year in range(today.year, today.year - years, -1)]


# --- The figures --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """What the dashboard shows, in no language (labels are added when the page is drawn)."""

    cluster_ids: tuple
    clusters: tuple  # clusters.selectors.MapCluster of every chosen cluster, by name
    actors: int
    this_quarter: dict  # {status: count}
    last_quarter: dict
    budget: dict  # {"count", "planned", "executed"}
    standings: dict  # {ON_TRACK: n, BEHIND: n, STALE: n}
    progress_buckets: tuple  # counts: no measurement, then below 0 %, 0-25, 25-50, 50-75, 75-100, 100 % or more
    serious_risks: int
    months: tuple  # first days of the months of the period
    series: tuple  # ((cluster pk, or None for "the others"), (count per month, ...)), biggest first
    goals: tuple  # ((code, name_es, name_en, planned, executed), ...) every goal in catalogue order
    departments: dict  # {department code: {"clusters": n, "executed": Decimal (0 unless asked for)}}


def change_stamp():
    """The newest history row of every record the dashboard reads, in one query: it moves on every
    create, change and delete made through the models (services, admin, imports)."""
    tables = [model.history.model._meta.db_table for model in WATCHED]
    quote = connection.ops.quote_name
    # Table names come from the models, never from a request.
    sql = "SELECT " + ", ".join(f"(SELECT MAX(history_id) FROM {quote(table)})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def dashboard_figures(cluster_ids, period, *, today=None, budget_map=False):
    """The dashboard's figures for these clusters (already scoped to what the user may see) and period.

    Budget, indicators and evaluations are the programme as it stands (as the portfolio shows it and as
    a case study without a period reports it); interviews are those dated in the period. The budget
    executed per department is counted only for a map shaded by it (``budget_map``).
    """
    today = today or timezone.localdate()
    cluster_ids = tuple(sorted(cluster_ids))
    stamp = (cluster_ids, period, today, budget_map, change_stamp())
    key = "dashboard:" + hashlib.sha256(repr(stamp).encode()).hexdigest()
    figures = cache.get(key)
    if figures is None:
        figures = _count(cluster_ids, period, today, budget_map)
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def _count(cluster_ids, period, today, budget_map):
    this_quarter, last_quarter = survey_selectors.status_counts_by_period(
        cluster_ids, [period.this_quarter, period.last_quarter]
    )
    interventions = Intervention.objects.filter(cluster__in=cluster_ids)
    standings = instrument_selectors.indicator_standings(
        Indicator.objects.filter(intervention__cluster__in=cluster_ids), as_of=today
    )
    by_goal = instrument_selectors.budget_by_goal(interventions)
    goals = tuple((goal.code, goal.name_es, goal.name_en, goal.planned, goal.executed) for goal in by_goal)
    # Every intervention has one goal: the goals' sums are the programme's (instruments.selectors.budget_totals
    # says the same, one query more; tests/home/test_dashboard.py holds them equal to the portfolio's).
    budget = {
        "count": sum(goal.intervention_count for goal in by_goal),
        "planned": sum((goal.planned for goal in by_goal), Decimal("0")),
        "executed": sum((goal.executed for goal in by_goal), Decimal("0")),
    }
    clusters = tuple(cluster_selectors.map_clusters(cluster_ids))
    return Figures(
        cluster_ids=cluster_ids,
        clusters=clusters,
        actors=cluster_selectors.member_actors(cluster_ids),
        this_quarter=this_quarter,
        last_quarter=last_quarter,
        budget=budget,
        standings={
            standing: sum(1 for s in standings if s.standing == standing) for standing in (ON_TRACK, BEHIND, STALE)
        },
        progress_buckets=_buckets(standing.progress for standing in standings),
        serious_risks=cluster_selectors.with_serious_risks(Cluster.objects.filter(pk__in=cluster_ids)).count(),
        months=tuple(period.months),
        series=_series(
            survey_selectors.interviews_by_month(cluster_ids, date_from=period.start, date_to=period.end),
            period.months,
        ),
        goals=goals,
        departments=_departments(
            clusters, instrument_selectors.executed_by_cluster(interventions) if budget_map else {}
        ),
    )


def _buckets(progresses):
    counts = [0] * (len(PROGRESS_BUCKETS) + 2)
    for value in progresses:
        if value is None:
            counts[0] += 1
        else:
            counts[1 + sum(1 for bound in PROGRESS_BUCKETS if value >= bound)] += 1
    return tuple(counts)


def _series(by_month, months):
    """The CHART_CLUSTERS clusters with most interviews in the period, then one series for the others."""
    totals = {}
    for (cluster_id, _month), n in by_month.items():
        totals[cluster_id] = totals.get(cluster_id, 0) + n
    ranked = sorted(totals, key=lambda pk: (-totals[pk], pk))
    named, others = ranked[:CHART_CLUSTERS], set(ranked[CHART_CLUSTERS:])
    series = [(pk, tuple(by_month.get((pk, month), 0) for month in months)) for pk in named]
    if others:
        rest = tuple(sum(by_month.get((pk, month), 0) for pk in others) for month in months)
        series.append((None, rest))
    return tuple(series)


def _departments(clusters, executed):
    """Clusters and budget executed per department. A cluster of several departments counts in each."""
    found = {code: {"clusters": n, "executed": 0} for code, n in clusters_per_department(clusters).items()}
    for cluster in clusters:
        for code in cluster.departments:
            found[code]["executed"] += executed.get(cluster.pk, 0)
    return found
