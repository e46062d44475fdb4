"""What was done and what it changed: the OECD catalogue, interventions, indicators."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.models import Actor, Cluster


def localised(spanish, english):
    """The English text when the active language is English and there is one, the Spanish otherwise."""
    return english if english and (get_language() or "es").startswith("en") else spanish


def _localised_name(obj):
    return localised(obj.name_es, obj.name_en)


class Goal(models.Model):
    """One of the eight goals of the article's Cuadro 1 (OECD), under one of three headings."""

    class Heading(models.TextChoices):
        ENGAGE_ACTORS = "engage_actors", _("Engage actors")
        BUSINESS_NETWORKS = "business_networks", _("Service and business networks")
        RESEARCH_COLLABORATION = "research_collaboration", _("R&D collaboration and commercialisation")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    heading = models.CharField(_("heading"), max_length=30, choices=Heading.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    name_es = models.CharField(_("name (Spanish)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)

    class Meta:
        ordering = ["order"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return _localised_name(self)


class InstrumentType(models.Model):
    """An instrument of the catalogue; coordinators may add local ones under a goal."""

    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="instrument_types")
    code = models.SlugField(_("code"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_es = models.CharField(_("name (Spanish)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_local = models.BooleanField(_("added locally"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["goal__order", "order", "pk"]
        verbose_name = _("instrument type")
        verbose_name_plural = _("instrument types")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return _localised_name(self)


class Intervention(models.Model):
    """An instrument applied to a cluster."""

    class GovernmentLevel(models.TextChoices):
        SUPRANATIONAL = "supranational", _("Supranational")
        NATIONAL = "national", _("National")
        REGIONAL = "regional", _("Regional")
        LOCAL = "local", _("Local")

    class Focus(models.TextChoices):
        TERRITORY = "territory", _("Territory")
        SECTOR = "sector", _("Sector")
        ACTORS = "actors", _("Actors")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    # What people edit about an intervention, in the order the form and the API show it (the services
    # take the same; the three lists of actors are many-to-many, set once the row is saved).
    EDITABLE_FIELDS = (
        "instrument_type",
        "title",
        "objective",
        "government_level",
        "focus",
        "implementing_institutions",
        "funding_institutions",
        "beneficiaries",
        "start_date",
        "end_date",
        "budget_planned",
        "budget_executed",
        "overspend_justification",
        "status",
    )
    MANY_TO_MANY_FIELDS = ("implementing_institutions", "funding_institutions", "beneficiaries")

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="interventions"
    )
    instrument_type = models.ForeignKey(
        InstrumentType, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="interventions"
    )
    title = models.CharField(_("title"), max_length=255)
    objective = models.TextField(_("objective"), blank=True)
    government_level = models.CharField(_("government level"), max_length=20, choices=GovernmentLevel.choices)
    focus = models.CharField(_("focus"), max_length=20, choices=Focus.choices)
    implementing_institutions = models.ManyToManyField(
        Actor, verbose_name=_("implementing institutions"), blank=True, related_name="implemented_interventions"
    )
    funding_institutions = models.ManyToManyField(
        Actor, verbose_name=_("funding institutions"), blank=True, related_name="funded_interventions"
    )
    beneficiaries = models.ManyToManyField(
        Actor, verbose_name=_("beneficiaries"), blank=True, related_name="benefiting_interventions"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget_planned = models.DecimalField(_("planned budget (PEN)"), max_digits=14, decimal_places=2, default=0)
    budget_executed = models.DecimalField(_("executed budget (PEN)"), max_digits=14, decimal_places=2, default=0)
    overspend_justification = models.TextField(_("justification of executed above planned"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(
        excluded_fields=["version", "updated_at"],
        m2m_fields=[beneficiaries, implementing_institutions, funding_institutions],
    )

    class Meta:
        ordering = ["cluster", "-start_date", "title"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="intervention_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(budget_planned__gte=0) & Q(budget_executed__gte=0), name="budget_not_negative"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("instruments:intervention_detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        planned, executed = self.budget_planned, self.budget_executed
        if (
            planned is not None
            and executed is not None
            and executed > planned
            and not (self.overspend_justification or "").strip()
        ):
            errors["overspend_justification"] = _(
                "The executed budget is above the planned budget: explain why (for example, an approved extension)."
            )
        if errors:
            raise ValidationError(errors)


class Indicator(models.Model):
    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=255)
    unit = models.CharField(_("unit"), max_length=60)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=18, decimal_places=4)
    baseline_date = models.DateField(_("baseline date"))
    target_value = models.DecimalField(_("target value"), max_digits=18, decimal_places=4)
    target_date = models.DateField(_("target date"))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    history = HistoricalRecords()

    # What a person sets on an indicator (its form, the service and the API read this list).
    EDITABLE_FIELDS = ("name", "unit", "direction", "baseline_value", "baseline_date", "target_value", "target_date")

    class Meta:
        ordering = ["intervention", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return f"{self.name} ({self.unit})"

    def get_absolute_url(self):
        return reverse("instruments:indicator_detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if self.baseline_date and self.target_date and self.target_date < self.baseline_date:
            errors["target_date"] = _("The target date cannot be before the baseline date.")
        if self.baseline_value is not None and self.target_value is not None:
            if self.direction == self.Direction.INCREASE and self.target_value < self.baseline_value:
                errors["target_value"] = _(
                    "This indicator should increase: its target cannot be below its baseline. "
                    'Choose "decrease" as the direction if lower is better.'
                )
            elif self.direction == self.Direction.DECREASE and self.target_value > self.baseline_value:
                errors["target_value"] = _(
                    "This indicator should decrease: its target cannot be above its baseline. "
                    'Choose "increase" as the direction if higher is better.'
                )
        if errors:
            raise ValidationError(errors)


class Measurement(models.Model):
    """A value of an indicator at a date; approved measurements are locked and count in progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for correction")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    source = models.CharField(_("source"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    # Optional disaggregation; when given, the parts should add up to the value.
    value_women = models.DecimalField(_("women"), max_digits=18, decimal_places=4, null=True, blank=True)
    value_men = models.DecimalField(_("men"), max_digits=18, decimal_places=4, null=True, blank=True)
    value_micro = models.DecimalField(_("micro firms"), max_digits=18, decimal_places=4, null=True, blank=True)
    value_small = models.DecimalField(_("small firms"), max_digits=18, decimal_places=4, null=True, blank=True)
    value_medium = models.DecimalField(_("medium firms"), max_digits=18, decimal_places=4, null=True, blank=True)
    value_large = models.DecimalField(_("large firms"), max_digits=18, decimal_places=4, null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Approved by whoever entered its value: only allowed with CASEBOOK_ALLOW_SELF_APPROVAL, and shown.
    self_approved = models.BooleanField(_("approved by whoever recorded it"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "date", "pk"]
        get_latest_by = ["date", "pk"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        permissions = [("review_measurement", _("Can approve or return measurements"))]
        indexes = [models.Index(fields=["indicator", "status", "date"])]

    def __str__(self):
        return f"{self.indicator.name} {self.date}: {self.value}"

    # The optional breakdowns of a value: each group's parts should add up to the value.
    DISAGGREGATIONS = {
        "sex": ("value_women", "value_men"),
        "firm_size": ("value_micro", "value_small", "value_medium", "value_large"),
    }

    @property
    def is_locked(self):
        """An approved measurement counts in progress and can no longer be edited or deleted."""
        return self.status == self.Status.APPROVED

    def disaggregation_mismatches(self):
        """The breakdowns whose given parts do not add up to the value: [(group, sum of parts), ...]."""
        mismatches = []
        for group, fields in self.DISAGGREGATIONS.items():
            parts = [getattr(self, name) for name in fields]
            if all(part is None for part in parts) or self.value is None:
                continue
            total = sum(part for part in parts if part is not None)
            if total != self.value:
                mismatches.append((group, total))
        return mismatches


class Activity(models.Model):
    """A dated event of an intervention, with its participants counted."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training session")
        FAIR = "fair", _("Fair")
        BUSINESS_ROUND = "business_round", _("Business round")
        MEETING = "meeting", _("Meeting")
        TECHNICAL_ASSISTANCE = "technical_assistance", _("Technical assistance")
        OTHER = "other", _("Other")

    # What people record and correct about an activity (the form, the service and the API share it).
    EDITABLE_FIELDS = (
        "date",
        "kind",
        "title",
        "place",
        "women",
        "men",
        "firms_micro",
        "firms_small",
        "firms_medium",
        "firms_large",
        "notes",
    )

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="activities")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    place = models.CharField(_("place"), max_length=200, blank=True)
    women = models.PositiveIntegerField(_("women participants"), default=0)
    men = models.PositiveIntegerField(_("men participants"), default=0)
    firms_micro = models.PositiveIntegerField(_("micro firms"), default=0)
    firms_small = models.PositiveIntegerField(_("small firms"), default=0)
    firms_medium = models.PositiveIntegerField(_("medium firms"), default=0)
    firms_large = models.PositiveIntegerField(_("large firms"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["intervention", "-date"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return f"{self.title} ({self.date})"

    @property
    def participants(self):
        return self.women + self.men

    @property
    def firms(self):
        return self.firms_micro + self.firms_small + self.firms_medium + self.firms_large


class PortfolioCell(models.Model):
    """The portfolio's figures for one cluster and one goal, added up: its interventions (how many, their planned
    and executed budgets) and their activities (how many, participants by sex, firms by size).

    PostgreSQL keeps these rows itself, by triggers on the interventions, the activities and the catalogue's
    instrument types (migration 0005), whoever writes them: the services, the admin, the API, a bulk update
    or a script. The portfolio reads them instead of adding up every intervention and activity of the
    programme on each view (``instruments.selectors.portfolio``). SQLite has no such triggers: there the table
    stays empty and the page adds up the interventions and activities themselves.
    """

    # No foreign keys in the database: the rows follow the interventions, whose own keys protect their cluster
    # and instrument type; a cell of a cluster without interventions is left at zero.
    # The unique constraint's index, (cluster, goal), is the only one needed.
    cluster = models.ForeignKey(
        Cluster, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    goal = models.ForeignKey(Goal, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")
    interventions = models.IntegerField(default=0)
    budget_planned = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    budget_executed = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    activities = models.IntegerField(default=0)
    women = models.BigIntegerField(default=0)
    men = models.BigIntegerField(default=0)
    firms_micro = models.BigIntegerField(default=0)
    firms_small = models.BigIntegerField(default=0)
    firms_medium = models.BigIntegerField(default=0)
    firms_large = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cluster", "goal"], name="portfolio_cell_once")]

    def __str__(self):
        return f"{self.cluster_id} · {self.goal_id}: {self.interventions}"
