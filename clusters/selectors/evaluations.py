"""Reads of a cluster's evaluations: the list with its counts, the trend of each risk, the latest one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Q

from clusters.models import Evaluation, Risk, RiskRating


def evaluation_rows(cluster):
    """The cluster's evaluations, newest first, with their count of serious / watch / no-risk ratings."""
    return (
        Evaluation.objects.filter(cluster=cluster)
        .select_related("evaluator")
        .annotate(
            serious=Count("ratings", filter=Q(ratings__level=RiskRating.Level.SERIOUS)),
            watch=Count("ratings", filter=Q(ratings__level=RiskRating.Level.WATCH)),
            no_risk=Count("ratings", filter=Q(ratings__level=RiskRating.Level.NO_RISK)),
        )
        .order_by("-date", "-pk")
    )


class TrendCell(NamedTuple):
    level: str
    label: str
    note: str


class TrendRow(NamedTuple):
    risk: str
    label: str
    cells: tuple[TrendCell, ...]


@dataclass(frozen=True)
class EvaluationTrend:
    """The latest evaluations, oldest first, and each risk's rating in them (a risks x evaluations table)."""

    evaluations: tuple  # Evaluation objects annotated with serious / watch / no_risk
    rows: tuple[TrendRow, ...]

    @property
    def latest(self):
        return self.evaluations[-1] if self.evaluations else None


def evaluation_trend(cluster, *, limit=6):
    """The last ``limit`` evaluations of the cluster and the rating of every risk in each (two queries)."""
    evaluations = list(evaluation_rows(cluster)[:limit])[::-1]
    ratings = RiskRating.objects.filter(evaluation__in=[evaluation.pk for evaluation in evaluations])
    found = {(rating.evaluation_id, rating.risk): rating for rating in ratings}
    level_labels = dict(RiskRating.Level.choices)
    rows = []
    for risk in Risk:
        cells = []
        for evaluation in evaluations:
            rating = found.get((evaluation.pk, risk.value))
            cells.append(
                TrendCell(rating.level, str(level_labels[rating.level]), rating.note)
                if rating
                else TrendCell("", "", "")
            )
        rows.append(TrendRow(risk.value, str(risk.label), tuple(cells)))
    return EvaluationTrend(evaluations=tuple(evaluations), rows=tuple(rows))


def ordered_ratings(evaluation):
    """An evaluation's ratings in the order of the article's risk list."""
    order = {risk: position for position, risk in enumerate(Risk.values)}
    return sorted(evaluation.ratings.all(), key=lambda rating: order.get(rating.risk, 99))


def latest_evaluation(cluster, *, as_of=None):
    """The cluster's most recent evaluation (up to ``as_of``, if given; annotated with its counts, with its
    evaluator), its ratings in risk order; or None. Two queries."""
    evaluations = evaluation_rows(cluster)
    if as_of is not None:
        evaluations = evaluations.filter(date__lte=as_of)
    evaluation = evaluations.first()
    if evaluation is None:
        return None
    evaluation.ordered_ratings = ordered_ratings(evaluation)
    return evaluation
