from django.contrib import admin

from loket.appointments.models import Booking, CounterConfig, Slot, Ticket, WaitingRoom
from loket.core.admin_scope import OfficeScopedAdmin


@admin.register(CounterConfig)
class CounterConfigAdmin(OfficeScopedAdmin):
    audit_reads = False  # configuration, no personal data
    list_display = ["office", "service", "skill", "counters", "minutes_per_person", "daily_cap"]


@admin.register(WaitingRoom)
class WaitingRoomAdmin(OfficeScopedAdmin):
    audit_reads = False  # configuration, no personal data
    list_display = ["office", "chairs", "chair_spacing", "slot_minutes", "days_ahead"]


@admin.register(Slot)
class SlotAdmin(OfficeScopedAdmin):
    audit_reads = False  # configuration, no personal data
    list_display = ["service", "starts_at", "capacity", "booked"]
    list_filter = ["service", "day"]
    readonly_fields = ["booked"]


@admin.register(Booking)
class BookingAdmin(OfficeScopedAdmin):
    list_display = ["code", "service", "day", "status", "created_at"]
    list_filter = ["status", "service", "day"]
    exclude = ["nik", "nik_hash"]
    readonly_fields = ["code", "slot", "contact", "status", "reminder_sent_at"]


@admin.register(Ticket)
class TicketAdmin(OfficeScopedAdmin):
    list_display = ["label", "service", "day", "status", "counter"]
    list_filter = ["status", "day"]
