"""The audit timelines of a cluster, an actor and an evaluation, in words."""

from __future__ import annotations

from django.utils.translation import gettext as _

from clusters.access import visible_clusters
from clusters.history import history_entries
from clusters.models import Actor, Cluster, Evaluation, HeadlineFigure, Membership, Relationship, Risk, RiskRating


def _name(names, model, pk):
    return names.get((model, pk), f"#{pk}")


def cluster_history(cluster):
    """The audit timeline of a cluster: its profile, figures, members, ties and evaluations."""
    evaluation_ids = Evaluation.history.filter(cluster_id=cluster.pk).values("id")
    risk_labels = dict(Risk.choices)
    metric_labels = dict(HeadlineFigure.Metric.choices)
    tie_labels = dict(Relationship.Kind.choices)
    return history_entries(
        [
            (Cluster.history.filter(id=cluster.pk), lambda record, names: _("Cluster profile")),
            (
                HeadlineFigure.history.filter(cluster_id=cluster.pk),
                lambda record, names: (
                    _("Figure: %(metric)s %(year)s")
                    % {"metric": metric_labels.get(record.metric, record.metric), "year": record.year}
                ),
            ),
            (
                Membership.history.filter(cluster_id=cluster.pk),
                lambda record, names: _("Member: %(actor)s") % {"actor": _name(names, Actor, record.actor_id)},
            ),
            (
                Relationship.history.filter(cluster_id=cluster.pk),
                lambda record, names: (
                    _("Tie: %(source)s %(kind)s %(target)s")
                    % {
                        "source": _name(names, Actor, record.source_id),
                        "kind": tie_labels.get(record.kind, record.kind),
                        "target": _name(names, Actor, record.target_id),
                    }
                ),
            ),
            (
                Evaluation.history.filter(cluster_id=cluster.pk),
                lambda record, names: _("Evaluation of %(date)s") % {"date": record.date},
            ),
            (
                RiskRating.history.filter(evaluation_id__in=evaluation_ids),
                lambda record, names: _("Rating: %(risk)s") % {"risk": risk_labels.get(record.risk, record.risk)},
            ),
        ]
    )


def actor_history(actor, user):
    """The audit timeline of an actor: its record and its memberships in the clusters the user sees."""
    cluster_ids = visible_clusters(user).values("pk")
    return history_entries(
        [
            (Actor.history.filter(id=actor.pk), lambda record, names: _("Actor profile")),
            (
                Membership.history.filter(actor_id=actor.pk, cluster_id__in=cluster_ids),
                lambda record, names: (
                    _("Membership in %(cluster)s") % {"cluster": _name(names, Cluster, record.cluster_id)}
                ),
            ),
        ]
    )


def evaluation_history(evaluation):
    """The audit timeline of one evaluation and its ratings."""
    risk_labels = dict(Risk.choices)
    return history_entries(
        [
            (Evaluation.history.filter(id=evaluation.pk), lambda record, names: _("Evaluation")),
            (
                RiskRating.history.filter(evaluation_id=evaluation.pk),
                lambda record, names: _("Rating: %(risk)s") % {"risk": risk_labels.get(record.risk, record.risk)},
            ),
        ]
    )
