from django.contrib import admin

from openrosa.models import DeviceToken, Submission, SubmissionFile


@admin.register(DeviceToken)
class DeviceTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["key_digest", "prefix", "created_at", "last_used_at"]


class SubmissionFileInline(admin.TabularInline):
    model = SubmissionFile
    extra = 0
    readonly_fields = ["name", "size", "content_type", "received_at", "attachment"]
    exclude = ["file"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["instance_id", "user", "state", "received_at", "interview"]
    list_filter = ["state"]
    search_fields = ["instance_id", "user__username", "reason"]
    exclude = ["xml"]
    readonly_fields = [
        "instance_id",
        "deprecated_id",
        "form_id",
        "form_version",
        "xml_sha256",
        "user",
        "device_token",
        "device_id",
        "received_at",
        "completed_at",
        "version",
        "interview",
    ]
    inlines = [SubmissionFileInline]
