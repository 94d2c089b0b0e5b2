from django.contrib import admin

from loket.core.admin_scope import OfficeScopedAdmin
from loket.roster.models import (
    Absence,
    Assignment,
    Attendance,
    Employee,
    Preference,
    RosterDay,
    RosterPeriod,
    SwapRequest,
)


class AbsenceInline(admin.TabularInline):
    model = Absence
    extra = 0


class PreferenceInline(admin.TabularInline):
    model = Preference
    extra = 0


@admin.register(Employee)
class EmployeeAdmin(OfficeScopedAdmin):
    list_display = ["name", "unit", "position", "is_supervisor", "piket_group", "active"]
    list_filter = ["office", "unit", "is_supervisor", "active"]
    search_fields = ["name", "nip"]
    inlines = [AbsenceInline, PreferenceInline]


@admin.register(RosterPeriod)
class RosterPeriodAdmin(OfficeScopedAdmin):
    audit_reads = False  # configuration, no personal data
    list_display = ["name", "office", "start", "end", "solver_status", "solved_at"]
    readonly_fields = ["solved_at", "solver_status", "objective", "bound", "seconds", "shortages"]


@admin.register(Absence)
class AbsenceAdmin(OfficeScopedAdmin):
    list_display = ["employee", "kind", "start", "end"]
    list_filter = ["kind"]


admin.site.register(RosterDay, OfficeScopedAdmin)
admin.site.register(Assignment, OfficeScopedAdmin)
admin.site.register(SwapRequest, OfficeScopedAdmin)
admin.site.register(Attendance, OfficeScopedAdmin)
