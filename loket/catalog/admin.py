from django.contrib import admin

from loket.catalog.models import (
    Office,
    OfficeClosure,
    OfficeHours,
    PolicyChange,
    PolicyRule,
    Service,
    ServicePolicy,
)
from loket.core.admin_scope import OfficeScopedAdmin


class OfficeHoursInline(admin.TabularInline):
    model = OfficeHours
    extra = 0


class OfficeClosureInline(admin.TabularInline):
    model = OfficeClosure
    extra = 0


@admin.register(Office)
class OfficeAdmin(OfficeScopedAdmin):
    audit_reads = False  # configuration, no personal data
    list_display = ["name", "region_code", "phone_number_id"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OfficeHoursInline, OfficeClosureInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):  # services are the same for every office
    list_display = ["code", "name", "needs_presence", "sla_hours"]
    search_fields = ["code", "name"]


class PolicyRuleInline(admin.TabularInline):
    model = PolicyRule
    extra = 0


@admin.register(ServicePolicy)
class ServicePolicyAdmin(OfficeScopedAdmin):
    audit_reads = False  # configuration, no personal data
    list_display = ["name", "office", "starts_at", "ends_at", "is_draft"]
    list_filter = ["office", "is_draft"]
    inlines = [PolicyRuleInline]


@admin.register(PolicyChange)
class PolicyChangeAdmin(OfficeScopedAdmin):
    """The history written by the policy page (/staf/kebijakan/): read only."""

    audit_reads = False  # configuration history, no personal data
    list_display = ["at", "office", "actor", "action", "policy_name"]
    list_filter = ["office", "action"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
