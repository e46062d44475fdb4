"""Where and who: regions, sectors, clusters, actors, their ties and evaluations."""

import re
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, router, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.validators import validate_ruc


class Region(models.Model):
    """A node of INEI's ubigeo tree: departamento, provincia or distrito."""

    class Level(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District")

    code = models.CharField(_("ubigeo code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return f"{self.name} ({self.code})"


class Sector(models.Model):
    """A CIIU Rev.4 (ISIC Rev.4) section (a letter), division (two digits), group (three) or class (four)."""

    class Level(models.TextChoices):
        SECTION = "section", _("Section")
        DIVISION = "division", _("Division")
        GROUP = "group", _("Group")
        CLASS = "class", _("Class")

    code = models.CharField(_("CIIU code"), max_length=4, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    name_es = models.CharField(_("name (Spanish)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    parent = models.ForeignKey(
        "self", verbose_name=_("section"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return f"{self.code} · {self.name}"

    @property
    def name(self):
        return self.name_en if (get_language() or "es").startswith("en") else self.name_es


class Cluster(models.Model):
    class Stage(models.TextChoices):
        EMBRYONIC = "embryonic", _("Embryonic")
        GROWING = "growing", _("Growing")
        MATURE = "mature", _("Mature")
        DECLINING = "declining", _("Declining")

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        PRIORITISED = "prioritised", _("Prioritised")
        IN_INTERVENTION = "in_intervention", _("In intervention")
        EVALUATED = "evaluated", _("Evaluated")

    # What people edit about a cluster's profile (the form and the services share it). Its regions, related
    # sectors and team are many-to-many: the services set them apart.
    EDITABLE_FIELDS = (
        "name",
        "slug",
        "main_sector",
        "description",
        "stage",
        "status",
        "coordinator",
        "latitude",
        "longitude",
    )

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    main_sector = models.ForeignKey(
        Sector, verbose_name=_("main sector"), on_delete=models.PROTECT, related_name="main_clusters"
    )
    related_sectors = models.ManyToManyField(
        Sector, verbose_name=_("related sectors"), blank=True, related_name="related_clusters"
    )
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), related_name="clusters")
    description = models.TextField(_("description"), blank=True)
    stage = models.CharField(_("lifecycle stage"), max_length=20, choices=Stage.choices, default=Stage.EMBRYONIC)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_clusters",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("team"), blank=True, related_name="cluster_teams"
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # Optimistic locking: a save carries the version it was read at.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("clusters:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("“%(slug)s” is reserved: choose another.") % {"slug": self.slug}})


# Slugs that are pages of their own under /clusters/.
RESERVED_SLUGS = frozenset({"new"})


class HeadlineFigure(models.Model):
    """One headline figure of a cluster for one year, with its source."""

    class Metric(models.TextChoices):
        FIRMS = "firms", _("Firms")
        EMPLOYMENT = "employment", _("Employment (jobs)")
        ANNUAL_SALES = "annual_sales", _("Annual sales (PEN)")
        EXPORTS = "exports", _("Exports (USD FOB)")
        REGIONAL_GDP_SHARE = "regional_gdp_share", _("Share of regional GDP (%)")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="figures")
    metric = models.CharField(_("figure"), max_length=30, choices=Metric.choices)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2, validators=[MinValueValidator(0)])
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1950), MaxValueValidator(2100)])
    source = models.CharField(_("source"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["metric", "-year"]
        verbose_name = _("headline figure")
        verbose_name_plural = _("headline figures")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "metric", "year"], name="unique_figure_per_year"),
            models.CheckConstraint(
                condition=~Q(metric="regional_gdp_share") | Q(value__lte=100), name="gdp_share_at_most_100"
            ),
        ]

    def __str__(self):
        return f"{self.get_metric_display()} {self.year}: {self.value}"


# Memberships whose actor copies are refreshed by one statement (a bound on its parameters, for SQLite).
COPY_BATCH = 500


def _update_refreshing_copies(queryset, update, kwargs, membership_key):
    """``update(**kwargs)`` of ``queryset``'s rows, then the memberships whose ``membership_key`` is one of their
    ids get their actors' kind and size again, in batches, in the same transaction."""
    with transaction.atomic(using=queryset.db, savepoint=False):
        # The ids first: the filter may no longer match once the row is written (a version, a kind).
        ids = list(queryset.values_list("pk", flat=True))
        updated = update(**kwargs)
        for start in range(0, len(ids), COPY_BATCH):
            batch = {f"{membership_key}__in": ids[start : start + COPY_BATCH]}
            Membership.objects.using(queryset.db).filter(**batch).refresh_actor_copies()
    return updated


class ActorQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """An UPDATE that changes the actors' kind or size carries the change to their memberships' copies
        (``Membership.actor_kind``, ``actor_size``) in the same transaction: ``actor_update`` writes this way
        (``save_with_version``), as ``bulk_update`` does."""
        if not {"kind", "size"} & set(kwargs):
            return super().update(**kwargs)
        return _update_refreshing_copies(self, super().update, kwargs, "actor_id")


class Actor(models.Model):
    """An organisation that takes part in one or more clusters."""

    class Kind(models.TextChoices):
        FIRM = "firm", _("Firm")
        SUPPLIER = "supplier", _("Supplier")
        BUYER = "buyer", _("Buyer")
        UNIVERSITY = "university", _("University")
        RESEARCH_CENTRE = "research_centre", _("Research centre")
        PUBLIC_AGENCY = "public_agency", _("Public agency")
        FINANCIAL_INSTITUTION = "financial_institution", _("Financial institution")
        BUSINESS_ASSOCIATION = "business_association", _("Business association")
        NGO = "ngo", _("NGO")
        OTHER = "other", _("Other")

    class Size(models.TextChoices):
        # Ley 30056: annual sales in UIT.
        MICRO = "micro", _("Micro (up to 150 UIT)")
        SMALL = "small", _("Small (over 150 up to 1,700 UIT)")
        MEDIUM = "medium", _("Medium (over 1,700 up to 2,300 UIT)")
        LARGE = "large", _("Large (over 2,300 UIT)")

    # What people edit, import and export about an actor (forms, services and the import file share it).
    EDITABLE_FIELDS = (
        "name",
        "kind",
        "ruc",
        "size",
        "region",
        "address",
        "website",
        "contact_name",
        "contact_position",
        "email",
        "phone",
        "notes",
    )

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    ruc = models.CharField(_("RUC"), max_length=11, blank=True, default="", validators=[validate_ruc])
    size = models.CharField(_("firm size"), max_length=10, choices=Size.choices, blank=True, default="")
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="actors"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_position = models.CharField(_("contact position"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The name without case, accents, punctuation or legal form: finds "TEXTIL ALTIPLANO SAC" when
    # "Textil Altiplano S.A.C." exists, and makes search accent-insensitive on SQLite and PostgreSQL alike.
    name_key = models.CharField(max_length=255, editable=False, db_index=True, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["version", "updated_at", "name_key"])

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        constraints = [
            models.UniqueConstraint(fields=["ruc"], condition=~Q(ruc=""), name="unique_ruc_when_given"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Save, and carry a change of kind or size to the memberships' copies (the admin, a reverted history
        record and tests save this way; the services write through ``ActorQuerySet.update``)."""
        self.name_key = actor_name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        inserting = self._state.adding and self.pk is None  # a new actor has no memberships yet
        copied = not inserting and (update_fields is None or bool({"kind", "size"} & set(update_fields)))
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            super().save(*args, **kwargs)
            if copied:
                # The actor's row is locked until the commit: a membership made meanwhile waits and reads
                # the new values (Membership.save).
                Membership.objects.using(using).filter(actor=self).exclude(
                    actor_kind=self.kind, actor_size=self.size
                ).update(actor_kind=self.kind, actor_size=self.size)

    def get_absolute_url(self):
        return reverse("clusters:actor_detail", kwargs={"pk": self.pk})

    @property
    def is_firm(self):
        return self.kind in FIRM_KINDS


# Kinds of actor that are businesses, for which Ley 30056's size applies.
FIRM_KINDS = frozenset({Actor.Kind.FIRM, Actor.Kind.SUPPLIER, Actor.Kind.BUYER})

# Legal forms that do not tell two organisations apart (S.A.C., E.I.R.L. ...), once dots are removed.
LEGAL_FORMS = frozenset({"sac", "saa", "sa", "srl", "eirl", "scrl", "sacs", "ltda", "sas", "sc"})


def fold_text(text):
    """Lower case, without accents, punctuation or repeated spaces: how names are compared and searched."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().replace(".", "")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def actor_name_key(name):
    """The key under which two actor names count as the same: folded, without a trailing legal form."""
    words = fold_text(name).split()
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    return " ".join(words)


# Ley 30056 thresholds, in UIT of annual sales (upper bounds, inclusive).
SIZE_THRESHOLDS_UIT = (
    (Decimal(150), Actor.Size.MICRO),
    (Decimal(1700), Actor.Size.SMALL),
    (Decimal(2300), Actor.Size.MEDIUM),
)


def size_for_sales_uit(sales_uit):
    """The Ley 30056 firm size for annual sales expressed in UIT."""
    sales = Decimal(sales_uit)
    if sales < 0:
        raise ValueError("sales cannot be negative")
    for upper, size in SIZE_THRESHOLDS_UIT:
        if sales <= upper:
            return size
    return Actor.Size.LARGE


class MembershipQuerySet(models.QuerySet):
    def stale_actor_copies(self):
        """The memberships whose copy of their actor's kind or size differs from the actor's (none, when every
        write went through the models; the consistency check and the backfill look for them)."""
        return self.filter(~Q(actor_kind=F("actor__kind")) | ~Q(actor_size=F("actor__size")))

    def refresh_actor_copies(self):
        """Give these memberships their actor's current kind and size where they differ; the number changed."""
        actor = Actor.objects.filter(pk=OuterRef("actor_id"))
        return self.stale_actor_copies().update(
            actor_kind=Subquery(actor.values("kind")[:1]), actor_size=Subquery(actor.values("size")[:1])
        )

    def update(self, **kwargs):
        """An UPDATE that moves memberships to another actor refreshes their copies of its kind and size."""
        if not {"actor", "actor_id"} & set(kwargs):
            return super().update(**kwargs)
        return _update_refreshing_copies(self, super().update, kwargs, "pk")

    def bulk_create(self, objs, *args, **kwargs):
        """Memberships made in bulk get their actors' kind and size too (one query for their actors)."""
        objs = list(objs)
        actors = {
            pk: (kind, size)
            for pk, kind, size in Actor.objects.using(self.db)
            .filter(pk__in={membership.actor_id for membership in objs})
            .values_list("pk", "kind", "size")
        }
        for membership in objs:
            membership.actor_kind, membership.actor_size = actors.get(membership.actor_id, ("", ""))
        return super().bulk_create(objs, *args, **kwargs)


class Membership(models.Model):
    """An actor's place in a cluster."""

    class Role(models.TextChoices):
        CORE_FIRM = "core_firm", _("Core firm")
        SUPPLIER = "supplier", _("Supplier")
        BUYER = "buyer", _("Buyer")
        SERVICE_PROVIDER = "service_provider", _("Service provider")
        SUPPORT_INSTITUTION = "support_institution", _("Support institution")
        KNOWLEDGE_INSTITUTION = "knowledge_institution", _("University or research centre")
        PUBLIC_AGENCY = "public_agency", _("Public agency")
        FINANCIER = "financier", _("Financier")
        ASSOCIATION = "association", _("Business association")
        OTHER = "other", _("Other")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    since = models.DateField(_("member since"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Copies of the actor's kind and size, so that a cluster's members are counted by kind, size and role
    # from an index of the memberships alone, without a probe of the actor table per member (the cluster
    # page and the case study: clusters.selectors.actor_breakdown). Always equal to the actor's: written by
    # save() below, by ActorQuerySet.update and Actor.save when the actor changes, and by
    # MembershipQuerySet.update and bulk_create; tests/clusters/test_member_copies.py walks every door.
    actor_kind = models.CharField(max_length=30, blank=True, default="", editable=False)
    actor_size = models.CharField(max_length=10, blank=True, default="", editable=False)
    history = HistoricalRecords(excluded_fields=["actor_kind", "actor_size"])

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["cluster", "actor__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["cluster", "actor"], name="unique_membership")]
        indexes = [
            # The counts by kind, size and role of one cluster's members (up to a date: ``since``) are an
            # index-only scan of its entries, already in the order they are grouped by.
            models.Index(
                fields=["cluster", "actor_kind", "actor_size", "role"], include=["since"], name="membership_counts"
            ),
        ]

    def __str__(self):
        return f"{self.actor} · {self.cluster} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        """Save with a copy of the actor's kind and size, read from its row under a lock when the membership
        is new or may have changed actor: an edit of the actor that is not yet committed is waited for."""
        update_fields = kwargs.get("update_fields")
        copies = update_fields is None or bool({"actor", "actor_id"} & set(update_fields))
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            if copies:
                self.actor_kind, self.actor_size = (
                    Actor.objects.using(using)
                    .select_for_update()
                    .filter(pk=self.actor_id)
                    .values_list("kind", "size")
                    .get()
                )
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "actor_kind", "actor_size"}
            super().save(*args, **kwargs)


# The role an actor of each kind usually plays in a cluster: the default offered in forms and imports.
DEFAULT_ROLE_FOR_KIND = {
    Actor.Kind.FIRM: Membership.Role.CORE_FIRM,
    Actor.Kind.SUPPLIER: Membership.Role.SUPPLIER,
    Actor.Kind.BUYER: Membership.Role.BUYER,
    Actor.Kind.UNIVERSITY: Membership.Role.KNOWLEDGE_INSTITUTION,
    Actor.Kind.RESEARCH_CENTRE: Membership.Role.KNOWLEDGE_INSTITUTION,
    Actor.Kind.PUBLIC_AGENCY: Membership.Role.PUBLIC_AGENCY,
    Actor.Kind.FINANCIAL_INSTITUTION: Membership.Role.FINANCIER,
    Actor.Kind.BUSINESS_ASSOCIATION: Membership.Role.ASSOCIATION,
    Actor.Kind.NGO: Membership.Role.SUPPORT_INSTITUTION,
    Actor.Kind.OTHER: Membership.Role.OTHER,
}


class Relationship(models.Model):
    """A directed tie between two actors of a cluster: the cluster's network map."""

    class Kind(models.TextChoices):
        SUPPLIES = "supplies", _("supplies")
        BUYS_FROM = "buys_from", _("buys from")
        COLLABORATES = "collaborates", _("collaborates with")
        TRAINS = "trains", _("trains")
        FINANCES = "finances", _("finances")
        COMPETES = "competes", _("competes with")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="relationships")
    source = models.ForeignKey(
        Actor, verbose_name=pgettext_lazy("tie", "from"), on_delete=models.CASCADE, related_name="ties_out"
    )
    target = models.ForeignKey(
        Actor, verbose_name=pgettext_lazy("tie", "to"), on_delete=models.CASCADE, related_name="ties_in"
    )
    kind = models.CharField(_("kind of tie"), max_length=20, choices=Kind.choices)
    # The interview in which the tie was reported; empty when a coordinator entered it.
    interview = models.ForeignKey(
        "surveys.Interview",
        verbose_name=_("reported in interview"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="relationships",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "source__name", "target__name"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="tie_between_two_actors"),
            models.UniqueConstraint(
                fields=["cluster", "source", "target", "kind", "interview"], name="unique_tie_per_interview"
            ),
            models.UniqueConstraint(
                fields=["cluster", "source", "target", "kind"],
                condition=Q(interview__isnull=True),
                name="unique_manual_tie",
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.get_kind_display()} {self.target}"

    def clean(self):
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError(_("A tie must join two different actors."))


class Risk(models.TextChoices):
    """The risks of the article's section V and the lessons of section VI."""

    UNREALISTIC_EXPECTATIONS = "unrealistic_expectations", _("Unrealistic expectations")
    NO_STRATEGY = "no_strategy", _("Policy without a strategy")
    NOT_ADAPTED = "not_adapted", _("Instruments not adapted to the region")
    GLOBAL_TRENDS = "global_trends", _("Exposure to global sector trends")
    GOVERNMENT_LED = "government_led", _("Government-led without private leadership")
    INFRASTRUCTURE_WITHOUT_ACTORS = "infrastructure_without_actors", _("Infrastructure without capable actors")
    OVER_SPECIALISATION = "over_specialisation", _("Over-specialisation or dependence on one firm")
    NO_MONITORING = "no_monitoring", _("No monitoring and evaluation")
    WEAK_PUBLIC_COORDINATION = "weak_public_coordination", _("Weak public coordination")
    LOW_PRIVATE_PARTICIPATION = "low_private_participation", _("Low private participation")
    DISCONTINUITY = "discontinuity", _("Discontinuity across governments")


class Evaluation(models.Model):
    """A dated review of a cluster against the article's risks."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="evaluations")
    date = models.DateField(_("date"))
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("evaluator"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        get_latest_by = ["date", "pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return f"{self.cluster} · {self.date}"


class RiskRating(models.Model):
    class Level(models.TextChoices):
        NO_RISK = "no_risk", _("No risk")
        WATCH = "watch", _("Watch")
        SERIOUS = "serious", _("Serious")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="ratings")
    risk = models.CharField(_("risk"), max_length=40, choices=Risk.choices)
    level = models.CharField(_("rating"), max_length=10, choices=Level.choices)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["evaluation", "risk"]
        verbose_name = _("risk rating")
        verbose_name_plural = _("risk ratings")
        constraints = [models.UniqueConstraint(fields=["evaluation", "risk"], name="one_rating_per_risk")]

    def __str__(self):
        return f"{self.get_risk_display()}: {self.get_level_display()}"
