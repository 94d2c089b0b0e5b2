from django.contrib import admin

from loket.bot.models import Conversation, ReopenSubscription
from loket.core.admin_scope import OfficeScopedAdmin


@admin.register(Conversation)
class ConversationAdmin(OfficeScopedAdmin):
    list_display = ["contact", "state", "handoff_reason", "handed_at", "updated_at"]
    list_filter = ["state", "handoff_reason"]


@admin.register(ReopenSubscription)
class ReopenSubscriptionAdmin(OfficeScopedAdmin):
    list_display = ["contact", "service", "created_at", "notified_at"]
    list_filter = ["service"]
