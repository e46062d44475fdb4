"""Writes that span models in the registry. Views, forms, tasks and other apps call these."""

import dataclasses
import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clusters.concurrency import save_with_version
from clusters.imports import ActorResource, ImportReport, Table, report_from_result
from clusters.models import (
    RESERVED_SLUGS,
    Actor,
    Cluster,
    Evaluation,
    HeadlineFigure,
    Membership,
    Relationship,
    Risk,
    RiskRating,
    actor_name_key,
)
from clusters.validators import normalise_ruc

CLUSTER_FIELDS = Cluster.EDITABLE_FIELDS
ACTOR_FIELDS = Actor.EDITABLE_FIELDS


def _unique_slug(name, *, exclude_pk=None):
    base = slugify(name)[:190] or "cluster"
    slug, number = base, 2
    taken = Cluster.objects.exclude(pk=exclude_pk)
    while slug in RESERVED_SLUGS or taken.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


# --- Clusters ---------------------------------------------------------------------------------------------


@transaction.atomic
def cluster_create(*, name, main_sector, regions, related_sectors=(), team=(), slug="", **fields):
    """Register a cluster; the slug is made from the name (and made unique) when not given."""
    cluster = Cluster(name=name, main_sector=main_sector, slug=slug or _unique_slug(name), **fields)
    cluster.full_clean()
    cluster.save()
    cluster.regions.set(regions)
    cluster.related_sectors.set(related_sectors)
    if team:
        cluster.team.set(team)
    return cluster


@transaction.atomic
def cluster_update(*, cluster, expected_version, regions=None, related_sectors=None, **fields):
    """Change a cluster's profile if nobody saved it since ``expected_version`` (else ConcurrentEdit)."""
    unknown = set(fields) - set(CLUSTER_FIELDS)
    if unknown:
        raise TypeError(f"cluster_update() got unexpected fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(cluster, name, value)
    if not cluster.slug:
        cluster.slug = _unique_slug(cluster.name, exclude_pk=cluster.pk)
        fields["slug"] = cluster.slug
    cluster.full_clean()
    save_with_version(cluster, expected_version=expected_version, fields=list(fields))
    if regions is not None:
        cluster.regions.set(regions)
    if related_sectors is not None:
        cluster.related_sectors.set(related_sectors)
    return cluster


@transaction.atomic
def cluster_team_add(*, cluster, user):
    """Put a user on the cluster's team: a researcher then sees the cluster, its actors and interviews."""
    cluster.team.add(user)


@transaction.atomic
def cluster_team_remove(*, cluster, user):
    """Take a user off the cluster's team."""
    cluster.team.remove(user)


@transaction.atomic
def headline_figure_create(*, cluster, metric, value, year, source):
    """Record one headline figure of a cluster for a year (one per metric and year)."""
    figure = HeadlineFigure(cluster=cluster, metric=metric, value=value, year=year, source=source)
    figure.full_clean()
    figure.save()
    return figure


@transaction.atomic
def headline_figure_update(*, figure, **fields):
    """Correct a headline figure's value, year, source or metric."""
    for name, value in fields.items():
        setattr(figure, name, value)
    figure.full_clean()
    figure.save(update_fields=list(fields))
    return figure


@transaction.atomic
def headline_figure_delete(*, figure):
    figure.delete()


# --- Actors and memberships -------------------------------------------------------------------------------


@transaction.atomic
def actor_create(*, created_by, cluster=None, role=Membership.Role.OTHER, **fields):
    """Create an actor (RUC normalised and validated) and, when a cluster is given, its membership there."""
    if "ruc" in fields:
        fields["ruc"] = normalise_ruc(fields["ruc"])
    actor = Actor(created_by=created_by, **fields)
    actor.full_clean()
    actor.save()
    if cluster is not None:
        membership_create(cluster=cluster, actor=actor, role=role)
    return actor


@transaction.atomic
def actor_update(*, actor, expected_version, **fields):
    """Change an actor if nobody saved it since ``expected_version`` (else ConcurrentEdit)."""
    unknown = set(fields) - set(ACTOR_FIELDS)
    if unknown:
        raise TypeError(f"actor_update() got unexpected fields {sorted(unknown)}")
    if "ruc" in fields:
        fields["ruc"] = normalise_ruc(fields["ruc"])
    for name, value in fields.items():
        setattr(actor, name, value)
    actor.name_key = actor_name_key(actor.name)
    actor.full_clean()
    save_with_version(actor, expected_version=expected_version, fields=[*fields, "name_key"])
    return actor


def actors_import(*, table: Table, user, apply: bool) -> ImportReport:
    """Check every row of a table of actors and say per row what it would do: create, update or reject.

    With ``apply`` the rows are written in one transaction, and only if no row is rejected: all or nothing.
    A row is about the actor with its RUC, else the one with exactly its name; an empty cell never erases
    what is stored. A ``cluster`` column puts the actor in that cluster (with ``role``, or the usual role
    of its kind).
    """
    resource = ActorResource(user=user)
    resource.lines = table.lines
    resource.overlong = table.overlong
    if not apply:
        result = resource.import_data(table.dataset, dry_run=True, use_transactions=True)
        return report_from_result(table, result, applied=False)
    with transaction.atomic():
        result = resource.import_data(
            table.dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
        )
        report = report_from_result(table, result, applied=True)
        if not report.can_apply:
            transaction.set_rollback(True)
            return dataclasses.replace(report, applied=False)
    return report


@transaction.atomic
def membership_create(*, cluster, actor, role, since=None, notes=""):
    """Put an actor in a cluster (or return the existing membership unchanged)."""
    membership = Membership.objects.filter(cluster=cluster, actor=actor).first()
    if membership is not None:
        return membership
    membership = Membership(cluster=cluster, actor=actor, role=role, since=since, notes=notes)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_update(*, membership, **fields):
    """Change an actor's role (or start date, notes) in a cluster."""
    for name, value in fields.items():
        setattr(membership, name, value)
    membership.full_clean()
    membership.save(update_fields=list(fields))
    return membership


@transaction.atomic
def membership_delete(*, membership):
    """Take an actor out of a cluster, with its ties in that cluster (a tie joins two members).

    Returns the number of ties removed.
    """
    ties = Relationship.objects.filter(
        Q(source=membership.actor_id) | Q(target=membership.actor_id), cluster=membership.cluster_id
    )
    removed = 0
    for tie in ties:  # one by one, so that each deletion is in the audit history
        tie.delete()
        removed += 1
    membership.delete()
    return removed


# --- The network ------------------------------------------------------------------------------------------


@transaction.atomic
def relationship_create(*, cluster, source, target, kind, created_by=None, interview=None, note=""):
    """Record a directed tie between two actors of a cluster, or return the same tie if already recorded.

    Both actors must be members of the cluster. A tie reported in an interview keeps its interview.
    """
    existing = Relationship.objects.filter(
        cluster=cluster, source=source, target=target, kind=kind, interview=interview
    ).first()
    if existing is not None:
        return existing
    tie = Relationship(
        cluster=cluster, source=source, target=target, kind=kind, interview=interview, note=note, created_by=created_by
    )
    # The related rows are the objects given (no query to look them up again); the same tie was looked up above.
    tie.full_clean(
        exclude=["cluster", "source", "target", "interview", "created_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    members = set(
        Membership.objects.filter(cluster=cluster, actor__in=[source, target]).values_list("actor_id", flat=True)
    )
    if {source.pk, target.pk} - members:
        raise ValidationError(_("Both actors of a tie must be members of the cluster."))
    tie.save()
    return tie


@transaction.atomic
def relationship_delete(*, relationship):
    relationship.delete()


# --- Evaluations ------------------------------------------------------------------------------------------


def _check_ratings(ratings):
    missing = [str(risk.label) for risk in Risk if risk.value not in ratings]
    if missing:
        raise ValidationError(_("Every risk must be rated. Missing: %(risks)s.") % {"risks": ", ".join(missing)})
    unknown = set(ratings) - set(Risk.values)
    if unknown:
        raise ValidationError(_("Unknown risks: %(risks)s.") % {"risks": ", ".join(sorted(unknown))})


@transaction.atomic
def evaluation_create(
    *,
    cluster,
    evaluator,
    date: datetime.date,
    ratings: Mapping[str, tuple[str, str]],
    summary="",
):
    """Record a dated evaluation of a cluster: ``ratings`` maps every Risk to (level, note)."""
    _check_ratings(ratings)
    evaluation = Evaluation(cluster=cluster, evaluator=evaluator, date=date, summary=summary)
    evaluation.full_clean()
    evaluation.save()
    for risk in Risk:
        level, note = ratings[risk.value]
        rating = RiskRating(evaluation=evaluation, risk=risk.value, level=level, note=note)
        rating.full_clean()
        rating.save()
    return evaluation


@transaction.atomic
def evaluation_update(*, evaluation, date: datetime.date, ratings: Mapping[str, tuple[str, str]], summary=""):
    """Correct an evaluation: its date, summary and the ratings that changed."""
    _check_ratings(ratings)
    changed = [name for name, value in (("date", date), ("summary", summary)) if getattr(evaluation, name) != value]
    evaluation.date, evaluation.summary = date, summary
    evaluation.full_clean()
    if changed:
        evaluation.save(update_fields=changed)
    current = {rating.risk: rating for rating in evaluation.ratings.all()}
    for risk in Risk:
        level, note = ratings[risk.value]
        rating = current.get(risk.value)
        if rating is None:
            rating = RiskRating(evaluation=evaluation, risk=risk.value, level=level, note=note)
            rating.full_clean()
            rating.save()
        elif (rating.level, rating.note) != (level, note):
            rating.level, rating.note = level, note
            rating.full_clean()
            rating.save(update_fields=["level", "note"])
    return evaluation
