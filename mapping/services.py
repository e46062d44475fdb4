"""Writes of mapping/: importing a dataset, computing its measures, the prioritisation weights."""

import dataclasses
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from clusters.models import Cluster, Membership, Relationship, Sector
from mapping import compute
from mapping.imports import DataImportReport, check_table
from mapping.models import (
    ActivityConcentration,
    CellMeasure,
    ClusterCriteria,
    Criterion,
    Dataset,
    Observation,
    PriorityWeight,
)
from mapping.selectors import sector_ancestry

OBSERVATION_FIELDS = (
    "region_id",
    "sector_id",
    "year",
    "employment",
    "establishments",
    "wages",
    "sales",
    "value_added",
)


def dataset_import(*, table, user, name, source, notes="", illustrative=False, file_name="", apply) -> DataImportReport:
    """Check every row of an economic data table; with ``apply``, store it as a new dataset and compute it.

    All or nothing: when any row is rejected nothing is written. The dataset's measures and the registered
    clusters' criteria are computed in the same transaction, so that a dataset never shows half-made.
    """
    report = check_table(table)
    if not apply or not report.can_apply:
        return report
    with transaction.atomic():
        dataset = Dataset(
            name=name,
            source=source,
            notes=notes,
            illustrative=illustrative,
            territory_level=report.territory_level,
            activity_level=report.activity_level,
            first_year=report.years[0],
            last_year=report.years[-1],
            row_count=report.total,
            file_name=file_name[:255],
            created_by=user,
        )
        dataset.full_clean()
        dataset.save()
        compute.write_rows(Observation, OBSERVATION_FIELDS, report.values, extra={"dataset_id": dataset.pk})
        dataset_compute(dataset=dataset)
    return dataclasses.replace(report, applied=True, dataset_id=dataset.pk, values=())


@transaction.atomic
def dataset_compute(*, dataset, rows=None) -> Dataset:
    """(Re)compute a dataset's measures and every registered cluster's criteria against it.

    Replaces what an earlier computation stored. ``rows`` may pass observations already read (benchmarks).
    """
    panel = compute.load_panel(dataset.pk, rows)
    results = compute.compute(panel)
    CellMeasure.objects.filter(dataset=dataset).delete()
    ActivityConcentration.objects.filter(dataset=dataset).delete()
    compute.write_rows(CellMeasure, compute.CELL_FIELDS, results.cells, extra={"dataset_id": dataset.pk})
    compute.write_rows(
        ActivityConcentration, compute.CONCENTRATION_FIELDS, results.concentrations, extra={"dataset_id": dataset.pk}
    )
    _store_cluster_criteria(dataset, panel, results.stars)
    dataset.computed_at = dataset.criteria_computed_at = timezone.now()
    dataset.save(update_fields=["computed_at", "criteria_computed_at"])
    return dataset


@transaction.atomic
def cluster_criteria_compute(*, dataset) -> Dataset:
    """Recompute the registered clusters' criteria (after clusters changed) without touching the measures."""
    panel = compute.load_panel(dataset.pk)
    stars = compute.compute(panel).stars
    _store_cluster_criteria(dataset, panel, stars)
    dataset.criteria_computed_at = timezone.now()
    dataset.save(update_fields=["criteria_computed_at"])
    return dataset


def cluster_places():
    """Where each registered cluster is and what it does, and its network's size (four queries)."""
    regions, related = {}, {}
    for cluster_id, code in Cluster.regions.through.objects.values_list("cluster_id", "region__code"):
        regions.setdefault(cluster_id, []).append(code)
    for cluster_id, code in Cluster.related_sectors.through.objects.values_list("cluster_id", "sector__code"):
        related.setdefault(cluster_id, []).append(code)
    members = dict(Membership.objects.values("cluster").annotate(n=Count("*")).values_list("cluster", "n"))
    ties = dict(Relationship.objects.values("cluster").annotate(n=Count("*")).values_list("cluster", "n"))
    return [
        compute.ClusterPlace(
            cluster_id=pk,
            regions=tuple(sorted(regions.get(pk, ()))),
            main_sector=code,
            related_sectors=tuple(sorted(related.get(pk, ()))),
            members=members.get(pk, 0),
            ties=ties.get(pk, 0),
        )
        for pk, code in Cluster.objects.order_by("pk").values_list("pk", "main_sector__code")
    ]


def _store_cluster_criteria(dataset, panel, stars):
    from clusters.models import Region

    region_codes = dict(Region.objects.filter(pk__in=panel.region_ids.tolist()).values_list("pk", "code"))
    sector_codes = dict(Sector.objects.filter(pk__in=panel.sector_ids.tolist()).values_list("pk", "code"))
    rows = compute.cluster_criteria(
        panel,
        stars,
        cluster_places(),
        region_codes=[region_codes[pk] for pk in panel.region_ids.tolist()],
        sector_codes=[sector_codes[pk] for pk in panel.sector_ids.tolist()],
        ancestry=sector_ancestry(),
        threshold=settings.MAPPING_STAR_SPECIALISATION_LQ,
    )
    ClusterCriteria.objects.filter(dataset=dataset).delete()
    ClusterCriteria.objects.bulk_create(ClusterCriteria(dataset=dataset, **row) for row in rows)


@transaction.atomic
def dataset_delete(*, dataset) -> None:
    """Remove a dataset with its observations and everything computed from it."""
    dataset.delete()


@transaction.atomic
def weights_update(*, weights: dict, user) -> list[PriorityWeight]:
    """Set the prioritisation weights ({criterion: Decimal ≥ 0}); at least one must be above zero."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    unknown = set(weights) - set(Criterion.values)
    if unknown:
        raise ValidationError(_("Unknown criteria: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    if not any(Decimal(value) > 0 for value in weights.values()):
        raise ValidationError(_("At least one weight must be above zero."))
    saved = []
    for criterion, value in weights.items():
        weight = PriorityWeight.objects.filter(criterion=criterion).first() or PriorityWeight(criterion=criterion)
        if weight.pk and weight.weight == Decimal(value):
            saved.append(weight)
            continue
        weight.weight = Decimal(value)
        weight.updated_by = user
        weight.full_clean()
        weight.save()
        saved.append(weight)
    return saved
