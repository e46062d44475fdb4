from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from api import services
from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "scope", "shown_id", "created_at", "expires_at", "revoked_at"]
    list_filter = ["scope", "revoked_at"]
    search_fields = ["name", "user__username", "key_id"]
    readonly_fields = ["user", "name", "key_id", "scope", "created_at", "expires_at", "revoked_at", "revoked_by"]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # tokens are made by their owners, on /accounts/tokens/

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.api_token_revoke(token=token, revoked_by=request.user)
