"""The API's endpoints: each one the page's permission, the page's scoping (``clusters.access`` and the
apps' ``visible_*`` selectors), the page's filters, and for writes the page's form and service."""

import datetime
import hashlib
import json
import logging
import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api import inputs
from api import serializers as s
from api.filters import (
    ActivityFilter,
    EvaluationFilter,
    IndicatorFilter,
    InterventionFilter,
    MeasurementFilter,
    MembershipFilter,
    ReportFilter,
    TieFilter,
    VersionFilter,
)
from api.models import ApiToken, IdempotentRequest
from api.pagination import Cursor
from api.problems import Conflict, Unprocessable
from api.selectors import typed_answers
from clusters import selectors as cluster_selectors
from clusters import services as cluster_services
from clusters.access import ROLE_LABELS, Role, role_of, scope_to_clusters, visible_actors, visible_clusters
from clusters.filters import ActorFilter, ClusterFilter
from clusters.forms import ActorCreateForm
from clusters.history import person
from clusters.models import DEFAULT_ROLE_FOR_KIND, Actor, Evaluation, Membership, Relationship
from instruments import selectors as instrument_selectors
from instruments import services as instrument_services
from reports import selectors as report_selectors
from reports import services as report_services
from reports.forms import ReportRequestForm
from reports.views import download_name
from surveys import exports
from surveys import selectors as survey_selectors
from surveys.engine import Structure
from surveys.forms import InterviewFilter, InterviewForm
from surveys.models import Interview

logger = logging.getLogger(__name__)
IDEMPOTENCY_HOURS = 24


def cursor(*ordering):
    return type("Cursor", (Cursor,), {"ordering": ordering})


class ApiViewSet(viewsets.GenericViewSet):
    """Filters apply to lists only; ``perms`` names the model permission of each action (as the page's)."""

    perms = {}
    write_serializers = {}

    def filter_queryset(self, queryset):
        if self.action not in ("list", "export"):
            return queryset
        return super().filter_queryset(queryset)

    def get_serializer_class(self):
        return self.write_serializers.get(self.action, self.serializer_class)

    def validated(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def created(self, obj, serializer_class=None, **context):
        serializer = (serializer_class or self.serializer_class)(
            obj, context={**self.get_serializer_context(), **context}
        )
        return Response(serializer.data, status=status.HTTP_201_CREATED, headers={"Location": serializer.data["url"]})


def _visible_cluster_or_400(user, slug, field="cluster"):
    cluster = visible_clusters(user).filter(slug=str(slug)).first()
    if cluster is None:
        raise exceptions.ValidationError({field: [_("No cluster you may see has this slug.")]})
    return cluster


def _visible_actor_or_400(user, pk, field):
    actor = visible_actors(user).filter(pk=pk).first()
    if actor is None:
        raise exceptions.ValidationError({field: [_("No actor you may see has this id.")]})
    return actor


# --- Registry ---------------------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(summary="Clusters you may see"), retrieve=extend_schema(summary="A cluster"))
class ClusterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    perms = {"list": "clusters.view_cluster", "retrieve": "clusters.view_cluster"}
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
class ActorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    perms = {"list": "clusters.view_actor", "retrieve": "clusters.view_actor", "create": "clusters.add_actor"}
    serializer_class = s.ActorSerializer
    write_serializers = {"create": s.ActorCreateSerializer}
    filterset_class = ActorFilter
    pagination_class = cursor("name", "id")

    def get_queryset(self):
        return cluster_selectors.actor_rows(self.request.user)

    def create(self, request):
        data = self.validated(request)
        user = request.user
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
        return self.created(self.get_queryset().get(pk=actor.pk))


@extend_schema_view(
    list=extend_schema(summary="Memberships of actors in clusters"),
    retrieve=extend_schema(summary="A membership"),
    create=extend_schema(summary="Put an actor in a cluster", responses={201: s.MembershipSerializer}),
    destroy=extend_schema(summary="Take an actor out of a cluster (its ties there go too)"),
)
class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    perms = {
        "list": "clusters.view_membership",
        "retrieve": "clusters.view_membership",
        "create": "clusters.add_membership",
        "destroy": "clusters.delete_membership",
    }
    serializer_class = s.MembershipSerializer
    write_serializers = {"create": s.MembershipCreateSerializer}
    filterset_class = MembershipFilter

    def get_queryset(self):
        return scope_to_clusters(Membership.objects.select_related("cluster", "actor"), self.request.user)

    def create(self, request):
        data = self.validated(request)
        cluster = _visible_cluster_or_400(request.user, data["cluster"])
        actor = _visible_actor_or_400(request.user, data["actor"], "actor")
        if Membership.objects.filter(cluster=cluster, actor=actor).exists():
            raise exceptions.ValidationError(
                {"actor": [_("%(name)s is already a member of this cluster.") % {"name": actor.name}]}
            )
        role = data.get("role") or DEFAULT_ROLE_FOR_KIND.get(actor.kind, Membership.Role.OTHER)
        membership = cluster_services.membership_create(cluster=cluster, actor=actor, role=role)
        return self.created(membership)

    def destroy(self, request, pk=None):
        cluster_services.membership_delete(membership=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Ties between actors (the clusters' networks)"),
    retrieve=extend_schema(summary="A tie"),
    create=extend_schema(summary="Record a tie between two members of a cluster", responses={201: s.TieSerializer}),
    destroy=extend_schema(summary="Delete a tie"),
)
class TieViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    perms = {
        "list": "clusters.view_relationship",
        "retrieve": "clusters.view_relationship",
        "create": "clusters.add_relationship",
        "destroy": "clusters.delete_relationship",
    }
    serializer_class = s.TieSerializer
    write_serializers = {"create": s.TieCreateSerializer}
    filterset_class = TieFilter

    def get_queryset(self):
        return scope_to_clusters(Relationship.objects.select_related("cluster", "source", "target"), self.request.user)

    def create(self, request):
        data = self.validated(request)
        cluster = _visible_cluster_or_400(request.user, data["cluster"])
        source = _visible_actor_or_400(request.user, data["source"], "source")
        target = _visible_actor_or_400(request.user, data["target"], "target")
        tie = cluster_services.relationship_create(
            cluster=cluster,
            source=source,
            target=target,
            kind=data["kind"],
            note=data.get("note", ""),
            created_by=request.user,
        )
        return self.created(tie)

    def destroy(self, request, pk=None):
        cluster_services.relationship_delete(relationship=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Evaluations of clusters against the article's risks"),
    retrieve=extend_schema(summary="An evaluation with its ratings"),
)
class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    perms = {"list": "clusters.view_evaluation", "retrieve": "clusters.view_evaluation"}
    serializer_class = s.EvaluationSerializer
    filterset_class = EvaluationFilter

    def get_queryset(self):
        evaluations = Evaluation.objects.select_related("cluster", "evaluator").prefetch_related("ratings")
        return scope_to_clusters(evaluations, self.request.user)


# --- Questionnaires ---------------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(summary="Questionnaires"), retrieve=extend_schema(summary="A questionnaire"))
class QuestionnaireViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    perms = {"list": "surveys.view_questionnaire", "retrieve": "surveys.view_questionnaire"}
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
class VersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    perms = {"list": "surveys.view_questionnaireversion", "retrieve": "surveys.view_questionnaireversion"}
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


# --- Interviews -------------------------------------------------------------------------------------

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
class InterviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    perms = {
        "list": "surveys.view_interview",
        "retrieve": "surveys.view_interview",
        "export": "surveys.view_interview",
        "create": "surveys.add_interview",
    }
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
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        with_answers = request.query_params.get("include") == "answers"
        serializer_class = s.InterviewWithAnswersSerializer if with_answers else s.InterviewSerializer
        context = self.get_serializer_context()
        if with_answers:
            context["answers"] = typed_answers([interview.pk for interview in page])
        return self.get_paginated_response(serializer_class(page, many=True, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        interview = self.get_object()
        context = {**self.get_serializer_context(), "answers": typed_answers([interview.pk])}
        return Response(s.InterviewDetailSerializer(interview, context=context).data)

    def create(self, request):
        key = request.headers.get("Idempotency-Key")
        if not key:
            return self._create(request)
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
                    record = IdempotentRequest.objects.create(
                        user=user, key=key, fingerprint=fingerprint, status_code=0
                    )
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
            response = self._create(request)
            record.status_code = response.status_code
            record.body = json.loads(JSONRenderer().render(response.data))
            record.location = response.headers.get("Location", "")
            record.save(update_fields=["status_code", "body", "location"])
            return response

    def _create(self, request):
        data = self.validated(request)
        user = request.user
        existing = Interview.objects.filter(uuid=data["uuid"]).first()
        if existing is not None:
            if existing.interviewer_id != user.pk:
                raise Conflict(_("Another interview already has this uuid."), code="uuid-taken")
            return self._interview_response(existing, status.HTTP_200_OK)
        version = survey_selectors.usable_versions().filter(pk=data["questionnaire_version"]).first()
        if version is None:
            raise exceptions.ValidationError(
                {"questionnaire_version": [_("No published questionnaire version has this id.")]}
            )
        cluster = _visible_cluster_or_400(user, data["cluster"])
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


# --- Instruments ------------------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(summary="Interventions"), retrieve=extend_schema(summary="An intervention"))
class InterventionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    perms = {"list": "instruments.view_intervention", "retrieve": "instruments.view_intervention"}
    serializer_class = s.InterventionSerializer
    filterset_class = InterventionFilter

    def get_queryset(self):
        ids = Actor.objects.only("id")
        return (
            instrument_selectors.visible_interventions(self.request.user)
            .select_related("cluster", "instrument_type__goal")
            .prefetch_related(
                Prefetch("implementing_institutions", queryset=ids),
                Prefetch("funding_institutions", queryset=ids),
                Prefetch("beneficiaries", queryset=ids),
            )
        )


@extend_schema_view(list=extend_schema(summary="Indicators"), retrieve=extend_schema(summary="An indicator"))
class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    perms = {"list": "instruments.view_indicator", "retrieve": "instruments.view_indicator"}
    serializer_class = s.IndicatorSerializer
    filterset_class = IndicatorFilter

    def get_queryset(self):
        return instrument_selectors.visible_indicators(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Measurements of indicators"),
    retrieve=extend_schema(summary="A measurement"),
    create=extend_schema(
        summary="Record a measurement (it waits for a coordinator's review)", responses={201: s.MeasurementSerializer}
    ),
)
class MeasurementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    perms = {
        "list": "instruments.view_measurement",
        "retrieve": "instruments.view_measurement",
        "create": "instruments.add_measurement",
    }
    serializer_class = s.MeasurementSerializer
    write_serializers = {"create": s.MeasurementCreateSerializer}
    filterset_class = MeasurementFilter

    def get_queryset(self):
        return instrument_selectors.visible_measurements(self.request.user).select_related("recorded_by")

    def create(self, request):
        data = dict(self.validated(request))
        indicator = instrument_selectors.visible_indicators(request.user).filter(pk=data.pop("indicator")).first()
        if indicator is None:
            raise exceptions.ValidationError({"indicator": [_("No indicator you may see has this id.")]})
        measurement = instrument_services.measurement_create(indicator=indicator, recorded_by=request.user, **data)
        return self.created(self.get_queryset().get(pk=measurement.pk))


@extend_schema_view(
    list=extend_schema(summary="Activities of interventions"), retrieve=extend_schema(summary="An activity")
)
class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    perms = {"list": "instruments.view_activity", "retrieve": "instruments.view_activity"}
    serializer_class = s.ActivitySerializer
    filterset_class = ActivityFilter

    def get_queryset(self):
        return instrument_selectors.visible_activities(self.request.user)


# --- Reports ----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Report jobs"),
    retrieve=extend_schema(summary="A report job: its status and progress"),
    create=extend_schema(
        summary="Ask for a cluster case study (built in the background)", responses={201: s.ReportSerializer}
    ),
    download=extend_schema(
        summary="The report's PDF",
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF file.")},
    ),
)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    perms = {
        "list": "reports.view_reportjob",
        "retrieve": "reports.view_reportjob",
        "download": "reports.view_reportjob",
        "create": "reports.add_reportjob",
    }
    serializer_class = s.ReportSerializer
    write_serializers = {"create": s.ReportCreateSerializer}
    filterset_class = ReportFilter

    def get_queryset(self):
        return report_selectors.visible_jobs(self.request.user)

    def create(self, request):
        data = self.validated(request)
        values = {key: value for key, value in data.items() if value is not None}
        values.setdefault("language", (request.LANGUAGE_CODE or "es")[:2])
        if values.get("include_submitted") is False:
            values.pop("include_submitted")
        form = ReportRequestForm(inputs.query_dict(values), user=request.user)
        if not form.is_valid():
            raise exceptions.ValidationError(inputs.form_errors(form, {}))
        job = report_services.report_request(requested_by=request.user, **form.cleaned_data)
        return self.created(self.get_queryset().get(pk=job.pk))

    def perform_content_negotiation(self, request, force=False):
        # The download answers with a PDF whatever the client accepts (its errors are JSON).
        return super().perform_content_negotiation(request, force=force or self.action == "download")

    @action(detail=True, methods=["get"], url_path="download", filter_backends=[], pagination_class=None)
    def download(self, request, pk=None):
        job = self.get_object()
        if not job.has_file:
            raise exceptions.NotFound(_("This report has no file: it is not done, or its file was deleted."))
        try:
            handle = job.file.open("rb")
        except OSError:
            logger.error("Report job %s: its file is missing from storage", job.pk, exc_info=True)
            raise exceptions.NotFound() from None
        response = FileResponse(handle, as_attachment=True, filename=download_name(job), content_type="application/pdf")
        response["Cache-Control"] = "private, no-store"
        return response


# --- Who is asking ----------------------------------------------------------------------------------


class MeView(APIView):
    """Who the token (or session) acts as: a quick check that a token works."""

    @extend_schema(summary="Who you are to the API", responses=s.MeSerializer)
    def get(self, request):
        user = request.user
        token = request.auth if isinstance(request.auth, ApiToken) else None
        role = role_of(user)
        data = {
            "id": user.pk,
            "username": user.get_username(),
            "name": person(user),
            "role": str(ROLE_LABELS[role]),
            "token": s.TokenInfoSerializer(token).data if token else None,
        }
        return Response(data)


class NotFoundView(APIView):
    """Any other address under /api/: a 404 problem, not the site's HTML page."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = []
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise exceptions.NotFound()
