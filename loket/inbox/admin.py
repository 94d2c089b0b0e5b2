from django.contrib import admin

from loket.core.admin_scope import OfficeScopedAdmin

from .models import Claim, SavedReply


@admin.register(SavedReply)
class SavedReplyAdmin(OfficeScopedAdmin):
    audit_reads = False  # configuration, no personal data
    list_display = ["title", "office"]
    search_fields = ["title", "text"]


@admin.register(Claim)
class ClaimAdmin(OfficeScopedAdmin):
    list_display = ["conversation", "claimed_by", "claimed_at", "first_response_at", "outcome"]
    list_filter = ["outcome"]
