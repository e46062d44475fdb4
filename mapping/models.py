"""Regional economic data, the measures computed from it, and the weights of the prioritisation.

A ``Dataset`` is one imported table: employment (and, where known, establishments, wages, sales,
value added) by territory x activity x year, all rows at one territorial level (ubigeo department,
province or district) and one level of CIIU Rev.4 (section, division, group or class).
``mapping.services.dataset_compute`` turns it into ``CellMeasure`` rows (one per territory x activity:
location quotient, cluster stars, shift-share), ``ActivityConcentration`` rows (Herfindahl and
Ellison-Glaeser per activity) and ``ClusterCriteria`` rows (the prioritisation criteria of each
registered cluster). docs/identification.md explains every measure.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.models import Cluster, Region, Sector


class Dataset(models.Model):
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    # Generated for the demonstration: every page that uses it says so.
    illustrative = models.BooleanField(_("illustrative data"), default=False)
    territory_level = models.CharField(_("territorial level"), max_length=10, choices=Region.Level.choices)
    activity_level = models.CharField(_("activity level"), max_length=10, choices=Sector.Level.choices)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(_("measures computed at"), null=True, blank=True)
    criteria_computed_at = models.DateTimeField(_("criteria computed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]
        verbose_name = _("economic dataset")
        verbose_name_plural = _("economic datasets")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("mapping:dataset", args=[self.pk])

    @property
    def has_base_year(self):
        return self.first_year < self.last_year


class Observation(models.Model):
    """One row of an imported table: a territory's figures in one activity and one year."""

    # The unique constraint below indexes (dataset, region, sector, year): no index of their own.
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="observations", db_index=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_index=False)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+", db_index=False)
    year = models.PositiveSmallIntegerField(_("year"))
    employment = models.PositiveBigIntegerField(_("employment"))
    establishments = models.PositiveIntegerField(_("establishments"), null=True, blank=True)
    wages = models.DecimalField(
        _("wages"), max_digits=18, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    sales = models.DecimalField(
        _("sales"), max_digits=18, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    value_added = models.DecimalField(
        _("value added"), max_digits=18, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "region", "sector", "year"], name="one_observation_per_cell"),
        ]

    def __str__(self):
        return f"{self.region_id} x {self.sector_id} {self.year}: {self.employment}"


class CellMeasure(models.Model):
    """The measures of one territory x activity of a dataset, in its last year (and since its first)."""

    # Derived rows, written hundreds of thousands at a time (bench/mapping.py) by dataset_compute alone: only
    # the two indexes the pages read, and no database-side key checks (the keys come from the dataset's own
    # checked observations; deleting a dataset deletes its cells through the ORM's cascade).
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="cells", db_index=False, db_constraint=False
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False)
    employment = models.PositiveBigIntegerField(_("employment"))
    base_employment = models.PositiveBigIntegerField(_("employment in the first year"), null=True)
    establishments = models.PositiveIntegerField(_("establishments"), null=True)
    wages = models.FloatField(_("wages"), null=True)
    output = models.FloatField(_("output"), null=True)
    # A stored cell has employment, so its territory and activity do too: these are always defined.
    location_quotient = models.FloatField(_("location quotient"))
    region_share = models.FloatField(_("share of the territory's employment"))
    activity_share = models.FloatField(_("share of the activity's employment"))
    size_star = models.BooleanField(default=False)
    specialisation_star = models.BooleanField(default=False)
    focus_star = models.BooleanField(default=False)
    stars = models.PositiveSmallIntegerField(default=0)
    growth = models.FloatField(_("growth"), null=True)
    national_share = models.FloatField(_("national share"), null=True)
    industry_mix = models.FloatField(_("industry mix"), null=True)
    regional_shift = models.FloatField(_("regional shift"), null=True)

    class Meta:
        verbose_name = _("cell measure")
        verbose_name_plural = _("cell measures")
        # One row per cell by construction (the panel has one cell per territory x activity). A plain index,
        # not a unique one: recomputing replaces every row, and a unique index would check each new row
        # against the just-deleted ones (three times slower at 350,000 rows).
        indexes = [
            models.Index(fields=["dataset", "region", "sector"], name="cell_by_place"),
            # The candidates page: best cells first, whatever the size of the dataset.
            models.Index(fields=["dataset", "-stars", "-location_quotient", "id"], name="cell_ranking"),
        ]

    def __str__(self):
        return f"{self.region_id} x {self.sector_id}: LQ {self.location_quotient}"


class ActivityConcentration(models.Model):
    """How concentrated in space one activity is, in the dataset's last year."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="concentrations")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+")
    employment = models.PositiveBigIntegerField(_("employment"))
    territories = models.PositiveIntegerField(_("territories with employment"))
    establishments = models.PositiveIntegerField(_("establishments"), null=True)
    herfindahl = models.FloatField(_("Herfindahl index"), null=True)
    ellison_glaeser = models.FloatField(_("Ellison-Glaeser index"), null=True)

    class Meta:
        verbose_name = _("activity concentration")
        verbose_name_plural = _("activity concentrations")
        constraints = [models.UniqueConstraint(fields=["dataset", "sector"], name="one_concentration_per_activity")]

    def __str__(self):
        return f"{self.sector_id}: H {self.herfindahl}"


class Criterion(models.TextChoices):
    """The article's prioritisation criteria (section III): importance, linkages, growth and competitors."""

    EMPLOYMENT = "employment", _("Jobs")
    WAGES = "wages", _("Income (wages)")
    OUTPUT = "output", _("Output (value added or sales)")
    NETWORK = "network", _("Links in the actor network")
    RELATED_ACTIVITIES = "related_activities", _("Specialised related activities")
    GROWTH = "growth", _("Employment growth")
    COMPETITORS = "competitors", _("Competing territories")


# Criteria where less is better (they are normalised the other way round).
LOWER_IS_BETTER = frozenset({Criterion.COMPETITORS})

DEFAULT_WEIGHTS = {
    Criterion.EMPLOYMENT: 25,
    Criterion.WAGES: 10,
    Criterion.OUTPUT: 15,
    Criterion.NETWORK: 15,
    Criterion.RELATED_ACTIVITIES: 10,
    Criterion.GROWTH: 15,
    Criterion.COMPETITORS: 10,
}


class PriorityWeight(models.Model):
    """The weight of one criterion in the programme's prioritisation (coordinators edit them)."""

    criterion = models.CharField(_("criterion"), max_length=30, choices=Criterion.choices, unique=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["criterion"]
        verbose_name = _("prioritisation weight")
        verbose_name_plural = _("prioritisation weights")
        constraints = [models.CheckConstraint(condition=Q(weight__gte=0), name="weight_not_negative")]

    def __str__(self):
        return f"{self.get_criterion_display()}: {self.weight}"


class ClusterCriteria(models.Model):
    """A registered cluster's raw prioritisation criteria against one dataset (normalised when read)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="cluster_criteria")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    employment = models.FloatField(null=True)
    wages = models.FloatField(null=True)
    output = models.FloatField(null=True)
    network = models.FloatField(null=True)
    related_activities = models.FloatField(null=True)
    growth = models.FloatField(null=True)
    competitors = models.FloatField(null=True)
    # What the dataset says about the cluster's own territory x activity.
    cells = models.PositiveIntegerField(default=0)
    location_quotient = models.FloatField(null=True)
    best_stars = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("cluster criteria")
        verbose_name_plural = _("cluster criteria")
        constraints = [models.UniqueConstraint(fields=["dataset", "cluster"], name="one_criteria_row_per_cluster")]

    def __str__(self):
        return f"{self.cluster_id} in {self.dataset_id}"
