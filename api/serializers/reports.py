"""Report jobs."""

from django.urls import reverse
from rest_framework import serializers

from api.fields import PageUrl, PersonField
from reports.models import ReportJob


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
