"""The registry: clusters, actors, memberships, ties and evaluations."""

from rest_framework import serializers

from api.fields import ActorRef, PageUrl, PersonField
from clusters.models import Actor, Cluster, Evaluation, Membership, Relationship, RiskRating


class SectorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_es = serializers.CharField()
    name_en = serializers.CharField()


class ClusterSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:cluster-detail", lookup_field="slug")
    page_url = PageUrl()
    main_sector = SectorSerializer(read_only=True)
    regions = serializers.SerializerMethodField(help_text="Ubigeo codes of the cluster's regions.")
    coordinator = PersonField(allow_null=True)
    member_count = serializers.IntegerField(source="actor_count", read_only=True)

    class Meta:
        model = Cluster
        fields = [
            "slug",
            "name",
            "url",
            "page_url",
            "main_sector",
            "regions",
            "description",
            "stage",
            "status",
            "coordinator",
            "member_count",
            "latitude",
            "longitude",
            "updated_at",
        ]
        read_only_fields = fields

    def get_regions(self, cluster) -> list[str]:
        return [region.code for region in cluster.regions.all()]


class FigureSerializer(serializers.Serializer):
    metric = serializers.CharField()
    value = serializers.DecimalField(max_digits=18, decimal_places=2)
    year = serializers.IntegerField()
    source = serializers.CharField()


class ClusterDetailSerializer(ClusterSerializer):
    related_sectors = SectorSerializer(many=True, read_only=True)
    headline_figures = FigureSerializer(many=True, read_only=True, source="latest_figures")

    class Meta(ClusterSerializer.Meta):
        fields = [*ClusterSerializer.Meta.fields, "related_sectors", "headline_figures"]
        read_only_fields = fields


class ActorSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:actor-detail")
    page_url = PageUrl()
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True, help_text="Ubigeo code.")
    size = serializers.ChoiceField(choices=Actor.Size.choices, allow_blank=True, read_only=True)
    # Blank when unknown: plain text, so that "" is a valid value in the schema too.
    website = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)
    clusters = serializers.SerializerMethodField(help_text="Slugs of the clusters (that you may see) it belongs to.")

    class Meta:
        model = Actor
        fields = ["id", "url", "page_url", *Actor.EDITABLE_FIELDS, "clusters", "version", "created_at", "updated_at"]
        read_only_fields = fields

    def get_clusters(self, actor) -> list[str]:
        return [membership.cluster.slug for membership in getattr(actor, "visible_memberships", [])]


class ActorCreateSerializer(serializers.Serializer):
    """A new actor, checked by the registry's own form (RUC check digit, duplicates, region, size)."""

    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=Actor.Kind.choices)
    ruc = serializers.CharField(max_length=20, required=False, allow_blank=True)
    size = serializers.ChoiceField(choices=Actor.Size.choices, required=False, allow_blank=True)
    sales_uit = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, help_text="Sets the size by Ley 30056."
    )
    region = serializers.CharField(max_length=6, required=False, allow_blank=True, help_text="Ubigeo code.")
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    website = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    contact_position = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    cluster = serializers.CharField(
        required=False, allow_blank=True, help_text="Slug of a cluster to add it to (required for researchers)."
    )
    role = serializers.ChoiceField(choices=Membership.Role.choices, required=False, allow_blank=True)
    allow_similar = serializers.BooleanField(
        required=False, default=False, help_text="Create it even if an actor with the same name exists."
    )


class MembershipSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:membership-detail")
    cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    actor = ActorRef()

    class Meta:
        model = Membership
        fields = ["id", "url", "cluster", "actor", "role", "since", "notes"]
        read_only_fields = fields


class MembershipCreateSerializer(serializers.Serializer):
    cluster = serializers.CharField(help_text="Cluster slug.")
    actor = serializers.IntegerField(help_text="Actor id.")
    role = serializers.ChoiceField(
        choices=Membership.Role.choices,
        required=False,
        allow_blank=True,
        help_text="Default: the usual role of its kind.",
    )


class TieSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:tie-detail")
    cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    source = ActorRef()
    target = ActorRef()
    interview = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The interview it was reported in."
    )

    class Meta:
        model = Relationship
        fields = ["id", "url", "cluster", "source", "kind", "target", "note", "interview", "created_at"]
        read_only_fields = fields


class TieCreateSerializer(serializers.Serializer):
    cluster = serializers.CharField(help_text="Cluster slug.")
    source = serializers.IntegerField(help_text="Actor id.")
    kind = serializers.ChoiceField(choices=Relationship.Kind.choices)
    target = serializers.IntegerField(help_text="Actor id.")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = RiskRating
        fields = ["risk", "level", "note"]
        read_only_fields = fields


class EvaluationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:evaluation-detail")
    cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    evaluator = PersonField()
    ratings = RatingSerializer(many=True, read_only=True)

    class Meta:
        model = Evaluation
        fields = ["id", "url", "cluster", "date", "evaluator", "summary", "ratings", "created_at"]
        read_only_fields = fields
