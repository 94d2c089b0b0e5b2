"""The Django admin, scoped to the staff member's office and audited.

The rule, at one place for every app's admin:
- a user with a StaffMember (whatever flags they have, superuser included) sees only the rows
  of their own office: lists, change pages, deletes, and the choices of related fields;
- an installation-wide superuser (no StaffMember: the IT person of a multi-office install)
  sees everything;
- anyone else sees nothing.
Every list and every opened row of an `audit_reads` admin is written to the audit log.

Which office a user belongs to is answered by the function named in settings.LOKET_ADMIN_SCOPE
(the staff app's), so core imports nothing above it. The office of a row is found by following
foreign keys to catalog.Office (the shortest path), or `office_path` when set.
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.module_loading import import_string

from loket.core.audit import log_read

OFFICE_MODEL = "catalog.Office"
MAX_DEPTH = 3


@dataclass(frozen=True)
class AdminScope:
    everything: bool = False
    office_id: int | None = None  # None and not everything: nothing at all


def scope_for(request) -> AdminScope:
    if not hasattr(request, "_loket_admin_scope"):
        request._loket_admin_scope = import_string(settings.LOKET_ADMIN_SCOPE)(request.user)
    return request._loket_admin_scope


@cache
def office_path(model: type[models.Model]) -> str | None:
    """ "office", "contact__office", "pk" (the Office itself), or None: no way to an office."""
    office = apps.get_model(OFFICE_MODEL)
    if model is office:
        return "pk"
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    for _ in range(MAX_DEPTH):
        following = []
        for current, prefix in frontier:
            for field in current._meta.concrete_fields:
                if not field.is_relation or not (field.many_to_one or field.one_to_one):
                    continue
                path = f"{prefix}{field.name}"
                if field.remote_field.model is office:
                    return path
                following.append((field.remote_field.model, f"{path}__"))
        frontier = following
    return None


def _leads_to_office(model: type[models.Model], lookup: str) -> bool:
    """Whether a list_filter entry ("office", "period__office") is a relation to an office."""
    office = apps.get_model(OFFICE_MODEL)
    current = model
    for part in lookup.split("__"):
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:  # not a field path: not an office filter
            return False
        if not field.is_relation:
            return False
        current = field.related_model
        if current is office:
            return True
    return False


class OfficeScopedAdmin(admin.ModelAdmin):
    """The base of every ModelAdmin of a model that belongs to an office."""

    office_path: str | None = None  # found from the foreign keys when not set
    audit_reads = True  # personal data: every list and opened row is audited

    def scope_path(self) -> str | None:
        return self.office_path or office_path(self.model)

    def get_queryset(self, request):
        return self.scoped(request, super().get_queryset(request))

    def scoped(self, request, queryset):
        scope = scope_for(request)
        if scope.everything:
            return queryset
        path = self.scope_path()
        if scope.office_id is None or path is None:
            return queryset.none()
        return queryset.filter(**{path: scope.office_id})

    def get_list_filter(self, request):
        """A filter by office lists every office's name: shown to installation admins only."""
        filters = super().get_list_filter(request)
        if scope_for(request).everything:
            return filters
        return [f for f in filters if not (isinstance(f, str) and _leads_to_office(self.model, f))]

    def get_object(self, request, object_id, from_field=None):
        found = super().get_object(request, object_id, from_field)
        if found is not None and self.audit_reads:
            log_read("admin.viewed", found, request=request)
        return found

    def changelist_view(self, request, extra_context=None):
        if self.audit_reads:
            log_read("admin.listed", self.model, request=request, query=request.GET.urlencode())
        return super().changelist_view(request, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = self.admin_site._registry.get(db_field.remote_field.model)
        if isinstance(related, OfficeScopedAdmin) and "queryset" not in kwargs:
            kwargs["queryset"] = related.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OfficeScopedInline(admin.TabularInline):
    """Inlines live inside a scoped parent; their foreign-key choices are scoped the same way."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = self.admin_site._registry.get(db_field.remote_field.model)
        if isinstance(related, OfficeScopedAdmin) and "queryset" not in kwargs:
            kwargs["queryset"] = related.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
