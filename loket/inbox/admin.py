from django.contrib import admin

from .models import Claim, SavedReply


@admin.register(SavedReply)
class SavedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "office"]
    search_fields = ["title", "text"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["conversation", "claimed_by", "claimed_at", "first_response_at", "outcome"]
    list_filter = ["outcome"]
