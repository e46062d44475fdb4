"""Reads about clusters that pages, exports and reports share. Counting happens in the database."""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

import networkx as nx
import numpy as np
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clusters.access import Role, scope_to_clusters, visible_actors, visible_clusters
from clusters.collation import sort_key, spanish
from clusters.history import history_entries
from clusters.models import (
    FIRM_KINDS,
    Actor,
    Cluster,
    Evaluation,
    HeadlineFigure,
    Membership,
    Region,
    Relationship,
    Risk,
    RiskRating,
    actor_name_key,
)
from clusters.validators import normalise_ruc

NETWORK_CACHE_SECONDS = 24 * 60 * 60


def member_count():
    """A cluster's number of members as a subquery: an index-only count per cluster shown, where a
    join would group every membership of every cluster (20,000 for a national programme) first."""
    members = Membership.objects.filter(cluster=OuterRef("pk")).order_by().values("cluster")
    return Coalesce(Subquery(members.annotate(n=Count("*")).values("n")), 0)


def clusters_at_a_glance(user, *, limit):
    """The first ``limit`` clusters the user sees, by name, with sector, status and member count, and how
    many the user sees in all (for the home pages). Two queries."""
    clusters = (
        visible_clusters(user)
        .select_related("main_sector")
        .annotate(member_count=member_count())
        .order_by(spanish("name"))
    )
    return list(clusters[:limit]), clusters.count()


# --- Clusters ---------------------------------------------------------------------------------------------

STAGE_ORDER = Case(
    *(When(stage=stage, then=Value(position)) for position, stage in enumerate(Cluster.Stage.values)),
    output_field=IntegerField(),
)
STATUS_ORDER = Case(
    *(When(status=status, then=Value(position)) for position, status in enumerate(Cluster.Status.values)),
    output_field=IntegerField(),
)


def cluster_rows(user):
    """The clusters this user sees, ready for a list: sector, coordinator, regions and the count of actors."""
    return (
        visible_clusters(user)
        .select_related("main_sector", "coordinator")
        .prefetch_related(Prefetch("regions", queryset=Region.objects.order_by("code")))
        .annotate(
            actor_count=member_count(),
            stage_order=STAGE_ORDER,
            status_order=STATUS_ORDER,
        )
    )


def departments():
    """The 25 departments, for region filters."""
    return Region.objects.filter(level=Region.Level.DEPARTMENT).order_by(spanish("name"))


def coordinators_of(user):
    """The people who coordinate a cluster this user sees (for the coordinator filter)."""
    cluster_ids = visible_clusters(user).values("pk")
    return (
        get_user_model().objects.filter(coordinated_clusters__in=cluster_ids).distinct().order_by(spanish("first_name"))
    )


@dataclass(frozen=True)
class LatestFigure:
    metric: str
    label: str
    value: object
    year: int
    source: str


class FigureSeries(NamedTuple):
    metric: str
    label: str
    points: tuple  # (year, value), oldest first


@dataclass(frozen=True)
class HeadlineFigures:
    """A cluster's headline figures: the latest of each metric and each metric's values over the years,
    both in metric order."""

    latest: tuple[LatestFigure, ...]
    series: tuple[FigureSeries, ...]


def headline_figures(cluster, *, as_of=None):
    """The cluster's headline figures of the years up to ``as_of`` (every year without it): the latest
    value of each metric, with its year and source, and each metric's series (one query: a cluster has a
    few figures a year)."""
    figures = HeadlineFigure.objects.filter(cluster=cluster).order_by("metric", "year", "pk")
    if as_of is not None:
        figures = figures.filter(year__lte=as_of.year)
    series, latest = {}, {}
    for figure in figures:
        series.setdefault(figure.metric, {})[figure.year] = figure.value
        latest[figure.metric] = figure
    order = [metric for metric in HeadlineFigure.Metric.values if metric in series]
    order += sorted(set(series) - set(order))
    labels = dict(HeadlineFigure.Metric.choices)
    return HeadlineFigures(
        latest=tuple(
            LatestFigure(figure.metric, str(figure.get_metric_display()), figure.value, figure.year, figure.source)
            for figure in (latest[metric] for metric in order)
        ),
        series=tuple(
            FigureSeries(metric, str(labels.get(metric, metric)), tuple(sorted(series[metric].items())))
            for metric in order
        ),
    )


def latest_figures(cluster, *, as_of=None):
    """The latest value of each headline figure of the cluster, with its year and source, in metric order."""
    return headline_figures(cluster, as_of=as_of).latest


class Counted(NamedTuple):
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class ActorBreakdown:
    """A cluster's members counted by actor kind, firm size and role (zero counts left out).

    Kinds and roles go largest first, ties in choice order; sizes in the law's order (micro to large), then
    firms whose size is not recorded. Size applies to firms only (``Actor.is_firm``: firms, suppliers and
    buyers): ``by_size`` counts the ``firms``, and the other members are ``total - firms``.
    """

    total: int
    by_kind: tuple[Counted, ...]
    by_size: tuple[Counted, ...]
    by_role: tuple[Counted, ...]
    firms: int = 0

    @property
    def not_firms(self):
        return self.total - self.firms


def _counted(counts, choices, blank_label=None, *, largest_first=False):
    result = [Counted(code, str(label), counts[code]) for code, label in choices if counts.get(code)]
    if largest_first:
        result.sort(key=lambda item: -item.count)  # stable: ties keep the choice order
    if blank_label is not None and counts.get(""):
        result.append(Counted("", str(blank_label), counts[""]))
    return tuple(result)


def actor_breakdown(cluster, *, as_of=None):
    """Counts of the cluster's members (those who joined by ``as_of``, if given) by kind, by firm size and by
    role: one grouped query (at most kinds x sizes x roles rows, whatever the number of members), summed
    three ways. The cluster's pages and its case study print these."""
    by_kind, by_size, by_role = Counter(), Counter(), Counter()
    members = Membership.objects.filter(cluster=cluster)
    if as_of is not None:
        members = members.exclude(since__gt=as_of)
    for kind, size, role, n in (
        members.order_by().values_list("actor__kind", "actor__size", "role").annotate(n=Count("pk"))
    ):
        by_kind[kind] += n
        by_role[role] += n
        if kind in FIRM_KINDS:
            by_size[size] += n
    return ActorBreakdown(
        total=by_kind.total(),
        by_kind=_counted(by_kind, Actor.Kind.choices, largest_first=True),
        by_size=_counted(by_size, Actor.Size.choices, blank_label=_("Size not recorded")),
        by_role=_counted(by_role, Membership.Role.choices, largest_first=True),
        firms=by_size.total(),
    )


def cluster_members(cluster, *, as_of=None):
    """The cluster's memberships (those begun by ``as_of``, if given) with their actors and regions, by
    actor name."""
    members = Membership.objects.filter(cluster=cluster)
    if as_of is not None:
        members = members.exclude(since__gt=as_of)
    return members.select_related("actor", "actor__region").order_by(spanish("actor__name"), "actor_id")


# --- The network ------------------------------------------------------------------------------------------


class NetworkNode(NamedTuple):
    id: int
    name: str
    kind: str
    kind_label: str
    degree: int


class NetworkEdge(NamedTuple):
    source_id: int
    target_id: int
    kind_label: str
    kind: str = ""  # Relationship.Kind value


class Ranked(NamedTuple):
    name: str
    value: float  # an int for degrees


@dataclass(frozen=True)
class NetworkSummary:
    """A cluster's network: its actors (nodes) and ties (edges), and the metrics the page and the PDF print.

    - ``edges``: one per distinct (source, target, kind): the same tie reported in several interviews is
      one tie.
    - ``degree``: ties in plus ties out of the actor.
    - ``linked_pairs``: ordered pairs of actors (A, B) with at least one tie from A to B.
    - ``density``: ``linked_pairs`` as a share of the n x (n - 1) possible ordered pairs (0 to 1).
    - ``components``: weakly connected groups (an actor without ties is a group of its own).
    - ``top_betweenness``: normalised betweenness centrality on the undirected graph: how often an actor
      lies on the shortest path between two others (a broker).
    - ``cross_kind_share``: share of ties that join actors of different kinds (firm-university ...).
    - ``positions``: {actor id: (x, y)} with x and y between 0 and 1: actors grouped by kind, each at a place
      derived from its id, so that adding one actor moves the others little (see ``_layout``).
    """

    nodes: tuple[NetworkNode, ...]
    edges: tuple[NetworkEdge, ...]
    density: float
    components: int
    top_degree: tuple[Ranked, ...]
    top_betweenness: tuple[Ranked, ...]
    cross_kind_share: float
    ties_by_kind: tuple[Counted, ...] = ()
    positions: dict = field(default_factory=dict, compare=False)
    linked_pairs: int = 0

    @property
    def density_percent(self):
        return self.density * 100

    @property
    def cross_kind_percent(self):
        return self.cross_kind_share * 100

    @property
    def possible_pairs(self):
        return len(self.nodes) * (len(self.nodes) - 1)


def _hashed(node_id):
    """Two numbers in [0, 1) that depend on an actor's id only."""
    digest = hashlib.sha256(f"actor:{node_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32, int.from_bytes(digest[4:8], "big") / 2**32


def _layout(kinds):
    """{actor id: (x, y)} in the unit square, given {actor id: kind}.

    Actors of one kind share a wedge of a disc (firms together, suppliers together ...), at a place in
    their wedge that depends on their id only; then actors too close to each other are pushed apart. So a
    new actor of a kind already present moves only the few actors it lands next to, and the drawing of a
    cluster stays recognisable from one report to the next (a force-directed layout reshuffles the whole
    drawing when one actor is added).
    """
    if not kinds:
        return {}
    if len(kinds) == 1:
        return {next(iter(kinds)): (0.5, 0.5)}
    present = [kind for kind in Actor.Kind.values if kind in set(kinds.values())]
    present += sorted(set(kinds.values()) - set(present))
    wedge = 2 * math.pi / len(present)
    ids = sorted(kinds)
    points = []
    for node_id in ids:
        along, out = _hashed(node_id)
        angle = wedge * (present.index(kinds[node_id]) + 0.08 + 0.84 * along) + math.pi / 2
        radius = 0.5 * math.sqrt(0.12 + 0.88 * out)
        points.append((radius * math.cos(angle), radius * math.sin(angle)))
    anchors = np.array(points)
    spread = anchors.copy()
    # Centres closer than this are pushed apart (a little less than the spacing of a hexagonal packing).
    gap = 0.75 / math.sqrt(len(ids))
    for _step in range(80):
        delta = spread[:, None, :] - spread[None, :, :]
        distance = np.sqrt((delta**2).sum(axis=-1)) + np.eye(len(ids)) * gap
        overlap = np.clip(gap - distance, 0, None)
        if not overlap.any():
            break
        push = (delta / np.maximum(distance, 1e-6)[:, :, None] * overlap[:, :, None]).sum(axis=1) * 0.5
        spread += push + (anchors - spread) * 0.05
        outside = np.sqrt((spread**2).sum(axis=1))
        spread *= np.minimum(1, 0.5 / np.maximum(outside, 1e-9))[:, None]
    return {node_id: (float(0.5 + x), float(0.5 + y)) for node_id, (x, y) in zip(ids, spread, strict=True)}


def network_summary(cluster, *, top=5, layout=True, interviews=None, as_of=None):
    """The cluster's network and its metrics (two queries; networkx does the graph work).

    Without arguments: every member and every recorded tie (the network page). A report passes its rules:
    ``interviews`` (a queryset of the interviews it counts, e.g. approved ones of its period) keeps only the
    ties reported in them, besides those a coordinator entered; ``as_of`` (a date) leaves out members who
    joined and ties entered after it.

    The result is cached under a digest of the members and ties it is computed from, so a changed network
    is never served stale and an unchanged one costs only the two queries.
    """
    members = Membership.objects.filter(cluster=cluster)
    ties = Relationship.objects.filter(cluster=cluster)
    if as_of is not None:
        members = members.exclude(since__gt=as_of)
        ties = ties.exclude(interview__isnull=True, created_at__date__gt=as_of)
    if interviews is not None:
        ties = ties.filter(Q(interview__isnull=True) | Q(interview__in=interviews.values("pk")))
    members = list(
        members.order_by(spanish("actor__name"), "actor_id").values_list("actor_id", "actor__name", "actor__kind")
    )
    ties = list(ties.order_by("pk").values_list("source_id", "target_id", "kind"))
    digest = hashlib.sha256(repr((members, ties, top, layout, get_language())).encode()).hexdigest()
    key = f"clusters:network_summary:{digest}"
    summary = cache.get(key)
    if summary is None:
        summary = summarise_network(members, ties, top=top, layout=layout)
        cache.set(key, summary, NETWORK_CACHE_SECONDS)
    return summary


def summarise_network(members, ties, *, top=5, layout=True):
    """The metrics of a network given as rows: members (actor id, name, kind), ties (source, target, kind).

    Pure (no database): the page and the PDF report (also its sample, which has no database) share it.
    Ties whose ends are not members are dropped; a tie given several times (several interviews reported
    it) counts once.
    """
    kind_labels = dict(Actor.Kind.choices)
    tie_labels = dict(Relationship.Kind.choices)
    names = {actor_id: name for actor_id, name, _kind in members}
    kinds = {actor_id: kind for actor_id, _name, kind in members}
    ties = list(
        dict.fromkeys((source, target, kind) for source, target, kind in ties if source in names and target in names)
    )

    multi = nx.MultiDiGraph()
    multi.add_nodes_from(sorted(names))
    multi.add_edges_from((source, target) for source, target, _kind in ties)
    simple = nx.DiGraph(multi)
    nodes = tuple(
        NetworkNode(actor_id, name, kind, str(kind_labels.get(kind, kind)), multi.degree(actor_id))
        for actor_id, name, kind in members
    )
    undirected = simple.to_undirected()
    betweenness = nx.betweenness_centrality(undirected) if nodes else {}

    def ranked(scores, convert):
        best = sorted(scores.items(), key=lambda item: (-item[1], sort_key(names[item[0]])))[:top]
        return tuple(Ranked(names[actor_id], convert(value)) for actor_id, value in best if value > 0)

    by_kind = {}
    for _source, _target, kind in ties:
        by_kind[kind] = by_kind.get(kind, 0) + 1
    cross = sum(1 for source, target, _kind in ties if kinds[source] != kinds[target])
    pairs = simple.number_of_edges()
    possible = len(nodes) * (len(nodes) - 1)
    return NetworkSummary(
        nodes=nodes,
        edges=tuple(
            NetworkEdge(source, target, str(tie_labels.get(kind, kind)), kind) for source, target, kind in ties
        ),
        density=pairs / possible if possible else 0.0,
        components=nx.number_weakly_connected_components(simple) if nodes else 0,
        top_degree=ranked({node.id: node.degree for node in nodes}, int),
        top_betweenness=ranked(betweenness, lambda value: round(float(value), 4)),
        cross_kind_share=cross / len(ties) if ties else 0.0,
        ties_by_kind=tuple(
            Counted(code, str(label), by_kind[code]) for code, label in Relationship.Kind.choices if by_kind.get(code)
        ),
        positions=_layout(kinds) if layout else {},
        linked_pairs=pairs,
    )


def cluster_ties(cluster):
    """The cluster's ties with both actors and the interview they came from, for the network page's table."""
    return (
        Relationship.objects.filter(cluster=cluster)
        .select_related("source", "target", "interview")
        .order_by(spanish("source__name"), "kind", spanish("target__name"), "pk")
    )


# --- Evaluations ------------------------------------------------------------------------------------------


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


# --- Actors -----------------------------------------------------------------------------------------------


def actor_rows(user):
    """The actors this user sees with their region and the memberships in clusters this user sees."""
    memberships = scope_to_clusters(
        Membership.objects.select_related("cluster").order_by(spanish("cluster__name")), user
    )
    return (
        visible_actors(user)
        .select_related("region")
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="visible_memberships"))
        .order_by(spanish("name"), "pk")
    )


def actor_memberships(actor, user):
    """The actor's memberships in the clusters this user sees."""
    return scope_to_clusters(actor.memberships.select_related("cluster").order_by(spanish("cluster__name")), user)


def actor_ties(actor, user):
    """The actor's ties, in and out, in the clusters this user sees."""
    ties = Relationship.objects.filter(Q(source=actor) | Q(target=actor)).select_related("source", "target", "cluster")
    return scope_to_clusters(ties, user).order_by(spanish("cluster__name"), "kind", "pk")


@dataclass(frozen=True)
class Duplicates:
    """What an actor being created or edited may duplicate.

    ``ruc_owner`` is the actor that already has the RUC (None if none); ``ruc_owner_visible`` says whether
    the user may see it (a researcher is told only that the RUC is taken). ``similar`` are the actors the
    user sees whose name is the same once case, accents, punctuation and legal form are ignored.
    """

    ruc_owner: Actor | None
    ruc_owner_visible: bool
    similar: tuple


def actor_duplicates(user, *, name, ruc="", exclude_pk=None):
    """The actor holding this RUC and the visible actors with the same name key."""
    ruc = normalise_ruc(ruc)
    others = Actor.objects.exclude(pk=exclude_pk) if exclude_pk else Actor.objects.all()
    owner = others.filter(ruc=ruc).first() if ruc else None
    visible = visible_actors(user)
    owner_visible = bool(owner and visible.filter(pk=owner.pk).exists())
    key = actor_name_key(name)
    similar = ()
    if key:
        candidates = visible.filter(name_key=key)
        if exclude_pk:
            candidates = candidates.exclude(pk=exclude_pk)
        similar = tuple(candidates.select_related("region").order_by(spanish("name"))[:10])
    return Duplicates(ruc_owner=owner, ruc_owner_visible=owner_visible, similar=similar)


def autocomplete_actors(user, query, *, cluster=None, limit=20):
    """Visible actors whose name (ignoring case and accents) or RUC matches the query, optionally in a cluster."""
    from clusters.models import fold_text

    actors = visible_actors(user)
    if cluster is not None:
        actors = actors.filter(memberships__cluster=cluster)
    # What a search box takes (clusters.filters.SEARCH_MAX_LENGTH): SQLite refuses LIKE patterns over 50,000.
    query = (query or "").strip()[:200]
    if query:
        digits = normalise_ruc(query)
        condition = Q(name_key__contains=fold_text(query)) | Q(name__icontains=query)
        if digits.isdigit():
            condition |= Q(ruc__startswith=digits)
        actors = actors.filter(condition)
    return actors.order_by(spanish("name"), "pk")[:limit]


def team_candidates(cluster):
    """Users with a role who are not on the cluster's team yet: field researchers first, then coordinators."""
    users = get_user_model().objects.filter(is_active=True).exclude(cluster_teams=cluster)
    return (
        users.filter(Q(groups__name__in=[str(Role.RESEARCHER), str(Role.COORDINATOR)]))
        .distinct()
        .order_by(spanish("first_name"), spanish("last_name"), "username")
    )


# --- History ----------------------------------------------------------------------------------------------


def _name(names, model, pk):
    return names.get((model, pk), f"#{pk}")


def cluster_history(cluster):
    """The audit timeline of a cluster: its profile, figures, members, ties and evaluations."""
    evaluation_ids = Evaluation.history.filter(cluster_id=cluster.pk).values("id")
    risk_labels = dict(Risk.choices)
    metric_labels = dict(HeadlineFigure.Metric.choices)
    tie_labels = dict(Relationship.Kind.choices)
    return history_entries(
        [
            (Cluster.history.filter(id=cluster.pk), lambda record, names: _("Cluster profile")),
            (
                HeadlineFigure.history.filter(cluster_id=cluster.pk),
                lambda record, names: (
                    _("Figure: %(metric)s %(year)s")
                    % {"metric": metric_labels.get(record.metric, record.metric), "year": record.year}
                ),
            ),
            (
                Membership.history.filter(cluster_id=cluster.pk),
                lambda record, names: _("Member: %(actor)s") % {"actor": _name(names, Actor, record.actor_id)},
            ),
            (
                Relationship.history.filter(cluster_id=cluster.pk),
                lambda record, names: (
                    _("Tie: %(source)s %(kind)s %(target)s")
                    % {
                        "source": _name(names, Actor, record.source_id),
                        "kind": tie_labels.get(record.kind, record.kind),
                        "target": _name(names, Actor, record.target_id),
                    }
                ),
            ),
            (
                Evaluation.history.filter(cluster_id=cluster.pk),
                lambda record, names: _("Evaluation of %(date)s") % {"date": record.date},
            ),
            (
                RiskRating.history.filter(evaluation_id__in=evaluation_ids),
                lambda record, names: _("Rating: %(risk)s") % {"risk": risk_labels.get(record.risk, record.risk)},
            ),
        ]
    )


def actor_history(actor, user):
    """The audit timeline of an actor: its record and its memberships in the clusters the user sees."""
    cluster_ids = visible_clusters(user).values("pk")
    return history_entries(
        [
            (Actor.history.filter(id=actor.pk), lambda record, names: _("Actor profile")),
            (
                Membership.history.filter(actor_id=actor.pk, cluster_id__in=cluster_ids),
                lambda record, names: (
                    _("Membership in %(cluster)s") % {"cluster": _name(names, Cluster, record.cluster_id)}
                ),
            ),
        ]
    )


def evaluation_history(evaluation):
    """The audit timeline of one evaluation and its ratings."""
    risk_labels = dict(Risk.choices)
    return history_entries(
        [
            (Evaluation.history.filter(id=evaluation.pk), lambda record, names: _("Evaluation")),
            (
                RiskRating.history.filter(evaluation_id=evaluation.pk),
                lambda record, names: _("Rating: %(risk)s") % {"risk": risk_labels.get(record.risk, record.risk)},
            ),
        ]
    )


# --- The programme as a whole (the dashboard and the map) ---------------------------------------


def clusters_in(clusters, *, department="", sector=None):
    """The clusters of a queryset with a region in a department (its ubigeo code: the department itself or
    any province or district in it) and whose main sector is ``sector`` or one of its divisions. The
    cluster list's filters mean the same (clusters.filters.ClusterFilter)."""
    if department:
        in_department = Cluster.regions.through.objects.filter(region__code__startswith=department)
        clusters = clusters.filter(pk__in=in_department.values("cluster_id"))
    if sector is not None:
        clusters = clusters.filter(Q(main_sector=sector) | Q(main_sector__parent=sector))
    return clusters


def member_actors(cluster_ids):
    """How many distinct actors are members of these clusters (one query)."""
    return Membership.objects.filter(cluster__in=cluster_ids).order_by().values("actor").distinct().count()


def latest_evaluation_ids(clusters, *, as_of=None):
    """The id of each cluster's most recent evaluation (up to ``as_of``), as a subquery per cluster: the
    same choice as the case study's "latest evaluation" (newest date, then newest record)."""
    evaluations = Evaluation.objects.filter(cluster=OuterRef("pk"))
    if as_of is not None:
        evaluations = evaluations.filter(date__lte=as_of)
    return clusters.annotate(latest_evaluation=Subquery(evaluations.order_by("-date", "-pk").values("pk")[:1]))


def with_serious_risks(clusters, *, as_of=None):
    """The clusters whose latest evaluation (up to ``as_of``) rates at least one risk as serious."""
    serious = RiskRating.objects.filter(evaluation=OuterRef("latest_evaluation"), level=RiskRating.Level.SERIOUS)
    return latest_evaluation_ids(clusters, as_of=as_of).filter(Exists(serious))


class MapCluster(NamedTuple):
    pk: int
    name: str
    slug: str
    latitude: float | None
    longitude: float | None
    departments: tuple  # ubigeo codes of the departments of its regions


def map_clusters(cluster_ids):
    """The clusters to draw on the map of Peru, by name: their point (if recorded) and their departments.
    One query (a row per cluster and region)."""
    rows = (
        Cluster.objects.filter(pk__in=cluster_ids)
        .order_by("name", "pk")
        .values_list("pk", "name", "slug", "latitude", "longitude", "regions__code")
    )
    found = {}
    for pk, name, slug, latitude, longitude, code in rows:
        entry = found.setdefault(
            pk,
            [
                name,
                slug,
                None if latitude is None else float(latitude),
                None if longitude is None else float(longitude),
                [],
            ],
        )
        if code and code[:2] not in entry[4]:
            entry[4].append(code[:2])
    return [
        MapCluster(pk, name, slug, latitude, longitude, tuple(sorted(codes)))
        for pk, (name, slug, latitude, longitude, codes) in found.items()
    ]
