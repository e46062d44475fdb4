"""The registry: clusters, actors, their memberships and ties, and evaluations."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions
from rest_framework.response import Response

from api import inputs
from api.filters import EvaluationFilter, MembershipFilter, TieFilter
from api.problems import Conflict
from api.serializers import registry as s
from api.views.base import (
    CreateMixin,
    DestroyMixin,
    ReadViewSet,
    action_perms,
    cursor,
    visible_actor_or_400,
    visible_cluster_or_400,
)
from clusters import selectors as cluster_selectors
from clusters import services as cluster_services
from clusters.access import Role, role_of, scope_to_clusters
from clusters.filters import ActorFilter, ClusterFilter
from clusters.forms import ActorCreateForm
from clusters.models import DEFAULT_ROLE_FOR_KIND, Evaluation, Membership, Relationship


@extend_schema_view(list=extend_schema(summary="Clusters you may see"), retrieve=extend_schema(summary="A cluster"))
class ClusterViewSet(ReadViewSet):
    perms = action_perms("clusters.view_cluster")
    serializer_class = s.ClusterSerializer
    filterset_class = ClusterFilter
    pagination_class = cursor("name")
    lookup_field = "slug"

    def get_queryset(self):
        return cluster_selectors.cluster_rows(self.request.user)

    def get_serializer_class(self):
        return s.ClusterDetailSerializer if self.action == "retrieve" else s.ClusterSerializer

    def retrieve(self, request, *args, **kwargs):
        cluster = self.get_object()
        cluster.latest_figures = cluster_selectors.latest_figures(cluster)
        return Response(self.get_serializer(cluster).data)


@extend_schema_view(
    list=extend_schema(summary="Actors you may see"),
    retrieve=extend_schema(summary="An actor"),
    create=extend_schema(
        summary="Register an actor",
        description="Checked by the registry's form: RUC check digit and uniqueness, region, size by "
        "Ley 30056. An actor whose name matches one you may see is refused with 409 (and the similar "
        "ones) unless allow_similar is true. Researchers must give one of their clusters.",
        responses={201: s.ActorSerializer},
    ),
)
class ActorViewSet(CreateMixin, ReadViewSet):
    perms = action_perms("clusters.view_actor", create="clusters.add_actor")
    serializer_class = s.ActorSerializer
    write_serializers = {"create": s.ActorCreateSerializer}
    filterset_class = ActorFilter
    pagination_class = cursor("name", "id")

    def get_queryset(self):
        return cluster_selectors.actor_rows(self.request.user)

    def create_object(self, data):
        user = self.request.user
        researcher = role_of(user) == Role.RESEARCHER
        form = ActorCreateForm(inputs.actor_form_data(data), user=user, researcher=researcher)
        if not form.is_valid():
            raise exceptions.ValidationError(inputs.form_errors(form, inputs.ACTOR_RENAMES))
        cluster = form.cleaned_data.get("cluster")
        if cluster is not None and not user.has_perm("clusters.add_membership"):
            raise exceptions.PermissionDenied
        duplicates = cluster_selectors.actor_duplicates(user, name=form.cleaned_data["name"])
        if duplicates.similar and not form.cleaned_data.get("create_anyway"):
            raise Conflict(
                _("Actors with a similar name are registered. Use one of them, or send allow_similar: true."),
                code="similar-actors",
                extra={"similar": [{"id": a.pk, "name": a.name} for a in duplicates.similar]},
            )
        actor = cluster_services.actor_create(
            created_by=user, cluster=cluster, role=form.membership_role(), **form.actor_fields()
        )
        return self.get_queryset().get(pk=actor.pk)


@extend_schema_view(
    list=extend_schema(summary="Memberships of actors in clusters"),
    retrieve=extend_schema(summary="A membership"),
    create=extend_schema(summary="Put an actor in a cluster", responses={201: s.MembershipSerializer}),
    destroy=extend_schema(summary="Take an actor out of a cluster (its ties there go too)"),
)
class MembershipViewSet(CreateMixin, DestroyMixin, ReadViewSet):
    perms = action_perms(
        "clusters.view_membership", create="clusters.add_membership", destroy="clusters.delete_membership"
    )
    serializer_class = s.MembershipSerializer
    write_serializers = {"create": s.MembershipCreateSerializer}
    filterset_class = MembershipFilter

    def get_queryset(self):
        return scope_to_clusters(Membership.objects.select_related("cluster", "actor"), self.request.user)

    def create_object(self, data):
        cluster = visible_cluster_or_400(self.request.user, data["cluster"])
        actor = visible_actor_or_400(self.request.user, data["actor"], "actor")
        if Membership.objects.filter(cluster=cluster, actor=actor).exists():
            raise exceptions.ValidationError(
                {"actor": [_("%(name)s is already a member of this cluster.") % {"name": actor.name}]}
            )
        role = data.get("role") or DEFAULT_ROLE_FOR_KIND.get(actor.kind, Membership.Role.OTHER)
        return cluster_services.membership_create(cluster=cluster, actor=actor, role=role)

    def perform_destroy(self, membership):
        cluster_services.membership_delete(membership=membership)


@extend_schema_view(
    list=extend_schema(summary="Ties between actors (the clusters' networks)"),
    retrieve=extend_schema(summary="A tie"),
    create=extend_schema(summary="Record a tie between two members of a cluster", responses={201: s.TieSerializer}),
    destroy=extend_schema(summary="Delete a tie"),
)
class TieViewSet(CreateMixin, DestroyMixin, ReadViewSet):
    perms = action_perms(
        "clusters.view_relationship", create="clusters.add_relationship", destroy="clusters.delete_relationship"
    )
    serializer_class = s.TieSerializer
    write_serializers = {"create": s.TieCreateSerializer}
    filterset_class = TieFilter

    def get_queryset(self):
        return scope_to_clusters(Relationship.objects.select_related("cluster", "source", "target"), self.request.user)

    def create_object(self, data):
        user = self.request.user
        return cluster_services.relationship_create(
            cluster=visible_cluster_or_400(user, data["cluster"]),
            source=visible_actor_or_400(user, data["source"], "source"),
            target=visible_actor_or_400(user, data["target"], "target"),
            kind=data["kind"],
            note=data.get("note", ""),
            created_by=user,
        )

    def perform_destroy(self, tie):
        cluster_services.relationship_delete(relationship=tie)


@extend_schema_view(
    list=extend_schema(summary="Evaluations of clusters against the article's risks"),
    retrieve=extend_schema(summary="An evaluation with its ratings"),
)
class EvaluationViewSet(ReadViewSet):
    perms = action_perms("clusters.view_evaluation")
    serializer_class = s.EvaluationSerializer
    filterset_class = EvaluationFilter

    def get_queryset(self):
        evaluations = Evaluation.objects.select_related("cluster", "evaluator").prefetch_related("ratings")
        return scope_to_clusters(evaluations, self.request.user)
