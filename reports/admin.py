from django.contrib import admin

from reports.models import ReportJob


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
