from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from loket.core.admin_scope import OfficeScopedAdmin
from loket.staff.models import StaffMember


@admin.register(StaffMember)
class StaffMemberAdmin(OfficeScopedAdmin):
    list_display = ["user", "office", "role"]
    list_filter = ["office", "role"]


class ScopedUserAdmin(OfficeScopedAdmin, UserAdmin):
    """Staff accounts: an office's admin sees the users of their own office only."""

    office_path = "staff_member__office"


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), ScopedUserAdmin)
