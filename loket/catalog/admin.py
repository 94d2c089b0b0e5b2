from django.contrib import admin

from loket.catalog.models import (
    Office,
    OfficeClosure,
    OfficeHours,
    PolicyRule,
    Service,
    ServicePolicy,
)


class OfficeHoursInline(admin.TabularInline):
    model = OfficeHours
    extra = 0


class OfficeClosureInline(admin.TabularInline):
    model = OfficeClosure
    extra = 0


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "region_code", "phone_number_id"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OfficeHoursInline, OfficeClosureInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "needs_presence", "sla_hours"]
    search_fields = ["code", "name"]


class PolicyRuleInline(admin.TabularInline):
    model = PolicyRule
    extra = 0


@admin.register(ServicePolicy)
class ServicePolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "office", "starts_at", "ends_at"]
    list_filter = ["office"]
    inlines = [PolicyRuleInline]
