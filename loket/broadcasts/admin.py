from django.contrib import admin

from .models import Broadcast, MessageTemplate, Official, OptOut


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "language", "category", "status", "office"]
    list_filter = ["status"]


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "region_code", "unit"]
    list_filter = ["role"]


@admin.register(Broadcast)
class BroadcastAdmin(admin.ModelAdmin):
    list_display = ["title", "audience", "status", "scheduled_at"]


admin.site.register(OptOut)
