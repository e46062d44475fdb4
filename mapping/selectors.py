"""Reads of mapping/ that pages, the case study and other apps share.

``cluster_scores(cluster)`` is the one place that says why a registered cluster is there: the cluster
page, its "Por qué este clúster" tab and the case-study PDF all read it, as plain data.
"""

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.db.models import Q, Subquery

from clusters.models import Cluster, Region, Sector
from mapping import measures
from mapping.models import (
    DEFAULT_WEIGHTS,
    LOWER_IS_BETTER,
    ActivityConcentration,
    CellMeasure,
    ClusterCriteria,
    Criterion,
    Dataset,
    PriorityWeight,
)

CRITERIA = list(Criterion)


def sector_ancestry():
    """Every CIIU code with itself and its parents: {"0127": ("0127", "012", "01", "A"), ...} (one query)."""
    rows = Sector.objects.values_list("code", "parent__code", "parent__parent__code", "parent__parent__parent__code")
    return {row[0]: tuple(code for code in row if code) for row in rows}


def datasets():
    return Dataset.objects.filter(computed_at__isnull=False).select_related("created_by")


def current_dataset(dataset_id=None):
    """The dataset asked for (if computed), else the newest computed one, else None."""
    queryset = datasets()
    if isinstance(dataset_id, str):
        dataset_id = int(dataset_id) if dataset_id.isdigit() and len(dataset_id) < 10 else None
    if dataset_id:
        found = queryset.filter(pk=dataset_id).first()
        if found is not None:
            return found
    return queryset.order_by("-created_at", "-pk").first()


def saved_weights():
    """{criterion: Decimal} as coordinators left them (defaults for criteria never set)."""
    weights = {criterion: Decimal(value) for criterion, value in DEFAULT_WEIGHTS.items()}
    weights.update({Criterion(c): w for c, w in PriorityWeight.objects.values_list("criterion", "weight")})
    return weights


# --- Candidates -----------------------------------------------------------------------------------------


def candidate_cells(dataset, *, department=None, sector=None, min_stars=0, min_lq=None, min_employment=None):
    """The dataset's candidate cells, best first (stars, then location quotient), filtered."""
    cells = CellMeasure.objects.filter(dataset=dataset).select_related("region__parent__parent", "sector")
    if department is not None:
        cells = cells.filter(region__code__startswith=department.code)
    if sector is not None:
        cells = cells.filter(_sector_filter(sector))
    if min_stars:
        cells = cells.filter(stars__gte=min_stars)
    if min_lq is not None:
        cells = cells.filter(location_quotient__gte=min_lq)
    if min_employment is not None:
        cells = cells.filter(employment__gte=min_employment)
    return cells.order_by("-stars", "-location_quotient", "id")


def _sector_filter(sector):
    """The sector and everything under it (a section's divisions are not prefixes of its letter)."""
    return (
        Q(sector=sector)
        | Q(sector__parent=sector)
        | Q(sector__parent__parent=sector)
        | Q(sector__parent__parent__parent=sector)
    )


@dataclass(frozen=True)
class RegisteredCluster:
    name: str
    slug: str


class ClusterIndex:
    """The registered clusters by where they are and what they do, to find those that match a cell."""

    def __init__(self, user):
        from clusters.access import visible_clusters

        clusters = visible_clusters(user).only("pk", "name", "slug", "main_sector__code").select_related("main_sector")
        self.clusters = {cluster.pk: cluster for cluster in clusters}
        self.regions = {}
        for cluster_id, code in Cluster.regions.through.objects.filter(cluster__in=list(self.clusters)).values_list(
            "cluster_id", "region__code"
        ):
            self.regions.setdefault(cluster_id, []).append(code)
        self.ancestry = sector_ancestry()

    def matching(self, region_code, sector_code):
        """Clusters whose territory contains or sits in the cell's, and whose main activity does too."""
        found = []
        cell_sectors = self.ancestry.get(sector_code, (sector_code,))
        for pk, cluster in self.clusters.items():
            main = cluster.main_sector.code
            if not (main in cell_sectors or sector_code in self.ancestry.get(main, (main,))):
                continue
            if any(region_code.startswith(code) or code.startswith(region_code) for code in self.regions.get(pk, ())):
                found.append(RegisteredCluster(cluster.name, cluster.slug))
        return sorted(found, key=lambda item: item.name)


def territory_label(region):
    """'Puno' for a department, 'Azángaro (Puno)' for a province, 'Asillo (Azángaro, Puno)' for a district."""
    names = [region.name]
    parent = region.parent
    while parent is not None:
        names.append(parent.name)
        parent = parent.parent
    return names[0] if len(names) == 1 else f"{names[0]} ({', '.join(names[1:])})"


@dataclass(frozen=True)
class Heatmap:
    territories: list  # [(region id, label)]
    activities: list  # [(sector id, code, name)]
    rows: list  # [[CellMeasure or None for each activity]]

    @property
    def lines(self):
        return [(label, cells) for (_pk, label), cells in zip(self.territories, self.rows, strict=True)]


def heatmap(dataset, cells, *, territories=12, activities=10):
    """The location quotients of the page's leading territories x activities, in one query."""
    region_order, sector_order = [], []
    labels, sectors = {}, {}
    for cell in cells:
        if cell.region_id not in labels and len(region_order) < territories:
            region_order.append(cell.region_id)
            labels[cell.region_id] = territory_label(cell.region)
        if cell.sector_id not in sectors and len(sector_order) < activities:
            sector_order.append(cell.sector_id)
            sectors[cell.sector_id] = cell.sector
    found = {
        (cell.region_id, cell.sector_id): cell
        for cell in CellMeasure.objects.filter(
            dataset=dataset, region_id__in=region_order, sector_id__in=sector_order
        ).only("region_id", "sector_id", "location_quotient", "stars", "employment")
    }
    return Heatmap(
        territories=[(pk, labels[pk]) for pk in region_order],
        activities=[(pk, sectors[pk].code, sectors[pk].name) for pk in sector_order],
        rows=[[found.get((region, sector)) for sector in sector_order] for region in region_order],
    )


def concentrations(dataset, limit=20):
    """The activities most concentrated in space (Ellison-Glaeser, then Herfindahl)."""
    return (
        ActivityConcentration.objects.filter(dataset=dataset, employment__gt=0)
        .select_related("sector")
        .order_by("-ellison_glaeser", "-herfindahl", "sector__code")[:limit]
    )


# --- Prioritisation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionScore:
    criterion: str
    label: str
    raw: float | None
    normalised: float
    weight: Decimal
    lower_is_better: bool


@dataclass(frozen=True)
class RankedCluster:
    cluster_id: int
    name: str
    slug: str
    rank: int
    score: float
    kept: int
    scenarios: int
    best_rank: int
    worst_rank: int
    criteria: list
    location_quotient: float | None
    best_stars: int
    cells: int

    @property
    def stability(self):
        return self.kept / self.scenarios if self.scenarios else 1.0


@dataclass(frozen=True)
class Prioritisation:
    dataset: Dataset | None
    weights: dict
    used: list  # criteria that entered the scores
    unused: list  # criteria that no cluster has a value for
    rows: list = field(default_factory=list)  # RankedCluster, best first
    step: float = 0.2


def _criteria_rows(dataset):
    return ClusterCriteria.objects.filter(dataset=dataset).select_related("cluster").order_by("cluster__name", "pk")


def prioritisation(dataset, weights=None, *, rows=None):
    """Every registered cluster's criteria, normalised, weighed, ranked and put through the ±step check.

    Reads the stored criteria of all clusters (one query, unless ``rows`` are given): the ranking of one
    cluster needs all the others.
    """
    weights = dict(weights or saved_weights())
    step = settings.MAPPING_SENSITIVITY_STEP
    if dataset is None:
        return Prioritisation(None, weights, [], [], [], step)
    rows = list(_criteria_rows(dataset)) if rows is None else rows
    values = np.array(
        [[np.nan if getattr(row, c.value) is None else getattr(row, c.value) for c in CRITERIA] for row in rows],
        dtype=float,
    ).reshape(len(rows), len(CRITERIA))
    normalised, usable = measures.normalise(values, [c in LOWER_IS_BETTER for c in CRITERIA])
    weight_vector = np.array([float(weights.get(c, 0)) if usable[i] else 0.0 for i, c in enumerate(CRITERIA)])
    ranking = measures.rank_with_sensitivity(normalised, weight_vector, step)
    ranked = []
    for index, row in enumerate(rows):
        ranked.append(
            RankedCluster(
                cluster_id=row.cluster_id,
                name=row.cluster.name,
                slug=row.cluster.slug,
                rank=int(ranking.ranks[index]),
                score=0.0 if np.isnan(ranking.scores[index]) else float(ranking.scores[index]),
                kept=int(ranking.kept[index]),
                scenarios=int(ranking.scenarios),
                best_rank=int(ranking.best_rank[index]),
                worst_rank=int(ranking.worst_rank[index]),
                criteria=[
                    CriterionScore(
                        criterion=c.value,
                        label=str(c.label),
                        raw=None if np.isnan(values[index, i]) else float(values[index, i]),
                        normalised=float(normalised[index, i]),
                        weight=Decimal(weights.get(c, 0)),
                        lower_is_better=c in LOWER_IS_BETTER,
                    )
                    for i, c in enumerate(CRITERIA)
                ],
                location_quotient=row.location_quotient,
                best_stars=row.best_stars,
                cells=row.cells,
            )
        )
    ranked.sort(key=lambda item: (item.rank, item.name))
    return Prioritisation(
        dataset=dataset,
        weights=weights,
        used=[c for i, c in enumerate(CRITERIA) if usable[i]],
        unused=[c for i, c in enumerate(CRITERIA) if not usable[i]],
        rows=ranked,
        step=step,
    )


# --- One cluster -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterCell:
    territory: str
    activity_code: str
    activity: str
    employment: int
    location_quotient: float | None
    stars: int
    size_star: bool
    specialisation_star: bool
    focus_star: bool
    growth: float | None


@dataclass(frozen=True)
class ClusterScores:
    """Why a registered cluster is there, as plain data (for pages and the case study)."""

    dataset_name: str
    dataset_source: str
    illustrative: bool
    first_year: int
    last_year: int
    rank: int | None  # None when the cluster has no criteria in this dataset
    of: int
    score: float | None
    kept: int
    scenarios: int
    best_rank: int | None
    worst_rank: int | None
    location_quotient: float | None
    best_stars: int
    criteria: list  # CriterionScore
    cells: list  # ClusterCell, the cluster's best candidate cells
    step: float

    @property
    def stability(self):
        return self.kept / self.scenarios if self.scenarios else 1.0


def cluster_scores(cluster, dataset=None, *, cells=5):
    """Why this cluster: its rank, score and criteria in the current prioritisation, and its best cells.

    None when no dataset has been computed. A constant number of queries.
    """
    if dataset is None:
        # The newest computed dataset's criteria with the dataset itself, in one query.
        newest = datasets().order_by("-created_at", "-pk").values("pk")[:1]
        rows = list(_criteria_rows(Subquery(newest)).select_related("dataset"))
        dataset = rows[0].dataset if rows else current_dataset()
    else:
        rows = None
    if dataset is None:
        return None
    ranking = prioritisation(dataset, rows=rows)
    mine = next((row for row in ranking.rows if row.cluster_id == cluster.pk), None)
    return ClusterScores(
        dataset_name=dataset.name,
        dataset_source=dataset.source,
        illustrative=dataset.illustrative,
        first_year=dataset.first_year,
        last_year=dataset.last_year,
        rank=mine.rank if mine else None,
        of=len(ranking.rows),
        score=mine.score if mine else None,
        kept=mine.kept if mine else 0,
        scenarios=mine.scenarios if mine else 0,
        best_rank=mine.best_rank if mine else None,
        worst_rank=mine.worst_rank if mine else None,
        location_quotient=mine.location_quotient if mine else None,
        best_stars=mine.best_stars if mine else 0,
        criteria=mine.criteria if mine else [],
        cells=_cluster_cells(dataset, cluster, cells) if mine and cells else [],
        step=ranking.step,
    )


def _cluster_cells(dataset, cluster, limit):
    """The cluster's own candidate cells (its territories x its main activity), best first (two queries)."""
    codes = list(cluster.regions.values_list("code", flat=True))
    ancestry = sector_ancestry()
    main = cluster.main_sector.code
    sectors = [code for code, parents in ancestry.items() if main in parents or code in ancestry.get(main, ())]
    if not codes or not sectors:
        return []
    territory = Q()
    for code in codes:
        territory |= Q(region__code__startswith=code)
        for width in (2, 4):
            if len(code) > width:
                territory |= Q(region__code=code[:width])
    found = (
        CellMeasure.objects.filter(territory, dataset=dataset, sector__code__in=sectors)
        .select_related("region__parent__parent", "sector")
        .order_by("-stars", "-location_quotient", "id")[:limit]
    )
    return [
        ClusterCell(
            territory=territory_label(cell.region),
            activity_code=cell.sector.code,
            activity=cell.sector.name,
            employment=cell.employment,
            location_quotient=cell.location_quotient,
            stars=cell.stars,
            size_star=cell.size_star,
            specialisation_star=cell.specialisation_star,
            focus_star=cell.focus_star,
            growth=cell.growth,
        )
        for cell in found
    ]


def departments():
    return Region.objects.filter(level=Region.Level.DEPARTMENT).order_by("name")
