"""Questionnaires, their versions, and interviews with typed answers (read, recorded, exported)."""

import datetime
import hashlib
import json
import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api import inputs
from api.filters import VersionFilter
from api.models import IdempotentRequest
from api.problems import Conflict, Unprocessable
from api.selectors import typed_answers
from api.serializers import surveys as s
from api.views.base import ReadViewSet, action_perms, cursor, visible_cluster_or_400, visible_or_400
from clusters.models import Actor
from surveys import exports
from surveys import selectors as survey_selectors
from surveys.engine import Structure
from surveys.forms import InterviewFilter, InterviewForm
from surveys.models import Interview

IDEMPOTENCY_HOURS = 24


@extend_schema_view(list=extend_schema(summary="Questionnaires"), retrieve=extend_schema(summary="A questionnaire"))
class QuestionnaireViewSet(ReadViewSet):
    perms = action_perms("surveys.view_questionnaire")
    serializer_class = s.QuestionnaireSerializer
    pagination_class = cursor("name")
    filterset_class = None

    def get_queryset(self):
        user = self.request.user
        versions = survey_selectors.visible_versions(user).order_by("-number")
        return survey_selectors.visible_questionnaires(user).prefetch_related(
            Prefetch("versions", queryset=versions, to_attr="visible_versions")
        )


@extend_schema_view(
    list=extend_schema(summary="Questionnaire versions"),
    retrieve=extend_schema(summary="A questionnaire version with its questions"),
)
class VersionViewSet(ReadViewSet):
    perms = action_perms("surveys.view_questionnaireversion")
    serializer_class = s.VersionSerializer
    filterset_class = VersionFilter

    def get_queryset(self):
        return survey_selectors.visible_versions(self.request.user)

    def get_serializer_class(self):
        return s.VersionDetailSerializer if self.action == "retrieve" else s.VersionSerializer

    def retrieve(self, request, *args, **kwargs):
        version = self.get_object()
        version.ordered_questions = survey_selectors.form_questions(version)
        structure = Structure.of(version.ordered_questions)
        context = {**self.get_serializer_context(), "repeats": structure.repeats_of}
        return Response(self.get_serializer(version, context=context).data)


INTERVIEW_COLUMNS = (
    *(
        f.name
        for f in Interview._meta.concrete_fields
        if f.name not in ("last_form_token", "lock_version", "reviewed_by", "version", "cluster", "actor")
    ),
    "version__number",
    "version__questionnaire__name",
    "cluster__slug",
    "actor__name",
    "interviewer__username",
    "interviewer__first_name",
    "interviewer__last_name",
)
INCLUDE_ANSWERS = OpenApiParameter(
    "include", str, enum=["answers"], description="include=answers adds each interview's typed answers."
)


@extend_schema_view(
    list=extend_schema(
        summary="Interviews you may see", parameters=[INCLUDE_ANSWERS], responses=s.InterviewRowSerializer
    ),
    retrieve=extend_schema(summary="An interview with its typed answers"),
    create=extend_schema(
        summary="Record an interview",
        description=(
            "Checked by the interview form's own fields (numbers, bounds, options, dates, skip logic) and "
            "saved by the web form's service. Posting a uuid that already exists returns that interview "
            "(200) and changes nothing. With an Idempotency-Key header, a replay returns the first answer."
        ),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key", str, OpenApiParameter.HEADER, description="Any unique text, e.g. a UUID."
            )
        ],
        request=s.InterviewCreateSerializer,
        responses={201: s.InterviewCreatedSerializer, 200: s.InterviewCreatedSerializer},
    ),
)
class InterviewViewSet(ReadViewSet):
    perms = action_perms("surveys.view_interview", create="surveys.add_interview", reads=("export",))
    serializer_class = s.InterviewSerializer
    write_serializers = {"create": s.InterviewCreateSerializer}
    filterset_class = InterviewFilter
    pagination_class = cursor("-date", "-id")

    def get_queryset(self):
        # Only what a row shows: five tables joined, the few columns of each that the serializer reads.
        return (
            survey_selectors.visible_interviews(self.request.user)
            .select_related("version__questionnaire", "cluster", "actor", "interviewer")
            .only(*INTERVIEW_COLUMNS)
        )

    def list(self, request, *args, **kwargs):
        # The rows as values, not model instances (s.ROW_VALUES: the serializer writes either).
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()).values(*s.ROW_VALUES))
        with_answers = request.query_params.get("include") == "answers"
        serializer_class = s.InterviewWithAnswersSerializer if with_answers else s.InterviewSerializer
        context = self.get_serializer_context()
        if with_answers:
            context["answers"] = typed_answers([row["id"] for row in page])
        return self.get_paginated_response(serializer_class(page, many=True, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        interview = self.get_object()
        context = {**self.get_serializer_context(), "answers": typed_answers([interview.pk])}
        return Response(s.InterviewDetailSerializer(interview, context=context).data)

    def create(self, request):
        # Not the shared CreateMixin: a uuid already recorded answers 200, and an Idempotency-Key replays.
        key = request.headers.get("Idempotency-Key")
        if not key:
            return self._create(request)
        return _idempotent(request, key, self._create)

    def _create(self, request):
        data = self.validated(request)
        user = request.user
        existing = Interview.objects.filter(uuid=data["uuid"]).first()
        if existing is not None:
            if existing.interviewer_id != user.pk:
                raise Conflict(_("Another interview already has this uuid."), code="uuid-taken")
            return self._interview_response(existing, status.HTTP_200_OK)
        version = visible_or_400(
            survey_selectors.usable_versions(),
            "questionnaire_version",
            _("No published questionnaire version has this id."),
            pk=data["questionnaire_version"],
        )
        cluster = visible_cluster_or_400(user, data["cluster"])
        structure = Structure.of(survey_selectors.form_questions(version))
        form_data, errors = inputs.interview_form_data(data, structure, form_token=uuid.uuid4())
        if errors:
            raise exceptions.ValidationError(errors)
        members = list(Actor.objects.filter(memberships__cluster=cluster).only("id", "name").order_by("name"))
        form = InterviewForm(form_data, structure=structure, cluster_actors=members)
        if not form.is_valid():
            raise exceptions.ValidationError(inputs.form_errors(form, inputs.interview_renames(form)))
        try:
            saved = form.save(user=user, version=version, cluster=cluster, submit=data.get("submit", False))
        except DjangoValidationError as error:
            raise exceptions.ValidationError(inputs.service_errors(error, form)) from None
        return self._interview_response(saved.interview, status.HTTP_201_CREATED, saved.problems)

    @extend_schema(
        summary="Export interviews as CSV (the page's export: one row per interview, or per answer)",
        parameters=[
            OpenApiParameter("shape", str, enum=["wide", "long"], description="wide (default) or long."),
            OpenApiParameter("choices", str, enum=["labels", "codes"], description="Options as labels or codes."),
        ],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="UTF-8 CSV, streamed.")},
    )
    @action(detail=False, methods=["get"], url_path="export", pagination_class=None)
    def export(self, request):
        shape = request.query_params.get("shape", "wide")
        if shape not in ("wide", "long"):
            raise exceptions.ValidationError({"shape": [_("Choose wide or long.")]})
        interviews = self.filter_queryset(survey_selectors.visible_interviews(request.user))
        choices_as = exports.CODES if request.query_params.get("choices") == "codes" else exports.LABELS
        rows = (exports.wide_rows if shape == "wide" else exports.long_rows)(interviews, choices_as)
        response = StreamingHttpResponse(exports.csv_stream(rows), content_type="text/csv; charset=utf-8")
        name = f"entrevistas-{shape}-{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def perform_content_negotiation(self, request, force=False):
        # The export answers with CSV whatever the client accepts (its errors are JSON).
        return super().perform_content_negotiation(request, force=force or self.action == "export")

    def _interview_response(self, interview, status_code, problems=None):
        interview = self.get_queryset().get(pk=interview.pk)
        interview.submission_problems = {code: str(message) for code, message in (problems or {}).items()}
        context = {**self.get_serializer_context(), "answers": typed_answers([interview.pk])}
        data = s.InterviewCreatedSerializer(interview, context=context).data
        return Response(data, status=status_code, headers={"Location": data["url"]})


def _idempotent(request, key, respond):
    """``respond(request)``'s answer, kept for IDEMPOTENCY_HOURS under the user's ``key``: the same request
    again gets the first answer (Idempotent-Replayed), another request with the key a 422."""
    if len(key) > 255:
        raise exceptions.ValidationError({"Idempotency-Key": [_("At most 255 characters.")]})
    fingerprint = hashlib.sha256(
        json.dumps([request.method, request.path, request.data], sort_keys=True, default=str).encode()
    ).hexdigest()
    user = request.user
    with transaction.atomic():
        IdempotentRequest.objects.filter(
            user=user, created_at__lt=timezone.now() - datetime.timedelta(hours=IDEMPOTENCY_HOURS)
        ).delete()
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(user=user, key=key, fingerprint=fingerprint, status_code=0)
        except IntegrityError:
            record = IdempotentRequest.objects.get(user=user, key=key)
            if record.fingerprint != fingerprint:
                raise Unprocessable(
                    _("This Idempotency-Key was used for a different request."), code="idempotency-key-reused"
                ) from None
            headers = {"Idempotent-Replayed": "true"}
            if record.location:
                headers["Location"] = record.location
            return Response(record.body, status=record.status_code, headers=headers)
        response = respond(request)
        record.status_code = response.status_code
        record.body = json.loads(JSONRenderer().render(response.data))
        record.location = response.headers.get("Location", "")
        record.save(update_fields=["status_code", "body", "location"])
        return response
