"""Reads of the registry that lists and pages share: clusters (with their member counts, headline figures and
members counted by kind, size and role) and actors (with their memberships, ties and possible duplicates)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from clusters.access import Role, scope_to_clusters, visible_actors, visible_clusters
from clusters.collation import spanish
from clusters.models import FIRM_KINDS, Actor, Cluster, HeadlineFigure, Membership, Region, Relationship, actor_name_key
from clusters.validators import normalise_ruc


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
    three ways. The cluster's pages and its case study print these.

    It reads the memberships' copies of their actor's kind and size: an index-only scan of the cluster's
    entries in ``membership_counts`` (PostgreSQL), with no probe of the actor table per member."""
    by_kind, by_size, by_role = Counter(), Counter(), Counter()
    members = Membership.objects.filter(cluster=cluster)
    if as_of is not None:
        members = members.exclude(since__gt=as_of)
    for kind, size, role, n in (
        members.order_by().values_list("actor_kind", "actor_size", "role").annotate(n=Count("*"))
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
