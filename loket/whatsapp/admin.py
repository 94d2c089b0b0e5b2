from django.contrib import admin

from loket.core.admin_scope import OfficeScopedAdmin
from loket.whatsapp.models import BusinessNumber, Contact, InboundMessage, OutboundMessage


@admin.register(Contact)
class ContactAdmin(OfficeScopedAdmin):
    list_display = ["__str__", "display_phone", "office", "last_inbound_at"]
    search_fields = ["profile_name", "wa_id", "user_id"]
    readonly_fields = ["created_at", "last_inbound_at"]


@admin.register(InboundMessage)
class InboundMessageAdmin(OfficeScopedAdmin):
    list_display = ["sent_at", "contact", "type", "text", "state"]
    list_filter = ["state", "type"]
    readonly_fields = [f.name for f in InboundMessage._meta.fields]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(OfficeScopedAdmin):
    list_display = ["created_at", "contact", "kind", "preview", "status", "attempts", "error_code"]
    list_filter = ["status", "kind", "source"]
    readonly_fields = [f.name for f in OutboundMessage._meta.fields]


@admin.register(BusinessNumber)
class BusinessNumberAdmin(OfficeScopedAdmin):
    """The account id is configuration; the rating and the limit are Meta's (read-only)."""

    audit_reads = False  # configuration, no personal data
    list_display = ["office", "business_account_id", "quality_rating", "messaging_limit"]
    readonly_fields = ["quality_rating", "quality_at", "messaging_limit", "limit_at", "last_event"]
