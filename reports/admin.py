from django.contrib import admin

from reports.models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ["cluster", "kind", "status", "requested_by", "created_at", "page_count"]
    list_filter = ["status", "kind"]
    readonly_fields = ["file", "error", "task_id", "started_at", "heartbeat_at", "finished_at"]
