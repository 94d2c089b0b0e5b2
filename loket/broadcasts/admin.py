from django.contrib import admin

from loket.core.admin_scope import OfficeScopedAdmin

from .models import Broadcast, MessageTemplate, Official, OptOut


@admin.register(MessageTemplate)
class MessageTemplateAdmin(OfficeScopedAdmin):
    """Status and quality are Meta's (sync and webhooks): shown, never edited here.

    New templates are submitted from the staff page (Siaran → Template), which sends them to
    Meta for review."""

    audit_reads = False  # configuration, no personal data
    list_display = ["name", "language", "category", "status", "quality", "rejected_reason"]
    list_filter = ["status", "quality"]
    readonly_fields = [
        "status",
        "rejected_reason",
        "quality",
        "meta_id",
        "status_at",
        "quality_at",
        "synced_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False  # a template exists at Meta first: submit it from the staff page


@admin.register(Official)
class OfficialAdmin(OfficeScopedAdmin):
    list_display = ["name", "role", "region_code", "unit"]
    list_filter = ["role"]


@admin.register(Broadcast)
class BroadcastAdmin(OfficeScopedAdmin):
    audit_reads = False  # configuration, no personal data
    list_display = ["title", "audience", "status", "scheduled_at"]


admin.site.register(OptOut, OfficeScopedAdmin)
