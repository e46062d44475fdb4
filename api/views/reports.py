"""Report jobs: asked for, followed, and their PDF downloaded."""

import logging

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions
from rest_framework.decorators import action

from api import inputs
from api.filters import ReportFilter
from api.serializers import reports as s
from api.views.base import CreateMixin, ReadViewSet, action_perms
from reports import selectors as report_selectors
from reports import services as report_services
from reports.forms import ReportRequestForm
from reports.views import download_name

logger = logging.getLogger(__name__)


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
class ReportViewSet(CreateMixin, ReadViewSet):
    perms = action_perms("reports.view_reportjob", create="reports.add_reportjob", reads=("download",))
    serializer_class = s.ReportSerializer
    write_serializers = {"create": s.ReportCreateSerializer}
    filterset_class = ReportFilter

    def get_queryset(self):
        return report_selectors.visible_jobs(self.request.user)

    def create_object(self, data):
        request = self.request
        values = {key: value for key, value in data.items() if value is not None}
        values.setdefault("language", (request.LANGUAGE_CODE or "es")[:2])
        if values.get("include_submitted") is False:
            values.pop("include_submitted")
        form = ReportRequestForm(inputs.query_dict(values), user=request.user)
        if not form.is_valid():
            raise exceptions.ValidationError(inputs.form_errors(form, {}))
        job = report_services.report_request(requested_by=request.user, **form.cleaned_data)
        return self.get_queryset().get(pk=job.pk)

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
