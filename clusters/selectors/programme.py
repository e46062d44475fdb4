"""The programme as a whole (the dashboard and the map): which clusters, their actors, risks and places."""

from __future__ import annotations

from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q, Subquery

from clusters.models import Cluster, Evaluation, Membership, RiskRating


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
