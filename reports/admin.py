from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.models import ProgrammeSettings, ReportEdition, ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ["cluster", "kind", "status", "requested_by", "created_at", "page_count"]
    list_filter = ["status", "kind"]
    list_select_related = ["cluster", "requested_by"]
    readonly_fields = [
        "file",
        "error",
        "task_id",
        "claim",
        "worker",
        "attempts",
        "enqueued_at",
        "enqueue_failed_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
        "purged_at",
    ]


@admin.register(ReportEdition)
class ReportEditionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "cluster", "status", "created_by", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["cluster", "created_by"]
    readonly_fields = ["finalised_at", "finalised_by"]


@admin.register(ProgrammeSettings)
class ProgrammeSettingsAdmin(admin.ModelAdmin):
    # The logo is set on /reports/settings/, where its content is checked.
    list_display = ["programme_name", "institution", "updated_at"]
