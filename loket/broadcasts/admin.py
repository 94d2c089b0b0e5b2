from django.contrib import admin

from loket.core.admin_scope import OfficeScopedAdmin

from .models import Broadcast, MessageTemplate, Official, OptOut


@admin.register(MessageTemplate)
class MessageTemplateAdmin(OfficeScopedAdmin):
    audit_reads = False  # configuration, no personal data
    list_display = ["name", "language", "category", "status", "office"]
    list_filter = ["status"]


@admin.register(Official)
class OfficialAdmin(OfficeScopedAdmin):
    list_display = ["name", "role", "region_code", "unit"]
    list_filter = ["role"]


@admin.register(Broadcast)
class BroadcastAdmin(OfficeScopedAdmin):
    audit_reads = False  # configuration, no personal data
    list_display = ["title", "audience", "status", "scheduled_at"]


admin.site.register(OptOut, OfficeScopedAdmin)
