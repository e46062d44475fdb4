"""Writes that span models in the registry. Views, forms, tasks and other apps call these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusters.models import Actor, Membership, Relationship
from clusters.validators import normalise_ruc


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
    tie.full_clean()
    members = set(
        Membership.objects.filter(cluster=cluster, actor__in=[source, target]).values_list("actor_id", flat=True)
    )
    if {source.pk, target.pk} - members:
        raise ValidationError(_("Both actors of a tie must be members of the cluster."))
    tie.save()
    return tie
