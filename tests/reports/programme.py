"""A cluster with enough in it for a case study to say something checkable."""

import datetime

from clusters.models import Actor, Membership
from surveys.models import Interview
from tests import factories as f

# kind, size, role of the members added to cluster A (which already has a small firm and a university).
MEMBERS = [
    (Actor.Kind.FIRM, Actor.Size.LARGE, Membership.Role.CORE_FIRM),
    (Actor.Kind.FIRM, Actor.Size.MICRO, Membership.Role.CORE_FIRM),
    (Actor.Kind.SUPPLIER, Actor.Size.MICRO, Membership.Role.SUPPLIER),
    (Actor.Kind.SUPPLIER, Actor.Size.SMALL, Membership.Role.SUPPLIER),
    (Actor.Kind.PUBLIC_AGENCY, "", Membership.Role.PUBLIC_AGENCY),
]


def fill_cluster_a(world, approved=4, submitted=2, returned=1, interview_date=datetime.date(2025, 5, 12)):
    """Cluster A with 7 members, an evaluation, and interviews by status (the world adds 1 draft and 1
    submitted interview of its own)."""
    cluster = world.cluster_a
    for kind, size, role in MEMBERS:
        f.MembershipFactory(cluster=cluster, actor=f.ActorFactory(kind=kind, size=size), role=role)
    for status, count in (
        (Interview.Status.APPROVED, approved),
        (Interview.Status.SUBMITTED, submitted),
        (Interview.Status.RETURNED, returned),
    ):
        f.InterviewFactory.create_batch(
            count,
            version=world.version,
            cluster=cluster,
            actor=world.actor_a,
            interviewer=world.users["researcher_a"],
            status=status,
            date=interview_date,
        )
    return cluster
