from django.contrib import admin

from loket.staff.models import StaffMember


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "office", "role"]
    list_filter = ["office", "role"]
