"""What the API returns: stable English field names, typed values, links to the site's pages.

Read serializers only turn stored rows into JSON; writes are validated by the site's own forms and
saved by the services (see api/views.py). Related objects are never offered as choices, so nothing
outside what the reader may see can appear in a form of the browsable API or in an error.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from api.fields import ActorRef, Money, PageUrl, PersonField
from api.models import ApiToken
from clusters.addresses import address_maker
from clusters.history import person
from clusters.models import Actor, Cluster, Evaluation, Membership, Relationship, RiskRating
from instruments.models import Activity, Indicator, Intervention, Measurement
from reports.models import ReportJob
from surveys.models import Choice, Interview, Question, Questionnaire, QuestionnaireVersion

# --- Registry ---------------------------------------------------------------------------------------


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
        fields = [
            "id",
            "url",
            "page_url",
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
            "clusters",
            "version",
            "created_at",
            "updated_at",
        ]
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


# --- Questionnaires ---------------------------------------------------------------------------------


class VersionRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:version-detail")

    class Meta:
        model = QuestionnaireVersion
        fields = ["id", "url", "number", "status"]
        read_only_fields = fields


class QuestionnaireSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:questionnaire-detail")
    versions = VersionRefSerializer(many=True, read_only=True, source="visible_versions")

    class Meta:
        model = Questionnaire
        fields = ["id", "url", "name", "description", "versions", "created_at"]
        read_only_fields = fields


class ChoiceSerializer(serializers.ModelSerializer):
    labels = serializers.DictField(child=serializers.CharField(), read_only=True, help_text="{form language: label}.")

    class Meta:
        model = Choice
        fields = ["value", "labels"]
        read_only_fields = fields


class QuestionSerializer(serializers.ModelSerializer):
    section = serializers.SerializerMethodField(help_text="The code of the group or repeat it is in.")
    repeats = serializers.SerializerMethodField(
        help_text="The codes of the repeats around it, outermost first: its answers are per repetition."
    )
    relationship_kind = serializers.ChoiceField(choices=Relationship.Kind.choices, allow_blank=True, read_only=True)
    labels = serializers.DictField(child=serializers.CharField(), read_only=True, help_text="{form language: text}.")
    hints = serializers.DictField(child=serializers.CharField(), read_only=True, help_text="{form language: text}.")
    choices = ChoiceSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = [
            "code",
            "type",
            "section",
            "repeats",
            "labels",
            "hints",
            "required",
            "required_if",
            "relevant",
            "constraint",
            "calculation",
            "choice_filter",
            "min_value",
            "max_value",
            "list_name",
            "relationship_kind",
            "choices",
        ]
        read_only_fields = fields

    def get_section(self, question) -> str | None:
        return question.section.code if question.section else None

    def get_repeats(self, question) -> list[str]:
        return list(self.context.get("repeats", {}).get(question.code, []))


@extend_schema_field(OpenApiTypes.URI)
class VersionLink(serializers.Field):
    """A link by path: the XLSForm export page, or the OpenRosa form (served by the openrosa app)."""

    def __init__(self, kind, **kwargs):
        self.kind = kind
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, version):
        if self.kind == "xlsform":
            path = reverse("surveys:version_export", kwargs={"pk": version.pk})
        else:
            path = f"/openrosa/forms/{version.pk}/form.xml"
        return self.context["request"].build_absolute_uri(path)


class VersionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:version-detail")
    questionnaire = serializers.SerializerMethodField()
    xlsform_url = VersionLink("xlsform")
    xform_url = VersionLink("xform")

    class Meta:
        model = QuestionnaireVersion
        fields = [
            "id",
            "url",
            "questionnaire",
            "number",
            "status",
            "form_id",
            "notes",
            "published_at",
            "xlsform_url",
            "xform_url",
        ]
        read_only_fields = fields

    @extend_schema_field(
        inline_serializer(
            "QuestionnaireRef", fields={"id": serializers.IntegerField(), "name": serializers.CharField()}
        )
    )
    def get_questionnaire(self, version):
        return {"id": version.questionnaire_id, "name": version.questionnaire.name}


class VersionDetailSerializer(VersionSerializer):
    questions = QuestionSerializer(many=True, read_only=True, source="ordered_questions")

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "questions"]
        read_only_fields = fields


# --- Interviews -------------------------------------------------------------------------------------

ANSWER_VALUE = {
    "oneOf": [
        {"type": "string"},
        {"type": "number"},
        {"type": "boolean"},
        {"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "integer"}]}},
    ],
    "nullable": True,
}
ANSWERS_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "oneOf": [
            ANSWER_VALUE,
            {"type": "object", "additionalProperties": ANSWER_VALUE, "description": "{repetition: value}"},
        ]
    },
    "description": (
        "{question code: value}. Integers, scales and ranges are whole numbers, decimals numbers, dates "
        "YYYY-MM-DD, times HH:MM:SS, dates and times ISO 8601, yes/no true or false, single choice the "
        "option's value, multiple choice a list of values, actor relationships a list of actor ids, a "
        "location 'latitude longitude altitude accuracy'. A question inside a repeat has an object "
        "{repetition: value}, the repetition being '1', '2' … ('2.1' in nested repeats)."
    ),
}


@extend_schema_field(ANSWERS_SCHEMA)
class AnswersField(serializers.Field):
    """The interview's answers, read from ``context["answers"]`` ({interview id: {code: value}})."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, interview):
        return self.context["answers"].get(interview.pk, {})


class InterviewSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:interview-detail")
    page_url = PageUrl()
    questionnaire_version = serializers.PrimaryKeyRelatedField(source="version", read_only=True)
    questionnaire = serializers.SerializerMethodField()
    cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    actor = ActorRef()
    interviewer = PersonField()
    duration_minutes = serializers.SerializerMethodField()

    class Meta:
        model = Interview
        fields = [
            "id",
            "uuid",
            "url",
            "page_url",
            "questionnaire_version",
            "questionnaire",
            "cluster",
            "actor",
            "interviewer",
            "respondent_name",
            "respondent_position",
            "date",
            "place",
            "mode",
            "duration_minutes",
            "consent_given",
            "status",
            "submitted_at",
            "reviewed_at",
            "review_comment",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        inline_serializer(
            "InterviewQuestionnaire",
            fields={
                "id": serializers.IntegerField(),
                "name": serializers.CharField(),
                "version": serializers.IntegerField(),
            },
        )
    )
    def get_questionnaire(self, interview):
        version = interview.version
        return {"id": version.questionnaire_id, "name": version.questionnaire.name, "version": version.number}

    def get_duration_minutes(self, interview) -> int | None:
        if interview.duration is None:
            return None
        return int(interview.duration.total_seconds() // 60)

    def to_representation(self, interview):
        """The fields above, written out directly: the interview list is the API's busiest read, and
        DRF's field-by-field machinery (a reverse() per link, per row) cost more than the query.
        The declared fields stay the schema; tests check that both name the same keys."""
        links = self._links()
        version = interview.version
        return {
            "id": interview.pk,
            "uuid": str(interview.uuid),
            "url": links["api"](interview.pk),
            "page_url": links["page"](interview.pk),
            "questionnaire_version": version.pk,
            "questionnaire": {
                "id": version.questionnaire_id,
                "name": version.questionnaire.name,
                "version": version.number,
            },
            "cluster": interview.cluster.slug,
            "actor": {"id": interview.actor_id, "name": interview.actor.name},
            "interviewer": {"id": interview.interviewer_id, "name": person(interview.interviewer)},
            "respondent_name": interview.respondent_name,
            "respondent_position": interview.respondent_position,
            "date": interview.date.isoformat(),
            "place": interview.place,
            "mode": interview.mode,
            "duration_minutes": self.get_duration_minutes(interview),
            "consent_given": interview.consent_given,
            "status": interview.status,
            "submitted_at": _moment(interview.submitted_at),
            "reviewed_at": _moment(interview.reviewed_at),
            "review_comment": interview.review_comment,
            "created_at": _moment(interview.created_at),
            "updated_at": _moment(interview.updated_at),
        }

    def _links(self):
        """Functions from an interview's id to its API and page addresses, made once per response."""
        links = self.context.get("_interview_links")
        if links is None:
            base = self.context["request"].build_absolute_uri("/").rstrip("/")
            api, page = address_maker("api:interview-detail"), address_maker("surveys:interview_detail")
            links = {"api": lambda pk: base + api(pk), "page": lambda pk: base + page(pk)}
            self.context["_interview_links"] = links
        return links


_DATETIME = serializers.DateTimeField()


def _moment(value):
    return None if value is None else _DATETIME.to_representation(value)


class InterviewWithAnswersSerializer(InterviewSerializer):
    answers = AnswersField()

    class Meta(InterviewSerializer.Meta):
        fields = [*InterviewSerializer.Meta.fields, "answers"]
        read_only_fields = fields

    def to_representation(self, interview):
        row = super().to_representation(interview)
        row["answers"] = self.context["answers"].get(interview.pk, {})
        return row


class InterviewRowSerializer(InterviewWithAnswersSerializer):
    """A row of the interview list, as the schema names it: ``answers`` only with ``?include=answers``
    (api.schema.add_problem_responses makes it optional in the schema)."""


class InterviewDetailSerializer(InterviewWithAnswersSerializer):
    notes = serializers.CharField(read_only=True)

    class Meta(InterviewWithAnswersSerializer.Meta):
        fields = [*InterviewWithAnswersSerializer.Meta.fields, "notes"]
        read_only_fields = fields

    def to_representation(self, interview):
        return {**super().to_representation(interview), "notes": interview.notes}


class NewActorSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=Actor.Kind.choices)
    ruc = serializers.CharField(max_length=20, required=False, allow_blank=True)


@extend_schema_field({**ANSWERS_SCHEMA, "nullable": False})
class AnswersInput(serializers.DictField):
    pass


class InterviewCreateSerializer(serializers.Serializer):
    """A new interview, checked question by question by the web form's own fields and saved by the
    same service (surveys.services.interview_save)."""

    uuid = serializers.UUIDField(help_text="The client's identifier: posting it again never makes a second interview.")
    questionnaire_version = serializers.IntegerField(help_text="Id of a published questionnaire version.")
    cluster = serializers.CharField(help_text="Cluster slug.")
    actor = serializers.IntegerField(required=False, allow_null=True, help_text="Id of a member of the cluster.")
    new_actor = NewActorSerializer(required=False, allow_null=True, help_text="Or register the actor interviewed.")
    respondent_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    respondent_position = serializers.CharField(max_length=150, required=False, allow_blank=True)
    date = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    mode = serializers.ChoiceField(choices=Interview.Mode.choices, required=False)
    duration_minutes = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=1440)
    consent_given = serializers.BooleanField(required=False, default=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=100000)
    answers = AnswersInput(required=False)
    submit = serializers.BooleanField(
        required=False, default=False, help_text="Submit for review (needs consent and every required answer)."
    )


class InterviewCreatedSerializer(InterviewDetailSerializer):
    submission_problems = serializers.DictField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Why a submission was kept as a draft: {question code or field: message}.",
    )

    class Meta(InterviewDetailSerializer.Meta):
        fields = [*InterviewDetailSerializer.Meta.fields, "submission_problems"]
        read_only_fields = fields

    def to_representation(self, interview):
        return {**super().to_representation(interview), "submission_problems": interview.submission_problems}


# --- Instruments ------------------------------------------------------------------------------------


class InstrumentTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_es = serializers.CharField()
    name_en = serializers.CharField()
    goal = serializers.CharField(source="goal.code")


class InterventionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:intervention-detail")
    page_url = PageUrl()
    cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    instrument_type = InstrumentTypeSerializer(read_only=True)
    budget_planned = Money()
    budget_executed = Money()
    implementing_institutions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    funding_institutions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    beneficiaries = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Intervention
        fields = [
            "id",
            "url",
            "page_url",
            "cluster",
            *Intervention.EDITABLE_FIELDS,
            "updated_at",
        ]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:indicator-detail")
    page_url = PageUrl()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "url",
            "page_url",
            "intervention",
            "name",
            "unit",
            "direction",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
        ]
        read_only_fields = fields


MEASUREMENT_VALUES = ["value_women", "value_men", "value_micro", "value_small", "value_medium", "value_large"]


class MeasurementSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:measurement-detail")
    recorded_by = PersonField(allow_null=True)

    class Meta:
        model = Measurement
        fields = [
            "id",
            "url",
            "indicator",
            "date",
            "value",
            "source",
            "note",
            *MEASUREMENT_VALUES,
            "status",
            "review_comment",
            "recorded_by",
            "reviewed_at",
            "created_at",
        ]
        read_only_fields = fields


class MeasurementCreateSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(help_text="Indicator id.")
    date = serializers.DateField()
    value = serializers.DecimalField(max_digits=18, decimal_places=4)
    source = serializers.CharField(max_length=300)
    note = serializers.CharField(required=False, allow_blank=True)
    value_women = serializers.DecimalField(max_digits=18, decimal_places=4, required=False, allow_null=True)
    value_men = serializers.DecimalField(max_digits=18, decimal_places=4, required=False, allow_null=True)
    value_micro = serializers.DecimalField(max_digits=18, decimal_places=4, required=False, allow_null=True)
    value_small = serializers.DecimalField(max_digits=18, decimal_places=4, required=False, allow_null=True)
    value_medium = serializers.DecimalField(max_digits=18, decimal_places=4, required=False, allow_null=True)
    value_large = serializers.DecimalField(max_digits=18, decimal_places=4, required=False, allow_null=True)


class ActivitySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:activity-detail")

    class Meta:
        model = Activity
        fields = [
            "id",
            "url",
            "intervention",
            *Activity.EDITABLE_FIELDS,
        ]
        read_only_fields = fields


# --- Reports ----------------------------------------------------------------------------------------


class ReportSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:report-detail")
    page_url = PageUrl()
    cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)  # null: programme
    requested_by = PersonField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "url",
            "page_url",
            "kind",
            "cluster",
            "period_start",
            "period_end",
            "language",
            "include_submitted",
            "requested_by",
            "status",
            "progress",
            "error",
            "page_count",
            "created_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, job) -> str | None:
        if not job.has_file:
            return None
        return self.context["request"].build_absolute_uri(reverse("api:report-download", kwargs={"pk": job.pk}))


class ReportCreateSerializer(serializers.Serializer):
    cluster = serializers.CharField(help_text="Cluster slug.")
    language = serializers.ChoiceField(choices=ReportJob.Language.choices, required=False)
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)
    include_submitted = serializers.BooleanField(required=False, default=False)


# --- Who is asking ----------------------------------------------------------------------------------


class TokenInfoSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["name", "scope", "expires_at"]
        read_only_fields = fields


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()
    token = TokenInfoSerializer(allow_null=True)
