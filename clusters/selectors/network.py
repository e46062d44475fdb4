"""A cluster's network as the network page and the case study read it: its actors and ties, their metrics
(networkx) and a stable layout."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import NamedTuple

import networkx as nx
import numpy as np
from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import get_language

from clusters.collation import sort_key, spanish
from clusters.models import Actor, Membership, Relationship
from clusters.selectors.registry import Counted

NETWORK_CACHE_SECONDS = 24 * 60 * 60


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
