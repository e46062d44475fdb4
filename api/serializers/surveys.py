"""Questionnaires, their versions and questions, and interviews with typed answers (out and in)."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from api.fields import ActorRef, PageUrl, PersonField
from clusters.addresses import address_maker
from clusters.history import person_name
from clusters.models import Actor, Relationship
from surveys.models import Choice, Interview, Question, Questionnaire, QuestionnaireVersion


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


# What a row of the interview list shows, as ``.values()`` names it (the list reads its rows so).
ROW_VALUES = (
    "id", "uuid", "version_id", "version__number", "version__questionnaire_id", "version__questionnaire__name",
    "cluster__slug", "actor_id", "actor__name", "interviewer_id", "interviewer__username", "interviewer__first_name",
    "interviewer__last_name", "respondent_name", "respondent_position", "date", "place", "mode", "duration",
    "consent_given", "status", "submitted_at", "reviewed_at", "review_comment", "created_at", "updated_at",
)  # fmt: skip


def row_values(interview):
    """An interview's ``ROW_VALUES`` read from the instance and its related rows (a detail, a creation)."""
    version, user = interview.version, interview.interviewer
    related = {
        "version__number": version.number,
        "version__questionnaire_id": version.questionnaire_id,
        "version__questionnaire__name": version.questionnaire.name,
        "cluster__slug": interview.cluster.slug,
        "actor__name": interview.actor.name,
        "interviewer__username": user.username,
        "interviewer__first_name": user.first_name,
        "interviewer__last_name": user.last_name,
    }
    return {name: related[name] if name in related else getattr(interview, name) for name in ROW_VALUES}


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
        return _minutes(interview.duration)

    def to_representation(self, interview):
        """The fields above, written out directly: the interview list is the API's busiest read, and
        DRF's field-by-field machinery (a reverse() per link, per row) cost more than the query.
        The declared fields stay the schema; tests check that both name the same keys.

        ``interview`` is a model instance (an interview's detail, a creation) or, in the list, its
        ``ROW_VALUES`` as ``.values()`` reads them: the list makes no model instances for its rows and their
        five related rows (1 ms of a 15 ms request)."""
        row = interview if isinstance(interview, dict) else row_values(interview)
        links = self._links()
        pk = row["id"]
        return {
            "id": pk,
            "uuid": str(row["uuid"]),
            "url": links["api"](pk),
            "page_url": links["page"](pk),
            "questionnaire_version": row["version_id"],
            "questionnaire": {
                "id": row["version__questionnaire_id"],
                "name": row["version__questionnaire__name"],
                "version": row["version__number"],
            },
            "cluster": row["cluster__slug"],
            "actor": {"id": row["actor_id"], "name": row["actor__name"]},
            "interviewer": {
                "id": row["interviewer_id"],
                "name": person_name(
                    row["interviewer__first_name"], row["interviewer__last_name"], row["interviewer__username"]
                ),
            },
            "respondent_name": row["respondent_name"],
            "respondent_position": row["respondent_position"],
            "date": row["date"].isoformat(),
            "place": row["place"],
            "mode": row["mode"],
            "duration_minutes": _minutes(row["duration"]),
            "consent_given": row["consent_given"],
            "status": row["status"],
            "submitted_at": _moment(row["submitted_at"]),
            "reviewed_at": _moment(row["reviewed_at"]),
            "review_comment": row["review_comment"],
            "created_at": _moment(row["created_at"]),
            "updated_at": _moment(row["updated_at"]),
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


def _minutes(duration):
    return None if duration is None else int(duration.total_seconds() // 60)


def _moment(value):
    return None if value is None else _DATETIME.to_representation(value)


class InterviewWithAnswersSerializer(InterviewSerializer):
    answers = AnswersField()

    class Meta(InterviewSerializer.Meta):
        fields = [*InterviewSerializer.Meta.fields, "answers"]
        read_only_fields = fields

    def to_representation(self, interview):
        row = super().to_representation(interview)
        row["answers"] = self.context["answers"].get(row["id"], {})
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
